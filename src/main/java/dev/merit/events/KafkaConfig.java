package dev.merit.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Kafka ({@code merit.kafka.*}); off by default, and the service is healthy without it. */
@ConfigMapping(prefix = "merit.kafka")
public interface KafkaConfig {

    @WithDefault("false")
    boolean enabled();

    @WithDefault("localhost:9092")
    String bootstrapServers();

    /**
     * A Kafka client properties file applied to every client Merit opens: how it authenticates and encrypts
     * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}; Kafka's config providers, such as
     * {@code ${dir:/etc/merit/kafka-user:sasl.jaas.config}}, work in it). Merit's own settings win ({@link KafkaClients}).
     */
    java.util.Optional<java.nio.file.Path> propertiesFile();

    /** Contribution events in (CloudEvents 1.0, structured or binary mode). */
    @WithDefault("merit.contributions")
    String topic();

    /** Consumer group: run more replicas in the same group to share the topic's partitions. */
    @WithDefault("merit")
    String group();

    /** Invalid events go here, with the reason in the header {@code merit-dlq-reason}. */
    @WithDefault("merit.contributions.dlq")
    String deadLetterTopic();

    /** Merit's own lifecycle events out (CloudEvents, structured JSON). */
    @WithDefault("merit.events")
    String eventsTopic();

    /** How often lifecycle events the broker did not take are sent again (the outbox is also sent after each commit). */
    @WithDefault("10s")
    Duration eventsRetryInterval();

    /** Larger records are dead-lettered, not parsed. */
    @WithDefault("1048576")
    int maxEventBytes();

    /** Records per poll, stored in one transaction: larger polls amortise identity look-ups and commits. */
    @WithDefault("5000")
    int maxPollRecords();

    @WithDefault("1s")
    Duration pollTimeout();
}
