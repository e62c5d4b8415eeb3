package dev.merit.governance;

import dev.merit.governance.chain.AnvilNode;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The node stops answering: readiness says so, chain endpoints answer 503 with Retry-After (never 500), and the
 * follower's next round brings the chain back by itself, with its state.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ChainOutageTest {

    @Inject
    ChainService chain;

    @Inject
    GovernanceService governance;

    private static String chainCheck() {
        JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> c.get("name").equals("chain")).map(c -> (String) c.get("status"))
                .findFirst().orElseThrow();
    }

    @Test
    void anOutageIsReportedAnsweredWith503AndRecoveredFromByItself() throws Exception {
        String vault = chain.dao().vault();
        assertThat(chainCheck()).isEqualTo("UP");
        AnvilNode node = chain.localNode().orElseThrow();
        node.killProcess();

        assertThat(chainCheck()).isEqualTo("DOWN");
        given().get("/api/chain").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "10").body("type", equalTo("/problems/chain-unavailable"))
                .body("detail", containsString("reconnects by itself"));
        given().get("/api/chain/proposals/{id}/ballot?voter=0x0000000000000000000000000000000000000001", 987654)
                .then().statusCode(404); // nothing on chain: answered from the database, outage or not

        governance.recover(); // what the follower does every merit.chain.poll-interval
        assertThat(chainCheck()).isEqualTo("UP");
        given().get("/api/chain").then().statusCode(200).body("contracts.vault", equalTo(vault));
    }
}
