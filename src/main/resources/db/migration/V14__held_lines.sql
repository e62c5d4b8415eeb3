-- Every contributor is paid or held: a payout on chain pays the lines with a wallet and holds the shares of those
-- without one in the vault, under a key derived from the contributor. A later proposal, voted on like any other,
-- releases held shares to wallets linked since, or returns what was never claimed to the treasury.
ALTER TABLE payout_line ADD COLUMN held_key VARCHAR(66);
ALTER TABLE payout_line ADD COLUMN returned BOOLEAN DEFAULT FALSE NOT NULL;

-- A payout proposal's life off chain: approved (its governor proposal executed: lines become claimable), withdrawn
-- (a draft taken back), superseded (a newer proposal of the same epoch).
ALTER TABLE payout_proposal ADD COLUMN approved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE payout_proposal ADD COLUMN withdrawn_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE payout_proposal ADD COLUMN superseded_by BIGINT;

-- What a governor proposal does beyond approving its own payout: every vault call it makes ([{target, data}]), the
-- shares it holds ([{account: key, amount}] in tree order, their root and total), the held lines of earlier payouts
-- it releases (payout line ids) and the earlier chain proposals whose held shares it returns to the treasury.
ALTER TABLE chain_proposal ADD COLUMN calls TEXT;
ALTER TABLE chain_proposal ADD COLUMN held_root VARCHAR(66);
ALTER TABLE chain_proposal ADD COLUMN held_total NUMERIC(78, 0);
ALTER TABLE chain_proposal ADD COLUMN held_leaves TEXT;
ALTER TABLE chain_proposal ADD COLUMN released_lines TEXT;
ALTER TABLE chain_proposal ADD COLUMN returned_proposals TEXT;

-- One vocabulary for a proposal's state: draft, withdrawn, superseded, or the chain's word in lower case.
UPDATE payout_proposal SET status = 'draft' WHERE status = 'DRAFT';
UPDATE payout_proposal SET status = (SELECT CASE WHEN c.state = 'PROPOSING' THEN 'pending' ELSE LOWER(c.state) END
                                     FROM chain_proposal c WHERE c.payout_proposal_id = payout_proposal.id)
WHERE EXISTS (SELECT 1 FROM chain_proposal c WHERE c.payout_proposal_id = payout_proposal.id);
UPDATE payout_proposal SET approved_at = CURRENT_TIMESTAMP WHERE status = 'executed';
