package dev.merit.ingest.kafka;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import dev.merit.events.KafkaClients;
import dev.merit.events.KafkaConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.ingest.webhook.SourceEvents;
import dev.merit.ingest.webhook.WebhookService;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes contribution CloudEvents (structured or binary mode) from {@code merit.kafka.topic} in its consumer
 * group. Each poll's valid events are stored in one transaction, and only then are the offsets committed: at least
 * once, and a redelivered event is stored once (idempotent by source and id). An invalid event (not a CloudEvent,
 * wrong type, bad data, unknown contributor format, too large) is copied to the dead-letter topic with the reason
 * in the header {@code merit-dlq-reason}; its offset is committed only once the dead-letter topic has stored the copy
 * (until then the batch is read again, and the health check says why). What each partition held when the group first
 * read it is history, which keeps its dates; what reached it later is live, as a webhook's events are ({@link
 * LiveOffsets}). Off unless {@code merit.kafka.enabled}.
 */
@ApplicationScoped
public class KafkaIngestion {

    private static final Logger LOG = Logger.getLogger(KafkaIngestion.class);
    public static final String REASON_HEADER = "merit-dlq-reason";
    /** On a dead letter sent without the event's value (too large for the dead-letter topic): the value's size. */
    public static final String VALUE_DROPPED_HEADER = "merit-dlq-value-bytes";

    private final KafkaConfig config;
    private final WebhookService store;
    private final ContributionCloudEvents codec;
    private final KafkaHistory history;
    private final dev.merit.cluster.DurableCommits durable;
    private final DeadLetters deadLetters;
    /** Makes the consumer of a set of settings (a test gives one whose commits fail). */
    java.util.function.Function<Map<String, Object>, KafkaConsumer<byte[], byte[]>> consumers =
            c -> new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    private final AtomicLong stored = new AtomicLong();
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile String lastError;
    /** Since when the consumer has been reading the same batch again (storage or a dead letter failing); else null. */
    private volatile java.time.Instant retryingSince;
    private volatile int partitions;
    /** A batch was committed since the clients were last made again: a later failure starts its backoff anew. */
    private volatile boolean committed;
    private Thread thread;
    /** Between attempts after the broker refused Merit's credentials; stop() ends the wait. */
    private final Object pause = new Object();

    public KafkaIngestion(KafkaConfig config, WebhookService store, ObjectMapper json, KafkaHistory history,
                          dev.merit.cluster.DurableCommits durable) {
        this.config = config;
        this.store = store;
        this.history = history;
        this.durable = durable;
        this.codec = new ContributionCloudEvents(json);
        this.deadLetters = new DeadLetters(config);
    }

