-- Whether a run read a contribution: a payout's approval moves the work of its period that its run did not read, and a
-- proposal's page counts it. The page index (V16) leads with the contributor, so without this each lookup scans the run.
CREATE INDEX contribution_score_run_contribution_idx ON contribution_score (run_id, contribution_id);
