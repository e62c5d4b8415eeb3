-- A person's full name links their later commits to them only when Merit met them through a commit. A contributor
-- known only by forge or tracker accounts has a name typed into a profile by whoever holds the account: commits under
-- that name must not join it (the account could then prove claims to their pay). Such pairs become merge suggestions.
UPDATE contributor SET normalized_name = NULL WHERE normalized_name IS NOT NULL AND id NOT IN
    (SELECT contributor_id FROM contributor_identity WHERE kind = 'GIT_EMAIL');
