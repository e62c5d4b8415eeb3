package dev.merit.ingest.kafka;

import dev.merit.events.KafkaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: Kafka off is healthy; on, the consumer must be running. */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {

    private final KafkaConfig config;
    private final KafkaIngestion ingestion;

    public KafkaHealthCheck(KafkaConfig config, KafkaIngestion ingestion) {
        this.config = config;
        this.ingestion = ingestion;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.enabled()) {
            return HealthCheckResponse.named("kafka").up().withData("enabled", false).build();
        }
        var response = HealthCheckResponse.named("kafka").status(ingestion.running())
                .withData("topic", config.topic()).withData("stored", ingestion.stored())
                .withData("deadLettered", ingestion.deadLettered());
        if (ingestion.lastError() != null) {
            response.withData("lastError", ingestion.lastError());
        }
        if (ingestion.retryingSince() != null) {
            // Still ready (the API and the dashboard do not depend on Kafka); since when nothing goes through, with
            // lastError saying why: merit_kafka_retrying_seconds is the metric to alert on.
            response.withData("retryingSince", ingestion.retryingSince().toString());
        }
        return response.build();
    }
}
