package dev.merit.governance;

import dev.merit.contributor.Wallets;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.Deployment;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chain writes are priced by the chain (EIP-1559 fees, an estimated gas limit), wait while the chain asks more than the
 * DAO's ceiling, and a transaction that is not mined (stuck behind low fees, or dropped by the node) is sent again
 * under its nonce with higher fees: on a real anvil node whose mining the test stops and starts.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ChainFeesTest {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    @Inject
    ChainService chain;

    @Inject
    Outbox outbox;

    @Inject
    Wallets wallets;

    @Test
    void writesArePricedByTheChainAndAnUnminedOneIsSentAgainUnderItsNonce() throws Exception {
        chain.dao();
        AnvilNode node = chain.localNode().orElseThrow();
        Web3j web3j = chain.web3j();

        // Priced by the chain: an EIP-1559 transaction, its gas limit from the node's estimate (not a fixed 29M,
        // which is above the per-transaction cap of Ethereum since Fusaka).
        long priced = proposeIntent("fees-priced", 2011);
        outbox.process(priced);
        ChainTx done = tx(priced);
        assertThat(done.status).isEqualTo("CONFIRMED");
        Transaction sent = web3j.ethGetTransactionByHash(done.txHash).send().getTransaction().orElseThrow();
        TransactionReceipt receipt = web3j.ethGetTransactionReceipt(done.txHash).send().getTransactionReceipt().orElseThrow();
        assertThat(sent.getType()).isEqualTo("0x2");
        assertThat(sent.getMaxFeePerGas()).isEqualTo(done.maxFeePerGas);
        assertThat(sent.getMaxPriorityFeePerGas()).isEqualTo(done.maxPriorityFeePerGas);
        assertThat(sent.getNonce()).isEqualTo(done.nonce);
        assertThat(sent.getGas()).isEqualTo(done.gasLimit).isLessThan(BigInteger.valueOf(chain.config().maxGas()));
        assertThat(receipt.getGasUsed()).isLessThan(done.gasLimit);
        // Margin of 20% and 10,000 over the estimate, and the estimate is about what the transaction used.
        assertThat(done.gasLimit).isLessThan(receipt.getGasUsed().multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN)
                .add(BigInteger.valueOf(20_000)));
        BigInteger baseFee = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                .getBaseFeePerGas();
        assertThat(done.maxFeePerGas).isGreaterThan(baseFee);

        // Stuck: the node stops mining. The transaction waits (merit.chain.replace-after, 2 s in tests), then is
        // replaced under the same nonce with fees 12.5% higher; the replacement is the one mined.
        node.rpc("evm_setAutomine", false);
        try {
            long stuck = proposeIntent("fees-stuck", 2012);
            outbox.process(stuck);
            ChainTx first = tx(stuck);
            assertThat(first.status).isEqualTo("SENT");
            outbox.process(stuck);
            assertThat(tx(stuck).txHash).isEqualTo(first.txHash);
            assertThat(tx(stuck).lastError).contains("waiting to be mined");
            Thread.sleep(2_100);
            outbox.process(stuck);
            ChainTx replaced = tx(stuck);
            assertThat(replaced.status).isEqualTo("SENT");
            assertThat(replaced.txHash).isNotEqualTo(first.txHash);
            assertThat(replaced.nonce).isEqualTo(first.nonce);
            assertThat(replaced.replacedHashes).isEqualTo(first.txHash);
            assertThat(replaced.maxFeePerGas.multiply(BigInteger.valueOf(8)))
                    .isGreaterThanOrEqualTo(first.maxFeePerGas.multiply(BigInteger.valueOf(9)));
            assertThat(replaced.maxPriorityFeePerGas.multiply(BigInteger.valueOf(8)))
                    .isGreaterThanOrEqualTo(first.maxPriorityFeePerGas.multiply(BigInteger.valueOf(9)));
            node.mine(1);
            outbox.process(stuck);
            ChainTx mined = tx(stuck);
            assertThat(mined.status).isEqualTo("CONFIRMED");
            assertThat(mined.txHash).isEqualTo(replaced.txHash);
            assertThat(web3j.ethGetTransactionReceipt(first.txHash).send().getTransactionReceipt()).isEmpty();
            JsonPath view = given().get("/api/chain/proposals/{id}", payoutOf(stuck)).then().statusCode(200)
                    .extract().jsonPath();
            Map<String, Object> propose = view.<Map<String, Object>>getList("transactions").get(0);
            assertThat(propose.get("replacedHashes")).isEqualTo(List.of(first.txHash));
            assertThat(propose.get("nonce")).isEqualTo(first.nonce.toString());

            // Dropped: the node forgets the transaction (as the local chain's pool is forgotten when it starts again
            // from its saved state). It is sent again under the same nonce at once, not after replace-after, and mined.
            long dropped = proposeIntent("fees-dropped", 2013);
            outbox.process(dropped);
            ChainTx lost = tx(dropped);
            assertThat(lost.status).isEqualTo("SENT");
            node.rpc("anvil_dropTransaction", lost.txHash);
            outbox.process(dropped);
            // Sent anew at the chain's fees (the same bytes, and hash, when the fees have not moved), not replaced at
            // raised ones: the node had nothing to replace.
            assertThat(tx(dropped).nonce).isEqualTo(lost.nonce);
            assertThat(chain.web3j().ethGetTransactionByHash(tx(dropped).txHash).send().getTransaction()).isPresent();
            node.mine(1);
            outbox.process(dropped);
            assertThat(tx(dropped).status).isEqualTo("CONFIRMED");

            // Another sender with the same key (an operator's CLI beside the service) takes the nonce: the intent's
            // transaction can never be mined, so it is sent anew under the next nonce.
            long raced = proposeIntent("fees-raced", 2015);
            outbox.process(raced);
            ChainTx overtaken = tx(raced);
            node.rpc("anvil_dropTransaction", overtaken.txHash);
            Deployment.transactions(web3j, chain.signer(), AnvilNode.CHAIN_ID).sendTransaction(
                    GWEI.multiply(BigInteger.TEN), BigInteger.valueOf(21_000), chain.signer().getAddress(), "", BigInteger.ZERO);
            node.mine(1);
            outbox.process(raced);
            ChainTx anew = tx(raced);
            assertThat(anew.status).isEqualTo("SENT");
            assertThat(anew.nonce).isEqualTo(overtaken.nonce.add(BigInteger.ONE));
            assertThat(anew.replacedHashes).isEqualTo(overtaken.txHash);
            node.mine(1);
            outbox.process(raced);
            assertThat(tx(raced).status).isEqualTo("CONFIRMED");
        } finally {
            node.rpc("evm_setAutomine", true);
        }

        // The chain asks more than the DAO's ceiling (200 gwei by default): nothing is sent, and the intent says why.
        node.rpc("anvil_setNextBlockBaseFeePerGas", Numeric.toHexStringWithPrefix(GWEI.multiply(BigInteger.valueOf(300))));
        node.mine(1);
        long expensive = proposeIntent("fees-ceiling", 2014);
        outbox.process(expensive);
        ChainTx waiting = tx(expensive);
        assertThat(waiting.status).isEqualTo("PENDING");
        assertThat(waiting.txHash).isNull();
        assertThat(waiting.lastError).contains("above merit.chain.max-fee-gwei=200");
        node.rpc("anvil_setNextBlockBaseFeePerGas", Numeric.toHexStringWithPrefix(GWEI));
        node.mine(1);
        outbox.process(expensive);
        assertThat(tx(expensive).status).isEqualTo("CONFIRMED");
    }

    /**
     * The broadcast reached the node but its answer was lost (a proxy, a timeout): Merit had recorded the transaction's
     * hash and nonce before broadcasting it, so the next round finds that transaction mined and confirms the intent by
     * it; it never takes the intent for undone nor sends a second transaction. On a real anvil node behind a real HTTP
     * proxy that forwards the transaction and drops the node's reply.
     */
    @Test
    void aBroadcastWhoseReplyIsLostIsFollowedByTheRecordedHash() throws Exception {
        chain.dao();
        AnvilNode node = chain.localNode().orElseThrow();
        java.util.concurrent.atomic.AtomicBoolean dropReply = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        com.sun.net.httpserver.HttpServer proxy = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            try {
                java.net.http.HttpResponse<byte[]> answer = client.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(node.rpcUrl())).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                boolean lose = dropReply.get() && new String(request, java.nio.charset.StandardCharsets.UTF_8)
                        .contains("eth_sendRawTransaction");
                if (lose) {
                    dropped.incrementAndGet();
                }
                byte[] body = lose ? new byte[0] : answer.body();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(lose ? 502 : 200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        proxy.start();
        ChainService service = io.quarkus.arc.ClientProxy.unwrap(chain);
        java.lang.reflect.Field field = ChainService.class.getDeclaredField("web3j");
        field.setAccessible(true);
        Web3j direct = (Web3j) field.get(service);
        try {
            field.set(service, Web3j.build(new org.web3j.protocol.http.HttpService(
                    "http://127.0.0.1:" + proxy.getAddress().getPort())));
            long intent = proposeIntent("fees-lost-reply", 2016);
            BigInteger nonceBefore = direct.ethGetTransactionCount(chain.signer().getAddress(),
                    DefaultBlockParameterName.LATEST).send().getTransactionCount();
            dropReply.set(true);
            outbox.process(intent);
            assertThat(dropped.get()).isEqualTo(1);
            ChainTx lost = tx(intent);
            assertThat(lost.status).isEqualTo("SENT");
            assertThat(lost.lastError).contains("chain unreachable");
            assertThat(lost.txHash).isNotNull();
            assertThat(lost.nonce).isEqualTo(nonceBefore);
            // The node had it all along: mined under the recorded hash.
            assertThat(direct.ethGetTransactionReceipt(lost.txHash).send().getTransactionReceipt()).isPresent();

            dropReply.set(false);
            outbox.process(intent);
            ChainTx done = tx(intent);
            assertThat(done.status).isEqualTo("CONFIRMED");
            assertThat(done.txHash).isEqualTo(lost.txHash);
            // One transaction for the intent: the signer's nonce moved by exactly one.
            assertThat(direct.ethGetTransactionCount(chain.signer().getAddress(), DefaultBlockParameterName.LATEST).send()
                    .getTransactionCount()).isEqualTo(nonceBefore.add(BigInteger.ONE));
        } finally {
            field.set(service, direct);
            proxy.stop(0);
        }
    }

    /**
     * A payout superseded while its transaction waits to be mined (stuck behind fees, say) is not put on chain later:
     * the transaction's nonce goes to a transfer of nothing from the signer to itself, which is mined instead, and the
     * intent fails as cancelled. Before, the outbox kept replacing the old call at higher fees until it was mined.
     */
    @Test
    void aSupersededPayoutsUnminedTransactionIsCancelled() throws Exception {
        chain.dao();
        AnvilNode node = chain.localNode().orElseThrow();
        Web3j web3j = chain.web3j();
        long stale;
        ChainTx first;
        long second;
        node.rpc("evm_setAutomine", false);
        try {
            stale = proposeIntent("fees-superseded", 2018);
            outbox.process(stale);
            first = tx(stale);
            assertThat(first.status).isEqualTo("SENT");
            // The epoch is scored again (a dispute's correction) and its new payout goes on chain.
            long payout = payoutOf(stale);
            long epoch = given().get("/api/payout-proposals/{id}", payout).then().extract().jsonPath().getLong("epochId");
            Api.score(epoch);
            second = Api.propose(epoch).getLong("id");
            given().contentType(ContentType.JSON).body(Api.toChain(second, true))
                    .post("/api/chain/proposals")
                    .then().statusCode(201);

            outbox.process(stale);
            ChainTx cancelling = tx(stale);
            assertThat(cancelling.status).isEqualTo("SENT");
            assertThat(cancelling.nonce).isEqualTo(first.nonce);
            assertThat(cancelling.replacedHashes).isEqualTo(first.txHash);
            assertThat(cancelling.lastError).contains("cancelling (payout proposal " + payout
                    + " was superseded by payout proposal " + second + ")");
            Transaction cancel = web3j.ethGetTransactionByHash(cancelling.txHash).send().getTransaction().orElseThrow();
            assertThat(cancel.getTo()).isEqualToIgnoringCase(chain.signer().getAddress());
            assertThat(cancel.getValue()).isZero();
            assertThat(cancel.getInput()).isEqualTo("0x");
            assertThat(cancel.getMaxFeePerGas().multiply(BigInteger.valueOf(8)))
                    .isGreaterThanOrEqualTo(first.maxFeePerGas.multiply(BigInteger.valueOf(9)));
            outbox.process(stale); // waits for it, sends nothing more
            assertThat(tx(stale).txHash).isEqualTo(cancelling.txHash);

            node.mine(1);
            outbox.process(stale);
            ChainTx cancelled = tx(stale);
            assertThat(cancelled.status).isEqualTo("FAILED");
            assertThat(cancelled.txHash).isEqualTo(cancelling.txHash);
            assertThat(cancelled.lastError).startsWith("cancelled: payout proposal " + payout + " was superseded by "
                    + "payout proposal " + second);
            assertThat(web3j.ethGetTransactionReceipt(first.txHash).send().getTransactionReceipt()).isEmpty();
            ChainProposal old = QuarkusTransaction.requiringNew().call(() ->
                    ChainProposal.<ChainProposal>find("payoutProposalId", payout).firstResult());
            assertThat(chain.readGovernor(old.governor).proposalSnapshot(new BigInteger(old.onchainId)).send()).isZero();
        } finally {
            node.rpc("evm_setAutomine", true);
        }
        // The successor goes on chain under the next nonce.
        long next = QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>find("kind = 'PROPOSE' and "
                + "chainProposalId = (select id from ChainProposal where payoutProposalId = ?1)", second).firstResult().id);
        outbox.process(next);
        assertThat(tx(next).status).isEqualTo("CONFIRMED");
        assertThat(tx(next).nonce).isEqualTo(first.nonce.add(BigInteger.ONE));
    }

    @Test
    void replacementFeesOutbidByAnEighthAndFollowTheMarketIfItRose() {
        GasPricing.Fees fees = new GasPricing.Fees(BigInteger.valueOf(1_000_000_001), BigInteger.valueOf(7));
        assertThat(fees.bumped()).isEqualTo(new GasPricing.Fees(BigInteger.valueOf(1_125_000_002), BigInteger.valueOf(8)));
        GasPricing.Fees market = new GasPricing.Fees(BigInteger.valueOf(3_000_000_000L), BigInteger.ONE);
        assertThat(fees.bumped().atLeast(market))
                .isEqualTo(new GasPricing.Fees(BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(8)));
        GasPricing.Fees legacy = new GasPricing.Fees(BigInteger.valueOf(8), null);
        assertThat(legacy.bumped()).isEqualTo(new GasPricing.Fees(BigInteger.valueOf(9), null));
        assertThat(legacy.toString()).isEqualTo("gas price 0.000000008 gwei");
        assertThat(GasPricing.wei(new java.math.BigDecimal("1.5"))).isEqualTo(BigInteger.valueOf(1_500_000_000L));
        assertThat(GasPricing.gasLimit(BigInteger.valueOf(100_000))).isEqualTo(BigInteger.valueOf(130_000));
    }

    /** A payout of two contributors put to the governor: returns its PROPOSE intent, not sent yet. */
    private long proposeIntent(String name, int year) {
        long proposal = Api.payoutOnChain(name, year, wallets);
        return QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>find(
                "kind = 'PROPOSE' and chainProposalId = (select id from ChainProposal where payoutProposalId = ?1)",
                proposal).firstResult().id);
    }

    private static ChainTx tx(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ChainTx.<ChainTx>findById(id));
    }

    private static long payoutOf(long txId) {
        return QuarkusTransaction.requiringNew().call(() -> ChainProposal.<ChainProposal>findById(tx(txId).chainProposalId)
                .payoutProposalId);
    }
}
