-- A payout put on chain knowingly closing unpaid work (asked with closeUnpaid / --close-unpaid): how many people's
-- contributions no payout had paid it closed for good, dated from (null: from the start) and until (the start of its
-- epoch), and who asked. Null when it closed nothing, and for payouts put on chain before this version.
ALTER TABLE chain_proposal ADD COLUMN closed_unpaid BIGINT;
ALTER TABLE chain_proposal ADD COLUMN closed_unpaid_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE chain_proposal ADD COLUMN closed_unpaid_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE chain_proposal ADD COLUMN closed_unpaid_by VARCHAR(200);
