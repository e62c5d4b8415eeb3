-- Whether a run counted the contributor as a bot (which decides the credit share of contributions a bot shares with a
-- person, and which lines a payout from the run counts as bots). A later mark (contributor_bot_mark) changes the
-- contributor, not the runs made before it, so a run keeps saying what it computed. Runs scored before this column
-- existed get the flag as it was when they were scored: what the first mark after the run says it was, or, when
-- nobody marked the contributor since, the flag as it is now.
ALTER TABLE contributor_score ADD COLUMN bot BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE contributor_score SET bot = COALESCE(
    (SELECT m.was_bot FROM contributor_bot_mark m, scoring_run r
      WHERE r.id = contributor_score.run_id AND m.contributor_id = contributor_score.contributor_id
        AND m.marked_at > r.created_at
      ORDER BY m.marked_at, m.id FETCH FIRST 1 ROWS ONLY),
    (SELECT c.bot FROM contributor c WHERE c.id = contributor_score.contributor_id),
    FALSE);
