-- Merges and scoring runs are numbered for people too (`merit contributors unmerge 2`, `merit compare 3 4`, "run #3" on
-- a contributor's page): they now take their numbers one at a time, as payout proposals and disputes do since V25. A
-- treasurer saw merge 1 then merge 51, and `contributors unmerge 2` answered "No merge with id 2". The same step past
-- a block a running process may still hold (see V25).
ALTER SEQUENCE contributor_merge_seq INCREMENT BY 1;
SELECT count(nextval('contributor_merge_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM contributor_merge);
ALTER SEQUENCE scoring_run_seq INCREMENT BY 1;
SELECT count(nextval('scoring_run_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM scoring_run);
