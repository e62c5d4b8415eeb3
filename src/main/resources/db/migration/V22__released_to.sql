-- The wallet each released held line was released to, as the proposal's vote sent it: JSON {payout line id: wallet}.
-- Settlement records these, not the contributor's wallet at execution time (a merge or a wallet change between
-- proposal and execution would record another wallet, or none, and the next proposal would release the line again).
ALTER TABLE chain_proposal ADD COLUMN released_to TEXT;