    void onStart(@Observes StartupEvent event, io.micrometer.core.instrument.MeterRegistry metrics) {
        if (config.enabled()) {
            // For an alert: a batch that never goes through (a dead-letter topic that can never take a letter, a
            // database that keeps refusing) holds its partition while the service stays up.
            io.micrometer.core.instrument.Gauge.builder("merit.kafka.retrying.seconds", this, KafkaIngestion::retryingSeconds)
                    .description("How long the consumer has been reading the same batch again (0 while events flow)")
                    .register(metrics);
        }
        // The CLI's one-shot commands do not consume; `serve` (and the tests' service) does.
        if (config.enabled() && "serve".equals(System.getProperty("merit.command", "serve"))) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "merit-kafka-consumer");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Consuming contribution events from %s (group %s)", config.topic(), config.group());
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        retryingSince = null;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (pause) {
            pause.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean running() {
        return running;
    }

    public long stored() {
        return stored.get();
    }

    /** Partitions of the topic this replica consumes now (the group shares them among replicas). */
    public int partitions() {
        return partitions;
    }

    public long deadLettered() {
        return deadLetters.count();
    }

    public String lastError() {
        return lastError;
    }

    /** Since when the same batch has been read again, or null while events go through. */
    public java.time.Instant retryingSince() {
        return retryingSince;
    }

    /** Nothing goes through from now on, unless it already did not: the earlier start is kept. */
    private void retrying() {
        if (retryingSince == null) {
            retryingSince = java.time.Instant.now();
        }
    }

    double retryingSeconds() {
        java.time.Instant since = retryingSince;
        return since == null ? 0 : java.time.Duration.between(since, java.time.Instant.now()).toMillis() / 1000.0;
    }

    private void run() {
        long backoff = 1_000;
        while (running) {
            Map<String, Object> c;
            Map<String, Object> p;
            try {
                c = consumerSettings();
                p = producerSettings();
            } catch (RuntimeException e) { // the client properties file cannot be read: say so on the health check
                lastError = e.getMessage();
                LOG.error("Kafka consumer not started: " + e.getMessage());
                running = false;
                return;
            }
            String why;
            try {
                consume(c, p);
                if (!running || Thread.currentThread().isInterrupted()) {
                    return; // stopped
                }
                // A failure the loop does not know (a client error, a bug): the clients are made again after a pause
                // instead of ingestion stopping until a restart while the health check goes on calling it running.
                why = "Kafka consumer failed (" + lastError + "); its clients are made again";
            } catch (Error e) {
                // Out of memory, a stack overflow: the consumer ends, and the health check says so (DOWN, with why).
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                running = false;
                LOG.error("Kafka consumer stopped; uncommitted events will be redelivered after a restart", e);
                return;
            } catch (org.apache.kafka.common.errors.AuthenticationException
                     | org.apache.kafka.common.errors.AuthorizationException e) {
                // The broker refused Merit's credentials or rights (a rotated password, an ACL not yet in place): the
                // clients are made again from the properties file after a pause, rather than ingestion stopping for
                // good until a restart.
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                why = "Kafka refused Merit's clients (" + lastError + "); trying again with the client properties "
                        + "read again";
            }
            if (committed) {
                backoff = 1_000; // events went through since the last failure: not one failure after another
                committed = false;
            }
            retrying(); // nothing goes through until the clients are made again
            LOG.warnf("%s in %d s", why, backoff / 1000);
            try {
                pause(backoff);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 60_000);
        }
    }

    /** Waits {@code ms} before trying again, unless stop() was called, or is called meanwhile (it ends the wait). */
    private void pause(long ms) throws InterruptedException {
        synchronized (pause) {
            if (running) {
                pause.wait(ms);
            }
        }
    }

    private Map<String, Object> consumerSettings() {
        return KafkaClients.settings(config, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.group(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(config.maxPollRecords()),
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(Math.max(config.maxEventBytes() * 2, 52_428_800)),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(Math.max(config.maxEventBytes() * 2, 8_388_608))));
    }

    private Map<String, Object> producerSettings() {
        return KafkaClients.settings(config, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(config.maxEventBytes() * 4, 1_048_576)),
                // A dead-letter topic that is missing fails a letter in 10 s, not the default minute per letter
                // (the batch is then read again after a pause, and the consumer stays within its poll interval).
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000"));
    }

    private void consume(Map<String, Object> c, Map<String, Object> p) {
        EventFormat structured = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        try (KafkaConsumer<byte[], byte[]> kc = consumers.apply(c);
             KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
             CloudEventDeserializer cloudEvents = new CloudEventDeserializer()) {
            consumer = kc;
            LiveOffsets live = new LiveOffsets(history, config.group(), kc);
            kc.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    partitions = Math.max(0, partitions - revoked.size());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    live.assigned(assigned); // where they end now, before anything is read
                    partitions = kc.assignment().size();
                    lastError = null; // the broker took Merit's credentials: an earlier refusal is over
                    LOG.infof("Consuming %d partition(s) of %s in group %s", partitions, config.topic(), config.group());
                }
            });
            long backoff = 500;
            while (running) {
                ConsumerRecords<byte[], byte[]> records = kc.poll(config.pollTimeout());
                if (records.isEmpty()) {
                    if (retryingSince != null && KafkaClients.caughtUp(kc)) {
                        retryingSince = null; // nothing left to read: a quiet topic after a refusal, a batch moved away
                    }
                    continue;
                }
                try {
                    live.resolve(records.partitions()); // which records are history, before anything is stored
                } catch (RuntimeException e) {
                    if (e instanceof WakeupException || KafkaClients.refusedByBroker(e)) {
                        throw e; // stopped, or the clients are made again (below)
                    }
                    backoff = readAgain(kc, records, backoff, e);
                    continue;
                }
                List<SourceEvents> good = new ArrayList<>(records.count());
                java.util.Set<SourceEvents> arrived = java.util.Collections.newSetFromMap(
                        new java.util.IdentityHashMap<>()); // live events, by identity
                List<DeadLetters.Letter> letters = new ArrayList<>();
                Map<SourceEvents, ConsumerRecord<byte[], byte[]>> from = new java.util.IdentityHashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    DeadLetters.Letter letter = null;
                    try {
                        SourceEvents parsed = codec.parse(ContributionCloudEvents.decode(record, config.maxEventBytes(),
                                cloudEvents, structured));
                        good.add(parsed);
                        from.put(parsed, record);
                        if (live.live(record)) {
                            arrived.add(parsed);
                        }
                    } catch (ContributionCloudEvents.Invalid e) {
                        letter = deadLetters.send(dlq, record, e.getMessage(), false);
                    } catch (RuntimeException e) {
                        letter = deadLetters.send(dlq, record, "not a CloudEvent: " + (e.getMessage() == null
                                ? "it cannot be decoded" : e.getMessage().lines().findFirst().orElse("")), false);
                    }
                    if (letter != null) {
                        letters.add(letter);
                        if (DeadLetters.refusedAtOnce(letter)) {
                            break; // the topic is missing or refuses: each further letter would wait as long
                        }
                    }
                }
                Map<String, String> first; // what each contribution was stored as, else its first in this batch
                try {
                    first = store.storedRaw(ContributionCloudEvents.SOURCE, good.stream()
                            .flatMap(e -> e.contributions().stream()).toList());
                } catch (RuntimeException e) {
                    backoff = readAgain(kc, records, backoff, e);
                    continue;
                }
                for (SourceEvents e : List.copyOf(good)) {
                    // A contribution published again with other content (a publisher's ids reused): the first is
                    // kept, as before, and the other is no longer dropped without a trace.
                    if (e.contributions().stream().anyMatch(x -> !ContributionCloudEvents.sameContent(
                            first.computeIfAbsent(x.externalId(), k -> x.raw()), x.raw()))) {
                        good.remove(e);
                        letters.add(deadLetters.send(dlq, from.get(e), "published before with other content: "
                                + e.contributions().get(0).externalId() + " keeps what was stored first; publish "
                                + "a change under a new externalId, or a verdict", false));
                    }
                }
                dlq.flush();
                String unsent = deadLetters.unsent(dlq, letters);
                if (unsent != null) {
                    // An invalid event the dead-letter topic did not take would be lost if its offset were committed:
                    // nobody could see what was sent or why it was refused. The batch is read again after a pause.
                    lastError = unsent;
                    LOG.warnf("%s; the batch is read again in %d ms", unsent, backoff);
                    backoff = readAgain(kc, records, backoff);
                    continue;
                }
                if (!good.isEmpty()) {
                    try {
                        stored.addAndGet(store.store(ContributionCloudEvents.SOURCE, good, arrived::contains));
                    } catch (RuntimeException e) {
                        // The database refused the batch (down, full, ...): nothing of it was stored. Rewind to the
                        // batch's first offsets and try again after a pause; dead letters already sent stay sent
                        // (they are re-sent on retry, which a DLQ reader must tolerate: at least once).
                        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                        LOG.warnf("Storing %d Kafka events failed, retrying in %d ms: %s", good.size(), backoff, lastError);
                        backoff = readAgain(kc, records, backoff);
                        continue;
                    }
                }
                if (!durable.flush()) { // on disk before Kafka is told to send it no more; else read again (idempotent)
                    lastError = "the embedded database did not store its file in time";
                    backoff = readAgain(kc, records, backoff);
                    continue;
                }
                try {
                    kc.commitSync();
                } catch (org.apache.kafka.common.errors.RetriableException
                         | org.apache.kafka.clients.consumer.CommitFailedException
                         | org.apache.kafka.common.errors.RebalanceInProgressException e) {
                    // Stored, but Kafka did not record it (the broker gone a moment, a rebalance took the partition):
                    // the next commit covers it, or its new owner reads it again and stores nothing twice.
                    lastError = "commit failed, the batch is stored: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage();
                    LOG.warnf("%s; going on in %d ms", lastError, backoff);
                    backoff = waitAgain(backoff);
                    continue;
                }
                backoff = 500;
                committed = true;
                lastError = null;
                retryingSince = null;
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.apache.kafka.common.errors.AuthenticationException
                 | org.apache.kafka.common.errors.AuthorizationException e) {
            throw e; // run() makes the clients again
        } catch (RuntimeException e) {
            if (KafkaClients.refusedByBroker(e)) { // a refusal wrapped in another client error: made again too
                throw new org.apache.kafka.common.errors.AuthorizationException(e.getMessage(), e);
            }
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("Kafka consumer failed; uncommitted events will be redelivered", e);
        } finally {
            consumer = null;
        }
    }

    /**
     * Rewinds to the batch's first offsets, so that the next poll reads it again, after a pause of {@code backoff} ms;
     * returns the next pause, twice as long, up to 30 s.
     */
    private long readAgain(KafkaConsumer<byte[], byte[]> kc, ConsumerRecords<byte[], byte[]> records, long backoff)
            throws InterruptedException {
        for (var partition : records.partitions()) {
            kc.seek(partition, records.records(partition).get(0).offset());
        }
        return waitAgain(backoff);
    }

    /** As {@link #readAgain(KafkaConsumer, ConsumerRecords, long)}, for a failure of Merit's own, said first. */
    private long readAgain(KafkaConsumer<byte[], byte[]> kc, ConsumerRecords<byte[], byte[]> records, long backoff,
                           RuntimeException failure) throws InterruptedException {
        lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        LOG.warnf("%s; the batch is read again in %d ms", lastError, backoff);
        return readAgain(kc, records, backoff);
    }

    /** Nothing goes through for {@code backoff} ms; returns the next pause, twice as long, up to 30 s. */
    private long waitAgain(long backoff) throws InterruptedException {
        retrying();
        pause(backoff);
        return Math.min(backoff * 2, 30_000);
    }
}
