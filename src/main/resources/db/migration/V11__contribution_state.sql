-- What the forge last said of an issue or pull request: declined (an issue closed as not planned or as a duplicate,
-- a pull request closed without merge, a Jira issue resolved "Won't Do" / "Duplicate" ...) or open again (reopened,
-- completed, merged). Only a newer change replaces an older one, so deliveries that arrive out of order end in the
-- forge's last word. Scoring runs give a declined contribution the policy's declined factor.
CREATE TABLE contribution_state (
    source      VARCHAR(32)  NOT NULL,
    external_id VARCHAR(255) NOT NULL,
    declined    BOOLEAN      NOT NULL,
    reason      VARCHAR(255) NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source, external_id)
);
