-- Whether a run counted the contributor as a bot (which decides the credit share of contributions a bot shares with a
-- person). A later mark (contributor_bot_mark) changes the contributor, not the runs made before it, so a run's
-- standings keep saying what it computed. Runs scored before this column existed take the flag as it is now, the
-- closest record there is (marks came one migration earlier, so few such runs can differ).
ALTER TABLE contributor_score ADD COLUMN bot BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE contributor_score SET bot = TRUE WHERE contributor_id IN (SELECT id FROM contributor WHERE bot = TRUE);
