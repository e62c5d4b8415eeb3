-- A payout proposal whose period another payout took on the vault (a later epoch's payout approved first: periods are
-- paid in order) can never be paid, whatever its vote. The dashboard, the API and the CSV say so instead of "to pay".
ALTER TABLE payout_proposal ADD COLUMN period_taken BOOLEAN NOT NULL DEFAULT FALSE;
-- Governance already knows which (session 14): a proposal final on chain that is neither superseded nor over.
UPDATE payout_proposal SET period_taken = TRUE WHERE id IN (SELECT payout_proposal_id FROM chain_proposal
    WHERE chain_final = TRUE AND state NOT IN ('SUPERSEDED', 'EXECUTED', 'DEFEATED', 'CANCELED', 'EXPIRED'));
