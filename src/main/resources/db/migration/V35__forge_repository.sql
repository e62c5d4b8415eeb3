-- The name a forge repository's contributions are keyed by: the one it had when a webhook first named its id (GitHub's
-- repository.id, GitLab's project.id). A repository renamed, transferred or written in another case keeps its key, so
-- a pull request opened under one name and merged under another is one contribution, paid once.
CREATE TABLE forge_repository (
    source        VARCHAR(16)  NOT NULL,
    repository_id VARCHAR(64)  NOT NULL,
    key_name      VARCHAR(512) NOT NULL,
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source, repository_id)
);

-- A forge account is found by its id (a webhook's user.id) whatever login it posts under now.
CREATE INDEX contributor_identity_account_idx ON contributor_identity (account_id);
