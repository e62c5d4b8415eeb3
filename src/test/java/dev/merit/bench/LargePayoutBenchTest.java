package dev.merit.bench;

import dev.merit.contributor.ActorRef;
import dev.merit.contributor.Contributor;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A payout of a large DAO (bench/large-payout): 40,000 contributors with one commit each (real PostgreSQL), three in
 * four with a wallet imported through the API, scored and proposed; then each read a maintainer or a member makes of
 * that payout, timed (median of five after one warm-up) against GET /q/health/live in the same run, and the payout's
 * page opened in Chromium at phone width until its table is on screen. Any read that does not answer 200 fails the
 * run.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@EnabledIfSystemProperty(named = "merit.bench", matches = "true")
class LargePayoutBenchTest {

    private static final int CONTRIBUTORS = Integer.getInteger("merit.bench.contributors", 40_000);

    @Inject
    Ingestor ingestor;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aPayoutOfManyContributors() throws Exception {
        long t0 = System.nanoTime();
        for (int from = 0; from < CONTRIBUTORS; from += 5_000) {
            List<ContributionEvent> batch = new ArrayList<>();
            for (int i = from; i < Math.min(CONTRIBUTORS, from + 5_000); i++) {
                int added = 1 + i % 97;
                List<ChangedFile> changed = List.of(new ChangedFile("src/m" + (i % 50) + ".c", null,
                        ChangedFile.Change.MODIFY, added, 0, ChangedFile.Category.SOURCE, added));
                batch.add(new ContributionEvent("bench", "large" + i, "commit",
                        Instant.parse("1985-05-01T00:00:00Z").plusSeconds(i * 30L), "dao/large", null,
                        ActorRef.of("Large Person " + i, "large" + i + "@dao.example"), List.of(), "fix parser " + i,
                        null, new ContributionMetrics(added, 0, 1, 0, 0, Map.of(), 0, 0, 0, added), changed, null));
            }
            QuarkusTransaction.requiringNew().run(() -> ingestor.open().store(batch));
        }
        double ingestS = (System.nanoTime() - t0) / 1e9;
        List<Long> people = QuarkusTransaction.requiringNew().call(() -> Contributor.<Contributor>list(
                "displayName like 'Large Person %' order by id").stream().map(c -> c.id).toList());
        assertThat(people).hasSize(CONTRIBUTORS);

        t0 = System.nanoTime();
        for (int from = 0; from < people.size(); from += 10_000) {
            StringBuilder csv = new StringBuilder("identity,address\n");
            for (int i = from; i < Math.min(people.size(), from + 10_000); i++) {
                if (i % 4 != 3) {
                    csv.append('#').append(people.get(i)).append(',')
                            .append(String.format(Locale.ROOT, "0x%040x", 0xB0000000L + i)).append('\n');
                }
            }
            given().contentType("text/csv").body(csv.toString()).post("/api/wallets/import").then().statusCode(200);
        }
        double walletsS = (System.nanoTime() - t0) / 1e9;

        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "large-payout-1985-05", "startsAt",
                        "1985-05-01T00:00:00Z", "endsAt", "1985-06-01T00:00:00Z", "budgetTokens", "1000000"))
                .post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        t0 = System.nanoTime();
        long run = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/scoring-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        double scoreS = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        long proposal = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch))
                .post("/api/payout-proposals").then().statusCode(201).extract().jsonPath().getLong("id");
        double proposeS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "large-payout setup contributors=%d ingest_s=%.1f wallets_s=%.1f score_s=%.1f "
                + "propose_s=%.1f%n", CONTRIBUTORS, ingestS, walletsS, scoreS, proposeS);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI root = base.toURI();
        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("baseline", "/q/health/live");
        reads.put("payout", "/api/payout-proposals/" + proposal);
        reads.put("verification", "/api/payout-proposals/" + proposal + "/verification");
        reads.put("csv", "/api/payout-proposals/" + proposal + "/lines.csv");
        reads.put("inputs", "/api/payout-proposals/" + proposal + "/inputs");
        reads.put("payouts", "/api/payout-proposals?epochId=" + epoch);
        reads.put("overview", "/api/overview");
        reads.put("standings", "/api/scoring-runs/" + run + "/contributors?page=0&size=50");
        reads.put("contributors", "/api/contributors?size=50");
        reads.put("suggestions", "/api/contributors/merge-suggestions");
        reads.put("bots", "/api/contributors/bots");
        reads.put("history", "/api/contributors/" + people.get(people.size() / 2) + "/history");
        StringBuilder last = new StringBuilder("large-payout contributors=" + CONTRIBUTORS);
        int errors = 0;
        double baseline = 0;
        for (Map.Entry<String, String> read : reads.entrySet()) {
            HttpRequest request = HttpRequest.newBuilder(root.resolve(read.getValue()))
                    .header("Accept-Encoding", "gzip").GET().build();
            List<Double> ms = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < 6; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                double took = (System.nanoTime() - s) / 1e6;
                if (r.statusCode() != 200) {
                    errors++;
                    System.out.printf(Locale.ROOT, "large-payout %s answered %d%n", read.getKey(), r.statusCode());
                }
                bytes = r.body().length;
                if (i > 0) {
                    ms.add(took);
                }
            }
            ms.sort(null);
            double median = ms.get(ms.size() / 2);
            baseline = read.getKey().equals("baseline") ? median : baseline;
            System.out.printf(Locale.ROOT, "large-payout GET %s: median_ms=%.1f max_ms=%.1f gzip_kb=%.1f%n",
                    read.getValue(), median, ms.get(ms.size() - 1), bytes / 1024.0);
            last.append(String.format(Locale.ROOT, " %s_ms=%.1f", read.getKey(), median));
        }

        // The payout's page on a phone: until the first rows of its table are on screen, five loads after a warm one.
        List<Double> paints = new ArrayList<>();
        ChromeDriver driver = ContributorPageBenchTest.chromium();
        try {
            String page = root.resolve("/").toString() + "#/proposals/" + proposal;
            for (int i = 0; i < 6; i++) {
                driver.get("about:blank");
                driver.get(page);
                long deadline = System.nanoTime() + 60_000_000_000L;
                Object at;
                while ((at = ((JavascriptExecutor) driver).executeScript("return document.querySelector("
                        + "'#payout-table tbody tr:not([hidden])') ? performance.now() : null")) == null
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(at).as("the payout's table on screen").isNotNull();
                if (i > 0) {
                    paints.add(((Number) at).doubleValue());
                }
            }
        } finally {
            driver.quit();
        }
        paints.sort(null);
        System.out.printf(Locale.ROOT, "large-payout payout page in Chromium (390 px): paint_ms=%s%n", paints);
        last.append(String.format(Locale.ROOT, " page_paint_ms=%.0f baseline_ratio_payout=%.0f errors=%d",
                paints.get(paints.size() / 2), medianOf(last, "payout_ms") / Math.max(0.01, baseline), errors));
        System.out.println(last);
        assertThat(errors).as("reads that did not answer 200").isZero();
    }

    private static double medianOf(StringBuilder line, String key) {
        String s = line.substring(line.indexOf(" " + key + "=") + key.length() + 2);
        return Double.parseDouble(s.contains(" ") ? s.substring(0, s.indexOf(' ')) : s);
    }
}
