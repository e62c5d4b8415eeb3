-- Epoch names that differ only by case are one name (EpochService checks it before creating one); the key makes that
-- hold for two epochs created at the same moment too: the second insert breaks the unique index, and its request is
-- answered 409 (sent again, it reads "epoch exists"). Epochs created under such names before the rule keep them, their
-- keys told apart by their ids.
ALTER TABLE epoch ADD COLUMN name_key VARCHAR(600);
UPDATE epoch SET name_key = LOWER(name);
UPDATE epoch SET name_key = name_key || '#' || CAST(id AS VARCHAR(20))
    WHERE EXISTS (SELECT 1 FROM epoch o WHERE o.name_key = epoch.name_key AND o.id < epoch.id);
ALTER TABLE epoch ALTER COLUMN name_key SET NOT NULL;
CREATE UNIQUE INDEX epoch_name_key_unique ON epoch (name_key);
