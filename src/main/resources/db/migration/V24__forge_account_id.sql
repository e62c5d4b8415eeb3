-- The forge's own id of the account behind a login (GitHub's and GitLab's user.id), recorded the first time a webhook
-- names it. A login can change hands (an account renamed, its old login taken by someone else); the id cannot, so a
-- wallet-claim code posted under a known login by another account proves nothing.
ALTER TABLE contributor_identity ADD COLUMN account_id VARCHAR(64);
