-- How the maintainer behind a decision proved they may make it, beside the name they gave ("by"): "with the
-- maintainer token", "signed in as alice (https://idp.example/realms/dao)", "signed in with the maintainer wallet
-- 0x...", "from this machine, without a token", "on the command line (system user ops)". "by" is what the caller
-- typed; this is what Merit checked. Decisions recorded before this column existed have none (NULL: not recorded).
ALTER TABLE contributor_bot_mark ADD COLUMN marked_via VARCHAR(255);
ALTER TABLE contributor_merge ADD COLUMN merged_via VARCHAR(255);
ALTER TABLE contributor_merge ADD COLUMN unmerged_via VARCHAR(255);
ALTER TABLE dispute ADD COLUMN settled_via VARCHAR(255);
