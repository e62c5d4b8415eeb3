-- Merit foundation schema. Portable between PostgreSQL and H2 (MODE=PostgreSQL).
-- Token amounts are NUMERIC(78,0): any uint256 fits. Scores are NUMERIC(38,6): exact decimals.

CREATE SEQUENCE contributor_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE contributor_identity_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE git_repository_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE contribution_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE epoch_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE scoring_run_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE contribution_score_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE contributor_score_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE payout_proposal_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE payout_line_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE contributor (
    id              BIGINT PRIMARY KEY,
    display_name    VARCHAR(255) NOT NULL,
    normalized_name VARCHAR(255),
    bot             BOOLEAN NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX contributor_normalized_name_idx ON contributor (normalized_name);

-- One row per way a contributor shows up: git e-mail, forge login, wallet address.
CREATE TABLE contributor_identity (
    id             BIGINT PRIMARY KEY,
    contributor_id BIGINT NOT NULL REFERENCES contributor (id),
    kind           VARCHAR(32) NOT NULL,
    handle         VARCHAR(320) NOT NULL,
    linked_by      VARCHAR(32) NOT NULL,
    CONSTRAINT contributor_identity_unique UNIQUE (kind, handle)
);
CREATE INDEX contributor_identity_contributor_idx ON contributor_identity (contributor_id);

CREATE TABLE git_repository (
    id               BIGINT PRIMARY KEY,
    name             VARCHAR(255) NOT NULL,
    location         VARCHAR(2048) NOT NULL,
    branch           VARCHAR(255),
    local_path       VARCHAR(2048) NOT NULL,
    last_commit      VARCHAR(64),
    commit_count     INTEGER NOT NULL,
    last_ingested_at TIMESTAMP WITH TIME ZONE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT git_repository_location_unique UNIQUE (location)
);

-- The canonical contribution every source maps to. Unique per (source, external_id): ingest is idempotent.
CREATE TABLE contribution (
    id              BIGINT PRIMARY KEY,
    source          VARCHAR(32) NOT NULL,
    external_id     VARCHAR(255) NOT NULL,
    kind            VARCHAR(32) NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    repository      VARCHAR(512),
    repository_id   BIGINT REFERENCES git_repository (id),
    actor_id        BIGINT NOT NULL REFERENCES contributor (id),
    actor_name      VARCHAR(255),
    actor_email     VARCHAR(320),
    title           VARCHAR(1024) NOT NULL,
    body            TEXT,
    lines_added     INTEGER NOT NULL,
    lines_deleted   INTEGER NOT NULL,
    files_changed   INTEGER NOT NULL,
    effective_lines INTEGER NOT NULL,
    metrics         TEXT NOT NULL,
    raw             TEXT,
    CONSTRAINT contribution_external_id_source_unique UNIQUE (external_id, source)
);
CREATE INDEX contribution_occurred_at_idx ON contribution (occurred_at);
CREATE INDEX contribution_actor_idx ON contribution (actor_id);
CREATE INDEX contribution_repository_idx ON contribution (repository_id);

-- Who gets credit for a contribution: its author and any Co-authored-by trailers.
CREATE TABLE contribution_credit (
    contribution_id BIGINT NOT NULL REFERENCES contribution (id),
    position        INTEGER NOT NULL,
    contributor_id  BIGINT NOT NULL REFERENCES contributor (id),
    role            VARCHAR(16) NOT NULL,
    PRIMARY KEY (contribution_id, position)
);
CREATE INDEX contribution_credit_contributor_idx ON contribution_credit (contributor_id);

CREATE TABLE contribution_file (
    contribution_id BIGINT NOT NULL REFERENCES contribution (id),
    position        INTEGER NOT NULL,
    path            VARCHAR(4096) NOT NULL,
    old_path        VARCHAR(4096),
    change_type     VARCHAR(8) NOT NULL,
    lines_added     INTEGER,
    lines_deleted   INTEGER,
    category        VARCHAR(16) NOT NULL,
    effective_lines INTEGER NOT NULL,
    PRIMARY KEY (contribution_id, position)
);

CREATE TABLE epoch (
    id             BIGINT PRIMARY KEY,
    name           VARCHAR(128) NOT NULL,
    starts_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    budget         NUMERIC(78, 0) NOT NULL,
    token_decimals INTEGER NOT NULL,
    min_payout     NUMERIC(78, 0) NOT NULL,
    cap            NUMERIC(78, 0),
    sqrt_dampening BOOLEAN NOT NULL,
    include_bots   BOOLEAN NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT epoch_name_unique UNIQUE (name)
);

CREATE TABLE scoring_run (
    id                 BIGINT PRIMARY KEY,
    epoch_id           BIGINT NOT NULL REFERENCES epoch (id),
    model_version      VARCHAR(128) NOT NULL,
    model_hash         CHAR(64) NOT NULL,
    input_hash         CHAR(64) NOT NULL,
    contribution_count INTEGER NOT NULL,
    contributor_count  INTEGER NOT NULL,
    total_score        NUMERIC(38, 6) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX scoring_run_epoch_idx ON scoring_run (epoch_id);

-- One row per (contribution, credited contributor) in a run; factors is JSON that reproduces score exactly.
CREATE TABLE contribution_score (
    id                BIGINT PRIMARY KEY,
    run_id            BIGINT NOT NULL REFERENCES scoring_run (id),
    contribution_id   BIGINT NOT NULL REFERENCES contribution (id),
    contributor_id    BIGINT NOT NULL REFERENCES contributor (id),
    contribution_type VARCHAR(32) NOT NULL,
    score             NUMERIC(38, 6) NOT NULL,
    factors           TEXT NOT NULL
);
CREATE INDEX contribution_score_run_contributor_idx ON contribution_score (run_id, contributor_id);

CREATE TABLE contributor_score (
    id             BIGINT PRIMARY KEY,
    run_id         BIGINT NOT NULL REFERENCES scoring_run (id),
    contributor_id BIGINT NOT NULL REFERENCES contributor (id),
    total          NUMERIC(38, 6) NOT NULL,
    contributions  INTEGER NOT NULL,
    rank           INTEGER NOT NULL,
    CONSTRAINT contributor_score_unique UNIQUE (run_id, contributor_id)
);

CREATE TABLE payout_proposal (
    id             BIGINT PRIMARY KEY,
    epoch_id       BIGINT NOT NULL REFERENCES epoch (id),
    scoring_run_id BIGINT NOT NULL REFERENCES scoring_run (id),
    budget         NUMERIC(78, 0) NOT NULL,
    model_version  VARCHAR(128) NOT NULL,
    content_hash   CHAR(64) NOT NULL,
    inputs         TEXT NOT NULL,
    status         VARCHAR(16) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE payout_line (
    id             BIGINT PRIMARY KEY,
    proposal_id    BIGINT NOT NULL REFERENCES payout_proposal (id),
    contributor_id BIGINT NOT NULL REFERENCES contributor (id),
    score          NUMERIC(38, 6) NOT NULL,
    amount         NUMERIC(78, 0) NOT NULL,
    status         VARCHAR(16) NOT NULL,
    rank           INTEGER NOT NULL
);
CREATE INDEX payout_line_proposal_idx ON payout_line (proposal_id);
