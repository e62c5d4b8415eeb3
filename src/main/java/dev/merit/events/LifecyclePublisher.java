package dev.merit.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.events.KafkaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

/**
 * Stores every {@link Lifecycle} event in the outbox inside the transaction that fired it, so the event exists if and
 * only if its change does, and asks the {@link EventRelay} to send it once that transaction has committed. Does
 * nothing while Kafka is off ({@code merit.kafka.enabled=false}).
 */
@ApplicationScoped
public class LifecyclePublisher {

    private final KafkaConfig config;
    private final ObjectMapper json;
    private final EventRelay relay;

    public LifecyclePublisher(KafkaConfig config, ObjectMapper json, EventRelay relay) {
        this.config = config;
        this.json = json;
        this.relay = relay;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void store(@Observes Lifecycle event) {
        if (!config.enabled()) {
            return;
        }
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.randomUUID().toString();
        row.type = event.type();
        row.subject = event.subject();
        row.occurredAt = Instant.now();
        try {
            row.data = json.writeValueAsString(event.data());
        } catch (JsonProcessingException e) {
            // Event data are maps of strings and numbers built by Merit itself: this is a programming error, and the
            // change it reports is rolled back with it rather than committed without its event.
            throw new IllegalStateException("Lifecycle event " + event.type() + " is not serialisable", e);
        }
        row.persist();
    }

    void sendAfterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Lifecycle event) {
        if (config.enabled()) {
            relay.nudge();
        }
    }
}
