-- A commit is dated (occurred_at) by when it reached the tracked branch: a commit a merge commit brought in takes the
-- merge's date, so a pull request written in one month and merged in the next is the next month's work, not work of a
-- month that may already be paid. Its own committer date is kept here: it orders the commits one merge brought, which
-- share occurred_at. Null for other contributions and for commits ingested before (their occurred_at is their own
-- committer date, as it always was; a refresh rewrites no dates).
ALTER TABLE contribution ADD COLUMN committed_at TIMESTAMP WITH TIME ZONE;
