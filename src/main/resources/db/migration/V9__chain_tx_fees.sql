-- How each chain write was sent, so a transaction that is not mined can be replaced: the same nonce with higher fees
-- (EIP-1559 max fee and tip; a legacy gas price in max_fee_per_gas with no tip), its gas limit, when it was sent,
-- and the hashes it replaced (any of them may still be the one mined). Rows sent before this have none: they are
-- read by their hash as before, and replaced like the others once they have waited.
ALTER TABLE chain_tx ADD COLUMN nonce NUMERIC(78, 0);
ALTER TABLE chain_tx ADD COLUMN max_fee_per_gas NUMERIC(78, 0);
ALTER TABLE chain_tx ADD COLUMN max_priority_fee_per_gas NUMERIC(78, 0);
ALTER TABLE chain_tx ADD COLUMN gas_limit NUMERIC(78, 0);
ALTER TABLE chain_tx ADD COLUMN sent_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE chain_tx ADD COLUMN replaced_hashes TEXT;
