-- Work that reaches Merit after its period was paid without it is counted when that is known, not paid nowhere.
-- arrived_at: when a live source (a webhook, a repository's later ingests) delivered the contribution; null for
-- history read in bulk (a repository's first ingest, a Kafka topic read from its start, rows stored before V30), which
-- is never moved. late_from: the date it had (occurred_at) before it was moved past a paid period; null when it never
-- was. occurred_at stays the date every rule counts by.
ALTER TABLE contribution ADD COLUMN arrived_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE contribution ADD COLUMN late_from TIMESTAMP WITH TIME ZONE;
-- Work stored since a moment: what the service checks again every minute (LateArrivals.recheck).
CREATE INDEX contribution_arrived_at_idx ON contribution (arrived_at);
