-- Payout proposals and disputes are numbered for people ("payout #3", `merit disputes accept 7`), so they take their
-- numbers one at a time instead of in blocks of 50 per process: before, each CLI command and each replica reserved a
-- block, and a treasurer saw payout #1, #51, #101 and asked where the others went.
--
-- A process started before this migration may still hold a reserved block: with Quarkus's pooled-lo ids, the block
-- of a sequence's last value v runs from v to v + 49. Where the table has rows, the sequence first steps past that
-- block (49 calls at increment 1; PostgreSQL's next value is then v + 50, H2's, whose next value is already past the
-- block, 49 further on: one gap, once). An empty table starts at 1.
ALTER SEQUENCE payout_proposal_seq INCREMENT BY 1;
SELECT count(nextval('payout_proposal_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM payout_proposal);
ALTER SEQUENCE dispute_seq INCREMENT BY 1;
SELECT count(nextval('dispute_seq')) FROM generate_series(1, 49) WHERE EXISTS (SELECT 1 FROM dispute);
