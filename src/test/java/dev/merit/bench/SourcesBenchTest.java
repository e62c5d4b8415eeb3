package dev.merit.bench;

import dev.merit.ingest.kafka.ContributionCloudEvents;
import dev.merit.ingest.kafka.KafkaIngestion;
import dev.merit.ingest.webhook.WebhookResource;
import dev.merit.support.KafkaResource;
import dev.merit.support.OwnApplication;
import dev.merit.support.PostgresResource;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bench/sources: Kafka contribution events ingested end to end into PostgreSQL (CloudEvent decode, validation,
 * identity resolution, batch insert, offset commit), against a plain consumer reading the same records in the same
 * run; then signed GitHub webhook deliveries over loopback from 4 client threads, against GET /q/health/live.
 * Errors are counted and printed, and any fails the test: a Kafka event not stored (dead-lettered, or the count stood
 * still for 60 s), a delivery or health probe that failed or did not answer 2xx. Runs only with -Dmerit.bench=true.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(OwnApplication.class) // with its Kafka broker
@EnabledIfSystemProperty(named = "merit.bench", matches = "true")
class SourcesBenchTest {

    private static final int EVENTS = Integer.getInteger("merit.bench.events", 50_000);
    private static final int DELIVERIES = Integer.getInteger("merit.bench.deliveries", 4_000);
    /** How long the Kafka count may stand still before the events not stored yet count as errors. */
    private static final long STALL_NANOS = Duration.ofSeconds(60).toNanos();

    @Inject
    KafkaIngestion ingestion;

    @TestHTTPResource("/")
    URL base;

    @Transactional
    long stored(String prefix) {
        return ((Number) Panache.getEntityManager().createNativeQuery(
                        "select count(*) from contribution where source = 'kafka' and external_id like ?1")
                .setParameter(1, prefix + "%").getSingleResult()).longValue();
    }

