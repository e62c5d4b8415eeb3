package dev.merit.api;

import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What operators scrape: ingest lag per source, scoring and inference timings, chain and proposal gauges, leadership. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MetricsTest {

    @Test
    void ingestScoringInferenceChainAndLeadershipAreMeasured() {
        TestRepo r = TestRepo.create("merit-metrics", Instant.parse("1994-05-01T00:00:00Z"));
        r.write("a.c", "int a;\nint b;\n").commit("feat: a", "Mo Metrics", "mo@metrics.example");
        r.write("b.c", "int c;\n").commit("fix: b", "Mo Metrics", "mo@metrics.example");
        Api.ingest(r);
        Api.score(Api.epoch("metrics-1994-05", "1994-05-01T00:00:00Z", "1994-06-01T00:00:00Z", java.math.BigInteger.valueOf(1000)));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("merit_ingest_lag_seconds_count{source=\"git\"")
                .contains("merit_scoring_run_seconds_count")
                .contains("merit_model_inference_seconds_count{model=\"commit-type-")
                .contains("merit_model_batch_size_count{model=\"commit-type-")
                .contains("merit_chain_transactions{status=\"CONFIRMED\"")
                .contains("merit_proposals{state=\"ACTIVE\"")
                .containsPattern("(?m)^merit_leader(\\{[^}]*})? [01]\\.0$");
    }
}
