-- At most one payout of any period: a re-scored epoch's newer payout supersedes the older one on chain (Merit stops
-- following it), and proposals on chain are checked for overlapping periods one at a time, serialised on this row.
ALTER TABLE chain_proposal ADD COLUMN superseded_by BIGINT;
CREATE TABLE payout_period_guard (
    id INT PRIMARY KEY
);
INSERT INTO payout_period_guard (id) VALUES (1);
