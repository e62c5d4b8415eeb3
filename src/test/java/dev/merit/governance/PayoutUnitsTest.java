package dev.merit.governance;

import dev.merit.contributor.Wallets;
import dev.merit.problem.ProblemException;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What members vote on is what the vault pays: a payout counted in another unit than the payout token's is not put to
 * the governor, and no share is paid to an address no one owns. On the test chain's 18-decimal payout token.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PayoutUnitsTest {

    @Inject
    ChainService chain;

    @Inject
    Wallets wallets;

    @Test
    void aPayoutInAnotherUnitThanTheTokensIsNotPutToTheGovernor() {
        chain.dao();
        TestRepo r = TestRepo.create("merit-units", Instant.parse("2041-05-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Una Units", "una@units.example");
        Api.ingest(r);
        // An epoch counted in millionths (a USDC-like token), paid from a vault of an 18-decimal token: "10 tokens"
        // would be 10^-11 of a token there.
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "units-2041-05", "startsAt",
                        "2041-05-01T00:00:00Z", "endsAt", "2041-06-01T00:00:00Z", "budgetTokens", "10", "tokenDecimals", 6))
                .post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.score(epoch);
        var payout = Api.propose(epoch);
        long proposal = payout.getLong("id");
        assertThat(payout.getString("lines[0].amountBaseUnits")).isEqualTo("10000000");
        List<Map<String, Object>> lines = payout.getList("lines");
        wallets.link(((Number) lines.get(0).get("contributorId")).longValue(), "0x00000000000000000000000000000000000a2041");

        given().contentType(ContentType.JSON).body(Api.toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(409)
                .body("type", equalTo("/problems/token-decimals-mismatch"))
                .body("detail", containsString("units of 10^-6 tokens"))
                .body("detail", containsString("has 18 decimals"))
                .body("detail", containsString("a 10^12th of what the members vote on"))
                .body("tokenDecimals", equalTo(18));
        assertThat(QuarkusTransaction.requiringNew().call(() -> ChainProposal.count("payoutProposalId", proposal)))
                .isZero();
    }

    @Test
    void theZeroAddressIsNoOnesWallet() {
        TestRepo r = TestRepo.create("merit-zero", Instant.parse("2041-07-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Zed Zero", "zed@zero.example");
        Api.ingest(r);
        long contributor = given().queryParam("q", "Zed Zero").get("/api/contributors").then().statusCode(200)
                .extract().jsonPath().getLong("[0].id");
        assertThatThrownBy(() -> wallets.link(contributor, "0x" + "0".repeat(40)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("zero address, which no one owns");
        assertThat(Wallets.addressProblem("0x" + "0".repeat(39) + "1")).isEmpty();
    }
}
