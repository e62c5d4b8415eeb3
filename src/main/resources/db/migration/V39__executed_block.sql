-- When the governor executed a payout proposal (its payout approved, the shares with wallets claimable): the block
-- of its ProposalExecuted event and that block's own time, so that a payout says when it was paid, not when its
-- voting closed nor when Merit noticed. Null for proposals executed before this version, and when the node no longer
-- holds the event (a node that prunes old logs).
ALTER TABLE chain_proposal ADD COLUMN executed_block BIGINT;
ALTER TABLE chain_proposal ADD COLUMN executed_at TIMESTAMP WITH TIME ZONE;
