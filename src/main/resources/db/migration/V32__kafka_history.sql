-- Where each partition of a Kafka topic stood when Merit's consumer group first read it. Records before history_end
-- were in the topic already: history read in bulk, which keeps its dates even in a period already paid. Records from
-- history_end on reached the topic while Merit was reading it: live, so one dated in a period already paid counts from
-- its arrival, as a webhook's does (LateArrivals). history_end is the partition's end when the group was first given
-- it; for a partition added to the topic later, its first record after the group first read the topic (recorded_at).
-- A row never changes.
CREATE TABLE kafka_partition_start (
    consumer_group VARCHAR(1000) NOT NULL,
    topic VARCHAR(255) NOT NULL,
    partition_no INTEGER NOT NULL,
    history_end BIGINT NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition_no)
);
