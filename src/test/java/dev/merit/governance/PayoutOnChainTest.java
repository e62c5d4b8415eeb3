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
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * From a Git history to tokens in contributors' wallets, through the DAO's governor and timelock. The vault pays
 * periods in order and never twice, and the local chain is shared by the test classes: the payouts executed here
 * pay 1971, 1972, 1985 and 1992, in order, before any period another test executes (the dashboard's, 1993) or
 * proposes (after 2030).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayoutOnChainTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Inject
    picocli.CommandLine.IFactory factory;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Inject
    ChainService chain;

    @Inject
    GovernanceService governance;

    @Inject
    Wallets wallets;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    Outbox outbox;

    @Inject
    dev.merit.payroll.PayoutLedger ledger;

    @Inject
    ChainIntents intents;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Test
    @Order(1)
    void aPayoutIsProposedVotedExecutedAndEveryLineIsPaidExactlyOnce() throws Exception {
        TestRepo r = TestRepo.create("merit-onchain", Instant.parse("1971-05-01T00:00:00Z"));
        r.write("a.c", "int a;\nint b;\nint c;\n").commit("feat: a", "Ada Chain", "ada@chain.example");
        r.write("b.c", "int d;\nint e;\n").commit("fix: b", "Bea Chain", "bea@chain.example");
        r.write("c.md", "# docs\n\nmore words here\n").commit("docs: c", "Cal Chain", "cal@chain.example");
        Api.ingest(r);
        long epoch = Api.epoch("chain-1971-05", "1971-05-01T00:00:00Z", "1971-06-01T00:00:00Z", TOKEN.multiply(BigInteger.valueOf(1000)));
        Api.score(epoch);
        JsonPath payout = Api.propose(epoch);
        long proposal = payout.getLong("id");
        List<Map<String, Object>> lines = payout.getList("lines");

        for (int i = 0; i < lines.size(); i++) {
            String wallet = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(0xA11CE000L + i), 40);
            wallets.link(((Number) lines.get(i).get("contributorId")).longValue(), wallet);
        }

        DaoContracts dao = chain.dao();
        AnvilNode node = chain.localNode().orElseThrow();
        PayoutToken token = PayoutToken.load(dao.payoutToken(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(0), AnvilNode.CHAIN_ID), Deployment.GAS);
        BigInteger vaultBefore = token.balanceOf(dao.vault()).send();

        given().contentType(ContentType.JSON).body(Api.toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(201).body("state", equalTo("pending"));
        given().contentType(ContentType.JSON).body(Api.toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(409);
        governance.tick();
        governance.tick();
        assertThat(state(proposal)).isEqualTo("pending");

        node.mine(2);
        governance.tick();
        assertThat(state(proposal)).isEqualTo("active");
        JsonPath active = chainView(proposal);
        BigInteger onchainId = new BigInteger(active.getString("onchainId"));
        // Voting opened at a mined block: its time is that block's, not an estimate from the chain's pace.
        long opened = active.getLong("voteStartBlock");
        assertThat(java.time.Instant.parse(active.getString("voteStartsAt")).getEpochSecond()).isEqualTo(chain.web3j()
                .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(opened)),
                        false).send().getBlock().getTimestamp().longValueExact());

        // A record saying executed where the chain says otherwise (its blocks lost: a reorganisation deeper than the
        // confirmations, a node started from older state) is flagged by the status, which reads the governor.
        ChainProposal lost = new ChainProposal();
        lost.state = ChainProposal.State.EXECUTED.name();
        lost.onchainId = onchainId.toString();
        lost.governor = dao.governor();
        lost.vault = dao.vault();
        java.io.StringWriter flagged = new java.io.StringWriter();
        dev.merit.cli.ChainReadings.printVault(new java.io.PrintWriter(flagged, true), lost, chain);
        assertThat(flagged.toString()).contains("Warning: the chain says governor proposal " + onchainId + " is active "
                + "now, while Merit recorded it executed: the chain has lost blocks Merit recorded");
        // Started again from before the proposal: the governor has none by that id (its state() would revert).
        lost.onchainId = "12345";
        java.io.StringWriter none = new java.io.StringWriter();
        dev.merit.cli.ChainReadings.printVault(new java.io.PrintWriter(none, true), lost, chain);
        assertThat(none.toString()).contains("Warning: the chain says governor proposal 12345 does not exist now");

        governor(DevAccounts.account(1)).castVote(onchainId, BigInteger.ONE).send();
        governor(DevAccounts.account(2)).castVote(onchainId, BigInteger.ZERO).send();

        // Member 3 votes through Merit's relay with an EIP-712 signature.
        Credentials member = DevAccounts.account(3);
        MeritGovernor reader = governor(DevAccounts.account(0));
        Ballot ballot = new Ballot("MeritGovernor", "1", AnvilNode.CHAIN_ID, dao.governor(), onchainId, Ballot.FOR,
                member.getAddress(), reader.nonces(member.getAddress()).send());
        String forged = Numeric.toHexString(ballot.sign(DevAccounts.account(9).getEcKeyPair()));
        given().contentType(ContentType.JSON).body(Map.of("voter", member.getAddress(), "support", 1, "signature", forged))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(400).contentType("application/problem+json");
        // 65 bytes that are no point of the curve: refused in words, not a 500 (anyone may call the relay).
        given().contentType(ContentType.JSON).body(Map.of("voter", member.getAddress(), "support", 1,
                        "signature", "0x" + "00".repeat(65)))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("it is not a valid signature by any account"));
        Ballot otherChain = new Ballot("MeritGovernor", "1", 1, dao.governor(), onchainId, Ballot.FOR,
                member.getAddress(), ballot.nonce());
        given().contentType(ContentType.JSON).body(Map.of("voter", member.getAddress(), "support", 1,
                        "signature", Numeric.toHexString(otherChain.sign(member.getEcKeyPair()))))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(400).contentType("application/problem+json");
        String signature = Numeric.toHexString(ballot.sign(member.getEcKeyPair()));
        // A vote of the member's already on its way (against, here) refuses one that votes another way: the governor
        // would count the first. Once that one has failed on chain, their new signature is relayed, not answered
        // with the dead intent.
        String key = "vote:" + onchainId + ":" + member.getAddress().toLowerCase(java.util.Locale.ROOT);
        long earlier = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            ChainTx t = new ChainTx();
            t.chainProposalId = governance.byPayoutProposal(proposal).id;
            t.kind = "VOTE";
            t.dedupeKey = key;
            t.payload = "{\"voter\":\"" + member.getAddress() + "\",\"support\":0,\"signature\":\"0x00\"}";
            t.status = "PENDING";
            t.createdAt = Instant.now();
            t.updatedAt = t.createdAt;
            t.nextAttemptAt = t.createdAt.plusSeconds(3600);
            t.persist();
            return t.id;
        });
        given().contentType(ContentType.JSON).body(Map.of("voter", member.getAddress(), "support", 1,
                        "signature", signature))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(409).body("type", equalTo("/problems/vote-in-flight"))
                .body("detail", org.hamcrest.Matchers.containsString(
                        "vote against this proposal is already queued to be sent"));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            ChainTx t = ChainTx.findById(earlier);
            t.status = "FAILED";
            t.lastError = "reverted";
        });
        // Sent in the signature's twin form (s high, v 0 or 1, as some wallets and libraries give it), which the
        // governor refuses: Merit relays the form it accepts, and the vote is cast.
        byte[] twin = Numeric.hexStringToByteArray(signature);
        BigInteger order = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        System.arraycopy(Numeric.toBytesPadded(order.subtract(new BigInteger(1,
                java.util.Arrays.copyOfRange(twin, 32, 64))), 32), 0, twin, 32, 32);
        twin[64] = (byte) (twin[64] == 27 ? 1 : 0);
        given().contentType(ContentType.JSON).body(Map.of("voter", member.getAddress(), "support", 1,
                        "signature", Numeric.toHexString(twin)))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(200).body("status", equalTo("CONFIRMED"));
        given().contentType(ContentType.JSON).body(Map.of("voter", member.getAddress(), "support", 1, "signature", signature))
                .post("/api/chain/proposals/{id}/votes", proposal)
                .then().statusCode(409).body("type", equalTo("/problems/already-voted"));
        governance.tick();
        // How each member voted, read from the governor's events: sent by their own wallet or through the relay.
        String relayed = given().get("/api/chain/proposals/{id}/votes/{voter}", proposal,
                member.getAddress().toLowerCase(java.util.Locale.ROOT)).then().statusCode(200)
                .body("voter", equalTo(org.web3j.crypto.Keys.toChecksumAddress(member.getAddress())))
                .body("voted", equalTo(true)).body("support", equalTo("for"))
                .body("weight", equalTo(BigInteger.TEN.pow(20).toString()))
                .body("votingPower", equalTo(BigInteger.TEN.pow(20).toString()))
                .extract().path("txHash");
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, DevAccounts.account(2).getAddress())
                .then().statusCode(200).body("voted", equalTo(true)).body("support", equalTo("against"));
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, DevAccounts.account(4).getAddress())
                .then().statusCode(200).body("voted", equalTo(false)).body("support", org.hamcrest.Matchers.nullValue())
                .body("votingPower", equalTo("0")); // not one of the embedded chain's three members
        // A vote with params (castVoteWithReasonAndParams: a VoteCastWithParams event) reads the same, with its reason.
        governor(DevAccounts.account(4)).castVoteWithReasonAndParams(onchainId, BigInteger.TWO, "away this month",
                new byte[]{1}).send();
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, DevAccounts.account(4).getAddress())
                .then().statusCode(200).body("voted", equalTo(true)).body("support", equalTo("abstain"))
                .body("reason", equalTo("away this month"));
        // Every vote cast, whoever sent it, the largest first: each as the member's own reading says it.
        JsonPath all = given().get("/api/chain/proposals/{id}/votes", proposal).then().statusCode(200).extract()
                .jsonPath();
        List<Map<String, Object>> cast = all.getList("votes");
        assertThat(all.getInt("count")).isEqualTo(cast.size()).isGreaterThanOrEqualTo(3);
        Map<String, String> way = new java.util.HashMap<>();
        cast.forEach(v -> way.put((String) v.get("voter"), (String) v.get("support")));
        assertThat(way).hasSize(cast.size())
                .containsEntry(org.web3j.crypto.Keys.toChecksumAddress(member.getAddress()), "for")
                .containsEntry(org.web3j.crypto.Keys.toChecksumAddress(DevAccounts.account(2).getAddress()), "against")
                .containsEntry(org.web3j.crypto.Keys.toChecksumAddress(DevAccounts.account(4).getAddress()), "abstain");
        List<BigInteger> weights = cast.stream().map(v -> new BigInteger((String) v.get("weight"))).toList();
        assertThat(weights).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, "0x12")
                .then().statusCode(400).contentType("application/problem+json");
        // A sign where a hex digit goes is no address (web3j's check parses the digits as a number and let it through).
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, "0x-" + "1".repeat(39))
                .then().statusCode(400).body("type", equalTo("/problems/invalid-input"));
        given().get("/api/chain/proposals/{id}/ballot?voter={voter}", proposal, "0x+" + "1".repeat(39))
                .then().statusCode(400).body("type", equalTo("/problems/invalid-input"));
        // Mixed case is a checksum, checked as a wallet's is: one character's case changed is a typo, not the member.
        String checksummed = org.web3j.crypto.Keys.toChecksumAddress(member.getAddress());
        int letter = 2;
        while (!Character.isLetter(checksummed.charAt(letter))) {
            letter++;
        }
        String typo = checksummed.substring(0, letter) + (char) (checksummed.charAt(letter) ^ 0x20)
                + checksummed.substring(letter + 1);
        given().get("/api/chain/proposals/{id}/ballot?voter={voter}", proposal, typo).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("fails its EIP-55 checksum"));
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, checksummed.toLowerCase()).then()
                .statusCode(200);
        // A way of voting is said in words or as the governor's number, and anything else says which it takes.
        given().get("/api/chain/proposals/{id}/ballot?voter={voter}&support=maybe", proposal, member.getAddress())
                .then().statusCode(400).body("detail", equalTo("support is for, against or abstain (or the governor's "
                        + "1, 0, 2), not 'maybe'."));
        assertThat(ChainProposalResource.support("Against")).isZero();
        assertThat(ChainProposalResource.support(null)).isEqualTo(1);
        assertThat(ChainProposalResource.support("2")).isEqualTo(2);
        // A long one is quoted in part, not echoed whole.
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, "0x" + "f".repeat(5000))
                .then().statusCode(400).body("detail.length()", org.hamcrest.Matchers.lessThan(200))
                .body("instance", org.hamcrest.Matchers.nullValue());
        // A payout proposal that does not exist is not "not on chain": it is not there at all.
        given().get("/api/chain/proposals/{id}/votes/{voter}", 987_654_321L, member.getAddress())
                .then().statusCode(404).body("type", equalTo("/problems/not-found"));
        // A flag is true or false: "maybe" was read as false, and the page came without its lines.
        given().get("/api/chain/proposals/{id}?lines=maybe", proposal).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("lines is true or false"));
        given().get("/api/chain/proposals/{id}?lines=false", proposal).then().statusCode(200)
                .body("lines", org.hamcrest.Matchers.nullValue());
        JsonPath tallies = chainView(proposal);
        assertThat(new BigInteger(tallies.getString("votesFor"))).isEqualTo(BigInteger.TEN.pow(20).multiply(BigInteger.TWO));
        assertThat(new BigInteger(tallies.getString("votesAgainst"))).isEqualTo(BigInteger.TEN.pow(20));

        // Scored again while the vote is under way (a dispute's correction, say): each contributor's history still
        // lists the run the payout on chain pays from, with that payout, and names the new run beside it.
        JsonPath proposed = given().get("/api/payout-proposals/{id}", proposal).then().extract().jsonPath();
        assertThat(proposed.getString("approvedAt")).as("not approved while voted on").isNull();
        // Drafted again by the command line meanwhile: the draft says the vote is on the payout on chain, not on it.
        JsonPath epochView = given().get("/api/epochs/{id}", epoch).then().extract().jsonPath();
        dev.merit.support.InProcess.Run again = dev.merit.support.InProcess.merit(factory, "payroll", "--epoch",
                epochView.getString("name"), "--budget", epochView.getString("budgetTokens"));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("Note: payout proposal #" + proposal + " of this epoch is on chain (on chain, "
                + "members are voting); the vote is on that one, not on this draft");
        java.util.regex.Matcher drafted = java.util.regex.Pattern.compile("Payout proposal #(\\d+)")
                .matcher(again.out());
        assertThat(drafted.find()).isTrue();
        given().delete("/api/payout-proposals/{id}", drafted.group(1)).then().statusCode(200);
        long duringVote = Api.score(epoch);
        for (Object who : proposed.getList("lines.contributorId")) {
            Map<String, Object> listed = given().get("/api/contributors/{id}/history", who).then().statusCode(200)
                    .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                    .filter(h -> ((Number) h.get("epochId")).longValue() == epoch).findFirst().orElseThrow();
            assertThat(((Number) listed.get("runId")).longValue()).isEqualTo(proposed.getLong("scoringRunId"));
            assertThat(((Number) listed.get("proposalId")).longValue()).isEqualTo(proposal);
            assertThat(listed.get("onChain")).isEqualTo(true);
            assertThat(listed.get("paid")).isEqualTo(false);
            assertThat(((Number) listed.get("laterRunId")).longValue()).isEqualTo(duringVote);
        }

        node.mine(21);
        governance.tick();
        governance.tick();
        assertThat(state(proposal)).isEqualTo("queued");
        // Not yet due: nothing is executed before the timelock delay.
        governance.tick();
        assertThat(state(proposal)).isEqualTo("queued");
        // Its page says from when the timelock lets anyone execute it, as the governor has it.
        String due = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(chainView(proposal).getLong("executableAt")));
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + proposal))
                .contains("queued in the timelock; executes when its delay has passed; it can be executed from " + due)
                .contains("Executable from " + due).contains("Merit executes it then by itself, nothing to do");

        node.advanceTime(61);
        for (int i = 0; i < 4; i++) {
            governance.tick();
        }
        JsonPath done = chainView(proposal);
        assertThat(done.getString("state")).isEqualTo("executed");
        assertThat(done.getList("lines.state")).containsOnly("paid");
        // When it was approved, by the chain's clock (its execution block, as home says it), in the payout's own
        // view and in the list of payouts (as a day).
        String approvedAt = given().get("/api/payout-proposals/{id}", proposal).then().extract().path("approvedAt");
        assertThat(Instant.parse(approvedAt)).isEqualTo(Instant.parse(done.getString("executedAt")));
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals"))
                .contains("executed: the DAO approved it on " + approvedAt.substring(0, 10));
        // Once voting has closed, the votes cast read the same (kept from now on: they add up to the tallies).
        for (int read = 0; read < 2; read++) {
            assertThat(given().get("/api/chain/proposals/{id}/votes", proposal).then().statusCode(200).extract()
                    .jsonPath().<Map<String, Object>>getList("votes")).isEqualTo(cast);
        }
        List<Map<String, Object>> txs = done.getList("transactions");
        assertThat(txs).filteredOn(t -> ((Number) t.get("id")).longValue() == earlier).extracting(t -> t.get("status"))
                .containsExactly("FAILED"); // kept, under another key
        txs = txs.stream().filter(t -> ((Number) t.get("id")).longValue() != earlier).toList();
        assertThat(txs).extracting(t -> t.get("kind")).containsExactly("PROPOSE", "VOTE", "QUEUE", "EXECUTE", "CLAIM");
        assertThat(txs).filteredOn(t -> "VOTE".equals(t.get("kind"))).extracting(t -> t.get("txHash")).containsExactly(relayed);
        // After voting closed, the vote still reads from the chain.
        given().get("/api/chain/proposals/{id}/votes/{voter}", proposal, DevAccounts.account(1).getAddress())
                .then().statusCode(200).body("support", equalTo("for"));
        assertThat(txs).extracting(t -> t.get("status")).containsOnly("CONFIRMED");
        // When it was paid: the execution's block and that block's own time, on its page as on the API.
        String execute = (String) txs.stream().filter(t -> "EXECUTE".equals(t.get("kind"))).findFirst().orElseThrow()
                .get("txHash");
        BigInteger executedIn = chain.web3j().ethGetTransactionReceipt(execute).send().getTransactionReceipt()
                .orElseThrow().getBlockNumber();
        Instant executedAt = Instant.ofEpochSecond(chain.web3j().ethGetBlockByNumber(
                org.web3j.protocol.core.DefaultBlockParameter.valueOf(executedIn), false).send().getBlock()
                .getTimestamp().longValueExact());
        assertThat(done.getLong("executedBlock")).isEqualTo(executedIn.longValueExact());
        assertThat(Instant.parse(done.getString("executedAt"))).isEqualTo(executedAt);
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + proposal))
                .contains("Approved on chain " + dev.merit.problem.Moments.of(executedAt))
                .doesNotContain("Executable from");

        BigInteger paid = BigInteger.ZERO;
        for (Map<String, Object> line : done.<Map<String, Object>>getList("lines")) {
            BigInteger amount = new BigInteger((String) line.get("amountBaseUnits"));
            assertThat(token.balanceOf((String) line.get("wallet")).send()).isEqualTo(amount);
            paid = paid.add(amount);
        }
        assertThat(paid).isEqualTo(TOKEN.multiply(BigInteger.valueOf(1000)));
        assertThat(token.balanceOf(dao.vault()).send()).isEqualTo(vaultBefore.subtract(paid));

        // Following it further sends nothing more.
        governance.tick();
        assertThat(chainView(proposal).getList("transactions")).hasSize(6); // with the failed vote kept

        // `merit chain status` shows the same: every line paid with its transaction, every step in words.
        java.io.StringWriter printed = new java.io.StringWriter();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            ChainProposal cp = governance.byPayoutProposal(proposal);
            java.io.PrintWriter out = new java.io.PrintWriter(printed, true);
            dev.merit.cli.ChainCommand.Status.print(out, cp, outbox, ledger);
            dev.merit.cli.ChainReadings.printVault(out, cp, chain);
            // `merit chain execute` of it says nothing is due, not that a server will send something.
            assertThat(dev.merit.cli.ChainCommand.nothingDue(cp, outbox)).isEqualTo("it was executed, and every "
                    + "line is paid");
        });
        assertThat(printed.toString()).contains("  approved on chain " + dev.merit.problem.Moments.of(executedAt)
                + ", in block " + executedIn).contains("\n  executed: the DAO approved it")
                .doesNotContain("executed (executed");
        assertThat(printed.toString()).contains("vault balance now " + dev.merit.audit.TokenAmounts.format(
                vaultBefore.subtract(paid), 18) + " tokens, of which 0 reserved");
        for (Map<String, Object> line : done.<Map<String, Object>>getList("lines")) {
            assertThat(printed.toString()).containsPattern("(?m)^.*" + line.get("wallet") + ".*\\bpaid\\b.*"
                    + line.get("paidTxHash") + ".*$");
        }
        assertThat(printed.toString()).doesNotContain("Warning: the chain says"); // executed, as recorded
        assertThat(printed.toString()).contains("pays 1000 tokens").contains("payment claims").contains("confirmed")
                .doesNotContain("CONFIRMED").doesNotContain("PROPOSE").doesNotContain("base units");

        // Paid once: a new payout of the same epoch, or of an epoch overlapping its period, is refused when it is made,
        // not only when it would go on chain.
        given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/payout-proposals").then()
                .statusCode(409).body("type", equalTo("/problems/period-already-paid"))
                .body("detail", org.hamcrest.Matchers.containsString("by payout proposal " + proposal));
        // The command line refuses it before it scores the epoch (a run that could pay nothing).
        int runs = given().queryParam("epochId", epoch).get("/api/scoring-runs").then().extract().jsonPath()
                .getList("$").size();
        JsonPath paidView = given().get("/api/epochs/{id}", epoch).then().extract().jsonPath();
        dev.merit.support.InProcess.Run paidAgain = dev.merit.support.InProcess.merit(factory, "payroll", "--epoch",
                paidView.getString("name"), "--budget", paidView.getString("budgetTokens"));
        assertThat(paidAgain.exitCode()).isEqualTo(2);
        assertThat(paidAgain.err()).contains("Period already paid").contains("by payout proposal " + proposal);
        assertThat(given().queryParam("epochId", epoch).get("/api/scoring-runs").then().extract().jsonPath()
                .getList("$")).hasSize(runs);
        // Scored by the command line, it is said to pay nothing of the paid period.
        dev.merit.support.InProcess.Run scoredAgain = dev.merit.support.InProcess.merit(factory, "score", "--epoch",
                paidView.getString("name"));
        assertThat(scoredAgain.exitCode()).as(scoredAgain.err()).isZero();
        assertThat(scoredAgain.err()).contains("was paid by payout proposal #" + proposal).contains("this run pays "
                + "nothing of it");
        // Scored again after it was paid (a dispute's correction asks for it): each contributor's history still shows
        // the payout that paid the epoch, and the run it paid from.
        long paidRun = given().get("/api/payout-proposals/{id}", proposal).then().extract().jsonPath().getLong("scoringRunId");
        long rescored = Api.score(epoch);
        for (Map<String, Object> line : done.<Map<String, Object>>getList("lines")) {
            List<Map<String, Object>> history = given().get("/api/contributors/{id}/history", line.get("contributorId"))
                    .then().statusCode(200).extract().jsonPath().getList("$");
            Map<String, Object> paidEpoch = history.stream().filter(h -> ((Number) h.get("epochId")).longValue() == epoch)
                    .findFirst().orElseThrow();
            assertThat(((Number) paidEpoch.get("proposalId")).longValue()).isEqualTo(proposal);
            assertThat(((Number) paidEpoch.get("runId")).longValue()).isEqualTo(paidRun);
            // ... and names the later run, whose corrected types its page offers beside the paid one.
            assertThat(((Number) paidEpoch.get("laterRunId")).longValue()).isEqualTo(rescored);
            assertThat(paidEpoch.get("paid")).isEqualTo(true);
            assertThat(paidEpoch.get("payoutBaseUnits").toString()).isEqualTo(line.get("amountBaseUnits").toString());
            // Their page of the paid run names the wallet paid and the transaction, to check on chain.
            Map<String, Object> waterfall = given().queryParam("run", paidRun)
                    .get("/api/contributors/{id}/summary", line.get("contributorId")).then().statusCode(200).extract()
                    .jsonPath().getMap("payout");
            assertThat(waterfall).containsEntry("paidTxHash", line.get("paidTxHash"))
                    .containsEntry("wallet", line.get("wallet")).containsEntry("state", "paid");
        }
        // ... which the page says in words, the transaction shortened as the vote page writes hashes.
        Map<String, Object> first = done.<Map<String, Object>>getList("lines").get(0);
        String tx = (String) first.get("paidTxHash");
        String page = dev.merit.support.Chromium.text(base + "#/contributors/" + first.get("contributorId")
                + "?run=" + paidRun);
        assertThat(page)
                .containsPattern("(?i)Paid to 0x[0-9a-f]{4}…" + ((String) first.get("wallet")).substring(38)
                        + " ?Copy by transaction " + tx.substring(0, 6) + "…" + tx.substring(62) + " ?Copy");
        long overlapping = Api.epoch("chain-1971-05-early", "1971-04-15T00:00:00Z", "1971-05-15T00:00:00Z", TOKEN);
        Api.score(overlapping);
        given().contentType(ContentType.JSON).body(Map.of("epochId", overlapping)).post("/api/payout-proposals").then()
                .statusCode(409).body("type", equalTo("/problems/period-already-paid"))
                .body("detail", org.hamcrest.Matchers.containsString("Epoch 'chain-1971-05'"));
        // The epochs say what paid them, and which epoch sharing their time was paid: the leaderboard reads it there.
        given().get("/api/epochs/{id}", epoch).then().statusCode(200)
                .body("paidBy.payoutProposalId", equalTo((int) proposal))
                .body("paidBy.scoringRunId", equalTo((int) paidRun))
                .body("paidBy.approvedAt", org.hamcrest.Matchers.notNullValue());
        given().get("/api/epochs/{id}", overlapping).then().statusCode(200)
                .body("paidBy", org.hamcrest.Matchers.nullValue())
                .body("overlaps.find { it.id == " + epoch + " }.paidBy.payoutProposalId", equalTo((int) proposal));
        List<Map<String, Object>> listed = given().get("/api/epochs").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(listed).filteredOn(e -> ((Number) e.get("id")).longValue() == epoch)
                .singleElement().extracting(e -> ((Map<?, ?>) e.get("paidBy")).get("payoutProposalId"))
                .isEqualTo((int) proposal);
    }

    @Test
    @Order(3)
    void aContributorsOwnClaimIsRecordedAsTheirPayment() throws Exception {
        long proposal = executedWithClaimRecorded("self-claim", 1985);
        JsonPath executed = chainView(proposal);

        // Every recipient claims from the vault themselves (anyone may send a claim) before Merit's batch goes out.
        DaoContracts dao = chain.dao();
        PayrollVault asAnyone = PayrollVault.load(dao.vault(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(4), AnvilNode.CHAIN_ID), Deployment.GAS);
        List<MerkleTree.Leaf> leaves = leaves(proposal);
        assertThat(leaves).isNotEmpty();
        MerkleTree tree = MerkleTree.of(leaves);
        BigInteger epoch = new BigInteger(executed.getString("vaultEpoch"));
        Map<String, String> claimedBy = new java.util.HashMap<>();
        for (int i = 0; i < leaves.size(); i++) {
            var receipt = asAnyone.claim(epoch, leaves.get(i).account(), leaves.get(i).amount(), tree.proof(i)).send();
            claimedBy.put(leaves.get(i).account().toLowerCase(java.util.Locale.ROOT), receipt.getTransactionHash());
        }
        governance.tick();

        JsonPath done = chainView(proposal);
        assertThat(done.<Map<String, Object>>getList("transactions")).filteredOn(t -> t.get("kind").equals("CLAIM"))
                .singleElement().satisfies(t -> assertThat(t.get("status")).isEqualTo("CONFIRMED"));
        assertThat(done.getList("lines.state")).as("every line paid, by the claim that paid it").containsOnly("paid");
        for (Map<String, Object> line : done.<Map<String, Object>>getList("lines")) {
            assertThat(line.get("paidTxHash")).isEqualTo(claimedBy.get(((String) line.get("wallet")).toLowerCase(java.util.Locale.ROOT)));
        }

        // The search read the vault's events page by page (3 blocks a page here); a search of the same payout again
        // goes on from where it stopped instead of from the execution: with every claim found, it reads no page.
        io.micrometer.core.instrument.Counter pages = metrics.get("merit.chain.log.pages").tag("outcome", "read").counter();
        assertThat(pages.count()).isPositive();
        double before = pages.count();
        ChainProposal cp = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> governance.byPayoutProposal(proposal));
        assertThat(intents.claimTransactions(cp, claimedBy.keySet())).isEqualTo(claimedBy);
        assertThat(pages.count()).isEqualTo(before);
        // A node that answered those pages from behind its head (a load-balanced provider) would have shown none of
        // the claims: what was kept then misses them, and the payout is read again from its start instead of waiting
        // for them for good.
        ChainIntents.ClaimsRead kept = intents.claimsKept(cp.id);
        intents.keepClaims(cp.id, new ChainIntents.ClaimsRead(kept.from(), kept.next(), Map.of()));
        assertThat(intents.claimTransactions(cp, claimedBy.keySet())).isEqualTo(claimedBy);
        assertThat(pages.count()).isGreaterThan(before);
        assertThat(intents.claimsKept(cp.id).found()).isEqualTo(claimedBy);
    }

    @Test
    @Order(4)
    void aClaimBatchThatLosesALeafToAnotherClaimSendsTheRest() throws Exception {
        long proposal = executedWithClaimRecorded("claim-race", 1992);
        AnvilNode node = chain.localNode().orElseThrow();
        JsonPath executed = chainView(proposal);
        List<MerkleTree.Leaf> leaves = leaves(proposal);
        assertThat(leaves).hasSizeGreaterThan(1);
        node.rpc("evm_setAutomine", false);
        try {
            governance.tick(); // Merit's batch is sent and waits in the pool
            // A contributor's own claim of the first leaf, paying more, is mined ahead of it in the same block:
            // Merit's batch reverts on that leaf.
            PayrollVault eager = PayrollVault.load(chain.dao().vault(), chain.web3j(),
                    Deployment.transactions(chain.web3j(), DevAccounts.account(5), AnvilNode.CHAIN_ID),
                    new org.web3j.tx.gas.StaticGasProvider(BigInteger.valueOf(500_000_000_000L), BigInteger.valueOf(300_000)));
            var own = eager.claim(new BigInteger(executed.getString("vaultEpoch")), leaves.get(0).account(),
                    leaves.get(0).amount(), MerkleTree.of(leaves).proof(0)).sendAsync();
            Thread.sleep(300);
            node.mine(1);
            own.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            node.rpc("evm_setAutomine", true);
        }
        governance.tick(); // sees the revert: part of the batch was claimed, the rest is sent again after a backoff
        assertThat(chainView(proposal).<Map<String, Object>>getList("transactions"))
                .filteredOn(t -> t.get("kind").equals("CLAIM")).singleElement()
                .satisfies(t -> assertThat((String) t.get("lastError")).contains("claimed meanwhile"));
        Thread.sleep(2_100); // past the retry backoff
        governance.tick();
        governance.tick();
        JsonPath done = chainView(proposal);
        assertThat(done.getList("lines.state")).as(done.prettify()).containsOnly("paid");
        assertThat(done.<Map<String, Object>>getList("transactions")).filteredOn(t -> t.get("kind").equals("CLAIM"))
                .singleElement().satisfies(t -> assertThat(t.get("status")).isEqualTo("CONFIRMED"));
        PayoutToken token = PayoutToken.load(chain.dao().payoutToken(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(0), AnvilNode.CHAIN_ID), Deployment.GAS);
        for (MerkleTree.Leaf leaf : leaves) {
            assertThat(token.balanceOf(leaf.account()).send()).isEqualTo(leaf.amount());
        }
        // A reverted batch is sent again only if a leaf it tried to pay was claimed since: which leaves it tried is
        // read from its input on chain. A batch of all but the first leaf names those; a single claim is no batch.
        PayrollVault vault = PayrollVault.load(chain.dao().vault(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(5), AnvilNode.CHAIN_ID), Deployment.GAS);
        List<Integer> rest = java.util.stream.IntStream.range(1, leaves.size()).boxed().toList();
        MerkleTree.MultiProof mp = MerkleTree.of(leaves).multiProof(rest);
        String batch = vault.claimBatch(new BigInteger(executed.getString("vaultEpoch")),
                mp.leaves().stream().map(MerkleTree.Leaf::account).toList(),
                mp.leaves().stream().map(MerkleTree.Leaf::amount).toList(), mp.proof(), mp.proofFlags()).encodeFunctionCall();
        assertThat(ClaimBatchInput.accounts(batch)).hasValueSatisfying(accounts -> assertThat(accounts)
                .containsExactlyInAnyOrderElementsOf(rest.stream()
                        .map(i -> leaves.get(i).account().toLowerCase(java.util.Locale.ROOT)).toList()));
        assertThat(ClaimBatchInput.accounts(vault.claim(new BigInteger(executed.getString("vaultEpoch")),
                leaves.get(0).account(), leaves.get(0).amount(), MerkleTree.of(leaves).proof(0)).encodeFunctionCall())).isEmpty();
        assertThat(ClaimBatchInput.accounts("0x")).isEmpty();
    }

    /** A queued payout, executed: Merit has seen it executed and recorded its CLAIM intent, not sent it. */
    private long executedWithClaimRecorded(String name, int year) throws Exception {
        long proposal = queuedPayout(name, year);
        chain.localNode().orElseThrow().advanceTime(61);
        governance.tick(); // executes
        governance.tickWithoutSending(); // sees it executed: the CLAIM intent is recorded, not sent
        JsonPath executed = chainView(proposal);
        assertThat(executed.getString("state")).isEqualTo("executed");
        assertThat(executed.getList("transactions.kind")).contains("CLAIM");
        return proposal;
    }

    /** The payout's Merkle leaves, in tree order (a claim proves a leaf by its index). */
    private List<MerkleTree.Leaf> leaves(long proposal) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ChainProposal
                .<ChainProposal>find("payoutProposalId", proposal).firstResult().leafList(json));
    }

    /** A payout of three contributors, proposed and voted through, queued in the timelock. */
    private long queuedPayout(String name, int year) throws Exception {
        long proposal = Api.payoutOnChain(name, year, wallets);
        governance.tick();
        chain.localNode().orElseThrow().mine(2);
        governance.tick();
        BigInteger onchainId = new BigInteger(chainView(proposal).getString("onchainId"));
        for (int m = 1; m <= 3; m++) {
            governor(DevAccounts.account(m)).castVote(onchainId, BigInteger.ONE).send();
        }
        chain.localNode().orElseThrow().mine(21);
        governance.tick();
        governance.tick();
        assertThat(state(proposal)).isEqualTo("queued");
        return proposal;
    }

    @Test
    @Order(2)
    void anRpcOutageDuringExecutionDelaysButNeverDuplicatesIt() throws Exception {
        long proposal = queuedPayout("outage", 1972);
        chain.localNode().orElseThrow().advanceTime(61);
        governance.tickWithoutSending(); // EXECUTE is now due and recorded, not sent
        assertThat(chainView(proposal).getList("transactions.kind")).contains("EXECUTE");

        chain.localNode().orElseThrow().killProcess();
        governance.tick();
        Map<String, Object> execute = chainView(proposal).<Map<String, Object>>getList("transactions").stream()
                .filter(t -> t.get("kind").equals("EXECUTE")).findFirst().orElseThrow();
        assertThat(execute.get("status")).isEqualTo("PENDING");
        assertThat((String) execute.get("lastError")).contains("unreachable");

        // The node comes back (from its saved state) after a while; Merit carries on by itself.
        chain.stop();
        chain.dao();
        // Time passed while the node was down (and a reloaded node does not keep earlier clock jumps).
        chain.localNode().orElseThrow().advanceTime(600);
        Thread.sleep(2_100); // past the retry backoff
        for (int i = 0; i < 4; i++) {
            governance.tick();
        }
        JsonPath done = chainView(proposal);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("executed");
        List<Map<String, Object>> txs = done.getList("transactions");
        assertThat(txs.stream().filter(t -> t.get("kind").equals("EXECUTE")).toList()).singleElement()
                .satisfies(t -> assertThat(t.get("status")).isEqualTo("CONFIRMED"));
        assertThat(done.getList("lines.state")).containsOnly("paid");
        PayoutToken token = PayoutToken.load(chain.dao().payoutToken(), chain.web3j(),
                Deployment.transactions(chain.web3j(), DevAccounts.account(0), AnvilNode.CHAIN_ID), Deployment.GAS);
        for (Map<String, Object> line : done.<Map<String, Object>>getList("lines")) {
            assertThat(token.balanceOf((String) line.get("wallet")).send()).isEqualTo(new BigInteger((String) line.get("amountBaseUnits")));
        }
    }

    private MeritGovernor governor(Credentials who) {
        return MeritGovernor.load(chain.dao().governor(), chain.web3j(),
                Deployment.transactions(chain.web3j(), who, AnvilNode.CHAIN_ID), Deployment.GAS);
    }

    private static JsonPath chainView(long proposal) {
        return given().get("/api/chain/proposals/{id}", proposal).then().statusCode(200).extract().jsonPath();
    }

    private static String state(long proposal) {
        return chainView(proposal).getString("state");
    }

    /**
     * A treasurer withdraws a draft while someone puts it on chain, in the order that matters: the withdrawal holds
     * the draft's row, uncommitted, and the proposal waits for it (seen in pg_stat_activity). Once the withdrawal
     * commits, the proposal is refused as not a draft (409) and nothing is recorded or sent: no governor proposal (an
     * intent to send belongs to one). Year 2077; nothing of it reaches the shared chain.
     */
    @Test
    @Order(5)
    void aDraftWithdrawnWhileItIsProposedDoesNotGoOnChain() throws Exception {
        long payout = Api.draftWithWallets("withdraw-race", 2077, wallets);
        java.util.concurrent.CountDownLatch withdrawn = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
        var withdrawal = java.util.concurrent.CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(
                () -> {
                    ledger.withdraw(payout);
                    withdrawn.countDown();
                    try { // holds the draft's row until the proposal waits for it
                        assertThat(commit.await(60, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        assertThat(withdrawn.await(60, TimeUnit.SECONDS)).isTrue();
        var proposing = java.util.concurrent.CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .body(Api.toChain(payout)).post("/api/chain/proposals"));
        long until = System.nanoTime() + 60_000_000_000L;
        while (waitingOnPayoutRows() == 0) {
            assertThat(System.nanoTime()).as("the proposal waits for the withdrawal's lock").isLessThan(until);
            Thread.sleep(20);
        }
        commit.countDown();
        withdrawal.get(60, TimeUnit.SECONDS);
        io.restassured.response.Response refused = proposing.get(60, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.jsonPath().getString("type")).endsWith("not-a-draft");
        assertThat(refused.jsonPath().getString("detail")).contains("is withdrawn");
        assertThat(QuarkusTransaction.requiringNew().call(() -> ChainProposal.count("payoutProposalId", payout)))
                .isZero();
        assertThat(given().get("/api/payout-proposals/{id}", payout).then().statusCode(200).extract().jsonPath()
                .getString("state")).isEqualTo("withdrawn");
    }

    /** Statements waiting for a lock on payout proposal rows. */
    private static long waitingOnPayoutRows() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) ChainProposal.getEntityManager()
                .createNativeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = "
                        + "current_database() and query ilike '%from payout_proposal %' and query ilike "
                        + "'% for %update%'")
                .getSingleResult()).longValue());
    }
}
