package dev.merit.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import dev.merit.cluster.Leadership;
import dev.merit.events.KafkaConfig;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the outbox's lifecycle events to {@code merit.kafka.events-topic} as structured CloudEvents (type
 * {@code dev.merit.<type>}, key and subject the event's subject), oldest first, and deletes each once the broker has
 * acknowledged it (acks=all). Runs on the leader replica only, right after a commit that stored events and every
 * {@code merit.kafka.events-retry-interval} for what is left; an event the broker did not take stays, with its attempt
 * count and last error, until it does.
 */
@ApplicationScoped
public class EventRelay {

    private static final Logger LOG = Logger.getLogger(EventRelay.class);
    public static final URI SOURCE = URI.create("/merit");
    private static final int BATCH = 500;
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private final KafkaConfig config;
    private final Leadership leadership;
    private final ExecutorService nudges = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "merit-event-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean nudged = new AtomicBoolean();
    private volatile Producer<String, CloudEvent> producer;
    private volatile boolean closing;

    public EventRelay(KafkaConfig config, Leadership leadership, MeterRegistry metrics) {
        this.config = config;
        this.leadership = leadership;
        if (metrics != null && config.enabled()) {
            Gauge.builder("merit.events.pending", this, r -> r.pending())
                    .description("Lifecycle events stored and not yet acknowledged by Kafka").register(metrics);
        }
    }

    /** Events waiting to be sent. */
    public long pending() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEvent.count());
    }

    /** Asks for a relay round soon, off the caller's thread; rounds asked for while one is queued are one round. */
    void nudge() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                relayIfLeader();
            });
        }
    }

    @Scheduled(every = "${merit.kafka.events-retry-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        relayIfLeader();
    }

    /** One relay round if Kafka is on and this replica leads; returns the number of events sent. */
    public int relayIfLeader() {
        if (!config.enabled() || !leadership.isLeader()) {
            return 0;
        }
        try {
            Round round = round(producer());
            if (round.refused()) {
                forgetProducer();
            }
            return round.sent();
        } catch (RuntimeException e) {
            if (!closing) { // at shutdown, whatever was not sent stays stored for the next start
                LOG.warnf("Lifecycle events not relayed: %s", e.getMessage());
            }
            if (KafkaClients.refusedByBroker(e)) {
                forgetProducer();
            }
            return 0;
        }
    }

    /**
     * Sends every stored event through {@code producer}, in batches, oldest first; deletes the acknowledged ones and
     * records an attempt and its error on the others. Returns the number sent. Stops at the first batch with a failure.
     */
    public synchronized int relay(Producer<String, CloudEvent> producer) {
        return round(producer).sent();
    }

    /** What one round did: the events sent, and whether the broker refused the producer's credentials or rights. */
    private record Round(int sent, boolean refused) {
    }

    private synchronized Round round(Producer<String, CloudEvent> producer) {
        int sent = 0;
        boolean refused = false;
        while (true) {
            List<OutboxEvent> batch = QuarkusTransaction.requiringNew().call(() -> OutboxEvent.<OutboxEvent>find(
                    "order by occurredAt, id").page(0, BATCH).list());
            if (batch.isEmpty()) {
                return new Round(sent, refused);
            }
            List<Future<?>> acks = new ArrayList<>(batch.size());
            for (OutboxEvent e : batch) {
                Future<?> ack = send(producer, e);
                acks.add(ack);
                if (ack.isDone() && failedNow(ack)) {
                    break; // the broker is unreachable (no metadata): the rest would each wait as long
                }
            }
            producer.flush();
            List<Long> done = new ArrayList<>();
            Map<Long, String> failed = new HashMap<>();
            long deadline = System.nanoTime() + ACK_WAIT.toNanos();
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    done.add(batch.get(i).id);
                } catch (Exception e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null
                            ? e.getCause() : e;
                    failed.put(batch.get(i).id, cause.getClass().getSimpleName() + ": " + cause.getMessage());
                    refused |= KafkaClients.refusedByBroker(cause);
                }
            }
            QuarkusTransaction.requiringNew().run(() -> {
                if (!done.isEmpty()) {
                    OutboxEvent.delete("id in ?1", done);
                }
                failed.forEach((id, error) -> OutboxEvent.update(
                        "attempts = attempts + 1, lastError = ?1 where id = ?2",
                        error.length() > 1024 ? error.substring(0, 1024) : error, id));
            });
            sent += done.size();
            if (!failed.isEmpty() || acks.size() < batch.size()) {
                LOG.warnf("%d lifecycle events not acknowledged by Kafka, kept to retry: %s", failed.size(),
                        failed.values().iterator().next());
                return new Round(sent, refused);
            }
        }
    }

    private static boolean failedNow(Future<?> ack) {
        try {
            ack.get(0, TimeUnit.NANOSECONDS);
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private Future<?> send(Producer<String, CloudEvent> producer, OutboxEvent e) {
        CloudEvent ce = CloudEventBuilder.v1().withId(e.eventId).withSource(SOURCE).withType("dev.merit." + e.type)
                .withSubject(e.subject).withTime(e.occurredAt.atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json").withData(e.data.getBytes(StandardCharsets.UTF_8)).build();
        try {
            return producer.send(new ProducerRecord<>(config.eventsTopic(), e.subject, ce));
        } catch (RuntimeException error) {
            return CompletableFuture.failedFuture(error);
        }
    }

    /** A producer for the events topic with the given bootstrap servers (tests point one at a broker that is down). */
    public static Producer<String, CloudEvent> producer(String bootstrapServers, Duration timeout) {
        return producer(bootstrapServers, java.util.Optional.empty(), timeout);
    }

    /** A producer for the events topic, with the client properties file's settings ({@link KafkaClients}). */
    public static Producer<String, CloudEvent> producer(String bootstrapServers, java.util.Optional<java.nio.file.Path> file,
                                                        Duration timeout) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1000);
        p.put(CloudEventSerializer.ENCODING_CONFIG, "STRUCTURED");
        p.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
        p = KafkaClients.settings(bootstrapServers, file, p);
        // Serializer instances given to the producer are not configured by it.
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(p, false);
        return new KafkaProducer<>(p, new StringSerializer(), serializer);
    }

    /**
     * A producer the broker refused (credentials rotated, rights withdrawn) is closed, and the next round makes one
     * again from the client properties file, instead of sending nothing until a restart.
     */
    private synchronized void forgetProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
            producer = null;
        }
    }

    private synchronized Producer<String, CloudEvent> producer() {
        if (producer == null) {
            producer = producer(config.bootstrapServers(), config.propertiesFile(), Duration.ofSeconds(20));
        }
        return producer;
    }

    /** Not synchronized: a round waiting on a broker that is down must not hold up shutdown (its events stay). */
    @PreDestroy
    void close() {
        closing = true;
        nudges.shutdownNow();
        Producer<String, CloudEvent> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }
}
