package dev.merit.web;

import dev.merit.contributor.Wallets;
import dev.merit.governance.ChainService;
import dev.merit.governance.GovernanceService;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page's payout panel asks members to vote where a vote is under way, and otherwise follows a payout on its
 * way on chain, before newer drafts (years 2082 and 2083, on the shared local chain; both votes are left defeated).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HomePayoutTest {

    @Inject
    Wallets wallets;

    @Inject
    GovernanceService governance;

    @Inject
    ChainService chain;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void aVoteUnderWayLeadsThenAPayoutOnItsWayThenNewerDrafts() throws Exception {
        AnvilNode node = chain.localNode().orElseThrow();
        // Votes other classes left open on the shared chain end first: only this test's may be under way. The first
        // tick sends what another class left waiting to go on chain (a vote that would open beside this test's).
        governance.tick();
        node.mine(60);
        governance.tick();
        long voting = Api.payoutOnChain("home-vote", 2082, wallets);
        governance.tick();
        governance.tick();
        assertThat(state(voting)).isEqualTo("pending");
        // A newer draft (of other dates over the same work) does not hide a payout on its way on chain.
        long other = Api.epoch("home-draft", "2082-04-15T00:00:00Z", "2082-05-15T00:00:00Z", BigInteger.TEN.pow(19));
        Api.score(other);
        long draft = Api.propose(other).getLong("id");
        assertThat(draft).isGreaterThan(voting);
        assertThat(homePayout()).isEqualTo(voting);

        node.mine(2);
        governance.tick();
        assertThat(state(voting)).isEqualTo("active");
        // Another payout goes on chain after it, pending its vote: the one members can vote on now still leads.
        long pending = Api.payoutOnChain("home-pending", 2083, wallets);
        governance.tick();
        governance.tick();
        assertThat(state(pending)).isEqualTo("pending");
        assertThat(state(voting)).isEqualTo("active");
        assertThat(homePayout()).isEqualTo(voting);
        assertThat(othersUpForVote()).isZero();
        // Once both are open, the newer leads and the home page counts the other: no member misses a vote.
        node.mine(2);
        governance.tick();
        assertThat(state(pending)).isEqualTo("active");
        assertThat(state(voting)).isEqualTo("active");
        assertThat(homePayout()).isEqualTo(pending);
        assertThat(othersUpForVote()).isEqualTo(1);

        // What moved since the period before: May 2083 against May 2082, month for month, in amounts.
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + pending))
                .contains("Biggest changes since home-vote Against payout #" + voting + " (active): 10 MPAY then, "
                        + "10 MPAY now.")
                // Other people each month (each payout's repository has its own): said so, not as 0 MPAY.
                .containsPattern("Ann home-pending\\s+new\\s+6\\.6666")
                .containsPattern("Ann home-vote\\s+6\\.6666[ 6]+7 MPAY\\s+not in this payout");
        // A week after the month of May: amounts would differ with the length of the period, so shares are compared.
        dev.merit.support.TestRepo week = dev.merit.support.TestRepo.create("merit-home-week",
                java.time.Instant.parse("2083-06-02T00:00:00Z"));
        week.write("w.c", "int w;\n").commit("feat: w", "Ann home-pending", "ann@home-pending.example");
        long weekRepository = Api.ingest(week);
        long weekEpoch = Api.epoch("home-week", "2083-06-01T00:00:00Z", "2083-06-08T00:00:00Z", BigInteger.TEN.pow(18));
        Api.score(weekEpoch);
        long weekDraft = Api.propose(weekEpoch).getLong("id");
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + weekDraft))
                .contains("Biggest changes since home-pending Against payout #" + pending + " (active), of 31 days; "
                        + "this one is of 7 days, so amounts differ with the length of the period: each person's share "
                        + "of the payout is compared instead (10 MPAY then, 1 MPAY now).")
                .contains("Share then Share now Change (percentage points)").contains("Ann home-pending")
                .containsPattern("Ann home-pending [0-9.]+ % 100\\.00 % \\+[0-9]+\\.[0-9]{2}\\b");
        assertThat(homePayout()).isEqualTo(pending); // a draft does not lead over a vote
        // July, as long as May, with ten times its budget: amounts would move with the budget, so shares again.
        week.write("j.c", "int j;\n").commitAt(java.time.Instant.parse("2083-07-02T00:00:00Z"), "feat: j",
                "Ann home-pending", "ann@home-pending.example");
        given().post("/api/repositories/{id}/ingest", weekRepository).then().statusCode(200);
        long july = Api.epoch("home-july", "2083-07-01T00:00:00Z", "2083-08-01T00:00:00Z", BigInteger.TEN.pow(20));
        Api.score(july);
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + Api.propose(july).getLong("id")))
                .contains("Biggest changes since home-pending Against payout #" + pending + " (active): 10 MPAY then, "
                        + "100 MPAY now, so amounts differ with the budget: each person's share of the payout is "
                        + "compared instead.")
                .contains("Share then Share now Change (percentage points)");

        // Both votes end without votes: defeated, neither leads any more.
        node.mine(60);
        governance.tick();
        assertThat(state(voting)).isEqualTo("defeated");
        assertThat(state(pending)).isEqualTo("defeated");
        assertThat(homePayout()).isNotIn(voting, pending);
        assertThat(othersUpForVote()).isZero();

        // The list of payouts says what each state means, and when each payout was made.
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals"))
                .containsPattern("Payout #" + pending + " ?home-pending ?[0-9]{4}-[0-9]{2}-[0-9]{2} [^#]*defeated: the vote "
                        + "did not pass, so it will not be paid")
                .containsPattern("Payout #" + weekDraft + " ?home-week [^#]*a draft: not on chain yet");
        // The week's leaderboard links its draft, as a paid epoch's links the payout that paid it.
        assertThat(dev.merit.support.Chromium.text(base + "#/epochs/" + weekEpoch))
                .containsPattern("budget 1 MPAY · ?draft payout #" + weekDraft);
        // Ann's history says what became of each epoch's pay: a vote lost is not a vote still to come, and a draft
        // is not put to a vote yet.
        long ann = Api.contributor("ann@home-pending.example");
        io.restassured.path.json.JsonPath history = given().get("/api/contributors/{id}/history", ann).then()
                .statusCode(200).extract().jsonPath();
        String lost = "find { it.epochName == 'home-pending' }";
        assertThat(history.getString(lost + ".proposalId")).isNull();
        assertThat(history.getLong(lost + ".latestProposal.id")).isEqualTo(pending);
        assertThat(history.getString(lost + ".latestProposal.state")).isEqualTo("defeated");
        assertThat(history.getString(lost + ".latestProposal.neverPaid")).startsWith("the vote did not pass");
        assertThat(history.getString("find { it.epochName == 'home-week' }.latestProposal.state")).isEqualTo("draft");
        assertThat(dev.merit.support.Chromium.text(base + "#/contributors/" + ann))
                // (the page's text as Chromium.text reads it: a space after each link)
                .containsPattern("payout #" + pending + " ?: its vote did not pass, not paid")
                .containsPattern("payout #" + weekDraft + " ?: a draft, not put to a vote yet");
    }

    private static long othersUpForVote() {
        return given().get("/api/overview").then().statusCode(200).extract().jsonPath().getLong("othersUpForVote");
    }

    private static long homePayout() {
        return given().get("/api/overview").then().statusCode(200).extract().jsonPath().getLong("latestProposal.id");
    }

    private static String state(long payout) {
        return given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).extract().jsonPath()
                .getString("state");
    }
}
