-- A contributor's dispute of the type the model gave one of their contributions in a scoring run ("this was a
-- feature, not a chore"), and a maintainer's answer. An accepted dispute corrects the contribution's type for every
-- scoring run from then on (the correction is in the run's input record, so the input hash covers it); a rejected one
-- says why. Runs before keep what they paid.
CREATE SEQUENCE dispute_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE dispute (
    id              BIGINT PRIMARY KEY,
    contribution_id BIGINT NOT NULL REFERENCES contribution (id),
    run_id          BIGINT NOT NULL REFERENCES scoring_run (id),
    contributor_id  BIGINT NOT NULL REFERENCES contributor (id),
    -- The type the model gave in that run, and the one the contributor says it is (null: "not that").
    scored_type     VARCHAR(16) NOT NULL,
    claimed_type    VARCHAR(16),
    reason          TEXT NOT NULL,
    status          VARCHAR(16) NOT NULL,
    opened_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    settled_at      TIMESTAMP WITH TIME ZONE,
    settled_by      VARCHAR(255),
    answer          TEXT,
    corrected_type  VARCHAR(16)
);
CREATE INDEX dispute_contribution_idx ON dispute (contribution_id, status);
CREATE INDEX dispute_status_idx ON dispute (status, opened_at);
