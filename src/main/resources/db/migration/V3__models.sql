-- Learned scoring models: each run records the policy it applied next to the model it used, and every
-- contribution score keeps the classifier's explanation (type probabilities, the features that moved it).
ALTER TABLE scoring_run ADD COLUMN policy_hash VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE contribution_score ADD COLUMN explanation TEXT;
