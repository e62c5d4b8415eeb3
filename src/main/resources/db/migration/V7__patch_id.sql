-- A commit's patch identity: the SHA-256 of its changed lines, file by file, with whitespace and line numbers left out
-- (what `git patch-id` identifies). A cherry-pick, or a change applied again on another branch that was merged back,
-- has the same patch identity as the commit it copies, and is paid once. Commits ingested before this column have none.
ALTER TABLE contribution ADD COLUMN patch_id VARCHAR(64);
CREATE INDEX contribution_patch_idx ON contribution (repository_id, patch_id);
