package dev.merit.api;

import dev.merit.cluster.Leadership;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators scrape: ingest lag per source, scoring and inference timings, chain and proposal gauges, leadership.
 * Each is read before and after the thing it measures happens, and must have moved by what happened.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MetricsTest {

    @Inject
    Leadership leadership;

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of every sample of a metric whose name and labels start with {@code prefix} (0 when there is none). */
    private static double value(String metrics, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^ ]* ([^ ]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    @Transactional
    long rows(String sql) {
        return ((Number) Panache.getEntityManager().createNativeQuery(sql).getSingleResult()).longValue();
    }

    @Test
    void ingestScoringInferenceChainAndLeadershipAreMeasured() {
        String before = scrape();
        TestRepo r = TestRepo.create("merit-metrics", Instant.parse("1994-05-01T00:00:00Z"));
        r.write("a.c", "int a;\nint b;\n").commit("feat: a", "Mo Metrics", "mo@metrics.example");
        r.write("b.c", "int c;\n").commit("fix: b", "Mo Metrics", "mo@metrics.example");
        Api.ingest(r);
        String afterIngest = scrape();
        // Two commits stored: two lag samples for git, each about the commits' age (1994: over 30 years).
        String lagCount = "merit_ingest_lag_seconds_count{source=\"git\"";
        String lagSum = "merit_ingest_lag_seconds_sum{source=\"git\"";
        assertThat(value(afterIngest, lagCount) - value(before, lagCount)).isEqualTo(2);
        double lagAdded = value(afterIngest, lagSum) - value(before, lagSum);
        double age = java.time.Duration.between(Instant.parse("1994-05-01T00:00:00Z"), Instant.now()).toSeconds();
        assertThat(lagAdded).isBetween(2 * (age - 86_400 * 31), 2 * (age + 3_600));
        assertThat(value(afterIngest, "merit_scoring_run_seconds_count")).isEqualTo(value(before, "merit_scoring_run_seconds_count"));

        Api.score(Api.epoch("metrics-1994-05", "1994-05-01T00:00:00Z", "1994-06-01T00:00:00Z", java.math.BigInteger.valueOf(1000)));
        String after = scrape();
        assertThat(value(after, "merit_scoring_run_seconds_count") - value(afterIngest, "merit_scoring_run_seconds_count"))
                .as("one scoring run").isEqualTo(1);
        assertThat(value(after, "merit_scoring_run_seconds_sum") - value(afterIngest, "merit_scoring_run_seconds_sum"))
                .as("its duration").isPositive();
        String inference = "merit_model_inference_seconds_count{model=\"commit-type-";
        assertThat(value(after, inference) - value(afterIngest, inference)).as("classifier batches run").isGreaterThanOrEqualTo(1);
        // Both commits go to the classifier (their declared prefixes are stripped, not trusted): 2 rows in its batches.
        String batchSum = "merit_model_batch_size_sum{model=\"commit-type-";
        assertThat(value(after, batchSum) - value(afterIngest, batchSum)).as("contributions classified").isEqualTo(2);

        // The governance gauges are the database's counts by status and state, not just present.
        for (String status : new String[]{"PENDING", "SENT", "CONFIRMED", "FAILED"}) {
            assertThat(value(after, "merit_chain_transactions{status=\"" + status + "\""))
                    .as("chain transactions " + status)
                    .isEqualTo((double) rows("select count(*) from chain_tx where status = '" + status + "'"));
        }
        assertThat(value(after, "merit_proposals{state=\"ACTIVE\""))
                .isEqualTo((double) rows("select count(*) from chain_proposal where state = 'ACTIVE'"));
        // A counter under the name docs/api.md gives it (Prometheus adds _total to a counter's name, as to
        // merit_chain_log_pages, which is there once a payout's claims were looked for).
        assertThat(after).contains("\nmerit_db_stores_total ");
    }

    @Test
    void theLeaderGaugeFollowsTheLock() {
        // One replica here and no scheduler in tests: the lock is this replica's to take and give up.
        try {
            assertThat(leadership.campaign()).isTrue();
            assertThat(value(scrape(), "merit_leader")).isEqualTo(1.0);
            leadership.resign();
            assertThat(value(scrape(), "merit_leader")).isEqualTo(0.0);
        } finally {
            assertThat(leadership.campaign()).isTrue();
        }
        assertThat(value(scrape(), "merit_leader")).isEqualTo(1.0);
    }
}
