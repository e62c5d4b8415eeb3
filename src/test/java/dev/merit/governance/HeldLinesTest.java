package dev.merit.governance;

import dev.merit.contributor.Wallets;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.support.Api;
import dev.merit.support.OwnApplication;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real DAO: most contributors have no wallet when a payout goes on chain. Five contributors, two with wallets: the
 * payout passes and executes, the two are paid, the vault holds the three others' shares under keys derived from
 * them. One links a wallet: the next epoch's proposal, voted like any other, releases their share to it (the
 * description names it), and returns what the other two never claimed to the treasury (merit.payroll.held-epochs=0
 * here: at the very next payout). Its own chain (support.OwnApplication), so its periods are its own.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(OwnApplication.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HeldLinesTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final String[] PEOPLE = {"Ada Held", "Bea Held", "Cal Held", "Dee Held", "Eve Held"};

    @Inject
    ChainService chain;

    @Inject
    GovernanceService governance;

    @Inject
    Wallets wallets;

    @Inject
    dev.merit.payroll.PayoutLedger ledger;

    @Inject
    Outbox outbox;

    private static String wallet(int i) {
        return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(0xB0B0000L + i), 40);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everyContributorIsPaidOrHeldAndAHeldShareIsReleasedByTheNextVote() throws Exception {
        TestRepo r = TestRepo.create("merit-held", Instant.parse("1974-05-01T00:00:00Z"));
        for (int i = 0; i < PEOPLE.length; i++) {
            r.write("f" + i + ".c", "int v" + i + ";\n".repeat(i + 1)).commit("feat: part " + i, PEOPLE[i],
                    "p" + i + "@held.example");
        }
        long repo = Api.ingest(r);
        long epoch = Api.epoch("held-1974-05", "1974-05-01T00:00:00Z", "1974-06-01T00:00:00Z", TOKEN.multiply(BigInteger.valueOf(1000)));
        Api.score(epoch);
        long payout = Api.propose(epoch).getLong("id");
        Map<String, Long> ids = contributors(payout);
        // Two wallets linked by a maintainer's bulk import (CSV, by e-mail): a dry run first, then for real.
        String csv0 = "identity,address\np0@held.example," + wallet(0) + "\np1@held.example," + wallet(1) + "\n";
        given().contentType("text/csv").body(csv0).queryParam("dryRun", "true").post("/api/wallets/import").then()
                .statusCode(200);
        assertThat(states(payoutView(payout))).containsEntry("Ada Held", "held");
        given().contentType("text/csv").body(csv0).post("/api/wallets/import").then().statusCode(200);

        DaoContracts dao = chain.dao();
        PayoutToken token = PayoutToken.load(dao.payoutToken(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(0), AnvilNode.CHAIN_ID), Deployment.GAS);
        PayrollVault vault = chain.readVault(dao.vault());
        BigInteger vaultBefore = token.balanceOf(dao.vault()).send();

        given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                .then().statusCode(201);
        JsonPath proposed = payoutView(payout);
        assertThat(proposed.getString("state")).isEqualTo("pending");
        assertThat(states(proposed)).containsEntry("Ada Held", "to pay").containsEntry("Bea Held", "to pay")
                .containsEntry("Cal Held", "held").containsEntry("Dee Held", "held").containsEntry("Eve Held", "held");
        assertThat(line(proposed, "Cal Held").getString("reason")).contains("no wallet linked");
        voteThrough(payout);

        JsonPath done = payoutView(payout);
        assertThat(done.getString("state")).isEqualTo("executed");
        assertThat(states(done)).containsEntry("Ada Held", "paid").containsEntry("Bea Held", "paid")
                .containsEntry("Cal Held", "held").containsEntry("Dee Held", "held").containsEntry("Eve Held", "held");
        BigInteger paid = amount(done, "Ada Held").add(amount(done, "Bea Held"));
        BigInteger held = amount(done, "Cal Held").add(amount(done, "Dee Held")).add(amount(done, "Eve Held"));
        assertThat(paid.add(held)).isEqualTo(TOKEN.multiply(BigInteger.valueOf(1000)));
        assertThat(token.balanceOf(wallet(0)).send()).isEqualTo(amount(done, "Ada Held"));
        assertThat(token.balanceOf(dao.vault()).send()).isEqualTo(vaultBefore.subtract(paid));
        assertThat(vault.reserved().send()).isEqualTo(held);
        String csv = given().get("/api/payout-proposals/{id}/lines.csv", payout).then().statusCode(200).extract().asString();
        assertThat(csv.lines().filter(l -> l.contains(",paid,")).count()).isEqualTo(2);
        assertThat(csv.lines().filter(l -> l.contains(",held,")).count()).isEqualTo(3);
        // A contributor's history says the same: a held share is not read as paid.
        assertThat(given().get("/api/contributors/{id}/history", ids.get("Cal Held")).then().statusCode(200).extract()
                .jsonPath().getList("payoutState", String.class)).containsExactly("held");
        JsonPath adaHistory = given().get("/api/contributors/{id}/history", ids.get("Ada Held")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(adaHistory.getList("payoutState", String.class)).containsExactly("paid");
        // And by which transaction, the payout's claim for Ada (a held share has none).
        assertThat(adaHistory.getString("[0].paidTxHash")).startsWith("0x")
                .isEqualTo(line(done, "Ada Held").getString("paidTxHash"));
        assertThat(given().get("/api/contributors/{id}/history", ids.get("Cal Held")).then().extract().jsonPath()
                .getString("[0].paidTxHash")).isNull();

        // `merit chain execute` of it: nothing more is due, and it says what is held.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> assertThat(dev.merit.cli.ChainCommand
                .nothingDue(governance.byPayoutProposal(payout), outbox)).isEqualTo("it was executed, and every line "
                + "with a wallet is paid; 3 shares are held in the vault until a later payout's vote releases them to "
                + "a wallet"));
        // Cal links a wallet; the next epoch's payout releases Cal's share and returns the other two.
        wallets.link(ids.get("Cal Held"), wallet(2));
        // Until a vote releases it, Cal's share is still held; the payout's pages name the wallet linked since, apart
        // from the wallet it went on chain with (none); they said "no wallet" and "none linked".
        JsonPath linked = line(payoutView(payout), "Cal Held");
        assertThat(linked.getString("state")).isEqualTo("held");
        assertThat(linked.getString("wallet")).isNull();
        assertThat(linked.getString("walletLinkedSince")).isEqualToIgnoringCase(wallet(2));
        assertThat(linked.getString("reason")).contains("one is linked since: a later payout's vote can release");
        assertThat(line(payoutView(payout), "Dee Held").getString("walletLinkedSince")).isNull();
        assertThat(given().get("/api/chain/proposals/{id}", payout).then().statusCode(200).extract().jsonPath()
                .getList("lines.walletLinkedSince", String.class)).filteredOn(java.util.Objects::nonNull)
                .singleElement().satisfies(w -> assertThat(w).isEqualToIgnoringCase(wallet(2)));
        // Without its lines, as the payout's page asks (it reads them from the payout): the same proposal, no line.
        JsonPath bare = given().queryParam("lines", false).get("/api/chain/proposals/{id}", payout).then()
                .statusCode(200).extract().jsonPath();
        assertThat(bare.getList("lines")).isNull();
        assertThat(bare.getString("heldLines")).isNull();
        assertThat(bare.getString("state")).isEqualTo("executed");
        assertThat(chainView(payout).getInt("heldLines")).isEqualTo(3);
        assertThat(given().get("/api/payout-proposals/{id}/lines.csv", payout).then().statusCode(200).extract()
                .asString().toLowerCase()).contains(",held,").contains("," + wallet(2).toLowerCase() + "\n");
        java.io.StringWriter status = new java.io.StringWriter();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> dev.merit.cli.ChainCommand.Status.print(
                new java.io.PrintWriter(status, true), governance.byPayoutProposal(payout), outbox, ledger));
        assertThat(status.toString()).containsPattern("(?im)^\\s*Cal Held.*none then; " + wallet(2) + " since.*held")
                .containsPattern("(?m)^\\s*Dee Held.*none linked");
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + payout)).contains("(linked since)")
                .contains("Held until released to a wallet");
        // Each one's own page says what releases the share: a wallet linked since, or one to link.
        long paidRun = given().get("/api/payout-proposals/{id}", payout).then().extract().jsonPath()
                .getLong("scoringRunId");
        String page = base + "#/contributors/%d?run=" + paidRun;
        assertThat(dev.merit.support.Chromium.text(page.formatted(ids.get("Cal Held"))))
                .contains("a wallet is linked now, so a later payout, once executed, releases it there "
                        + "(nothing to do)");
        assertThat(dev.merit.support.Chromium.text(page.formatted(ids.get("Dee Held"))))
                .contains("held in the vault until a wallet is linked; a later payout, once executed, then "
                        + "releases it there");
        r.write("g.c", "int june;\n").commitAt(Instant.parse("1974-06-10T00:00:00Z"), "fix: june", "Ada Held", "p0@held.example");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        long june = Api.epoch("held-1974-06", "1974-06-01T00:00:00Z", "1974-07-01T00:00:00Z", TOKEN.multiply(BigInteger.valueOf(10)));
        Api.score(june);
        long next = Api.propose(june).getLong("id");
        // Before it goes on chain, the draft already says what its vote would also move (its maintainer decides).
        JsonPath preview = given().get("/api/chain/next-releases").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getList("releases.displayName")).containsExactly("Cal Held");
        assertThat(preview.getLong("releases[0].heldByPayoutProposalId")).isEqualTo(payout);
        assertThat(preview.getList("returnsHeldOf", Long.class)).containsExactly(payout);
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + next))
                .containsPattern("Put on chain as things stand now, its vote would also release Cal Held ?: "
                        + java.util.regex.Pattern.quote(preview.getString("releases[0].amountTokens")) // under 1,000
                        + " MPAY held by "
                        + "payout #" + payout + ", to 0x")
                .contains("and return to the treasury what payout #" + payout + " still holds");
        JsonPath onChain = given().contentType(ContentType.JSON).body(Api.toChain(next))
                .post("/api/chain/proposals").then().statusCode(201).extract().jsonPath();
        assertThat(onChain.getString("description")).contains("Releases to Cal Held (contributor #" + ids.get("Cal Held") + ")")
                .containsIgnoringCase("to " + wallet(2)).contains("Returns to the treasury what payout #" + payout + " still holds");
        // The same, as data the dashboard shows beside the payout (members see what else the vote moves).
        assertThat(onChain.getList("releases")).singleElement().satisfies(release -> {
            Map<?, ?> r0 = (Map<?, ?>) release;
            assertThat(r0.get("displayName")).isEqualTo("Cal Held");
            assertThat(((String) r0.get("wallet")).toLowerCase()).isEqualTo(wallet(2).toLowerCase());
            assertThat(((Number) r0.get("heldByPayoutProposalId")).longValue()).isEqualTo(payout);
            assertThat(new BigInteger(r0.get("amountBaseUnits").toString())).isPositive();
        });
        assertThat(onChain.getList("returnsHeldOf", Long.class)).containsExactly(payout);
        // And as `merit chain status` prints it: what a treasurer reads at a terminal is what members vote on.
        java.io.StringWriter printed = new java.io.StringWriter();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> dev.merit.cli.ChainCommand.printReleases(
                new java.io.PrintWriter(printed, true), ChainProposal.<ChainProposal>find("payoutProposalId", next)
                        .firstResult(), 18));
        assertThat(printed.toString()).contains("also releases").contains("Cal Held (#" + ids.get("Cal Held") + ")")
                .containsIgnoringCase(wallet(2)).contains("payout #" + payout)
                .contains("also returns to the treasury what payout #" + payout + " still holds");
        // What the draft's page said beforehand is what the proposal then carried.
        assertThat(onChain.getList("releases")).isEqualTo(preview.getList("releases"));
        // While June's vote is open: July's payout neither releases Cal's share again nor returns what June returns
        // (either would revert on the vault once June executes, and take July's whole batch with it).
        r.write("h.c", "int july;\n").commitAt(Instant.parse("1974-07-10T00:00:00Z"), "fix: july", "Bea Held", "p1@held.example");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        long july = Api.epoch("held-1974-07", "1974-07-01T00:00:00Z", "1974-08-01T00:00:00Z", TOKEN);
        Api.score(july);
        long third = Api.propose(july).getLong("id");
        String julyDescription = given().contentType(ContentType.JSON).body(Api.toChain(third))
                .post("/api/chain/proposals").then().statusCode(201).extract().jsonPath().getString("description");
        assertThat(julyDescription).doesNotContain("Releases to").doesNotContain("Returns to the treasury");
        // And Cal changes wallet before June executes: June's vote released to wallet 2, and that is what is recorded.
        wallets.link(ids.get("Cal Held"), wallet(7));
        voteThrough(next);

        JsonPath after = payoutView(payout);
        assertThat(states(after)).containsEntry("Cal Held", "paid").containsEntry("Dee Held", "returned to the treasury")
                .containsEntry("Eve Held", "returned to the treasury");
        assertThat(line(after, "Cal Held").getString("wallet")).isEqualToIgnoringCase(wallet(2));
        // Released by the execution that was mined: Merit's own, confirmed.
        java.util.List<Map<String, Object>> sent = given().get("/api/chain/proposals/{id}", next).then().statusCode(200)
                .extract().jsonPath().getList("transactions");
        Map<String, Object> execute = sent.stream().filter(t -> String.valueOf(t.get("kind")).equalsIgnoreCase("execute"))
                .findFirst().orElseThrow();
        assertThat(line(after, "Cal Held").getString("paidTxHash")).isEqualTo(execute.get("txHash"));
        assertThat(chain.web3j().ethGetTransactionReceipt((String) execute.get("txHash")).send().getTransactionReceipt()
                .orElseThrow().isStatusOK()).isTrue();
        assertThat(token.balanceOf(wallet(2)).send()).isEqualTo(amount(after, "Cal Held"));
        assertThat(token.balanceOf(wallet(7)).send()).isZero();
        assertThat(vault.reserved().send()).isZero();
        assertThat(vault.held(new BigInteger(Numeric.cleanHexPrefix(contentHash(payout)), 16)).send().component4()).isTrue();

        // A superseded proposal is still the DAO's: August's first payout, superseded by a rescored one, is passed by
        // the members and executed by one of them, without Merit. It is the payout made: Merit records it, pushes its
        // claims, and the successor can never approve August again.
        r.write("i.c", "int august;\n").commitAt(Instant.parse("1974-08-10T00:00:00Z"), "feat: august", "Ada Held", "p0@held.example");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        long august = Api.epoch("held-1974-08", "1974-08-01T00:00:00Z", "1974-09-01T00:00:00Z", TOKEN);
        Api.score(august);
        long firstAugust = Api.propose(august).getLong("id");
        given().contentType(ContentType.JSON).body(Api.toChain(firstAugust)).post("/api/chain/proposals")
                .then().statusCode(201);
        governance.tick();
        governance.tick();
        Api.score(august);
        long secondAugust = Api.propose(august).getLong("id");
        given().contentType(ContentType.JSON).body(Api.toChain(secondAugust, true))
                .post("/api/chain/proposals")
                .then().statusCode(201);
        assertThat(chainView(firstAugust).getString("state")).isEqualTo("superseded");
        AnvilNode node = chain.localNode().orElseThrow();
        node.mine(2);
        BigInteger firstId = new BigInteger(chainView(firstAugust).getString("onchainId"));
        for (int m = 1; m <= 3; m++) {
            governor(DevAccounts.account(m)).castVote(firstId, BigInteger.ONE).send();
        }
        node.mine(21);
        ChainProposal superseded = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ChainProposal
                .<ChainProposal>find("payoutProposalId", firstAugust).firstResult());
        List<PayoutPlans.Call> calls = new com.fasterxml.jackson.databind.ObjectMapper().readValue(superseded.calls,
                new com.fasterxml.jackson.core.type.TypeReference<List<PayoutPlans.Call>>() { });
        List<String> targets = calls.stream().map(PayoutPlans.Call::target).toList();
        List<BigInteger> values = calls.stream().map(c -> BigInteger.ZERO).toList();
        List<byte[]> calldatas = calls.stream().map(c -> Numeric.hexStringToByteArray(c.data())).toList();
        byte[] descriptionHash = org.web3j.crypto.Hash.sha3(superseded.description.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        MeritGovernor member = governor(DevAccounts.account(4));
        member.queue(targets, values, calldatas, descriptionHash).send();
        node.advanceTime(61);
        BigInteger adaBefore = token.balanceOf(wallet(0)).send();
        member.execute(targets, values, calldatas, descriptionHash, BigInteger.ZERO).send();
        for (int i = 0; i < 3; i++) {
            governance.tick();
        }
        JsonPath paidAugust = chainView(firstAugust);
        assertThat(paidAugust.getString("state")).as(paidAugust.prettify()).isEqualTo("executed");
        assertThat(states(payoutView(firstAugust))).containsEntry("Ada Held", "paid");
        assertThat(token.balanceOf(wallet(0)).send().subtract(adaBefore)).isEqualTo(amount(payoutView(firstAugust), "Ada Held"));
        assertThat(payoutView(secondAugust).getString("state")).isNotEqualTo("executed");
        // The rescoring changed nothing, so the successor has the same content, and the vault approved that content
        // by the first proposal's execution: the successor can never pay, and says so (it used to wait for good, with
        // "to pay" on its lines and what it released or returned counted as still pending).
        assertThat(contentHash(secondAugust)).isEqualTo(contentHash(firstAugust));
        JsonPath successor = payoutView(secondAugust);
        assertThat(successor.getBoolean("periodTaken")).as(successor.prettify()).isTrue();
        assertThat(states(successor)).containsEntry("Ada Held", "will not be paid");
    }

    private static JsonPath chainView(long payout) {
        return given().get("/api/chain/proposals/{id}", payout).then().statusCode(200).extract().jsonPath();
    }

    /** Proposed, voted for by the three members, queued, executed and claimed. */
    private void voteThrough(long payout) throws Exception {
        voteThrough(payout, null);
    }

    /** As {@link #voteThrough(long)}; {@code executed} runs once the payout is executed, before its claims are sent. */
    private void voteThrough(long payout, ThrowingRunnable executed) throws Exception {
        AnvilNode node = chain.localNode().orElseThrow();
        governance.tick();
        governance.tick();
        node.mine(2);
        governance.tick();
        BigInteger onchainId = new BigInteger(given().get("/api/chain/proposals/{id}", payout).then().statusCode(200)
                .extract().jsonPath().getString("onchainId"));
        for (int m = 1; m <= 3; m++) {
            governor(DevAccounts.account(m)).castVote(onchainId, BigInteger.ONE).send();
        }
        node.mine(21);
        governance.tick();
        governance.tick();
        node.advanceTime(61);
        boolean hooked = executed == null;
        for (int i = 0; i < 4; i++) {
            governance.tick();
            if (!hooked && governor(DevAccounts.account(1)).state(onchainId).send().intValue() == 7) { // Executed
                executed.run();
                hooked = true;
            }
        }
        assertThat(payoutView(payout).getString("state")).isEqualTo("executed");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * One recipient the token refuses (here the zero address, as linked before Merit refused it; a blacklisted account
     * is the same) reverts a whole claim batch: the batch is split until the others are paid, and that one line fails
     * with the reason and stays claimable. Before, the batch was retried for ever and nobody in it was paid. (After the
     * first test: periods are approved in order, and this one is later.)
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void aRecipientTheTokenRefusesDoesNotStopTheOthersClaims() throws Exception {
        TestRepo r = TestRepo.create("merit-batch", Instant.parse("1975-05-01T00:00:00Z"));
        r.write("g.c", "int g;\n").commit("feat: g", "Gus Batch", "gus@batch.example");
        r.write("h.c", "int h;\nint i;\n").commit("feat: h", "Hal Batch", "hal@batch.example");
        r.write("j.c", "int j;\nint k;\nint l;\n").commit("feat: j", "Ida Batch", "ida@batch.example");
        Api.ingest(r);
        long epoch = Api.epoch("batch-1975-05", "1975-05-01T00:00:00Z", "1975-06-01T00:00:00Z", TOKEN.multiply(BigInteger.TEN));
        Api.score(epoch);
        long payout = Api.propose(epoch).getLong("id");
        Map<String, Long> ids = contributors(payout);
        wallets.link(ids.get("Gus Batch"), wallet(20));
        wallets.link(ids.get("Ida Batch"), wallet(21));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> dev.merit.contributor.Identity.of(
                ids.get("Hal Batch"), dev.merit.contributor.Identity.Kind.WALLET, "0x" + "0".repeat(40),
                dev.merit.contributor.Identity.LinkedBy.MANUAL).persist());
        given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                .then().statusCode(201);
        // Ida claims her own line as soon as the payout is executed, before Merit's batch goes out: the batch then
        // holds a leaf claimed before it was made, and still reverts on Hal's. It is split all the same (it was
        // retried for ever, "part of the batch was claimed meanwhile", and Gus never paid).
        voteThrough(payout, () -> {
            ChainProposal cp = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ChainProposal
                    .<ChainProposal>find("payoutProposalId", payout).firstResult());
            List<dev.merit.governance.MerkleTree.Leaf> leaves = io.quarkus.narayana.jta.QuarkusTransaction
                    .requiringNew().call(() -> cp.leafList(new com.fasterxml.jackson.databind.ObjectMapper()));
            int ida = java.util.stream.IntStream.range(0, leaves.size())
                    .filter(i -> leaves.get(i).account().equalsIgnoreCase(wallet(21))).findFirst().orElseThrow();
            PayrollVault.load(chain.dao().vault(), chain.web3j(), Deployment.transactions(chain.web3j(),
                            DevAccounts.account(6), AnvilNode.CHAIN_ID), Deployment.GAS)
                    .claim(new BigInteger(cp.vaultEpoch), leaves.get(ida).account(), leaves.get(ida).amount(),
                            dev.merit.governance.MerkleTree.of(leaves).proof(ida)).send();
        });
        for (int i = 0; i < 6; i++) {
            governance.tick();
            Thread.sleep(100);
        }

        JsonPath after = payoutView(payout);
        assertThat(states(after)).containsEntry("Gus Batch", "paid").containsEntry("Hal Batch", "claimable")
                .containsEntry("Ida Batch", "paid");
        PayoutToken token = PayoutToken.load(chain.dao().payoutToken(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(0), AnvilNode.CHAIN_ID), Deployment.GAS);
        assertThat(token.balanceOf(wallet(20)).send()).isEqualTo(amount(after, "Gus Batch")).isPositive();
        List<String> errors = given().get("/api/chain/proposals/{id}", payout).then().statusCode(200).extract()
                .jsonPath().getList("transactions.findAll { it.kind.equalsIgnoreCase('claim') }.lastError");
        assertThat(errors).anyMatch(e -> e != null && e.startsWith("split in two (1 and 2 lines)"))
                .anyMatch(e -> e != null && e.startsWith("the vault cannot pay 0x0000000000000000000000000000000000000000"));
    }

    /**
     * Work that reaches Merit after the run its period was paid from is counted in the period after, not paid nowhere:
     * a commit made in March and pushed during March's vote (fast-forwarded: it keeps its own date), and one pushed
     * after the payout was approved. Live work the run read stays, and history a first ingest reads keeps its date.
     * (After the tests above: periods are approved in order.)
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void workThatArrivesAfterTheRunItsPeriodWasPaidFromCountsLaterInsteadOfNowhere() throws Exception {
        Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestRepo r = TestRepo.create("merit-late", Instant.parse("1997-03-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Kim Late", "kim@late.example");
        r.write("b.c", "int b;\nint c;\n").commit("feat: b", "Lou Late", "lou@late.example");
        long repo = Api.ingest(r);
        // Pushed before March was scored: live, and read by the run that pays March.
        String beforeRun = r.write("c.c", "int c;\n").commitAt(Instant.parse("1997-03-10T00:00:00Z"), "feat: c",
                "Lou Late", "lou@late.example").getName();
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        long march = Api.epoch("late-1997-03", "1997-03-01T00:00:00Z", "1997-04-01T00:00:00Z", TOKEN.multiply(BigInteger.TEN));
        long paidFrom = Api.score(march);
        long payout = Api.propose(march).getLong("id");
        Map<String, Long> ids = contributors(payout);
        wallets.link(ids.get("Kim Late"), wallet(30));
        wallets.link(ids.get("Lou Late"), wallet(31));
        given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                .then().statusCode(201);

        // Made in March, pushed while March's payout is voted on: March's run did not read it, and it is still March's.
        String duringVote = r.write("d.c", "int d;\nint e;\n").commitAt(Instant.parse("1997-03-20T00:00:00Z"), "fix: d",
                "Kim Late", "kim@late.example").getName();
        // A dependency bot's push in the same days: March does not pay bots, so it is no work the payout leaves out.
        r.write("deps.txt", "bumped\n").commitAt(Instant.parse("1997-03-20T01:00:00Z"), "build: bump a dependency",
                "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        assertThat(contribution(repo, duringVote).getString("occurredAt")).isEqualTo("1997-03-20T00:00:00Z");
        assertThat(contribution(repo, duringVote).getString("lateFrom")).isNull();
        // The payout says it leaves it out (the members vote knowing it; a maintainer could score again).
        assertThat(payoutView(payout).getInt("storedAfterRun.contributions")).isEqualTo(1);
        assertThat(payoutView(payout).getInt("storedAfterRun.history")).isZero();
        // And `merit chain status` says it too.
        java.io.StringWriter status = new java.io.StringWriter();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> dev.merit.cli.ChainCommand.Status.printUnread(
                new java.io.PrintWriter(status, true), ChainProposal.<ChainProposal>find("payoutProposalId", payout)
                        .firstResult(), ledger));
        assertThat(status.toString()).contains("1 contribution of late-1997-03 stored after the scoring run it was made "
                + "from: it does not pay them. Approved as it is: live work (1) counts from the approval, history read "
                + "in bulk (0) is paid nowhere");
        // Another repository's history, read for the first time now: it is dated in March too, and keeps its date.
        TestRepo history = TestRepo.create("merit-late-history", Instant.parse("1997-03-21T00:00:00Z"));
        String old = history.write("h.c", "int h;\n").commitAt(Instant.parse("1997-03-21T00:00:00Z"), "feat: h",
                "Kim Late", "kim@late.example").getName();
        long historyRepo = Api.ingest(history);

        Instant voting = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        voteThrough(payout);
        Instant approved = Instant.now();
        // March is paid without it: it counts from the approval, and says which date it had.
        JsonPath moved = contribution(repo, duringVote);
        assertThat(moved.getString("lateFrom")).isEqualTo("1997-03-20T00:00:00Z");
        assertThat(Instant.parse(moved.getString("occurredAt"))).isBetween(voting, approved);
        // What the run read stays March's: it is paid there.
        assertThat(contribution(repo, beforeRun).getString("occurredAt")).isEqualTo("1997-03-10T00:00:00Z");
        assertThat(contribution(repo, beforeRun).getString("lateFrom")).isNull();
        assertThat(payoutView(payout).getString("storedAfterRun")).isNull(); // approved: nothing more to decide
        assertThat(contribution(historyRepo, old).getString("occurredAt")).isEqualTo("1997-03-21T00:00:00Z");
        assertThat(contribution(historyRepo, old).getString("lateFrom")).isNull();
        // Made in March, pushed after March was paid: counted from its arrival.
        String afterPay = r.write("f.c", "int f;\n").commitAt(Instant.parse("1997-03-25T00:00:00Z"), "fix: f",
                "Lou Late", "lou@late.example").getName();
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        JsonPath arrived = contribution(repo, afterPay);
        assertThat(arrived.getString("lateFrom")).isEqualTo("1997-03-25T00:00:00Z");
        assertThat(Instant.parse(arrived.getString("occurredAt"))).isAfterOrEqualTo(approved);
        // History read for the first time after March was paid keeps its date too.
        TestRepo secondHistory = TestRepo.create("merit-late-history-2", Instant.parse("1997-03-22T00:00:00Z"));
        String older = secondHistory.write("k.c", "int k;\n").commitAt(Instant.parse("1997-03-22T00:00:00Z"), "feat: k",
                "Lou Late", "lou@late.example").getName();
        long laterRepo = Api.ingest(secondHistory);
        assertThat(contribution(laterRepo, older).getString("occurredAt")).isEqualTo("1997-03-22T00:00:00Z");

        // March scored again reads neither (its payout's run read neither); the period they now fall in pays them.
        assertThat(titles(Api.score(march), ids.get("Kim Late"))).containsExactlyInAnyOrder("feat: a", "feat: h");
        assertThat(titles(paidFrom, ids.get("Kim Late"))).containsExactly("feat: a");
        assertThat(titles(paidFrom, ids.get("Lou Late"))).containsExactlyInAnyOrder("feat: b", "feat: c");
        long later = Api.epoch("late-after-1997-03", started.toString(), Instant.now().plusSeconds(86_400).toString(),
                TOKEN);
        long run = Api.score(later);
        assertThat(titles(run, ids.get("Kim Late"))).containsExactly("fix: d");
        assertThat(titles(run, ids.get("Lou Late"))).containsExactly("fix: f");
        JsonPath page = given().queryParam("run", run).get("/api/contributors/{id}/contributions", ids.get("Kim Late"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("items[0].lateFrom")).isEqualTo("1997-03-20T00:00:00Z");
    }

    /**
     * One vote releases at most merit.payroll.releases-per-vote held shares (1 here; 200 by default), so that its
     * execution fits in a block: two contributors link a wallet after a payout held all three shares; the next vote
     * releases one, says the other waits, and returns nothing to the treasury while a share of that payout waits (its
     * owner linked a wallet in time); the vote after releases the other and returns the third, never linked.
     */
    @Test
    @org.junit.jupiter.api.Order(4)
    void aVoteReleasesABoundedNumberOfHeldSharesAndTheOthersWaitForTheNext() throws Exception {
        TestRepo r = TestRepo.create("merit-wait", Instant.parse("2019-01-01T00:00:00Z"));
        String[] people = {"Nia Wait", "Oto Wait", "Pia Wait"};
        for (int i = 0; i < people.length; i++) {
            r.write("w" + i + ".c", "int w" + i + ";\n".repeat(i + 1)).commit("feat: w" + i, people[i],
                    "w" + i + "@wait.example");
        }
        long repo = Api.ingest(r);
        long january = Api.epoch("wait-2019-01", "2019-01-01T00:00:00Z", "2019-02-01T00:00:00Z",
                TOKEN.multiply(BigInteger.TEN));
        Api.score(january);
        long held = Api.propose(january).getLong("id");
        given().contentType(ContentType.JSON).body(Api.toChain(held)).post("/api/chain/proposals")
                .then().statusCode(201);
        voteThrough(held);
        assertThat(states(payoutView(held)).values()).containsOnly("held");
        Map<String, Long> ids = contributors(held);
        wallets.link(ids.get("Nia Wait"), wallet(40));
        wallets.link(ids.get("Oto Wait"), wallet(41));

        long second = waitMonth(r, repo, 2);
        JsonPath next = given().get("/api/chain/next-releases").then().statusCode(200).extract().jsonPath();
        assertThat(next.getList("releases")).hasSize(1);
        String first = next.getString("releases[0].displayName");
        String waiting = first.equals("Nia Wait") ? "Oto Wait" : "Oto Wait".equals(first) ? "Nia Wait" : null;
        assertThat(waiting).as("one of the two who linked a wallet").isNotNull();
        assertThat(next.getInt("releasesWaiting")).isEqualTo(1);
        assertThat(next.getList("returnsHeldOf")).as("nothing returned while a share of it waits").isEmpty();
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + second)).contains("1 more held share of "
                + "contributors who linked a wallet since waits for a later vote: one vote releases at most 1");
        String description = given().contentType(ContentType.JSON).body(Api.toChain(second))
                .post("/api/chain/proposals").then().statusCode(201).extract().jsonPath().getString("description");
        assertThat(description).contains("Releases to " + first).doesNotContain("Releases to " + waiting)
                .contains("1 more held share waits for a later vote (one vote releases at most 1).")
                .doesNotContain("Returns to the treasury");
        voteThrough(second);
        assertThat(states(payoutView(held))).containsEntry(first, "paid").containsEntry(waiting, "held")
                .containsEntry("Pia Wait", "held");

        long third = waitMonth(r, repo, 3);
        JsonPath last = given().get("/api/chain/next-releases").then().statusCode(200).extract().jsonPath();
        assertThat(last.getList("releases.displayName")).containsExactly(waiting);
        assertThat(last.getInt("releasesWaiting")).isZero();
        assertThat(last.getList("returnsHeldOf", Long.class)).containsExactly(held);
        given().contentType(ContentType.JSON).body(Api.toChain(third)).post("/api/chain/proposals")
                .then().statusCode(201);
        voteThrough(third);
        JsonPath after = payoutView(held);
        assertThat(states(after)).containsEntry(first, "paid").containsEntry(waiting, "paid")
                .containsEntry("Pia Wait", "returned to the treasury");
        assertThat(line(after, "Nia Wait").getString("wallet")).isEqualToIgnoringCase(wallet(40));
        assertThat(line(after, "Oto Wait").getString("wallet")).isEqualToIgnoringCase(wallet(41));
    }

    /** A fix by Nia in 2019's {@code month}, ingested, and its epoch scored and proposed: the draft's id. */
    private static long waitMonth(TestRepo r, long repo, int month) {
        String m = String.format("2019-%02d", month);
        r.write("m" + month + ".c", "int m;\n").commitAt(Instant.parse(m + "-10T00:00:00Z"), "fix: " + m, "Nia Wait",
                "w0@wait.example");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        long epoch = Api.epoch("wait-" + m, m + "-01T00:00:00Z", String.format("2019-%02d-01T00:00:00Z", month + 1),
                TOKEN);
        Api.score(epoch);
        return Api.propose(epoch).getLong("id");
    }

    private static JsonPath contribution(long repository, String sha) {
        List<Map<String, Object>> all = given().queryParam("repositoryId", repository).queryParam("size", 500)
                .get("/api/contributions").then().statusCode(200).extract().jsonPath().getList("$");
        long id = all.stream().filter(c -> sha.equals(c.get("externalId"))).map(c -> ((Number) c.get("id")).longValue())
                .findFirst().orElseThrow(() -> new AssertionError(sha + " not stored"));
        return given().get("/api/contributions/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** The titles of a contributor's contributions in a run. */
    private static List<String> titles(long run, long contributor) {
        return given().queryParam("run", run).get("/api/contributors/{id}/contributions", contributor).then()
                .statusCode(200).extract().jsonPath().getList("items.title");
    }

    private MeritGovernor governor(Credentials who) {
        return MeritGovernor.load(chain.dao().governor(), chain.web3j(),
                Deployment.transactions(chain.web3j(), who, AnvilNode.CHAIN_ID), Deployment.GAS);
    }

    private static JsonPath payoutView(long payout) {
        return given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).extract().jsonPath();
    }

    private static String contentHash(long payout) {
        return payoutView(payout).getString("contentHash");
    }

    private static Map<String, Long> contributors(long payout) {
        Map<String, Long> ids = new java.util.HashMap<>();
        for (Map<String, Object> l : payoutView(payout).<Map<String, Object>>getList("lines")) {
            ids.put((String) l.get("displayName"), ((Number) l.get("contributorId")).longValue());
        }
        return ids;
    }

    private static Map<String, String> states(JsonPath view) {
        Map<String, String> out = new java.util.HashMap<>();
        for (Map<String, Object> l : view.<Map<String, Object>>getList("lines")) {
            out.put((String) l.get("displayName"), (String) l.get("state"));
        }
        return out;
    }

    private static JsonPath line(JsonPath view, String name) {
        List<Map<String, Object>> lines = view.getList("lines");
        return new JsonPath(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(lines.stream()
                .filter(l -> name.equals(l.get("displayName"))).findFirst().orElseThrow()).toString());
    }

    private static BigInteger amount(JsonPath view, String name) {
        return new BigInteger(line(view, name).getString("amountBaseUnits"));
    }
}
