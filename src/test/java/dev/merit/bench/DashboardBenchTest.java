package dev.merit.bench;

import dev.merit.contributor.ActorRef;
import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.ingest.Ingestor;
import dev.merit.support.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboard benchmark (run by bench/dashboard): a DAO of 1,000 contributors and 100,000 contributions, scored; then the
 * score-breakdown endpoint a contributor's page reads, for random contributors, at a fixed arrival rate over loopback
 * (open loop: latency counts from when a request was due, so a slow server cannot hide its queue), against GET
 * /q/health/live at the same rate in the same run; then the closed-loop capacity with 4 clients. Every request that
 * fails or answers anything but 200 is counted, printed, and fails the test.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@EnabledIfSystemProperty(named = "merit.bench", matches = "true")
class DashboardBenchTest {

    private static final int CONTRIBUTORS = Integer.getInteger("merit.bench.contributors", 1_000);
    private static final int CONTRIBUTIONS = Integer.getInteger("merit.bench.contributions", 100_000);
    private static final int RATE = Integer.getInteger("merit.bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("merit.bench.seconds", 30);

    @Inject
    Ingestor ingestor;

    @TestHTTPResource("/")
    URL base;

    @Test
    void dashboard() throws Exception {
        long t0 = System.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        String[] kinds = {"commit", "commit", "commit", "commit", "commit", "commit", "review", "review", "issue", "comment"};
        String[] words = {"add", "fix", "parser", "docs", "cache", "test", "bump", "refactor", "speed", "ui", "api", "build"};
        String[] files = {"src/main/App.java", "README.md", "src/test/AppTest.java", "pom.xml", "web/app.js", ".github/ci.yml"};
        for (int from = 0; from < CONTRIBUTIONS; from += 5_000) {
            List<ContributionEvent> batch = new ArrayList<>();
            for (int i = from; i < Math.min(CONTRIBUTIONS, from + 5_000); i++) {
                int who = random.nextInt(CONTRIBUTORS);
                String kind = kinds[random.nextInt(kinds.length)];
                int added = 1 + random.nextInt(200);
                int deleted = random.nextInt(60);
                String title = words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)] + " " + i;
                List<ChangedFile> changed = kind.equals("commit")
                        ? List.of(new ChangedFile(files[random.nextInt(files.length)], null, ChangedFile.Change.MODIFY, added, deleted, ChangedFile.Category.SOURCE, added + deleted))
                        : List.of();
                batch.add(new ContributionEvent("bench", "d" + i, kind,
                        Instant.parse("1983-03-01T00:00:00Z").plusSeconds(i * 20L), "bench/dao", null,
                        ActorRef.of("Member " + who, "member" + who + "@dao.example"), List.of(), title, null,
                        new ContributionMetrics(added, deleted, changed.size(), 0, 0, Map.of(), 0, 0, 0, added + deleted),
                        changed, null));
            }
            QuarkusTransaction.requiringNew().run(() -> ingestor.open().store(batch));
        }
        double ingestS = (System.nanoTime() - t0) / 1e9;
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "bench-1983-03", "startsAt", "1983-03-01T00:00:00Z",
                        "endsAt", "1983-04-01T00:00:00Z", "budgetTokens", "1000000"))
                .post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        t0 = System.nanoTime();
        long run = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/scoring-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        double scoreS = (System.nanoTime() - t0) / 1e9;
        List<Integer> people = given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getList("contributorId", Integer.class);
        System.out.printf(Locale.ROOT, "dashboard setup contributors=%d contributions=%d ingest_s=%.1f score_s=%.1f%n",
                people.size(), CONTRIBUTIONS, ingestS, scoreS);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI root = base.toURI();
        IntFunction<HttpRequest> breakdown = i -> HttpRequest.newBuilder(root.resolve("/api/scoring-runs/" + run
                + "/contributors/" + people.get(Math.floorMod(i * 7919, people.size())))).GET().build();
        IntFunction<HttpRequest> health = i -> HttpRequest.newBuilder(root.resolve("/q/health/live")).GET().build();
        HttpResponse<String> sample = http.send(breakdown.apply(0), HttpResponse.BodyHandlers.ofString());
        System.out.printf(Locale.ROOT, "dashboard breakdown sample: %d bytes, status %d%n", sample.body().length(), sample.statusCode());

        int sampleErrors = sample.statusCode() == 200 ? 0 : 1;
        Result warmHealth = paced(http, health, RATE, 5); // warm-up
        Result warmBreakdown = paced(http, breakdown, RATE, 5);
        Result baseline = paced(http, health, RATE, SECONDS);
        Result paced = paced(http, breakdown, RATE, SECONDS);
        Result capacity = closed(http, breakdown, 4, 4_000);
        System.out.printf(Locale.ROOT, "dashboard baseline GET /q/health/live at %d/s: rps=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d%n",
                RATE, baseline.rps, baseline.p50, baseline.p99, baseline.errors);
        System.out.printf(Locale.ROOT, "dashboard breakdown at %d/s for %d s: rps=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f "
                        + "errors=%d p99_ratio_to_baseline=%.1f%n", RATE, SECONDS, paced.rps, paced.p50, paced.p99,
                paced.max, paced.errors, paced.p99 / baseline.p99);
        System.out.printf(Locale.ROOT, "dashboard breakdown capacity (4 clients, closed loop): rps=%.0f p50_ms=%.1f p99_ms=%.1f "
                + "errors=%d%n", capacity.rps, capacity.p50, capacity.p99, capacity.errors);
        // Every request of the run counts: the sample, the warm-ups, the baseline, the paced run and the closed loop.
        int errors = sampleErrors + warmHealth.errors + warmBreakdown.errors + baseline.errors + paced.errors
                + capacity.errors;
        // rps is the achieved rate at the fixed arrival rate (it cannot exceed RATE); capacity_rps is what the server
        // answers with 4 clients waiting for each response.
        System.out.printf(Locale.ROOT, "dashboard rps=%.0f p99_ms=%.1f capacity_rps=%.0f errors=%d%n", paced.rps, paced.p99,
                capacity.rps, errors);
        assertThat(errors).as("requests that failed or did not answer 200 (sample %d, warm-up %d + %d, baseline %d, "
                        + "paced %d, closed loop %d)", sampleErrors, warmHealth.errors, warmBreakdown.errors, baseline.errors,
                paced.errors, capacity.errors).isZero();
    }

    record Result(double rps, double p50, double p99, double max, int errors) {
        static Result of(List<Long> latencies, int n, double seconds, int errors) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return new Result(n / seconds, sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
                    sorted.get(sorted.size() - 1) / 1e6, errors);
        }
    }

    /** Requests due every 1/rate s; each latency is from when it was due to when its response arrived. */
    static Result paced(HttpClient http, IntFunction<HttpRequest> requests, int rate, int seconds) throws Exception {
        int n = rate * seconds;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>(n);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            pending.add(http.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                latencies.add(System.nanoTime() - due);
                if (e != null || r.statusCode() != 200) {
                    errors.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        double took = (System.nanoTime() - start) / 1e9;
        return Result.of(new ArrayList<>(latencies), n, took, errors.get());
    }

    private static Result closed(HttpClient http, IntFunction<HttpRequest> requests, int clients, int n) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int i = client; i < n; i += clients) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(requests.apply(i), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - s);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return Result.of(new ArrayList<>(latencies), n, (System.nanoTime() - start) / 1e9, errors.get());
    }
}
