package dev.merit.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.ingest.kafka.KafkaConfig;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Publishes {@link Lifecycle} events to {@code merit.kafka.events-topic} as structured CloudEvents, after commit. */
@ApplicationScoped
public class LifecyclePublisher {

    private static final Logger LOG = Logger.getLogger(LifecyclePublisher.class);
    public static final URI SOURCE = URI.create("/merit");

    private final KafkaConfig config;
    private final ObjectMapper json;
    private KafkaProducer<String, CloudEvent> producer;

    public LifecyclePublisher(KafkaConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void publish(@Observes(during = TransactionPhase.AFTER_SUCCESS) Lifecycle event) {
        if (!config.enabled()) {
            return;
        }
        byte[] data;
        try {
            data = json.writeValueAsBytes(event.data());
        } catch (JsonProcessingException e) {
            LOG.error("Lifecycle event " + event.type() + " not serialisable", e);
            return;
        }
        CloudEvent ce = CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(SOURCE)
                .withType("dev.merit." + event.type()).withSubject(event.subject())
                .withTime(OffsetDateTime.now(ZoneOffset.UTC)).withDataContentType("application/json")
                .withData(data).build();
        producer().send(new ProducerRecord<>(config.eventsTopic(), event.subject(), ce), (meta, error) -> {
            if (error != null) {
                LOG.warnf("Lifecycle event %s %s not published: %s", event.type(), event.subject(), error.getMessage());
            }
        });
    }

    private synchronized KafkaProducer<String, CloudEvent> producer() {
        if (producer == null) {
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(CloudEventSerializer.ENCODING_CONFIG, "STRUCTURED");
            p.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
            // Serializer instances given to the producer are not configured by it.
            CloudEventSerializer serializer = new CloudEventSerializer();
            serializer.configure(p, false);
            producer = new KafkaProducer<>(p, new StringSerializer(), serializer);
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
