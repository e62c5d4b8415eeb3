-- Contributors and chain transactions are numbered for people too ("Ada (#3)" in every table, `merit contributors
-- merge 3 7`, the tx column of `merit chain status`): they now take their numbers one at a time, as merges and
-- scoring runs do since V37. Each process took a block of 50, so the second process's first contributor was #51, and
-- one payout's transactions were listed as 201, 107, 108. The same step past a block a running process may still hold
-- (see V25).
ALTER SEQUENCE contributor_seq INCREMENT BY 1;
SELECT count(nextval('contributor_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM contributor);
ALTER SEQUENCE chain_tx_seq INCREMENT BY 1;
SELECT count(nextval('chain_tx_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM chain_tx);
-- Epochs and repositories likewise (the epochId and repository id of the API and the dashboard's addresses).
ALTER SEQUENCE epoch_seq INCREMENT BY 1;
SELECT count(nextval('epoch_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM epoch);
ALTER SEQUENCE git_repository_seq INCREMENT BY 1;
SELECT count(nextval('git_repository_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM git_repository);
