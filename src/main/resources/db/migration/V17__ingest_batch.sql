-- One Git ingest, opened (committed on its own) before its transaction starts and marked done as that transaction's
-- last write; every contribution it stores names it. H2, the embedded database, does not write a large transaction's
-- commit to disk atomically: killed while committing, it can come back with part of the transaction. An ingest whose
-- batch is still open when no process is ingesting that repository never finished, and is removed whole at the next
-- start (IngestBatches.recover), with the repository's last commit and count restored from the batch.
CREATE SEQUENCE ingest_batch_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE ingest_batch (
    id              BIGINT PRIMARY KEY,
    -- No foreign key: the ingest holds its repository's row locked while it opens the batch on another connection.
    repository_id   BIGINT NOT NULL,
    state           VARCHAR(16) NOT NULL,
    previous_commit VARCHAR(64),
    previous_count  INTEGER NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE,
    removed         INTEGER
);
CREATE INDEX ingest_batch_state_idx ON ingest_batch (state);
ALTER TABLE contribution ADD COLUMN ingest_batch BIGINT;
CREATE INDEX contribution_ingest_batch_idx ON contribution (ingest_batch);
