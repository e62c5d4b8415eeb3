package dev.merit.ingest.kafka;

import dev.merit.events.KafkaConfig;
import dev.merit.events.EventRelay;
import dev.merit.events.Lifecycle;
import dev.merit.events.OutboxEvent;
import dev.merit.support.KafkaResource;
import dev.merit.support.OwnApplication;
import dev.merit.support.PostgresResource;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contribution CloudEvents from a real in-process Kafka broker: exactly once in effect, poison dead-lettered. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(OwnApplication.class) // with its Kafka broker
class KafkaIngestionTest {

    @Inject
    KafkaIngestion ingestion;

    @Inject
    EventRelay relay;

    @Inject
    jakarta.enterprise.event.Event<Lifecycle> lifecycle;

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("merit.kafka.bootstrap-servers", String.class);
    }

    static Map<String, Object> client(Map<String, ?> settings) {
        return KafkaResource.client(settings);
    }

    @BeforeEach
    void consumerRuns() {
        ingestion.start();
    }

    static KafkaProducer<String, CloudEvent> cloudEventProducer(String encoding) {
        Map<String, Object> p = client(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE));
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(p, false);
        return new KafkaProducer<>(p, new StringSerializer(), serializer);
    }

    static KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(client(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000)),
                new StringSerializer(), new ByteArraySerializer());
    }

    static CloudEvent event(String source, String externalId, String actorEmail, String occurredAt) {
        String data = "{\"externalId\":\"" + externalId + "\",\"kind\":\"review\",\"occurredAt\":\"" + occurredAt
                + "\",\"repository\":\"org/repo\",\"actor\":{\"name\":\"Kay Fka\",\"email\":\"" + actorEmail
                + "\"},\"title\":\"review of " + externalId + "\",\"size\":10}";
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create(source))
                .withType(ContributionCloudEvents.TYPE).withDataContentType("application/json")
                .withData(data.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Transactional
    long contributions(String prefix) {
        return ((Number) Panache.getEntityManager().createNativeQuery(
                        "select count(*) from contribution where source = 'kafka' and external_id like ?1")
                .setParameter(1, prefix + "%").getSingleResult()).longValue();
    }

    static void await(LongSupplier value, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (value.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(value.getAsLong()).isEqualTo(expected);
    }

    @Test
    void structuredAndBinaryEventsAreIngestedAndRedeliveryStoresNothingTwice() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        try (var structured = cloudEventProducer("STRUCTURED"); var binary = cloudEventProducer("BINARY")) {
            CloudEvent a = event(src, "a", "kay@example.com", "1985-01-05T10:00:00Z");
            structured.send(new ProducerRecord<>("merit.contributions", "a", a)).get();
            binary.send(new ProducerRecord<>("merit.contributions", "b",
                    event(src, "b", "kay@example.com", "1985-01-06T10:00:00Z"))).get();
            // The same event again (a redelivery), and the same contribution republished under a new event id.
            structured.send(new ProducerRecord<>("merit.contributions", "a", a)).get();
            binary.send(new ProducerRecord<>("merit.contributions", "a",
                    event(src, "a", "kay@example.com", "1985-01-05T10:00:00Z"))).get();
        }
        await(() -> contributions(src), 2);
        Thread.sleep(1000);
        assertThat(contributions(src)).isEqualTo(2);
        // Events flow: the metric to alert on a stuck batch reads 0.
        assertThat(io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("merit_kafka_retrying_seconds 0.0");
    }

    static CloudEvent byActor(String source, String externalId, String actor) {
        String data = "{\"externalId\":\"" + externalId + "\",\"kind\":\"review\",\"occurredAt\":"
                + "\"1985-02-05T10:00:00Z\",\"actor\":" + actor + ",\"title\":\"review\"}";
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create(source))
                .withType(ContributionCloudEvents.TYPE).withDataContentType("application/json")
                .withData(data.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Transactional
    long actorOf(String externalId) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select actor_id from contribution where "
                + "source = 'kafka' and external_id = ?1").setParameter(1, externalId).getSingleResult()).longValue();
    }

    @Transactional
    List<Long> holders(String handle) {
        return Panache.getEntityManager().createNativeQuery("select contributor_id from contributor_identity where "
                + "handle = ?1").setParameter(1, handle).getResultList().stream()
                .map(n -> ((Number) n).longValue()).toList();
    }

    /**
     * A publisher's word pairs no login with an address: an event naming Mallory's address with Alice's login does
     * not give Alice's login (and the work and wallet proofs that follow it) to Mallory, nor Mallory's address to
     * Alice. The work is credited to whom the e-mail names, else the login.
     */
    @Test
    void anEventNeverLinksALoginToAnotherPersonsAddress() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        String u = UUID.randomUUID().toString().substring(0, 8);
        String mallory = "mallory-" + u + "@x.org", alice = "github:alice-" + u, fresh = "new-" + u + "@x.org";
        try (var binary = cloudEventProducer("BINARY")) {
            binary.send(new ProducerRecord<>("merit.contributions", "a", byActor(src, "a",
                    "{\"email\":\"" + mallory + "\",\"login\":\"" + alice + "\"}"))).get();
            binary.send(new ProducerRecord<>("merit.contributions", "b", byActor(src, "b",
                    "{\"name\":\"Alice\",\"login\":\"" + alice + "\"}"))).get();
            binary.send(new ProducerRecord<>("merit.contributions", "c", byActor(src, "c",
                    "{\"email\":\"" + fresh + "\",\"login\":\"" + alice + "\"}"))).get();
        }
        await(() -> contributions(src), 3);
        long malloryId = actorOf(src + "|a");
        long aliceId = actorOf(src + "|b");
        assertThat(aliceId).isNotEqualTo(malloryId);
        assertThat(holders(alice)).containsExactly(aliceId);
        assertThat(holders(mallory)).containsExactly(malloryId);
        // An unknown address beside a known login: credited to the login's contributor, the address joins no one.
        assertThat(actorOf(src + "|c")).isEqualTo(aliceId);
        assertThat(holders(fresh)).isEmpty();
        // Nor does a name: a person met through a commit is not joined by a publisher's login or address under their
        // name (it would credit that login's later work to them), and what a publisher names draws no commit in.
        String person = "Ada Kafkaesque " + u;
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-kafka-names",
                Instant.parse("1985-02-01T00:00:00Z"));
        r.write("a.txt", "a\n").commit("feat: a", person, "ada-" + u + "@corp.example");
        long repository = dev.merit.support.Api.ingest(r);
        long ada = holders("ada-" + u + "@corp.example").get(0);
        String zed = "github:zed-" + u, other = "zed-" + u + "@x.org";
        try (var binary = cloudEventProducer("BINARY")) {
            binary.send(new ProducerRecord<>("merit.contributions", "d", byActor(src, "d",
                    "{\"name\":\"" + person + "\",\"login\":\"" + zed + "\"}"))).get();
            binary.send(new ProducerRecord<>("merit.contributions", "e", byActor(src, "e",
                    "{\"name\":\"" + person + "\",\"email\":\"" + other + "\"}"))).get();
        }
        await(() -> contributions(src), 5);
        assertThat(actorOf(src + "|d")).isNotEqualTo(ada);
        assertThat(actorOf(src + "|e")).isNotEqualTo(ada).isNotEqualTo(actorOf(src + "|d"));
        assertThat(holders(zed)).doesNotContain(ada);
        r.write("b.txt", "b\n").commit("fix: b", person, "ada2-" + u + "@corp.example");
        given().post("/api/repositories/{id}/ingest", repository).then().statusCode(200);
        assertThat(holders("ada2-" + u + "@corp.example")).containsExactly(ada); // a commit's name joins the person
    }

    static CloudEvent verdict(String source, String externalId, String verdict, String at) {
        String data = "{\"externalId\":\"" + externalId + "\",\"verdict\":\"" + verdict + "\",\"reason\":\"" + verdict
                + " by the triage bot\",\"at\":\"" + at + "\"}";
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create(source))
                .withType(ContributionCloudEvents.VERDICT).withDataContentType("application/json")
                .withData(data.getBytes(StandardCharsets.UTF_8)).build();
    }

    @Transactional
    String state(String externalId) {
        List<?> rows = Panache.getEntityManager().createNativeQuery("select declined, reason from contribution_state "
                + "where source = 'kafka' and external_id = ?1").setParameter(1, externalId).getResultList();
        return rows.isEmpty() ? "" : (Boolean.TRUE.equals(((Object[]) rows.get(0))[0]) ? "declined: " : "open: ")
                + ((Object[]) rows.get(0))[1];
    }

    @Transactional
    long links(String fromExternalId) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from contribution_link where "
                + "source = 'kafka' and from_external_id = ?1").setParameter(1, fromExternalId).getSingleResult())
                .longValue();
    }

    @Transactional
    long withdrawals(String externalId) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from contribution_link where "
                + "source = 'kafka' and to_external_id = ?1 and kind = 'withdraws'").setParameter(1, externalId)
                .getSingleResult()).longValue();
    }

    @Test
    void verdictsDeclineReinstateAndWithdrawWhatWasPublished() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        try (var structured = cloudEventProducer("STRUCTURED")) {
            structured.send(new ProducerRecord<>("merit.contributions", "a",
                    event(src, "a", "kay@example.com", "1985-01-05T10:00:00Z"))).get();
            structured.send(new ProducerRecord<>("merit.contributions", "a",
                    verdict(src, "a", "declined", "1985-01-07T10:00:00Z"))).get();
            structured.send(new ProducerRecord<>("merit.contributions", "b",
                    verdict(src, "b", "withdrawn", "1985-01-07T10:00:00Z"))).get();
        }
        await(() -> state(src + "|a").isEmpty() ? 0 : 1, 1);
        assertThat(state(src + "|a")).isEqualTo("declined: declined by the triage bot");
        await(() -> withdrawals(src + "|b"), 1);
        try (var binary = cloudEventProducer("BINARY")) {
            // An older reinstatement is older news; a newer one takes the decline back.
            binary.send(new ProducerRecord<>("merit.contributions", "a",
                    verdict(src, "a", "reinstated", "1985-01-06T10:00:00Z"))).get();
            binary.send(new ProducerRecord<>("merit.contributions", "a",
                    verdict(src, "a", "reinstated", "1985-01-08T10:00:00Z"))).get();
        }
        await(() -> state(src + "|a").startsWith("open") ? 1 : 0, 1);
    }

    @Test
    void poisonMessagesAreDeadLetteredWithTheirReasonAndGoodOnesStillFlow() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        String marker = UUID.randomUUID().toString();
        try (var raw = rawProducer(); var structured = cloudEventProducer("STRUCTURED")) {
            raw.send(new ProducerRecord<>("merit.contributions", marker, "not json at all".getBytes(StandardCharsets.UTF_8))).get();
            structured.send(new ProducerRecord<>("merit.contributions", marker, CloudEventBuilder.v1()
                    .withId("x").withSource(URI.create(src)).withType("com.example.other").build())).get();
            structured.send(new ProducerRecord<>("merit.contributions", marker, event(src, "nobody", "not-an-address",
                    "1985-01-07T10:00:00Z"))).get();
            raw.send(new ProducerRecord<>("merit.contributions", marker, new byte[30_000])).get();
            for (int i = 0; i < 5; i++) {
                structured.send(new ProducerRecord<>("merit.contributions", "g" + i,
                        event(src, "good-" + i, "kay@example.com", "1985-01-08T10:00:00Z"))).get();
            }
        }
        await(() -> contributions(src), 5);

        Map<String, Object> c = client(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + marker, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<String> reasons = new ArrayList<>();
        try (var dlq = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            dlq.subscribe(List.of("merit.contributions.dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reasons.size() < 4 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(500))) {
                    if (marker.equals(r.key())) {
                        reasons.add(new String(r.headers().lastHeader(KafkaIngestion.REASON_HEADER).value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertThat(reasons).hasSize(4);
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("not a CloudEvent"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("unknown event type 'com.example.other'"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("actor.email is not an e-mail address"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("oversize"));
    }

    @Test
    void aConsumerStoppedMidStreamAndRestartedIngestsEveryEventExactlyOnce() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        int total = 300;
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger sentBeforeStop = new AtomicInteger();
        Thread producer = new Thread(() -> {
            try (var p = cloudEventProducer("BINARY")) {
                for (int i = 0; i < total; i++) {
                    if (i == total / 2) {
                        // The first half is out; the rest goes once the consumer has been stopped.
                        p.flush();
                        sentBeforeStop.set(i);
                        stopped.await();
                    }
                    p.send(new ProducerRecord<>("merit.contributions", "k" + i,
                            event(src, "e-" + i, "kay@example.com", "1985-02-01T10:00:00Z")));
                }
                p.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        // Stop once the consumer is into the stream: some events stored, the second half not even sent.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (contributions(src) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        ingestion.stop();
        assertThat(ingestion.running()).isFalse();
        long atStop = contributions(src);
        stopped.countDown();
        producer.join();
        assertThat(sentBeforeStop.get()).isEqualTo(total / 2);
        assertThat(atStop).as("stored when stopped: mid-stream, neither none nor all").isPositive().isLessThan(total);
        // Stopped means stopped: the events sent since (half of them) stay unstored until it starts again.
        Thread.sleep(1000);
        assertThat(contributions(src)).isEqualTo(atStop);
        ingestion.start();
        await(() -> contributions(src), total);
        Thread.sleep(1000);
        assertThat(contributions(src)).isEqualTo(total);
    }

    @Inject
    KafkaConfig config;

    @Inject
    dev.merit.ingest.webhook.WebhookService store;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    /** Two replicas in one consumer group split the topic's partitions; every event is stored exactly once. */
    /**
     * Whoever writes to the contributions topic decides who is paid for what: the broker lets in only clients that
     * authenticate, and lets them write only where they are allowed. Merit gets in with its client properties file,
     * whose password is read from a file of a directory (as a mounted Kubernetes Secret gives it).
     */
    @Test
    void theBrokerRefusesClientsWithoutCredentialsAndMeritReadsItsOwnFromItsPropertiesFile() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        Map<String, Object> wrongPassword = client(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                "sasl.jaas.config", KafkaResource.jaas(KafkaResource.USER, "guessed")));
        try (var intruder = new KafkaProducer<>(wrongPassword, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> intruder.send(new ProducerRecord<>("merit.contributions", "x", new byte[1])).get())
                    .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof org.apache.kafka.common.errors.SaslAuthenticationException));
        }
        // Another account of the broker, without the right to write the topic.
        Map<String, Object> stranger = client(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                "sasl.jaas.config", KafkaResource.jaas("plain-user1", "plain-user1-secret")));
        try (var other = new KafkaProducer<>(stranger, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> other.send(new ProducerRecord<>("merit.contributions", "x", new byte[1])).get())
                    .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof org.apache.kafka.common.errors.TopicAuthorizationException));
        }
        // Merit's own credentials come from merit.kafka.properties-file (${dir:...:sasl.jaas.config}): it consumes.
        try (var producer = cloudEventProducer("BINARY")) {
            producer.send(new ProducerRecord<>("merit.contributions", "ok", event(src, "ok", "kay@example.com",
                    "1985-01-09T10:00:00Z"))).get();
        }
        await(() -> contributions(src), 1);

        // A replica whose properties file cannot be read does not consume, and its health check says why.
        java.nio.file.Path missing = java.nio.file.Path.of("/nonexistent/merit-kafka.properties");
        KafkaConfig unreadable = (KafkaConfig) java.lang.reflect.Proxy.newProxyInstance(KafkaConfig.class.getClassLoader(),
                new Class<?>[] {KafkaConfig.class}, (proxy, method, args) -> method.getName().equals("propertiesFile")
                        ? java.util.Optional.of(missing) : method.invoke(config, args));
        KafkaIngestion broken = new KafkaIngestion(unreadable, store, json, history, durable);
        broken.start();
        await(() -> broken.running() ? 0 : 1, 1);
        assertThat(broken.lastError()).contains("merit.kafka.properties-file").contains(missing.toString());
        broken.stop();

        // A replica whose password the broker refuses (rotated under it) keeps trying and says why, and consumes once
        // its mounted credentials are right again, without a restart.
        java.nio.file.Path rotatedFile = KafkaResource.clientProperties(KafkaResource.USER, "the-old-password");
        KafkaConfig rotated = (KafkaConfig) java.lang.reflect.Proxy.newProxyInstance(KafkaConfig.class.getClassLoader(),
                new Class<?>[] {KafkaConfig.class}, (proxy, method, args) -> method.getName().equals("propertiesFile")
                        ? java.util.Optional.of(rotatedFile) : method.invoke(config, args));
        KafkaIngestion replica = new KafkaIngestion(rotated, store, json, history, durable);
        replica.start();
        try {
            await(() -> replica.lastError() != null && replica.lastError().contains("SaslAuthenticationException") ? 1 : 0, 1);
            assertThat(replica.running()).as("still trying").isTrue();
            assertThat(replica.retryingSince()).as("nothing goes through meanwhile").isNotNull();
            KafkaResource.rotate(rotatedFile, KafkaResource.USER, KafkaResource.PASSWORD);
            await(() -> replica.partitions() > 0 ? 1 : 0, 1);
            assertThat(replica.lastError()).as("the refusal is over").isNull();
            // Over on a quiet topic too, where no batch comes to commit: the metric does not climb on a healthy consumer.
            await(() -> replica.retryingSince() == null ? 1 : 0, 1);
        } finally {
            replica.stop();
        }
        // Stopped while it waits between refused attempts, a replica stops at once (a pod has 30 s to shut down).
        KafkaIngestion refused = new KafkaIngestion(rotated, store, json, history, durable);
        KafkaResource.rotate(rotatedFile, KafkaResource.USER, "another-old-password");
        refused.start();
        await(() -> refused.lastError() != null && refused.lastError().contains("SaslAuthenticationException") ? 1 : 0, 1);
        long stopping = System.nanoTime();
        refused.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(5));
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = e; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    @Inject
    KafkaHistory history;

    @Inject
    dev.merit.cluster.DurableCommits durable;

    @Inject
    dev.merit.payroll.PayoutLedger ledger;

    /**
     * What a topic held when Merit's consumer group first read it is history: it keeps its dates, and one dated in a
     * period already paid is not paid again as today's work. What reaches the topic after that is live, as a webhook's
     * events are: dated in a period the vault paid without it, it counts from its arrival instead of nowhere. The line
     * is recorded: an event published while Merit was stopped is still live when it starts again.
     */
    @Test
    void whatATopicHeldWhenTheGroupFirstReadItIsHistoryAndWhatCameLaterIsLiveWork() throws Exception {
        Lane lane = Lane.of("late");
        String topic = lane.topic(), src = lane.source();
        var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
        topics(lane, 1);
        publish(topic, event(src, "history", "kay@example.com", "2003-05-10T10:00:00Z"));
        KafkaIngestion replica = replica(lane, config.propertiesFile());
        replica.start();
        Instant approved;
        try {
            await(() -> contributions(src), 1);
            // May 2003 is scored with the history event in it, and its payout approved: that period is paid.
            approved = payMay2003();
            publish(topic, event(src, "live", "kay@example.com", "2003-05-20T10:00:00Z"));
            await(() -> contributions(src), 2);
        } finally {
            replica.stop();
        }
        publish(topic, event(src, "while-stopped", "kay@example.com", "2003-05-21T10:00:00Z"));
        readUntil(lane, src, 3);
        assertThat(history.recorded(lane.group(), List.of(partition)))
                .as("the partition held one record when the group first read it").containsEntry(partition, 1L);

        // Another topic's history, dated in the paid May and read by its group for the first time after the payout.
        Lane older = Lane.of("older");
        topics(older, 1);
        publish(older.topic(), event(older.source(), "history", "kay@example.com", "2003-05-11T10:00:00Z"));
        readUntil(older, older.source(), 1);

        for (String id : List.of(src + "|history", older.source() + "|history")) {
            Object[] read = dated(id);
            assertThat(read[0]).as(id + " keeps its date").isIn(Instant.parse("2003-05-10T10:00:00Z"),
                    Instant.parse("2003-05-11T10:00:00Z"));
            assertThat(read[1]).as(id + " is not late work").isNull();
            assertThat(read[2]).as(id + " has no arrival").isNull();
        }
        for (String id : List.of("live", "while-stopped")) {
            Object[] late = dated(src + "|" + id);
            assertThat((Instant) late[0]).as(id + " counts from its arrival").isAfterOrEqualTo(approved)
                    .isAfterOrEqualTo(Instant.parse("2003-06-01T00:00:00Z"));
            assertThat(late[1]).as(id + " keeps its own date").isEqualTo(Instant.parse(
                    id.equals("live") ? "2003-05-20T10:00:00Z" : "2003-05-21T10:00:00Z"));
            assertThat(late[2]).as(id + " arrived").isNotNull();
        }
    }

    /**
     * A group that read the topic with a version of Merit before the line was recorded (an upgrade): what the topic
     * held when this version first read it keeps its dates, as that version kept every event's, whatever the group had
     * read; what comes after is live.
     */
    @Test
    void aGroupThatReadTheTopicBeforeTheLineWasRecordedKeepsTheDatesOfWhatWasThere() throws Exception {
        Lane lane = Lane.of("upgraded");
        String topic = lane.topic(), src = lane.source();
        var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
        topics(lane, 1);
        for (String id : List.of("a", "b", "c")) {
            publish(topic, event(src, id, "kay@example.com", "2003-07-10T10:00:00Z"));
        }
        try (Admin admin = Admin.create(client(Map.of()))) { // the earlier version had read "a" and "b"
            admin.alterConsumerGroupOffsets(lane.group(), Map.of(partition,
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(2))).all().get();
        }
        KafkaIngestion replica = replica(lane, config.propertiesFile());
        replica.start();
        try {
            await(() -> contributions(src), 1);
            publish(topic, event(src, "d", "kay@example.com", "2003-07-11T10:00:00Z"));
            await(() -> contributions(src), 2);
        } finally {
            replica.stop();
        }
        assertThat(history.recorded(lane.group(), List.of(partition))).containsEntry(partition, 3L);
        assertThat(dated(src + "|c")[2]).as("there before this version read the topic: history").isNull();
        assertThat(dated(src + "|d")[2]).as("published after: live").isNotNull();
    }

    /**
     * A partition added to the topic after the group first read it holds only what arrived since: its records from the
     * first one published after that moment on are live (found by their time stamps), even those published to it
     * before Merit was given it.
     */
    @Test
    void aPartitionAddedLaterIsLiveFromItsFirstRecordAfterTheGroupFirstReadTheTopic() throws Exception {
        Lane lane = Lane.of("grown");
        String topic = lane.topic(), src = lane.source();
        topics(lane, 1);
        KafkaIngestion replica = replica(lane, config.propertiesFile());
        replica.start();
        try {
            await(replica::partitions, 1); // the group reads the topic: what comes now is live
            publish(topic, event(src, "first", "kay@example.com", "2003-08-10T10:00:00Z"));
            await(() -> contributions(src), 1);
        } finally {
            replica.stop();
        }
        try (Admin admin = Admin.create(client(Map.of()))) {
            admin.createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(2))).all().get();
        }
        try (var p = cloudEventProducer("BINARY")) {
            p.send(new ProducerRecord<>(topic, 1, "n", event(src, "new-partition", "kay@example.com",
                    "2003-08-11T10:00:00Z"))).get();
        }
        readUntil(lane, src, 2);
        assertThat(history.recorded(lane.group(), List.of(new org.apache.kafka.common.TopicPartition(topic, 1))))
                .as("the new partition is live from its first record").containsValue(0L);
        assertThat(dated(src + "|first")[2]).isNotNull();
        assertThat(dated(src + "|new-partition")[2]).as("published after the group read the topic: live").isNotNull();
    }

    /**
     * A database that cannot be reached when the partition is given loses no live record: where the partition ended
     * then is read from Kafka first, and recorded with the first batch.
     */
    @Test
    void aDatabaseOutageWhenThePartitionIsGivenLosesNoLiveRecord() throws Exception {
        Lane lane = Lane.of("outage");
        String topic = lane.topic(), src = lane.source();
        topics(lane, 1);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        KafkaHistory flaky = new KafkaHistory() {
            @Override
            public Map<org.apache.kafka.common.TopicPartition, Long> recorded(String group,
                    java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
                if (down.get()) {
                    throw new IllegalStateException("the database cannot be reached");
                }
                return super.recorded(group, partitions);
            }
        };
        KafkaIngestion replica = new KafkaIngestion(replicaConfig(topic, lane.group(), config.propertiesFile()), store,
                json, flaky, durable);
        replica.start();
        try {
            await(replica::partitions, 1);
            publish(topic, event(src, "during", "kay@example.com", "2003-09-10T10:00:00Z"));
            Thread.sleep(1500); // read and refused: the batch waits
            assertThat(contributions(src)).isZero();
            down.set(false);
            await(() -> contributions(src), 1);
        } finally {
            replica.stop();
        }
        assertThat(dated(src + "|during")[2]).as("published after the group read the topic: live").isNotNull();
    }

    /** A start is recorded once: a second record of another offset (another replica, later) leaves the first. */
    @Test
    void aPartitionsStartIsRecordedOnce() {
        String group = "merit-once-" + UUID.randomUUID();
        var p = new org.apache.kafka.common.TopicPartition("merit.contributions.once", 0);
        assertThat(history.record(group, Map.of(p, 7L))).containsEntry(p, 7L);
        assertThat(history.record(group, Map.of(p, 9L))).containsEntry(p, 7L);
        assertThat(history.recorded(group, List.of(p))).containsEntry(p, 7L);
    }

    /**
     * A commit Kafka does not record (the broker gone a moment: a timeout; a rebalance under way) leaves the consumer
     * running, and so does a failure it does not know (its clients are made again): the batch was stored, later
     * events flow, and a new replica of the group reading what was not committed stores nothing twice.
     */
    @Test
    void aCommitThatFailsDoesNotStopTheConsumerAndNothingIsStoredTwice() throws Exception {
        Lane lane = Lane.of("commit");
        topics(lane, 1);
        KafkaIngestion replica = replica(lane, config.propertiesFile());
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        var bytes = new org.apache.kafka.common.serialization.ByteArrayDeserializer();
        replica.consumers = c -> new KafkaConsumer<>(c, bytes, bytes) {
            @Override
            public void commitSync() {
                switch (commits.incrementAndGet()) {
                    case 1 -> throw new org.apache.kafka.common.errors.TimeoutException("no answer in time");
                    case 2 -> throw new IllegalStateException("a failure the consumer does not know");
                    case 3 -> throw new org.apache.kafka.common.errors.RebalanceInProgressException("rebalancing");
                    default -> super.commitSync();
                }
            }
        };
        replica.start();
        try {
            publish(lane.topic(), event(lane.source(), "a", "kay@example.com", "1985-03-01T10:00:00Z"));
            await(() -> contributions(lane.source()), 1);
            await(commits::get, 1);
            assertThat(replica.running()).isTrue();
            publish(lane.topic(), event(lane.source(), "b", "kay@example.com", "1985-03-02T10:00:00Z"));
            await(() -> contributions(lane.source()), 2);
            await(commits::get, 2);
            assertThat(replica.running()).isTrue();
            publish(lane.topic(), event(lane.source(), "c", "kay@example.com", "1985-03-03T10:00:00Z"));
            await(() -> contributions(lane.source()), 3);
            await(commits::get, 3);
            assertThat(replica.running()).isTrue();
            publish(lane.topic(), event(lane.source(), "d", "kay@example.com", "1985-03-04T10:00:00Z"));
            await(() -> contributions(lane.source()), 4);
            await(commits::get, 4);
            assertThat(replica.running()).isTrue();
            // The count moves as the fourth commit starts; the error clears once it has returned.
            await(() -> replica.lastError() == null ? 1 : 0, 1);
        } finally {
            replica.stop();
        }
        readUntil(lane, lane.source(), 4);
        Thread.sleep(1000);
        assertThat(contributions(lane.source())).isEqualTo(4);
    }

    /**
     * A contribution published again with other content (a publisher reusing its ids) keeps what was stored first, as
     * before, and is no longer dropped without a trace: it is dead-lettered with the reason. The same content again
     * (a redelivery, a republish under a new event id) is not.
     */
    @Test
    void aContributionPublishedAgainWithOtherContentIsDeadLettered() throws Exception {
        Lane lane = Lane.of("republish");
        topics(lane, 1);
        // In one batch: the same data again is nothing new; other data for the same id is a dead letter.
        publish(lane.topic(), event(lane.source(), "a", "kay@example.com", "1985-04-01T10:00:00Z"));
        publish(lane.topic(), event(lane.source(), "a", "kay@example.com", "1985-04-01T10:00:00Z"));
        publish(lane.topic(), event(lane.source(), "a", "other@example.com", "1985-04-01T10:00:00Z"));
        readUntil(lane, lane.source(), 1);
        // Later, against what was stored: other data is a dead letter; the same data with a link added is not, and
        // its link is stored, as a republish's links always were.
        publish(lane.topic(), event(lane.source(), "a", "third@example.com", "1985-04-01T10:00:00Z"));
        String linked = new String(event(lane.source(), "a", "kay@example.com", "1985-04-01T10:00:00Z").getData()
                .toBytes(), StandardCharsets.UTF_8).replaceFirst("\\}$", ",\"links\":[{\"to\":\"issue-7\","
                + "\"kind\":\"closes\"}]}");
        publish(lane.topic(), CloudEventBuilder.v1().withId(UUID.randomUUID().toString())
                .withSource(URI.create(lane.source())).withType(ContributionCloudEvents.TYPE)
                .withDataContentType("application/json").withData(linked.getBytes(StandardCharsets.UTF_8)).build());
        KafkaIngestion replica = replica(lane, config.propertiesFile());
        replica.start();
        try {
            await(() -> links(lane.source() + "|a"), 1);
            await(replica::deadLettered, 1);
        } finally {
            replica.stop();
        }
        List<ConsumerRecord<String, String>> letters = letters(lane.dlq());
        assertThat(letters).hasSize(2);
        assertThat(letters).allSatisfy(l -> assertThat(new String(l.headers().lastHeader(KafkaIngestion.REASON_HEADER)
                .value(), StandardCharsets.UTF_8)).startsWith("published before with other content: " + lane.source()
                + "|a"));
        assertThat(letters.get(0).value()).contains("other@example.com");
        assertThat(letters.get(1).value()).contains("third@example.com");
        assertThat(QuarkusTransaction.requiringNew().call(() -> dev.merit.ingest.Contribution
                .<dev.merit.ingest.Contribution>find("source = 'kafka' and externalId = ?1", lane.source() + "|a")
                .singleResult().actorEmail)).isEqualTo("kay@example.com");
    }

    private static void topics(Lane lane, int partitions) throws Exception {
        try (Admin admin = Admin.create(client(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(lane.topic(), partitions, (short) 1),
                    new NewTopic(lane.dlq(), 1, (short) 1))).all().get();
        }
    }

    private static void publish(String topic, CloudEvent event) throws Exception {
        try (var p = cloudEventProducer("BINARY")) {
            p.send(new ProducerRecord<>(topic, event.getId(), event)).get();
        }
    }

    /** A new replica of {@code lane}'s group reads its topic until {@code expected} contributions of {@code source} are stored. */
    private void readUntil(Lane lane, String source, long expected) throws InterruptedException {
        KafkaIngestion replica = replica(lane, config.propertiesFile());
        replica.start();
        try {
            await(() -> contributions(source), expected);
        } finally {
            replica.stop();
        }
    }

    private KafkaIngestion replica(Lane lane, java.util.Optional<java.nio.file.Path> properties) {
        return new KafkaIngestion(replicaConfig(lane.topic(), lane.group(), properties), store, json, history, durable);
    }

    /** Scores May 2003 and has the vault approve its payout; returns the moment before the approval. */
    private Instant payMay2003() {
        long epoch = dev.merit.support.Api.epoch("kafka-2003-05", "2003-05-01T00:00:00Z", "2003-06-01T00:00:00Z",
                java.math.BigInteger.TEN.pow(19));
        dev.merit.support.Api.score(epoch);
        long payout = dev.merit.support.Api.propose(epoch).getLong("id");
        Instant approved = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        QuarkusTransaction.requiringNew().run(() -> ledger.chainState(payout, "EXECUTED"));
        return approved;
    }

    /** occurred_at, late_from and arrived_at of the Kafka contribution {@code externalId}. */
    private static Object[] dated(String externalId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            dev.merit.ingest.Contribution c = dev.merit.ingest.Contribution.<dev.merit.ingest.Contribution>find(
                    "source = 'kafka' and externalId = ?1", externalId).singleResult();
            Object arrived = Panache.getEntityManager().createNativeQuery("select arrived_at from contribution where id = ?1")
                    .setParameter(1, c.id).getSingleResult();
            return new Object[] {c.occurredAt, c.lateFrom, arrived};
        });
    }

    /** One test's own topics, consumer group and event source, apart from every other test's. */
    private record Lane(String id, String topic, String dlq, String group, String source) {
        static Lane of(String name) {
            String id = UUID.randomUUID().toString();
            String topic = "merit.contributions." + name + "-" + id;
            return new Lane(id, topic, topic + ".dlq", "merit-" + name + "-" + id, "/test/" + id);
        }
    }

    /** Merit's settings with its own topic (dead letters in topic + ".dlq"), group and client properties. */
    private KafkaConfig replicaConfig(String topic, String group, java.util.Optional<java.nio.file.Path> properties) {
        return (KafkaConfig) java.lang.reflect.Proxy.newProxyInstance(KafkaConfig.class.getClassLoader(),
                new Class<?>[] {KafkaConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "propertiesFile" -> properties;
                    case "topic" -> topic;
                    case "deadLetterTopic" -> topic + ".dlq";
                    case "group" -> group;
                    default -> method.invoke(config, args);
                });
    }

    /** The letters of a dead-letter topic of one test: the first poll that finds any, within 30 s. */
    private static List<ConsumerRecord<String, String>> letters(String dlqTopic) {
        Map<String, Object> c = client(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<ConsumerRecord<String, String>> letters = new ArrayList<>();
        try (var dlq = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            dlq.subscribe(List.of(dlqTopic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.isEmpty() && System.nanoTime() < deadline) {
                dlq.poll(Duration.ofMillis(500)).forEach(letters::add);
            }
        }
        return letters;
    }

    /**
     * An invalid event is committed only once the dead-letter topic has its copy: while the topic refuses Merit (an
     * ACL missing), the batch is read again, nothing after it is stored, and the health check says why; once the
     * right is granted, the letter and the events after it go through, without a restart.
     */
    @Test
    void anInvalidEventTheDeadLetterTopicRefusesIsNotCommittedUntilItIsStored() throws Exception {
        Lane lane = Lane.of("acl");
        String id = lane.id(), topic = lane.topic(), dlqTopic = lane.dlq(), group = lane.group(), src = lane.source();
        String user = "User:plain-user1";
        try (Admin admin = Admin.create(client(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(dlqTopic, 1, (short) 1))).all().get();
            admin.createAcls(List.of(
                    new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                            new AccessControlEntry(user, "*", AclOperation.READ, AclPermissionType.ALLOW)),
                    new AclBinding(new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                            new AccessControlEntry(user, "*", AclOperation.READ, AclPermissionType.ALLOW)))).all().get();
            try (var raw = rawProducer(); var structured = cloudEventProducer("BINARY")) {
                raw.send(new ProducerRecord<>(topic, id, "not json at all".getBytes(StandardCharsets.UTF_8))).get();
                structured.send(new ProducerRecord<>(topic, "after", event(src, "after", "kay@example.com",
                        "1985-01-10T10:00:00Z"))).get();
            }
            java.nio.file.Path file = KafkaResource.clientProperties("plain-user1", "plain-user1-secret");
            KafkaIngestion replica = new KafkaIngestion(replicaConfig(topic, group, java.util.Optional.of(file)), store, json, history, durable);
            replica.start();
            try {
                await(() -> replica.lastError() != null && replica.lastError().contains(dlqTopic) ? 1 : 0, 1);
                Thread.sleep(1000);
                assertThat(contributions(src)).as("nothing past the letter the topic refused").isZero();
                assertThat(replica.deadLettered()).isZero();
                assertThat(replica.running()).as("still trying").isTrue();
                assertThat(replica.retryingSince()).as("the stuck batch, for the health check and the metric").isNotNull();
                assertThat(replica.retryingSeconds()).isPositive();

                admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, dlqTopic, PatternType.LITERAL),
                        new AccessControlEntry(user, "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get();
                await(() -> contributions(src), 1);
                // Stored, then committed: the batch counts as done (no error, not retrying) once its offsets are.
                await(() -> replica.lastError() == null && replica.retryingSince() == null ? 1 : 0, 1);
                assertThat(replica.deadLettered()).isEqualTo(1);
                assertThat(replica.lastError()).isNull();
                assertThat(replica.retryingSince()).isNull();
                assertThat(replica.retryingSeconds()).isZero();
            } finally {
                replica.stop();
            }
        }
        assertThat(letters(dlqTopic)).singleElement().satisfies(r -> assertThat(r.key() + ": " + new String(
                r.headers().lastHeader(KafkaIngestion.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith(id + ": not a CloudEvent"));
    }

    /** A dead letter larger than its topic takes goes without the event's value, which it measures: never stuck. */
    @Test
    void aDeadLetterTooLargeForItsTopicGoesWithoutTheValue() throws Exception {
        Lane lane = Lane.of("small");
        String id = lane.id(), topic = lane.topic(), dlqTopic = lane.dlq(), group = lane.group(), src = lane.source();
        try (Admin admin = Admin.create(client(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(dlqTopic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "2000")))).all().get();
        }
        try (var raw = rawProducer(); var structured = cloudEventProducer("BINARY")) {
            raw.send(new ProducerRecord<>(topic, id, ("not json " + "x".repeat(6000)).getBytes(StandardCharsets.UTF_8))).get();
            structured.send(new ProducerRecord<>(topic, "after", event(src, "after", "kay@example.com",
                    "1985-01-11T10:00:00Z"))).get();
        }
        KafkaIngestion replica = new KafkaIngestion(replicaConfig(topic, group, config.propertiesFile()), store, json, history, durable);
        replica.start();
        try {
            await(() -> contributions(src), 1);
            assertThat(replica.deadLettered()).isEqualTo(1);
        } finally {
            replica.stop();
        }
        assertThat(letters(dlqTopic)).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(id);
            assertThat(r.value()).isNull();
            assertThat(new String(r.headers().lastHeader(KafkaIngestion.VALUE_DROPPED_HEADER).value(),
                    StandardCharsets.UTF_8)).isEqualTo("6009");
            assertThat(new String(r.headers().lastHeader(KafkaIngestion.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .startsWith("not a CloudEvent");
        });
    }

    @Test
    void twoReplicasShareTheConsumerGroupAndStoreEveryEventOnce() throws Exception {
        KafkaIngestion second = new KafkaIngestion(config, store, json, history, durable);
        second.start();
        try {
            await(() -> ingestion.partitions() == 1 && second.partitions() == 1 ? 1 : 0, 1);
            String src = "/test/" + UUID.randomUUID();
            long firstBefore = ingestion.stored();
            int total = 400;
            try (var p = cloudEventProducer("BINARY")) {
                for (int i = 0; i < total; i++) {
                    p.send(new ProducerRecord<>("merit.contributions", "replica-key-" + i,
                            event(src, "r-" + i, "kay@example.com", "1985-03-01T10:00:00Z")));
                }
                p.flush();
            }
            await(() -> contributions(src), total);
            Thread.sleep(1000);
            assertThat(contributions(src)).isEqualTo(total);
            assertThat(ingestion.stored() - firstBefore).as("replica A's share").isPositive();
            assertThat(second.stored()).as("replica B's share").isPositive();
            assertThat(ingestion.stored() - firstBefore + second.stored()).isEqualTo(total);
        } finally {
            second.stop();
        }
    }

    @Test
    void scoringPublishesALifecycleCloudEvent() throws Exception {
        String src = "/test/" + UUID.randomUUID();
        try (var p = cloudEventProducer("STRUCTURED")) {
            p.send(new ProducerRecord<>("merit.contributions", "s", event(src, "s", "kay@example.com",
                    "1986-03-03T10:00:00Z"))).get();
        }
        await(() -> contributions(src), 1);
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "kafka-1986-03",
                        "startsAt", "1986-03-01T00:00:00Z", "endsAt", "1986-04-01T00:00:00Z", "budgetTokens", "0.000000000000001"))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        long run = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");

        assertThat(lifecycleEvent("scoring-run/" + run)).contains("\"type\":\"dev.merit.scoring-run.finished\"")
                .contains("\"specversion\":\"1.0\"").contains("\"policyHash\"");
        assertThat(relay.pending()).as("sent events leave the outbox").isZero();
    }

    /** The first lifecycle CloudEvent with this key on the events topic, within 30 s; fails if there is none. */
    private static String lifecycleEvent(String key) {
        Map<String, Object> c = client(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "events-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        try (var events = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            events.subscribe(List.of("merit.events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("no lifecycle event with key " + key + " on merit.events");
    }

    @Test
    void aLifecycleEventIsStoredWithItsChangeAndWaitsInTheOutboxWhileKafkaIsUnreachable() throws Exception {
        String subject = "test/" + UUID.randomUUID();
        // A change that fails takes its event with it.
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            lifecycle.fire(new Lifecycle("test.rolled-back", subject, Map.of("n", 1)));
            throw new IllegalStateException("the change failed");
        })).hasMessageContaining("the change failed");
        assertThat(QuarkusTransaction.requiringNew().call(() -> OutboxEvent.count("subject", subject))).isZero();

        // An event stored by a replica that stopped before sending it, found while the broker cannot be reached.
        String eventId = QuarkusTransaction.requiringNew().call(() -> {
            OutboxEvent e = new OutboxEvent();
            e.eventId = UUID.randomUUID().toString();
            e.type = "test.outbox";
            e.subject = subject;
            e.occurredAt = java.time.Instant.parse("2026-11-30T12:00:00Z");
            e.data = "{\"n\":2}";
            e.persist();
            return e.eventId;
        });
        try (var unreachable = EventRelay.producer("127.0.0.1:1", Duration.ofSeconds(2))) {
            assertThat(relay.relay(unreachable)).isZero();
        }
        OutboxEvent kept = QuarkusTransaction.requiringNew().call(() -> OutboxEvent.<OutboxEvent>find("subject", subject)
                .singleResult());
        assertThat(kept.attempts).isEqualTo(1);
        assertThat(kept.lastError).isNotBlank();

        // The broker is back: the same event (same CloudEvent id, time and data) is sent, then removed.
        assertThat(relay.relayIfLeader()).isGreaterThanOrEqualTo(1);
        assertThat(lifecycleEvent(subject)).contains("\"id\":\"" + eventId + "\"")
                .contains("\"type\":\"dev.merit.test.outbox\"").contains("\"time\":\"2026-11-30T12:00:00Z\"")
                .contains("\"data\":{\"n\":2}");
        assertThat(QuarkusTransaction.requiringNew().call(() -> OutboxEvent.count("subject", subject))).isZero();
    }
}
