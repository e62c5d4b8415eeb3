-- A maintainer's say on whether a contributor is a bot (an automation account or a coding agent) or a person. Merit
-- decides when it first meets an account (BotRule: "[bot]", the configured markers, "... Bot" with a bot e-mail) and
-- never again by itself; a mark overrides that, now and later, and every mark is kept here: who, when, why, and
-- what the contributor was before. Scoring runs and payout proposals made before a mark keep what they computed
-- (a proposal's stored inputs name its bots).
CREATE SEQUENCE contributor_bot_mark_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE contributor_bot_mark (
    id             BIGINT PRIMARY KEY,
    contributor_id BIGINT NOT NULL REFERENCES contributor (id),
    bot            BOOLEAN NOT NULL,
    was_bot        BOOLEAN NOT NULL,
    marked_by      VARCHAR(255) NOT NULL,
    marked_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    reason         TEXT
);
CREATE INDEX contributor_bot_mark_contributor_idx ON contributor_bot_mark (contributor_id);
