package dev.merit.epoch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.merit.scoring.Dispute;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An epoch made by mistake can be deleted, with its scoring runs, while nothing others read rests on it: not once a
 * payout was proposed of it, nor once a contributor disputed a type in its scoring. Its contributions stay.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EpochRemovalTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Test
    void anEpochMadeByMistakeGoesWithItsRunsUntilAPayoutOrADisputeRestsOnIt() {
        TestRepo r = TestRepo.create("merit-epoch-removal", Instant.parse("2112-01-10T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Rae Removal", "rae@removal.example");
        Api.ingest(r);

        // Empty: nothing to score, and the epoch says so.
        long empty = Api.epoch("removal-2112-06", "2112-06-01T00:00:00Z", "2112-07-01T00:00:00Z", TOKEN);
        given().get("/api/epochs/{id}", empty).then().statusCode(200).body("contributions", equalTo(0));
        given().delete("/api/epochs/{id}", empty).then().statusCode(200).body("name", equalTo("removal-2112-06"))
                .body("scoringRuns", equalTo(0));
        given().get("/api/epochs/{id}", empty).then().statusCode(404);
        given().delete("/api/epochs/{id}", empty).then().statusCode(404).contentType("application/problem+json");

        // Scored, a year too wide: it goes with its run; the contribution stays, and counts in the right epoch.
        long wide = Api.epoch("removal-2112", "2112-01-01T00:00:00Z", "2113-01-01T00:00:00Z", TOKEN);
        given().get("/api/epochs/{id}", wide).then().body("contributions", equalTo(1));
        given().get("/api/epochs").then().body("find { it.id == " + wide + " }.contributions",
                org.hamcrest.Matchers.nullValue());
        long wideRun = Api.score(wide);
        given().delete("/api/epochs/{id}", wide).then().statusCode(200).body("scoringRuns", equalTo(1));
        given().get("/api/scoring-runs/{id}", wideRun).then().statusCode(404);
        assertThat(given().queryParam("epochId", wide).get("/api/scoring-runs").then().extract().jsonPath()
                .getList("$")).isEmpty();
        long january = Api.epoch("removal-2112-01", "2112-01-01T00:00:00Z", "2112-02-01T00:00:00Z", TOKEN);
        long run = Api.score(january);
        given().get("/api/scoring-runs/{id}", run).then().statusCode(200).body("contributionCount", equalTo(1));

        // A contributor disputed a type in its scoring: their dispute stays on record, and so does the epoch.
        long rae = Api.contributor("rae@removal.example");
        long contribution = given().get("/api/scoring-runs/{id}/contributors/{c}", run, rae).then().statusCode(200)
                .extract().jsonPath().getLong("contributions[0].contributionId");
        long dispute = QuarkusTransaction.requiringNew().call(() -> {
            Dispute d = new Dispute();
            d.runId = run;
            d.contributionId = contribution;
            d.contributorId = rae;
            d.scoredType = "feature";
            d.claimedType = "docs";
            d.reason = "It is documentation.";
            d.status = Dispute.Status.OPEN;
            d.openedAt = Instant.now();
            d.persist();
            return d.id;
        });
        given().delete("/api/epochs/{id}", january).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/epoch-has-disputes"))
                .body("detail", equalTo("Contributors disputed 1 type in the scoring of epoch 'removal-2112-01': their "
                        + "disputes and the answers stay on record, and so does the epoch."));
        QuarkusTransaction.requiringNew().run(() -> Dispute.deleteById(dispute));

        // A draft of it: withdrawn first, on purpose (it is what members would vote on).
        long payout = Api.propose(january).getLong("id");
        long replaced = Api.propose(january).getLong("id"); // the first one superseded, never on chain
        given().get("/api/payout-proposals/{id}", payout).then().body("state", equalTo("superseded"));
        given().delete("/api/epochs/{id}", january).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/epoch-has-payouts"))
                .body("payoutProposalId", equalTo((int) replaced))
                .body("detail", containsString("has payout #" + replaced + ", a draft: withdraw it first"))
                .body("detail", containsString("merit payouts withdraw " + replaced));
        given().get("/api/epochs/{id}", january).then().statusCode(200);
        // Withdrawn, the drafts that never went on chain (nobody voted on them, they paid nothing) go with the epoch,
        // so that one previewed by mistake, or under a policy to change, can be made again.
        given().delete("/api/payout-proposals/{id}", replaced).then().statusCode(200);
        given().delete("/api/epochs/{id}", january).then().statusCode(200).body("scoringRuns", equalTo(1))
                .body("offChainDrafts", org.hamcrest.Matchers.contains((int) payout, (int) replaced));
        given().get("/api/epochs/{id}", january).then().statusCode(404);
        given().get("/api/scoring-runs/{id}", run).then().statusCode(404);
        given().get("/api/payout-proposals/{id}", payout).then().statusCode(404);
        given().get("/api/payout-proposals/{id}", replaced).then().statusCode(404);
        assertThat(QuarkusTransaction.requiringNew().call(() -> dev.merit.payroll.PayoutLine.count("proposalId in ?1",
                java.util.List.of(payout, replaced)))).isZero();
    }
}
