package dev.merit.governance;

import dev.merit.contributor.Wallets;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * No period is paid twice: not by a second epoch over the same dates under another policy, not by a re-scored
 * epoch's second payout, not after the vault approved that time through a proposal Merit did not make.
 * (Periods here are after 2030: tests that execute payouts on the shared local chain pay the early 1970s.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PayoutPeriodTest {

    private static final String PROBLEM = "application/problem+json";

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Inject
    Wallets wallets;

    @Inject
    ChainService chain;

    @Inject
    VaultPaidUntil vaultPaidUntil;

    @Inject
    GovernanceService governance;

    @Inject
    ChainIntents intents;

    @Inject
    Outbox outbox;

    @Inject
    picocli.CommandLine.IFactory factory;

    @Inject
    dev.merit.payroll.PayoutLedger ledger;

    /** The shared chain back to {@code snapshot}, and the vault's paid-until read before it forgotten with it. */
    private void revert(AnvilNode node, String snapshot) throws java.io.IOException {
        node.rpc("evm_revert", snapshot);
        vaultPaidUntil.forget();
    }

    @Test
    void anOverlappingEpochCannotGoOnChainWhileAnotherPaysThatTime() {
        long first = Api.payoutOnChain("period-first", 2031, wallets);
        // The same contributors, from half a month earlier for a month, under another policy (dampening): another hash.
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "period-overlap",
                        "startsAt", "2031-04-15T00:00:00Z", "endsAt", "2031-05-15T00:00:00Z",
                        "budgetTokens", "10", "policy", Map.of("sqrtDampening", true)))
                .post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        Api.score(epoch);
        long second = Api.propose(epoch).getLong("id");
        linkWallets(second, 2031);
        given().contentType(ContentType.JSON).body(Api.toChain(second)).post("/api/chain/proposals")
                .then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("/problems/period-already-proposed"))
                .body("detail", containsString("overlaps epoch 'period-first'"))
                .body("detail", containsString("payout proposal " + first))
                .body("conflictingPayoutProposalId", equalTo((int) first));
        given().get("/api/chain/proposals/{id}", second).then().statusCode(404);
    }

    /**
     * A draft that lost a line after it was written (a crash the embedded database did not roll back whole, or an edit
     * in the database) would put a Merkle root on chain that pays fewer people than the payout members read: refused
     * before anything is claimed or sent, and the draft stays a draft.
     */
    @Test
    void aDraftThatLostALineDoesNotGoOnChain() {
        TestRepo r = TestRepo.create("merit-lost-line", Instant.parse("2042-05-01T00:00:00Z"));
        r.write("a.c", "int a;\nint b;\n").commit("feat: a", "Ann Lost", "ann@lost.example");
        r.write("b.c", "int c;\n").commit("fix: b", "Ben Lost", "ben@lost.example");
        Api.ingest(r);
        long epoch = Api.epoch("lost-line", "2042-05-01T00:00:00Z", "2042-06-01T00:00:00Z", BigInteger.TEN.pow(19));
        Api.score(epoch);
        long payout = Api.propose(epoch).getLong("id");
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> assertThat(
                dev.merit.payroll.PayoutLine.delete("proposalId = ?1 and rank = 2", payout)).isOne());
        given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                .then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("/problems/payout-does-not-verify"))
                .body("detail", containsString("Payout #" + payout + " does not verify against its own inputs"))
                .body("detail", containsString("line of Ben Lost (")) // named, though no line of theirs is left
                .body("detail", containsString("not stored, recomputed amount"))
                .body("detail", containsString("amounts in base units, 10^-18 of a token"))
                .body("detail", containsString("merit verify " + payout))
                .body("differences.size()", equalTo(2)); // the line, and the stored amounts' sum
        given().get("/api/chain/proposals/{id}", payout).then().statusCode(404);
        given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).body("state", equalTo("draft"));
        // Inputs that no longer hash to the content hash (here not even JSON): refused the same way, not a 500.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> assertThat(
                dev.merit.payroll.PayoutProposal.update("inputs = '{' where id = ?1", payout)).isOne());
        given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                .then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("/problems/payout-does-not-verify"))
                .body("detail", containsString("content hash: stored "));
    }

    @Test
    void aRescoredEpochsPayoutSupersedesTheOneBeforeIt() throws Exception {
        long first = pendingOnChain("period-rescored", 2032);
        long epoch = given().get("/api/payout-proposals/{id}", first).then().extract().jsonPath().getLong("epochId");
        Api.score(epoch);
        long second = Api.propose(epoch).getLong("id");
        linkWallets(second, 2032);
        // Not without saying so: the first one's vote is under way, and members would have to vote again.
        given().contentType(ContentType.JSON).body(Api.toChain(second)).post("/api/chain/proposals")
                .then().statusCode(409).body("type", equalTo("/problems/vote-under-way"))
                .body("detail", org.hamcrest.Matchers.containsString("Putting payout #" + second + " there replaces "
                        + "it: members vote again"))
                .body("detail", org.hamcrest.Matchers.containsString("\"replace\": true (the CLI's --replace)"))
                // Scored again without a change, it pays what the first does: replacing it would only restart the vote.
                .body("detail", org.hamcrest.Matchers.containsString("#" + second + " pays exactly what #" + first
                        + " does (the same content hash)"));
        assertThat(chainView(first).getString("state")).isNotEqualTo("superseded");
        given().get("/api/chain/proposals/{id}", second).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Api.toChain(second, true))
                .post("/api/chain/proposals").then().statusCode(201);
        JsonPath old = chainView(first);
        assertThat(old.getString("state")).isEqualTo("superseded");
        assertThat(old.getLong("supersededBy")).isEqualTo(second);
        // Merit stops following it: no votes relayed, nothing more sent for it.
        given().contentType(ContentType.JSON).body(Map.of("voter", "0x0000000000000000000000000000000000000001",
                        "support", 1, "signature", "0x" + "11".repeat(65)))
                .post("/api/chain/proposals/{id}/votes", first)
                .then().statusCode(409).body("type", equalTo("/problems/superseded"));
        governance.tick();
        assertThat(chainView(first).getString("state")).isEqualTo("superseded");
        // A third payout of the same epoch supersedes the second in turn; the first stays superseded.
        Api.score(epoch);
        long third = Api.propose(epoch).getLong("id");
        linkWallets(third, 2032);
        given().contentType(ContentType.JSON).body(Api.toChain(third, true))
                .post("/api/chain/proposals").then().statusCode(201);
        assertThat(chainView(second).getLong("supersededBy")).isEqualTo(third);
    }

    @Test
    void aPeriodTheVaultApprovedByAnotherRouteIsRefused() throws Exception {
        TestRepo r = TestRepo.create("merit-period-vault", Instant.parse("2033-05-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Vic Vault", "vic@vault.example");
        Api.ingest(r);
        long epoch = Api.epoch("period-vault", "2033-05-01T00:00:00Z", "2033-06-01T00:00:00Z", BigInteger.TEN.pow(19));
        Api.score(epoch);
        long payout = Api.propose(epoch).getLong("id");
        linkWallets(payout, 2033);
        DaoContracts dao = chain.dao();
        AnvilNode node = chain.localNode().orElseThrow();
        String snapshot = node.call("evm_snapshot");
        try {
            // The timelock approves pay up to 2090 without Merit (another instance, a hand-made proposal).
            asTimelock().approveEpoch(BigInteger.valueOf(0xfeed), Numeric.hexStringToByteArray("0x" + "ab".repeat(32)),
                    BigInteger.ONE, new byte[32], BigInteger.valueOf(Instant.parse("2089-01-01T00:00:00Z").getEpochSecond()),
                    BigInteger.valueOf(Instant.parse("2090-01-01T00:00:00Z").getEpochSecond())).send();
            given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                    .then().statusCode(409).contentType(PROBLEM)
                    .body("type", equalTo("/problems/period-already-approved"))
                    .body("detail", containsString("approved pay up to 2090-01-01 00:00 UTC"))
                    .body("approvedUntil", equalTo("2090-01-01T00:00:00Z"));
            // The dashboard reads it too, to say of a draft of an earlier period that it can never go on chain.
            given().get("/api/chain").then().statusCode(200).body("paidUntil", equalTo("2090-01-01T00:00:00Z"));
            // The draft says so itself, and none of its lines reads as money on its way.
            vaultPaidUntil.forget();
            given().get("/api/payout-proposals/{id}", payout).then().statusCode(200)
                    .body("state", equalTo("draft")).body("periodTaken", equalTo(true))
                    .body("stateText", containsString("a draft that can never go on chain: the vault has approved pay "
                            + "up to 2090-01-01 00:00 UTC, after this epoch's start (2033-05-01"))
                    .body("lines.state", org.hamcrest.Matchers.everyItem(equalTo("will not be paid")));
            // So does `merit payouts`, which reads the vault of a chain that runs (it starts none).
            dev.merit.support.InProcess.Run listed = dev.merit.support.InProcess.merit(factory, "payouts");
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).containsPattern("(?m)^#" + payout + " .*a draft that can never go on chain: the "
                    + "vault has approved pay up to 2090-01-01 00:00 UTC").doesNotContain("The vault was not read");
            // Proposed again, the new draft replaces it; the old one's share is not "paid there": neither can pay.
            long again = Api.propose(epoch).getLong("id");
            given().get("/api/payout-proposals/{id}", payout).then().statusCode(200)
                    .body("state", equalTo("superseded")).body("periodTaken", equalTo(true))
                    .body("stateText", containsString("it will not be paid: payout #" + again + ", which replaced this "
                            + "one, can never go on chain"))
                    .body("lines.state", org.hamcrest.Matchers.everyItem(equalTo("will not be paid")));
            payout = again;
        } finally {
            revert(node, snapshot);
        }
        given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).body("periodTaken", equalTo(false))
                .body("lines.state", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("will not be paid")));
        given().contentType(ContentType.JSON).body(Api.toChain(payout)).post("/api/chain/proposals")
                .then().statusCode(201);
    }

    /**
     * A payout's own approval moves the vault's approvedUntil past its start as another payout's would: it must not
     * read as "its period was taken" (a superseded payout the DAO executed was recorded as one that can never pay when
     * the governor, read merit.chain.confirmations blocks behind, still said queued).
     */
    @Test
    void aPayoutsOwnApprovalDoesNotTakeItsPeriodFromIt() throws Exception {
        long payout = Api.payoutOnChain("period-own", 2034, wallets);
        ChainProposal cp = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ChainProposal.<ChainProposal>find("payoutProposalId", payout).firstResult());
        long start = Instant.parse("2034-05-01T00:00:00Z").getEpochSecond();
        long end = Instant.parse("2034-06-01T00:00:00Z").getEpochSecond();
        AnvilNode node = chain.localNode().orElseThrow();
        String snapshot = node.call("evm_snapshot");
        try {
            assertThat(intents.periodTakenByOthers(cp, null)).isEmpty();
            // The vault approves this very payout (its execution, however it got there), then a later period.
            PayrollVault asTimelock = asTimelock();
            asTimelock.approveEpoch(new BigInteger(cp.vaultEpoch), Numeric.hexStringToByteArray(cp.merkleRoot),
                    BigInteger.ZERO, new byte[32], BigInteger.valueOf(start), BigInteger.valueOf(end)).send();
            assertThat(intents.periodTakenByOthers(cp, null)).isEmpty();
            asTimelock.approveEpoch(BigInteger.valueOf(0xbeef), new byte[32], BigInteger.ZERO, new byte[32],
                    BigInteger.valueOf(end), BigInteger.valueOf(end + 86_400)).send();
            assertThat(intents.periodTakenByOthers(cp, null)).isEmpty();
        } finally {
            revert(node, snapshot);
        }
        snapshot = node.call("evm_snapshot");
        try {
            // Another payout over the same time: this one can never pay.
            asTimelock().approveEpoch(BigInteger.valueOf(0xfeed), new byte[32], BigInteger.ZERO, new byte[32],
                    BigInteger.valueOf(start - 86_400), BigInteger.valueOf(start + 86_400)).send();
            assertThat(intents.periodTakenByOthers(cp, null)).hasValueSatisfying(taken -> {
                assertThat(taken.periodStart()).isEqualTo(BigInteger.valueOf(start));
                assertThat(taken.approvedUntil()).isEqualTo(BigInteger.valueOf(start + 86_400));
            });
        } finally {
            revert(node, snapshot);
        }
    }

    /**
     * A payout whose period another payout took on the vault (a later epoch executed first) can never execute: it is
     * marked so, and what it would release or return from held shares is no longer held back for it (before, a release
     * it carried was left out of every later proposal, for good).
     */
    @Test
    void aPayoutWhosePeriodAnotherTookCanNoLongerPay() throws Exception {
        long payout = pendingOnChain("period-taken", 2035);
        long cpId = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ChainProposal.<ChainProposal>find("payoutProposalId", payout).firstResult().id);
        long start = Instant.parse("2035-05-01T00:00:00Z").getEpochSecond();
        AnvilNode node = chain.localNode().orElseThrow();
        String snapshot = node.call("evm_snapshot");
        try {
            governance.refresh(cpId);
            assertThat(chainFinal(cpId)).isFalse();
            asTimelock().approveEpoch(BigInteger.valueOf(0xdead), new byte[32], BigInteger.ZERO, new byte[32],
                    BigInteger.valueOf(start + 86_400), BigInteger.valueOf(start + 2 * 86_400)).send();
            governance.refresh(cpId);
            assertThat(chainFinal(cpId)).isTrue();
            // People see it: the proposal can no longer be paid, and none of its lines reads "to pay".
            JsonPath view = given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).extract().jsonPath();
            assertThat(view.getString("stateText")).contains("it can no longer be paid");
            assertThat(view.getBoolean("periodTaken")).isTrue();
            assertThat(view.getList("lines.state")).contains("will not be paid").doesNotContain("to pay", "held");
            assertThat(chainView(payout).getList("lines.state")).containsOnly("will not be paid");
        } finally {
            revert(node, snapshot);
        }
    }

    /**
     * A superseded payout is still a governor proposal. When the payout that replaced it is voted down while members
     * passed the old one on chain, the old one is not "will not be paid": it pays if it is executed (before, its lines
     * read "will not be paid"); once it can no longer pay, it reads so.
     */
    @Test
    void aSupersededPayoutWhoseSuccessorFailedMayStillPayItself() throws Exception {
        long first = pendingOnChain("period-revived", 2036);
        long epoch = given().get("/api/payout-proposals/{id}", first).then().extract().jsonPath().getLong("epochId");
        AnvilNode node = chain.localNode().orElseThrow();
        node.mine(2);
        BigInteger firstId = new BigInteger(chainView(first).getString("onchainId"));
        for (int m = 1; m <= 3; m++) { // the members pass it on chain, without Merit
            governor(DevAccounts.account(m)).castVote(firstId, BigInteger.ONE).send();
        }
        Api.score(epoch);
        long second = Api.propose(epoch).getLong("id");
        linkWallets(second, 2036);
        given().contentType(ContentType.JSON).body(Api.toChain(second, true))
                .post("/api/chain/proposals").then().statusCode(201);
        governance.tick();
        governance.tick();
        node.mine(30); // both votes are over: the first passed, the second had no votes
        governance.tick();
        assertThat(chainView(second).getString("state")).isEqualTo("defeated");
        // `merit chain status` says in which units it counts, and which of the governor's tests the vote failed.
        java.io.StringWriter status = new java.io.StringWriter();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> dev.merit.cli.ChainCommand.Status.print(
                new java.io.PrintWriter(status, true), governance.byPayoutProposal(second), outbox, ledger));
        assertThat(status.toString()).contains("votes (governance tokens) for 0, against 0, abstain 0; quorum ")
                .contains("it did not pass: 0 For against 0 Against (it needs more For than Against)");
        // Put on chain again, a payout whose vote is lost says what pays its epoch instead: a new draft.
        given().contentType(ContentType.JSON).body(Api.toChain(second))
                .post("/api/chain/proposals").then().statusCode(409).body("type", equalTo("/problems/already-on-chain"))
                .body("detail", org.hamcrest.Matchers.containsString("Its vote is over (defeated: the vote did not "
                        + "pass, so it will not be paid): to pay its epoch, make a new draft"));
        JsonPath view = given().get("/api/payout-proposals/{id}", first).then().statusCode(200).extract().jsonPath();
        assertThat(view.getString("state")).isEqualTo("superseded");
        assertThat(view.getString("stateText")).contains("still on chain, where members may pass it");
        assertThat(view.getList("lines.state")).as(view.prettify()).containsOnly("replaced");
        assertThat(view.getList("lines.reason", String.class)).allSatisfy(reason -> assertThat(reason)
                .startsWith("payout #" + second + ", which replaced this one, will not be paid (the vote did not pass")
                .contains("this one is still on chain: it pays only if members pass it and it is executed there"));
        assertThat(given().get("/api/payout-proposals/{id}", second).then().extract().jsonPath().getList("lines.state"))
                .containsOnly("will not be paid");
        // Their pages say the same to a member: which of the governor's tests the lost vote failed, and that the one
        // it replaced may still be passed and paid.
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + second))
                .contains("Voting is closed: it did not pass: 0 votes For against 0 votes Against (it needs more For "
                        + "than Against)")
                .contains("will not be paid").doesNotContain("null").doesNotContain("undefined");
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + first))
                .contains("still on chain, where members may pass it").contains("payout #" + second
                        + ", which replaced this one, will not be paid").doesNotContain("null")
                .doesNotContain("undefined");
        // `merit chain execute`: nothing is due for the defeated one; the superseded one may still be executed.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            assertThat(dev.merit.cli.ChainCommand.nothingDue(governance.byPayoutProposal(second), outbox))
                    .isEqualTo("the vote did not pass, so it will not be paid");
            assertThat(dev.merit.cli.ChainCommand.nothingDue(governance.byPayoutProposal(first), outbox)).isNull();
        });

        // Once it can no longer pay (here: another payout takes its period on the vault), it says so like any other.
        // (Not executed for real: the shared chain's vault would then refuse every earlier period other tests pay.)
        long cpId = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ChainProposal.<ChainProposal>find("payoutProposalId", first).firstResult().id);
        String snapshot = node.call("evm_snapshot");
        try {
            long start = Instant.parse("2036-05-01T00:00:00Z").getEpochSecond();
            asTimelock().approveEpoch(BigInteger.valueOf(0xd0d0), new byte[32], BigInteger.ZERO, new byte[32],
                    BigInteger.valueOf(start + 86_400), BigInteger.valueOf(start + 2 * 86_400)).send();
            governance.refresh(cpId);
            assertThat(chainFinal(cpId)).isTrue();
            assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                    dev.merit.payroll.PayoutProposal.<dev.merit.payroll.PayoutProposal>findById(first).stillOnChain)).isFalse();
            JsonPath over = given().get("/api/payout-proposals/{id}", first).then().statusCode(200).extract().jsonPath();
            assertThat(over.getString("stateText")).doesNotContain("still on chain");
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> assertThat(dev.merit.cli.ChainCommand
                    .nothingDue(governance.byPayoutProposal(first), outbox))
                    .isEqualTo("payout #" + second + " replaced it on chain, and it can no longer be executed itself"));
            assertThat(over.getList("lines.state")).as(over.prettify()).containsOnly("will not be paid");
        } finally {
            revert(node, snapshot);
        }
    }

    /**
     * The vault pays periods once and in order: approving a payout closes the time before its epoch. Work dated there
     * that no payout has paid is then unpaid for good, so such a payout goes on chain only when the maintainer says to
     * close it (a DAO that starts paying from this epoch, say); the refusal says how much, of when, and which earlier
     * epoch could pay it first. A payout that closes no unpaid work goes on chain without being told anything.
     */
    @Test
    void aPayoutThatWouldCloseUnpaidWorkGoesOnChainOnlyWhenToldTo() throws Exception {
        TestRepo earlier = TestRepo.create("merit-closes-work", Instant.parse("2194-03-10T00:00:00Z"));
        earlier.write("a.c", "int a;\n").commit("feat: a", "Cleo Closes", "cleo@closes-work.example");
        // April: no epoch covers it.
        earlier.write("c.c", "int c;\n").commitAt(Instant.parse("2194-04-10T00:00:00Z"), "fix: c", "Cleo Closes",
                "cleo@closes-work.example");
        long repository = Api.ingest(earlier);
        Api.epoch("closes-work-march", "2194-03-01T00:00:00Z", "2194-04-01T00:00:00Z", BigInteger.TEN.pow(19));
        long payout = Api.draftWithWallets("closes-work", 2194, wallets);
        long lost = given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).extract().jsonPath()
                .getLong("closes.contributionsBefore");
        assertThat(lost).isGreaterThanOrEqualTo(1); // Cleo's commit, and other tests' unpaid work of earlier dates
        given().contentType(ContentType.JSON).body(Map.of("payoutProposalId", payout)).post("/api/chain/proposals")
                .then().statusCode(409).contentType(PROBLEM)
                .body("type", equalTo("/problems/closes-unpaid-work"))
                .body("contributionsBefore", equalTo((int) lost))
                .body("unpaidUntil", equalTo("2194-05-01T00:00:00Z"))
                .body("detail", containsString("Once payout #" + payout + " is approved, " + lost + " contribution"))
                .body("detail", containsString("2194-05-01 00:00 UTC (the start of 'closes-work'), which no payout "
                        + "has paid, can never be paid: the vault pays periods once and in order. To pay it, approve "))
                // The latest earlier epoch, last (oldest first); not scored, so with what it needs first.
                .body("detail", containsString("'closes-work-march' (not scored yet, 1 contribution: score it and "
                        + "draft its payout)"))
                // April's commit is in no epoch: no payout of one pays it, and that is said apart.
                .body("detail", org.hamcrest.Matchers.matchesPattern("(?s).*[0-9]+ of them (is|are) dated in no "
                        + "epoch \\(.* to 2194-04-10 00:00 UTC\\): to pay (it|them), make an epoch of that time "
                        + "\\(merit payroll --epoch FROM..TO --budget TOKENS\\) and approve its payout first too;.*"))
                .body("detail", containsString("ask again with \"closeUnpaid\": true (the CLI's --close-unpaid). "
                        + "Nothing was sent."));
        given().get("/api/chain/proposals/{id}", payout).then().statusCode(404); // nothing recorded
        // The command line the same: refused, then told.
        dev.merit.support.InProcess.Run refused = dev.merit.support.InProcess.merit(factory, "chain", "propose",
                String.valueOf(payout));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("can never be paid").contains("--close-unpaid");
        given().get("/api/chain/proposals/{id}", payout).then().statusCode(404);
        dev.merit.support.InProcess.Run told = dev.merit.support.InProcess.merit(factory, "chain", "propose",
                String.valueOf(payout), "--close-unpaid");
        assertThat(told.exitCode()).as(told.err()).isZero();
        assertThat(told.out()).contains("Warning: once it is approved, ").contains("can never be paid")
                .doesNotContain("it pays no one now"); // everyone in it has a wallet
        // What it closes is on its record, and in the words members vote on, as long as it is shown.
        given().get("/api/chain/proposals/{id}", payout).then().statusCode(200)
                .body("closedUnpaid.contributions", equalTo((int) lost))
                .body("closedUnpaid.until", equalTo("2194-05-01T00:00:00Z"))
                .body("closedUnpaid.askedBy", equalTo("a maintainer")) // on the command line, signed in as no one
                .body("description", containsString(" Closes for good " + lost + " contribution"))
                .body("description", containsString("2194-05-01 00:00 UTC that no payout has paid: once this is "
                        + "approved, the vault never pays that time"));
        assertThat(dev.merit.support.InProcess.merit(factory, "chain", "status", String.valueOf(payout)).out())
                .contains("also closes for good " + lost + " contribution").contains("that no payout had paid, as a "
                        + "maintainer asked (the vault pays periods once and in order)");
        // The decision is recorded, once, by whom: the refusals before it recorded nothing.
        List<dev.merit.events.Lifecycle> closed = dev.merit.support.LifecycleEvents.of("proposal.closes-unpaid",
                "proposal/" + payout);
        assertThat(closed).hasSize(1);
        assertThat(((Number) closed.get(0).data().get("contributionsBefore")).longValue()).isEqualTo(lost);
        assertThat(closed.get(0).data()).containsEntry("unpaidUntil", "2194-05-01T00:00:00Z").containsKey("by");
        // On chain, it is on record, and so is its epoch.
        long epoch = given().get("/api/payout-proposals/{id}", payout).then().extract().jsonPath().getLong("epochId");
        given().delete("/api/epochs/{id}", epoch).then().statusCode(409)
                .body("type", equalTo("/problems/epoch-has-payouts"))
                .body("detail", containsString("has payout #" + payout + " put on chain ("));

        // Once the vault has paid May (by hand here: a vote takes minutes), June's payout closes nothing unpaid.
        AnvilNode node = chain.localNode().orElseThrow();
        String snapshot = node.call("evm_snapshot");
        try {
            asTimelock().approveEpoch(BigInteger.valueOf(0xc105e), Numeric.hexStringToByteArray("0x" + "cd".repeat(32)),
                    BigInteger.ONE, new byte[32], BigInteger.valueOf(Instant.parse("2194-05-01T00:00:00Z")
                            .getEpochSecond()), BigInteger.valueOf(Instant.parse("2194-06-01T00:00:00Z")
                            .getEpochSecond())).send();
            vaultPaidUntil.forget();
            earlier.write("b.c", "int b;\n").commitAt(Instant.parse("2194-06-10T00:00:00Z"), "fix: b", "Cleo Closes",
                    "cleo@closes-work.example");
            given().post("/api/repositories/{id}/ingest", repository).then().statusCode(200);
            long june = Api.epoch("closes-work-june", "2194-06-01T00:00:00Z", "2194-07-01T00:00:00Z",
                    BigInteger.TEN.pow(19));
            Api.score(june);
            long junePayout = Api.propose(june).getLong("id");
            assertThat(given().get("/api/payout-proposals/{id}", junePayout).then().extract().jsonPath()
                    .getLong("closes.contributionsBefore")).isZero();
            // Cleo has no wallet: it holds her share, and says that it pays no one now.
            dev.merit.support.InProcess.Run untold = dev.merit.support.InProcess.merit(factory, "chain", "propose",
                    String.valueOf(junePayout));
            assertThat(untold.exitCode()).as(untold.err()).isZero();
            assertThat(untold.out()).contains("Note: it pays no one now: no contributor in it had a wallet linked")
                    .doesNotContain("can never be paid");
            given().get("/api/chain/proposals/{id}", junePayout).then().statusCode(200)
                    .body("totalBaseUnits", equalTo("0")).body("closedUnpaid", org.hamcrest.Matchers.nullValue())
                    .body("description", org.hamcrest.Matchers.not(containsString("Closes for good")));
        } finally {
            revert(node, snapshot);
        }
    }

    private MeritGovernor governor(Credentials who) {
        return MeritGovernor.load(chain.dao().governor(), chain.web3j(),
                Deployment.transactions(chain.web3j(), who, AnvilNode.CHAIN_ID), Deployment.GAS);
    }

    /** A payout put to the governor and proposed there (pending its vote). */
    private long pendingOnChain(String name, int year) {
        long payout = Api.payoutOnChain(name, year, wallets);
        governance.tick();
        governance.tick();
        assertThat(chainView(payout).getString("state")).isEqualTo("pending");
        return payout;
    }

    private static boolean chainFinal(long cpId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ChainProposal.<ChainProposal>findById(cpId).chainFinal);
    }

    /** The vault as its owner, the timelock, sends to it: what an executed proposal (Merit's or not) does. */
    private PayrollVault asTimelock() throws Exception {
        DaoContracts dao = chain.dao();
        AnvilNode node = chain.localNode().orElseThrow();
        node.rpc("anvil_impersonateAccount", dao.timelock());
        node.rpc("anvil_setBalance", dao.timelock(), "0xDE0B6B3A7640000");
        return PayrollVault.load(dao.vault(), chain.web3j(),
                // Receipts asked for every 50 ms: web3j's default waits 15 s whenever the first ask comes before anvil
                // has mined the transaction (this test took 6 to 35 s by that race alone).
                new org.web3j.tx.ClientTransactionManager(chain.web3j(), dao.timelock(),
                        new org.web3j.tx.response.PollingTransactionReceiptProcessor(chain.web3j(), 50, 1200)),
                new StaticGasProvider(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(500_000)));
    }

    private void linkWallets(long payout, int year) {
        List<Map<String, Object>> lines = given().get("/api/payout-proposals/{id}", payout).then().extract()
                .jsonPath().getList("lines");
        for (Map<String, Object> line : lines) {
            long contributor = ((Number) line.get("contributorId")).longValue();
            if (wallets.of(List.of(contributor)).isEmpty()) {
                wallets.link(contributor, Numeric.toHexStringWithPrefixZeroPadded(
                        BigInteger.valueOf(year * 1000L + 500 + contributor), 40));
            }
        }
    }

    private static JsonPath chainView(long proposal) {
        return given().get("/api/chain/proposals/{id}", proposal).then().statusCode(200).extract().jsonPath();
    }
}
