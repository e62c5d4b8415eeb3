-- One row the embedded database's group commit changes before each store of the file (cluster.DurableCommits), so
-- that the store always has something to write and waits for H2's own stores still on their way to the file.
CREATE TABLE durable_store (
    id INTEGER PRIMARY KEY,
    stores BIGINT NOT NULL
);
INSERT INTO durable_store (id, stores) VALUES (1, 0);
