package dev.merit.governance;

import dev.merit.contributor.Wallets;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.support.Api;
import dev.merit.support.ExternalChainResource;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;

/** Merit on a deployment it did not make, configured like production, with a confirmation depth of one block. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(ExternalChainResource.class)
class ExistingDeploymentTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Inject
    GovernanceService governance;

    @Inject
    Wallets wallets;

    /** Read when used: a config-injected field would be required by every test application. */
    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private long payout(String name, int year, long budgetTokens) {
        TestRepo r = TestRepo.create("merit-" + name, Instant.parse(year + "-03-01T00:00:00Z"));
        r.write("x.c", "int x;\n").commit("feat: x", "Xia " + name, "xia@" + name + ".example");
        Api.ingest(r);
        long epoch = Api.epoch(name, year + "-03-01T00:00:00Z", year + "-04-01T00:00:00Z",
                TOKEN.multiply(BigInteger.valueOf(budgetTokens)));
        Api.score(epoch);
        JsonPath payout = Api.propose(epoch);
        List<Map<String, Object>> lines = payout.getList("lines");
        wallets.link(((Number) lines.get(0).get("contributorId")).longValue(),
                Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(year), 40));
        return payout.getLong("id");
    }

    /** Every log record and every API response of this class's tests, checked for the signer key at the end. */
    private static final List<String> SEEN = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private static final java.util.logging.Handler CAPTURE = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
            SEEN.add(r.getLoggerName() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
                    + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @org.junit.jupiter.api.BeforeAll
    static void captureLogsAndResponses() {
        CAPTURE.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
        io.restassured.RestAssured.filters((req, res, ctx) -> {
            io.restassured.response.Response r = ctx.next(req, res);
            SEEN.add(req.getURI() + " " + r.asString());
            return r;
        });
    }

    @org.junit.jupiter.api.AfterAll
    static void theSignerKeyNeverAppearsInLogsOrResponses() throws Exception {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        io.restassured.RestAssured.replaceFiltersWith(List.of());
        String keyFile = ConfigProvider.getConfig().getValue("merit.chain.signer-key-file", String.class);
        String key = java.nio.file.Files.readString(java.nio.file.Path.of(keyFile)).strip();
        String bare = Numeric.cleanHexPrefix(key).toLowerCase(java.util.Locale.ROOT);
        assertThat(SEEN).as("log records and responses seen").hasSizeGreaterThan(20);
        assertThat(SEEN).noneMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains(bare));
        // Nor its decimal form, nor a recognisable half of it.
        String decimal = Numeric.toBigInt(key).toString();
        assertThat(SEEN).noneMatch(line -> line.contains(decimal) || line.toLowerCase(java.util.Locale.ROOT)
                .contains(bare.substring(0, 32)));
    }

    private void mine(int blocks) throws Exception {
        new Request<>("anvil_mine", List.of("0x" + Integer.toHexString(blocks)), new HttpService(config("merit.chain.rpc-url")), VoidResponse.class)
                .send();
    }

    @Test
    void meritUsesTheConfiguredContractsAndSignerAndReadsAtTheConfirmationDepth() throws Exception {
        given().get("/api/chain").then().statusCode(200).body("chainId", equalTo((int) AnvilNode.CHAIN_ID))
                .body("contracts.governor", equalToIgnoringCase(config("merit.chain.governor")));

        long proposal = payout("configured", 2010, 10);
        given().contentType(ContentType.JSON).body(Api.toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(201);
        governance.tick();
        // Proposed in the newest block: one confirmation short, Merit does not count on it yet, neither the step
        // (its transaction stays sent) nor the proposal's state.
        JsonPath fresh = given().get("/api/chain/proposals/{id}", proposal).then().extract().jsonPath();
        assertThat(fresh.getString("state")).isEqualTo("pending");
        assertThat(fresh.getList("transactions.status")).containsExactly("SENT");
        assertThat(fresh.getString("transactions[0].lastError")).contains("waiting for 1 confirmation");
        mine(1);
        governance.tick();
        JsonPath view = given().get("/api/chain/proposals/{id}", proposal).then().statusCode(200).extract().jsonPath();
        assertThat(view.getString("state")).isEqualTo("pending");
        assertThat(view.getList("transactions.status")).containsExactly("CONFIRMED");

        // Votes are refused while the proposal is pending.
        given().contentType(ContentType.JSON).body(Map.of("voter", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                        "support", 1, "signature", "0x" + "11".repeat(65)))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(409).body("type", equalTo("/problems/voting-closed"));
    }

    @Test
    void aVaultWithoutEnoughFundsIsRefusedAndNothingIsSent() {
        long proposal = payout("underfunded", 2011, 2_000_000);
        given().contentType(ContentType.JSON).body(Api.toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/vault-underfunded"));
        given().get("/api/chain/proposals/{id}", proposal).then().statusCode(404);
    }

    /**
     * A step someone else took on chain (here a member puts Merit's proposal on the governor first) is recorded as done
     * only once it is as deep as Merit waits for its own transactions: a reorg that drops it must not leave Merit
     * believing it done, and never sending it.
     */
    @Test
    void aStepAnotherTransactionTookIsRecordedOnlyAtTheConfirmationDepth() throws Exception {
        long proposal = payout("elsewhere", 2009, 10);
        given().contentType(ContentType.JSON).body(Api.toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(201);
        ChainProposal cp = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ChainProposal
                .<ChainProposal>find("payoutProposalId", proposal).firstResult());
        List<PayoutPlans.Call> calls = new com.fasterxml.jackson.databind.ObjectMapper().readValue(cp.calls,
                new com.fasterxml.jackson.core.type.TypeReference<List<PayoutPlans.Call>>() { });
        org.web3j.protocol.Web3j web3j = org.web3j.protocol.Web3j.build(new HttpService(config("merit.chain.rpc-url")));
        try {
            dev.merit.governance.contracts.MeritGovernor member = dev.merit.governance.contracts.MeritGovernor.load(
                    config("merit.chain.governor"), web3j, dev.merit.governance.chain.Deployment.transactions(web3j,
                            dev.merit.governance.chain.DevAccounts.account(3), AnvilNode.CHAIN_ID),
                    dev.merit.governance.chain.Deployment.GAS);
            member.propose(calls.stream().map(PayoutPlans.Call::target).toList(),
                    calls.stream().map(c -> BigInteger.ZERO).toList(),
                    calls.stream().map(c -> Numeric.hexStringToByteArray(c.data())).toList(), cp.description).send();
        } finally {
            web3j.shutdown();
        }
        governance.tick();
        JsonPath fresh = given().get("/api/chain/proposals/{id}", proposal).then().extract().jsonPath();
        assertThat(fresh.getList("transactions.status")).containsExactly("PENDING");
        assertThat(fresh.getString("transactions[0].lastError"))
                .isEqualTo("done on chain by another transaction; waiting for 1 confirmation");
        mine(1);
        governance.tick();
        JsonPath done = given().get("/api/chain/proposals/{id}", proposal).then().extract().jsonPath();
        assertThat(done.getList("transactions.status")).containsExactly("CONFIRMED");
        assertThat(done.getString("transactions[0].lastError")).isEqualTo("already done on chain");
        assertThat(done.getString("transactions[0].txHash")).as("Merit sent nothing").isNull();
    }

    @Test
    void unknownProposalsAreNotFound() {
        given().get("/api/chain/proposals/{id}", 987654).then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("voter", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                        "support", 1, "signature", "0x" + "11".repeat(65)))
                .post("/api/chain/proposals/{id}/votes", 987654).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Api.toChain(987654)).post("/api/chain/proposals")
                .then().statusCode(404);
    }
}