    @Test
    void sources() throws Exception {
        String src = "/bench/" + UUID.randomUUID();
        ingestion.stop();
        Map<String, Object> p = dev.merit.support.KafkaResource.client(Map.of(
                CloudEventSerializer.ENCODING_CONFIG, "BINARY", ProducerConfig.LINGER_MS_CONFIG, 5));
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(p, false);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), serializer)) {
            for (int i = 0; i < EVENTS; i++) {
                String data = "{\"externalId\":\"e" + i + "\",\"kind\":\"review\",\"occurredAt\":\"1987-01-01T00:00:00Z\","
                        + "\"actor\":{\"name\":\"Dev " + (i % 200) + "\",\"email\":\"dev" + (i % 200)
                        + "@example.com\"},\"title\":\"review " + i + "\",\"size\":5}";
                CloudEvent ce = CloudEventBuilder.v1().withId("b" + i).withSource(URI.create(src))
                        .withType(ContributionCloudEvents.TYPE).withData(data.getBytes(StandardCharsets.UTF_8)).build();
                producer.send(new ProducerRecord<>("merit.contributions", "k" + i, ce));
            }
            producer.flush();
        }
        // Baseline: a plain consumer reading the same topic from the start, doing nothing with the records.
        long t0 = System.nanoTime();
        long read = 0;
        try (var plain = new KafkaConsumer<>(dev.merit.support.KafkaResource.client(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            plain.subscribe(List.of("merit.contributions"));
            while (read < EVENTS) {
                read += plain.poll(Duration.ofMillis(200)).count();
            }
        }
        double plainS = (System.nanoTime() - t0) / 1e9;

        long deadBefore = ingestion.deadLettered();
        t0 = System.nanoTime();
        ingestion.start();
        long first = 0;
        long firstAt = 0;
        // Waits while the count moves; an event dead-lettered or never stored is an error, not a hang.
        long lastProgress = System.nanoTime();
        while ((first = stored(src)) == 0 && System.nanoTime() - lastProgress < STALL_NANOS) {
            Thread.sleep(5);
        }
        firstAt = System.nanoTime();
        lastProgress = firstAt;
        long seen = first;
        while (seen + (ingestion.deadLettered() - deadBefore) < EVENTS && System.nanoTime() - lastProgress < STALL_NANOS) {
            Thread.sleep(50);
            long now = stored(src);
            if (now > seen) {
                seen = now;
                lastProgress = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        long storedEvents = stored(src);
        long kafkaErrors = EVENTS - storedEvents;
        double meritS = (end - t0) / 1e9;
        double steadyS = (end - firstAt) / 1e9;
        double kafkaPerS = (EVENTS - first) / steadyS;
        System.out.printf(Locale.ROOT, "kafka events=%d merit_s=%.2f (incl. group join %.2f s) plain_consumer_s=%.2f "
                        + "merit_per_s=%.0f (steady) %.0f (incl. join) plain_per_s=%.0f ratio=%.2f stored=%d dead_lettered=%d "
                        + "errors=%d%s%n", EVENTS, meritS, (firstAt - t0) / 1e9, plainS, kafkaPerS, EVENTS / meritS,
                EVENTS / plainS, meritS / plainS, storedEvents, ingestion.deadLettered() - deadBefore, kafkaErrors,
                ingestion.lastError() == null ? "" : " last_error=" + ingestion.lastError());

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI health = base.toURI().resolve("/q/health/live");
        Result baseline = load(http, DELIVERIES, i -> HttpRequest.newBuilder(health).GET().build());
        double healthRps = baseline.rps;
        String secret = ConfigProvider.getConfig().getValue("merit.webhooks.github.secret", String.class);
        URI hook = base.toURI().resolve("/api/webhooks/github");
        Result hooks = load(http, DELIVERIES, i -> {
            String body = "{\"action\":\"created\",\"repository\":{\"full_name\":\"bench/repo\"},"
                    + "\"issue\":{\"number\":" + (i % 50) + ",\"title\":\"t\"},\"comment\":{\"id\":" + (1_000_000 + i)
                    + ",\"body\":\"looks good\",\"created_at\":\"1987-02-01T00:00:00Z\",\"user\":{\"login\":\"u"
                    + (i % 100) + "\"}},\"sender\":{\"login\":\"u1\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return HttpRequest.newBuilder(hook).header("Content-Type", "application/json")
                    .header("X-GitHub-Event", "issue_comment").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(WebhookResource.hmac(secret, bytes)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        });
        System.out.printf(Locale.ROOT, "webhooks deliveries=%d rps=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d; "
                        + "baseline GET /q/health/live rps=%.0f errors=%d ratio=%.2f%n", DELIVERIES, hooks.rps, hooks.p50,
                hooks.p99, hooks.errors, healthRps, baseline.errors, healthRps / hooks.rps);
        long errors = kafkaErrors + hooks.errors + baseline.errors;
        // The headline counts the whole run, consumer group join included.
        System.out.printf(Locale.ROOT, "sources kafka_events_per_s=%.0f webhook_rps=%.0f webhook_p99_ms=%.1f errors=%d%n",
                EVENTS / meritS, hooks.rps, hooks.p99, errors);
        assertThat(errors).as("Kafka events not stored %d, webhook deliveries failed %d, health probes failed %d",
                kafkaErrors, hooks.errors, baseline.errors).isZero();
    }

    record Result(double rps, double p50, double p99, int errors) {
    }

    interface Requests {
        HttpRequest make(int i) throws Exception;
    }

    private static Result load(HttpClient http, int n, Requests requests) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        for (int w = 0; w < 50; w++) { // warm-up, untimed, numbered after the timed requests; its failures count too
            send(http, requests.make(n + w), errors);
        }
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                for (int i = worker; i < n; i += threads) {
                    HttpRequest request = requests.make(i);
                    long s = System.nanoTime();
                    send(http, request, errors);
                    latencies.add(System.nanoTime() - s);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(n / seconds, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6, errors.get());
    }

    /** Sends one request; a failure to send or an answer other than 2xx is an error. */
    private static void send(HttpClient http, HttpRequest request, AtomicInteger errors) {
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() < 200 || r.statusCode() >= 300) {
                errors.incrementAndGet();
            }
        } catch (java.io.IOException e) {
            errors.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.incrementAndGet();
        }
    }
}
