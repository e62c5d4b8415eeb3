-- A run's leaderboard is read a page at a time in rank order (GET /api/scoring-runs/{id}/contributors?page=&size=,
-- the overview's top five): with this index a page is read from the index in order instead of sorting every
-- standing of the run first.
CREATE INDEX contributor_score_rank_idx ON contributor_score (run_id, rank, contributor_id);
