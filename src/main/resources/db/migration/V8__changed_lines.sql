-- Keys of a commit's effective lines, added and deleted (dev.merit.ingest.ChangedLines, packed): each key hashes a line
-- with its neighbours in its run of changed lines, whitespace left out. Scoring compares one author's commits within an
-- epoch: lines added in one commit and deleted again in another (or deleted and added back) are paid in neither.
-- Commits ingested before this column have none and are never taken for such lines.
ALTER TABLE contribution ADD COLUMN changed_lines BYTEA;

-- The effective lines a score's factors count: the contribution's own less the lines undone in the epoch. Earlier runs'
-- factors counted the contribution's own as it was then, which is what it still is (before `ingest --refresh` can
-- re-measure a contribution), so they are filled from it.
ALTER TABLE contribution_score ADD COLUMN effective_lines INTEGER;
UPDATE contribution_score SET effective_lines =
    (SELECT c.effective_lines FROM contribution c WHERE c.id = contribution_score.contribution_id);
ALTER TABLE contribution_score ALTER COLUMN effective_lines SET NOT NULL;
