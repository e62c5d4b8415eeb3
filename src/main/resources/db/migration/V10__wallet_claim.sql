-- A wallet asked to be a contributor's payout wallet (Sign-In with Ethereum, "This is me"). It is not linked until
-- proven: its code posted in a comment by a forge account (GitHub, GitLab) that is already one of the contributor's
-- identities, delivered by the forge's authenticated webhook; or a maintainer links it (merit wallet). Before this,
-- a signed message alone linked the wallet of anyone who asked first.
CREATE SEQUENCE wallet_claim_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE wallet_claim (
    id             BIGINT PRIMARY KEY,
    contributor_id BIGINT NOT NULL REFERENCES contributor (id),
    address        VARCHAR(42) NOT NULL,
    code           VARCHAR(40) NOT NULL,
    status         VARCHAR(16) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    settled_at     TIMESTAMP WITH TIME ZONE,
    -- What settled it: the comment that proved it ("github:octo/repo#comment/1"), or why it was refused.
    outcome        TEXT,
    CONSTRAINT wallet_claim_code_unique UNIQUE (code)
);
CREATE INDEX wallet_claim_contributor_idx ON wallet_claim (contributor_id, status);
