-- A superseded proposal stays a proposal on chain: members may still pass it and anyone may execute it (the vault
-- then refuses its successor's period, so only one is ever paid). Merit follows it until the governor's state can no
-- longer change; chain_final marks that (defeated, canceled, expired, executed, or never proposed).
ALTER TABLE chain_proposal ADD COLUMN chain_final BOOLEAN NOT NULL DEFAULT FALSE;
