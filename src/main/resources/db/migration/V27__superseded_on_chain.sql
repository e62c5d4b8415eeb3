-- A payout superseded on chain stays a governor proposal: members may still pass it and anyone may execute it, until
-- its state can no longer change (chain_proposal.chain_final). Payroll keeps that here, so a superseded payout whose
-- successor was voted down does not read "will not be paid" while its own vote may still pay it.
ALTER TABLE payout_proposal ADD COLUMN still_on_chain BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE payout_proposal SET still_on_chain = TRUE WHERE id IN (SELECT payout_proposal_id FROM chain_proposal
    WHERE state = 'SUPERSEDED' AND chain_final = FALSE);
