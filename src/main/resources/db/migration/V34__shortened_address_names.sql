-- A contributor first met through a commit without an author name, or with an e-mail address for one, was named by
-- that address, and every public view (the directory, payout tables and their CSV, standings, disputes) showed it
-- whole. Such a name becomes the address shortened as readers other than maintainers see addresses (its first
-- character and its domain: a…@example.org); the contributor's identities keep the whole address.
UPDATE contributor
SET display_name = SUBSTRING(display_name FROM 1 FOR 1) || '…' || SUBSTRING(display_name FROM POSITION('@' IN display_name))
WHERE display_name LIKE '_%@_%._%' AND display_name NOT LIKE '%@%@%' AND display_name NOT LIKE '% %'
  AND display_name NOT LIKE '%…@%';
