package dev.merit.bench;

import dev.merit.contributor.ActorRef;
import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.ingest.Ingestor;
import dev.merit.support.PostgresResource;
import dev.merit.support.TempPaths;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heaviest contributor's page (bench/contributor-page): a DAO of 1,000 contributors and 100,000 contributions
 * with a real project's long tail (contributions by Zipf's law, so the top contributor has over 13,000), scored and
 * proposed; then, in Chromium with its cache off, the top contributor's page opened cold five times: the time until
 * the first page of contributions is on screen and the API bytes transferred (compressed, headers included). Then the
 * paged contributions endpoint and the page summary at a fixed 200 requests/s, against GET /q/health/live at the same
 * rate in the same run.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@EnabledIfSystemProperty(named = "merit.bench", matches = "true")
class ContributorPageBenchTest {

    private static final int CONTRIBUTORS = 1_000;
    private static final int CONTRIBUTIONS = Integer.getInteger("merit.bench.contributions", 100_000);
    private static final int RATE = Integer.getInteger("merit.bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("merit.bench.seconds", 20);

    @Inject
    Ingestor ingestor;

    @TestHTTPResource("/")
    URL base;

    @Test
    void heaviestContributorPage() throws Exception {
        long t0 = System.nanoTime();
        double[] cumulative = new double[CONTRIBUTORS];
        double sum = 0;
        for (int k = 0; k < CONTRIBUTORS; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        SplittableRandom random = new SplittableRandom(7);
        String[] kinds = {"commit", "commit", "commit", "commit", "commit", "commit", "review", "review", "issue", "comment"};
        String[] words = {"add", "fix", "parser", "docs", "cache", "test", "bump", "refactor", "speed", "ui", "api", "build"};
        String[] repos = {"dao/core", "dao/web", "dao/docs", "dao/contracts"};
        String[] files = {"src/main/App.java", "README.md", "src/test/AppTest.java", "pom.xml", "web/app.js", ".github/ci.yml"};
        for (int from = 0; from < CONTRIBUTIONS; from += 5_000) {
            List<ContributionEvent> batch = new ArrayList<>();
            for (int i = from; i < Math.min(CONTRIBUTIONS, from + 5_000); i++) {
                double u = random.nextDouble() * sum;
                int who = java.util.Arrays.binarySearch(cumulative, u);
                who = who < 0 ? Math.min(CONTRIBUTORS - 1, -who - 1) : who;
                String kind = kinds[random.nextInt(kinds.length)];
                int added = 1 + random.nextInt(200);
                int deleted = random.nextInt(60);
                String title = words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)] + " " + i;
                List<ChangedFile> changed = kind.equals("commit")
                        ? List.of(new ChangedFile(files[random.nextInt(files.length)], null, ChangedFile.Change.MODIFY,
                        added, deleted, ChangedFile.Category.SOURCE, added + deleted))
                        : List.of();
                batch.add(new ContributionEvent("bench", "p" + i, kind,
                        Instant.parse("1984-03-01T00:00:00Z").plusSeconds(i * 20L), repos[random.nextInt(repos.length)],
                        null, ActorRef.of("Person " + who, "person" + who + "@dao.example"), List.of(), title, null,
                        new ContributionMetrics(added, deleted, changed.size(), 0, 0, Map.of(), 0, 0, 0, added + deleted),
                        changed, null));
            }
            QuarkusTransaction.requiringNew().run(() -> ingestor.open().store(batch));
        }
        double ingestS = (System.nanoTime() - t0) / 1e9;
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "page-bench-1984-03", "startsAt",
                        "1984-03-01T00:00:00Z", "endsAt", "1984-04-01T00:00:00Z", "budgetTokens", "1000000"))
                .post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        t0 = System.nanoTime();
        long run = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/scoring-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        double scoreS = (System.nanoTime() - t0) / 1e9;
        given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/payout-proposals")
                .then().statusCode(201);
        JsonPath standings = given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath();
        List<Integer> counts = standings.getList("contributions", Integer.class);
        List<Long> people = standings.getList("contributorId", Long.class);
        int heaviest = 0;
        for (int i = 1; i < counts.size(); i++) {
            if (counts.get(i) > counts.get(heaviest)) {
                heaviest = i;
            }
        }
        long top = people.get(heaviest);
        int topContributions = counts.get(heaviest);
        System.out.printf(Locale.ROOT, "contributor-page setup contributors=%d contributions=%d top_contributions=%d "
                + "ingest_s=%.1f score_s=%.1f%n", people.size(), CONTRIBUTIONS, topContributions, ingestS, scoreS);
        assertThat(topContributions).as("the long tail's head").isGreaterThanOrEqualTo(5_000);

        // --- In Chromium, cold: cache off, a fresh page each time.
        List<Double> paints = new ArrayList<>();
        List<Long> apiBytes = new ArrayList<>();
        ChromeDriver driver = chromium();
        try {
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
            String page = base.toURI().resolve("/").toString() + "#/contributors/" + top + "?run=" + run;
            for (int i = 0; i < 6; i++) {
                driver.get("about:blank");
                driver.get(page);
                long deadline = System.nanoTime() + 30_000_000_000L;
                Object mark;
                while ((mark = js(driver, "const m = performance.getEntriesByName('merit:contributions'); "
                        + "return m.length ? m[0].startTime : null")) == null && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(mark).as("the contributions to show").isNotNull();
                Number bytes = (Number) js(driver, "return performance.getEntriesByType('resource')"
                        + ".filter(r => r.name.includes('/api/')).reduce((a, r) => a + r.transferSize, 0)");
                if (i > 0) { // the first load warms the server's JIT; five cold page loads are measured
                    paints.add(((Number) mark).doubleValue());
                    apiBytes.add(bytes.longValue());
                }
            }
        } finally {
            driver.quit();
        }
        paints.sort(null);
        double paintMedian = paints.get(paints.size() / 2);
        double paintMax = paints.get(paints.size() - 1);
        long bytesMax = apiBytes.stream().mapToLong(Long::longValue).max().orElseThrow();

        // --- The endpoints the page reads, at a fixed rate.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI root = base.toURI();
        IntFunction<HttpRequest> paged = i -> HttpRequest.newBuilder(root.resolve("/api/contributors/" + people.get(
                Math.floorMod(i * 7919, people.size())) + "/contributions?run=" + run + "&size=25&page=" + (i % 3)
                + (i % 2 == 0 ? "&sort=-date" : ""))).header("Accept-Encoding", "gzip").GET().build();
        IntFunction<HttpRequest> heavy = i -> HttpRequest.newBuilder(root.resolve("/api/contributors/" + top
                + "/contributions?run=" + run + "&size=25&page=" + (i % 200))).header("Accept-Encoding", "gzip").GET().build();
        IntFunction<HttpRequest> summary = i -> HttpRequest.newBuilder(root.resolve("/api/contributors/" + people.get(
                Math.floorMod(i * 7919, people.size())) + "/summary?run=" + run)).GET().build();
        IntFunction<HttpRequest> health = i -> HttpRequest.newBuilder(root.resolve("/q/health/live")).GET().build();
        DashboardBenchTest.Result warm = paced(http, paged, RATE, 5);
        DashboardBenchTest.Result baseline = paced(http, health, RATE, SECONDS);
        DashboardBenchTest.Result pagedR = paced(http, paged, RATE, SECONDS);
        DashboardBenchTest.Result heavyR = paced(http, heavy, RATE, SECONDS);
        DashboardBenchTest.Result summaryR = paced(http, summary, RATE, SECONDS);
        int errors = warm.errors() + baseline.errors() + pagedR.errors() + heavyR.errors() + summaryR.errors();
        System.out.printf(Locale.ROOT, "contributor-page baseline GET /q/health/live at %d/s: p99_ms=%.1f%n", RATE, baseline.p99());
        System.out.printf(Locale.ROOT, "contributor-page paged (random contributors) at %d/s: rps=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d%n",
                RATE, pagedR.rps(), pagedR.p50(), pagedR.p99(), pagedR.errors());
        System.out.printf(Locale.ROOT, "contributor-page paged (the heaviest, pages 0-199) at %d/s: rps=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d%n",
                RATE, heavyR.rps(), heavyR.p50(), heavyR.p99(), heavyR.errors());
        System.out.printf(Locale.ROOT, "contributor-page summary (random contributors) at %d/s: rps=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d%n",
                RATE, summaryR.rps(), summaryR.p50(), summaryR.p99(), summaryR.errors());
        System.out.printf(Locale.ROOT, "contributor-page cold page loads in Chromium: paint_ms=%s api_bytes=%s%n", paints, apiBytes);
        System.out.printf(Locale.ROOT, "contributor-page top_contributions=%d paint_ms=%.0f paint_max_ms=%.0f api_kb=%.1f "
                        + "paged_p99_ms=%.1f heaviest_paged_p99_ms=%.1f summary_p99_ms=%.1f baseline_p99_ms=%.1f errors=%d%n",
                topContributions, paintMedian, paintMax, bytesMax / 1024.0, pagedR.p99(), heavyR.p99(), summaryR.p99(),
                baseline.p99(), errors);
        assertThat(errors).as("requests that failed").isZero();
    }

    private static DashboardBenchTest.Result paced(HttpClient http, IntFunction<HttpRequest> requests, int rate,
                                                   int seconds) throws Exception {
        return DashboardBenchTest.paced(http, requests, rate, seconds);
    }

    private static Object js(ChromeDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("merit.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=390,844");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("merit.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .withEnvironment(Map.of("TMPDIR", TempPaths.directory("merit-chromium-bench").toString())).build();
        return new ChromeDriver(service, options);
    }
}
