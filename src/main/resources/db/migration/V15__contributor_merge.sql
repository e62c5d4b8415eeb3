-- A maintainer's merge of two contributors who are one person (a forge login and a plain e-mail, say): the merged-away
-- contributor's identities, the contributions it is the actor of, and its credits move to the one merged into. Every
-- moved row is recorded here, so an unmerge puts back exactly what moved. Nothing else changes: scoring runs,
-- payout proposals and their lines, disputes and wallet claims keep the contributor they named when they were made.
CREATE SEQUENCE contributor_merge_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE contributor_merge (
    id          BIGINT PRIMARY KEY,
    into_id     BIGINT NOT NULL REFERENCES contributor (id),
    from_id     BIGINT NOT NULL REFERENCES contributor (id),
    merged_by   VARCHAR(255) NOT NULL,
    merged_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    reason      TEXT,
    -- Set when undone; the rows below stay as the record of what moved.
    unmerged_by VARCHAR(255),
    unmerged_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX contributor_merge_from_idx ON contributor_merge (from_id);
CREATE INDEX contributor_merge_into_idx ON contributor_merge (into_id);

-- The identities (e-mails, logins, wallet) that moved.
CREATE TABLE contributor_merge_identity (
    merge_id    BIGINT NOT NULL REFERENCES contributor_merge (id),
    identity_id BIGINT NOT NULL,
    PRIMARY KEY (merge_id, identity_id)
);

-- The contributions whose actor moved.
CREATE TABLE contributor_merge_actor (
    merge_id        BIGINT NOT NULL REFERENCES contributor_merge (id),
    contribution_id BIGINT NOT NULL,
    PRIMARY KEY (merge_id, contribution_id)
);

-- Every credit row of the contributions that credited the merged-away contributor, as it was before the merge (a
-- contribution that credited both becomes one credit of the one merged into, so positions can change).
CREATE TABLE contributor_merge_credit (
    merge_id        BIGINT NOT NULL REFERENCES contributor_merge (id),
    contribution_id BIGINT NOT NULL,
    position        INTEGER NOT NULL,
    contributor_id  BIGINT NOT NULL,
    role            VARCHAR(16) NOT NULL,
    PRIMARY KEY (merge_id, contribution_id, position)
);
