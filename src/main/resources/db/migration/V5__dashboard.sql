-- Dashboard: every scoring run keeps the policy document it applied (its SHA-256 is policy_hash), so the page can
-- show and explain it; Sign-In with Ethereum nonces (single use, expiring) and the sessions they open.
ALTER TABLE scoring_run ADD COLUMN policy TEXT;

CREATE TABLE siwe_nonce (
    nonce       VARCHAR(64) PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    used_by     VARCHAR(42)
);
CREATE INDEX siwe_nonce_expires ON siwe_nonce (expires_at);

CREATE TABLE web_session (
    token_hash  VARCHAR(64) PRIMARY KEY,
    address     VARCHAR(42) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX web_session_expires ON web_session (expires_at);
