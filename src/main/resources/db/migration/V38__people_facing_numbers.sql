-- Contributors, chain transactions, epochs and repositories are numbered for people too ("Ada (#3)" in every table,
-- `merit contributors merge 3 7`, the tx column of `merit chain status`, the epochId and repository id of the API and
-- the dashboard's addresses): they now take their numbers one at a time, as payouts, disputes, merges and scoring runs
-- do (V25, V37). Each process took a block of 50, so a second process's first contributor was #51, and one payout's
-- transactions were listed as 201, 107, 108.
--
-- Unlike V25 and V37, each gets a new sequence, and the old one is moved out of its way. A process of the previous
-- version still running during a rolling update (contributors come with every webhook and Kafka event) takes its next
-- block of 50 from the old sequence once its current block is used up: had that sequence been turned to count by one,
-- the block would start at the number the new processes hand out next, and both would write the same ids. The new
-- sequence starts past every block the old one handed out (its next value, read here); the old one restarts at
-- 1,000,000,000, so the blocks an old process may still take lie far beyond anything the new sequence reaches.
CREATE SEQUENCE contributor_number_seq START WITH 1 INCREMENT BY 1;
SELECT count(nextval('contributor_number_seq')) FROM generate_series(1, (SELECT nextval('contributor_seq')) - 1);
ALTER SEQUENCE contributor_seq RESTART WITH 1000000000;
CREATE SEQUENCE chain_tx_number_seq START WITH 1 INCREMENT BY 1;
SELECT count(nextval('chain_tx_number_seq')) FROM generate_series(1, (SELECT nextval('chain_tx_seq')) - 1);
ALTER SEQUENCE chain_tx_seq RESTART WITH 1000000000;
CREATE SEQUENCE epoch_number_seq START WITH 1 INCREMENT BY 1;
SELECT count(nextval('epoch_number_seq')) FROM generate_series(1, (SELECT nextval('epoch_seq')) - 1);
ALTER SEQUENCE epoch_seq RESTART WITH 1000000000;
CREATE SEQUENCE git_repository_number_seq START WITH 1 INCREMENT BY 1;
SELECT count(nextval('git_repository_number_seq')) FROM generate_series(1, (SELECT nextval('git_repository_seq')) - 1);
ALTER SEQUENCE git_repository_seq RESTART WITH 1000000000;
