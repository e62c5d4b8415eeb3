-- Lifecycle events (CloudEvents for merit.kafka.events-topic) are stored in the transaction that made them true and
-- sent to Kafka after it commits, by the leader replica; a row is deleted once the broker has acknowledged it. A
-- broker that is down, or a replica that stops between its commit and the send, delays an event and loses none.
-- Delivery is at least once: consumers de-duplicate by the CloudEvent id.
CREATE SEQUENCE event_outbox_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE event_outbox (
    id          BIGINT PRIMARY KEY,
    event_id    VARCHAR(36)  NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    subject     VARCHAR(255) NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    data        TEXT         NOT NULL,
    attempts    INTEGER      NOT NULL,
    last_error  VARCHAR(1024)
);
CREATE INDEX event_outbox_order_idx ON event_outbox (occurred_at, id);
