-- On-chain life of payout proposals, and the outbox every chain write goes through.

CREATE SEQUENCE chain_proposal_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE chain_tx_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE chain_proposal (
    id                 BIGINT PRIMARY KEY,
    payout_proposal_id BIGINT NOT NULL REFERENCES payout_proposal (id),
    governor           VARCHAR(42) NOT NULL,
    vault              VARCHAR(42) NOT NULL,
    onchain_id         VARCHAR(80) NOT NULL,
    vault_epoch        VARCHAR(80) NOT NULL,
    description        TEXT NOT NULL,
    calldata           TEXT NOT NULL,
    merkle_root        VARCHAR(66) NOT NULL,
    total              NUMERIC(78, 0) NOT NULL,
    leaves             TEXT NOT NULL,
    state              VARCHAR(16) NOT NULL,
    votes_for          NUMERIC(78, 0) NOT NULL,
    votes_against      NUMERIC(78, 0) NOT NULL,
    votes_abstain      NUMERIC(78, 0) NOT NULL,
    quorum             NUMERIC(78, 0) NOT NULL,
    vote_start         BIGINT,
    vote_end           BIGINT,
    eta                BIGINT,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chain_proposal_payout_unique UNIQUE (payout_proposal_id)
);

-- Persisted before it is sent; a restart resumes from here. dedupe_key makes each intent exist once.
CREATE TABLE chain_tx (
    id                BIGINT PRIMARY KEY,
    chain_proposal_id BIGINT NOT NULL REFERENCES chain_proposal (id),
    kind              VARCHAR(16) NOT NULL,
    dedupe_key        VARCHAR(200) NOT NULL,
    payload           TEXT NOT NULL,
    status            VARCHAR(16) NOT NULL,
    tx_hash           VARCHAR(66),
    attempts          INTEGER NOT NULL,
    last_error        TEXT,
    next_attempt_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chain_tx_dedupe_unique UNIQUE (dedupe_key)
);
CREATE INDEX chain_tx_status_idx ON chain_tx (status, next_attempt_at);

ALTER TABLE payout_line ADD COLUMN wallet VARCHAR(42);
ALTER TABLE payout_line ADD COLUMN paid_tx_hash VARCHAR(66);
