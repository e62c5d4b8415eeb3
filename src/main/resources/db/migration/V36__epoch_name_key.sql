-- Epoch names that differ only by case are one name (EpochService checks it before creating one); the key makes that
-- hold for two epochs created at the same moment too: the second insert breaks the unique index, and its request is
-- answered 409 (sent again, it reads "epoch exists"). Epochs created under such names before the rule keep them: the
-- first of each keeps the key, the later ones have none (a unique index admits any number of NULLs).
ALTER TABLE epoch ADD COLUMN name_key VARCHAR(600);
UPDATE epoch SET name_key = LOWER(name)
    WHERE NOT EXISTS (SELECT 1 FROM epoch o WHERE LOWER(o.name) = LOWER(epoch.name) AND o.id < epoch.id);
CREATE UNIQUE INDEX epoch_name_key_unique ON epoch (name_key);
