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

    @Test
    void aVoteUnderWayLeadsThenAPayoutOnItsWayThenNewerDrafts() throws Exception {
        AnvilNode node = chain.localNode().orElseThrow();
        // Votes other classes left open on the shared chain end first: only this test's may be under way.
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

        // Both votes end without votes: defeated, neither leads any more.
        node.mine(60);
        governance.tick();
        assertThat(state(voting)).isEqualTo("defeated");
        assertThat(state(pending)).isEqualTo("defeated");
        assertThat(homePayout()).isNotIn(voting, pending);
        assertThat(othersUpForVote()).isZero();
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
