-- A contributor's contributions in a run, highest score first, a page at a time (the dashboard's default order):
-- the page's rows come from the index alone. It starts with (run_id, contributor_id), so it replaces that index.
CREATE INDEX contribution_score_page_idx ON contribution_score (run_id, contributor_id, score DESC, contribution_id);
DROP INDEX contribution_score_run_contributor_idx;
