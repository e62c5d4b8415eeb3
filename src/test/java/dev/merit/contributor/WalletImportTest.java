package dev.merit.contributor;

import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/wallets/import}: wallets linked in bulk, conflicts reported and never overwritten. Year 1962. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WalletImportTest {

    @Inject
    Wallets wallets;

    @Inject
    WalletClaims claims;

    @Inject
    dev.merit.ingest.IdentityMerges merges;

    /** Ann, Ben (GitHub login ben-NAME, from a noreply address), Cy, Dee and Eve of a repository of their own. */
    private static Map<String, Long> people(String name) {
        TestRepo r = TestRepo.create("merit-wallets-" + name, Instant.parse("1962-03-01T00:00:00Z"));
        r.write("a.txt", "a\n").commit("feat: a", "Ann " + name, "ann@" + name + ".example");
        // A noreply address names its account's id: one account per login, as on GitHub.
        r.write("b.txt", "b\n").commit("feat: b", "ben-" + name, (name.hashCode() & 0xffff) + "+ben-" + name
                + "@users.noreply.github.com");
        r.write("c.txt", "c\n").commit("feat: c", "Cy " + name, "cy@" + name + ".example");
        r.write("d.txt", "d\n").commit("feat: d", "Dee " + name, "dee@" + name + ".example");
        r.write("e.txt", "e\n").commit("feat: e", "Eve " + name, "eve@" + name + ".example");
        Api.ingest(r);
        return Map.of("ann", Api.contributor("ann@" + name + ".example"),
                "ben", Api.contributor("github:ben-" + name), "cy", Api.contributor("cy@" + name + ".example"),
                "dee", Api.contributor("dee@" + name + ".example"), "eve", Api.contributor("eve@" + name + ".example"));
    }

    /** A checksummed address with letters in it (so its checksum means something). */
    private static String address(long n) {
        return Keys.toChecksumAddress(String.format("0x%040x", 0xABCDEF0000L + n));
    }

    private static String miscased(String checksummed) {
        char[] chars = checksummed.toCharArray();
        for (int i = 2; i < chars.length; i++) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
                break;
            }
        }
        String bad = new String(chars);
        assertThat(bad.substring(2)).as("still mixed case").isNotEqualTo(bad.substring(2).toLowerCase())
                .isNotEqualTo(bad.substring(2).toUpperCase());
        return bad;
    }

    private static Response post(String csv, String dryRun) {
        var request = given().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8));
        if (dryRun != null) {
            request = request.queryParam("dryRun", dryRun);
        }
        return request.post("/api/wallets/import");
    }

    private static Map<String, Object> line(JsonPath report, int line) {
        List<Map<String, Object>> lines = report.getList("lines");
        return lines.stream().filter(l -> ((Number) l.get("line")).intValue() == line).findFirst().orElseThrow();
    }

    /**
     * {@code curl --data-binary @wallets.csv} labels the file a form: it is read as the CSV it is, whatever its size,
     * not decoded as form fields (whose values the HTTP server caps at 2 KB).
     */
    @Test
    void aCsvSentAsAFormIsReadAsCsv() {
        StringBuilder csv = new StringBuilder("identity,address\n");
        for (int i = 1; i <= 60; i++) {
            csv.append("nobody").append(i).append("@form1962.example,").append(address(100 + i)).append('\n');
        }
        assertThat(csv.length()).isGreaterThan(4096);
        JsonPath report = given().contentType("application/x-www-form-urlencoded").queryParam("dryRun", "true")
                .body(csv.toString()).post("/api/wallets/import").then()
                .statusCode(200).extract().jsonPath();
        assertThat(report.getInt("rows")).isEqualTo(60);
        assertThat(report.getInt("errors")).isEqualTo(60); // no such contributors, each reported by its line
    }

    @Test
    void aWalletForABotIsLinkedAndSaysSo() {
        TestRepo r = TestRepo.create("merit-wallets-bot1962", Instant.parse("1962-04-01T00:00:00Z"));
        r.write("f.txt", "f\n").commit("chore: f", "Release Bot", "release-bot@bot1962.example");
        Api.ingest(r);
        long bot = Api.contributor("release-bot@bot1962.example");
        JsonPath report = post("identity,address\n#" + bot + "," + address(40) + "\n", "true").then().statusCode(200)
                .extract().jsonPath();
        assertThat(line(report, 2)).containsEntry("outcome", "linked");
        assertThat((String) line(report, 2).get("reason")).startsWith("would be linked; ")
                .contains("Release Bot").contains("is a bot account");
    }

    @Test
    void aDryRunReportsEveryRowByNameAndChangesNothing() {
        Map<String, Long> p = people("dry1962");
        String csv = "identity,address\n"
                + "ann@dry1962.example," + address(1) + "\n"
                + "ben-dry1962," + address(2).toLowerCase() + "\n"
                + "#" + p.get("cy") + "," + address(3) + "\n"
                + "nobody@dry1962.example," + address(4) + "\n";
        JsonPath report = post(csv, "true").then().statusCode(200).extract().jsonPath();
        assertThat(report.getBoolean("dryRun")).isTrue();
        assertThat(report.getBoolean("applied")).isFalse();
        assertThat(report.getInt("rows")).isEqualTo(4);
        assertThat(report.getInt("linked")).isEqualTo(3);
        assertThat(report.getInt("errors")).isEqualTo(1);
        Map<String, Object> ann = line(report, 2);
        assertThat(ann).containsEntry("identity", "ann@dry1962.example").containsEntry("name", "Ann dry1962")
                .containsEntry("address", address(1)).containsEntry("outcome", "linked")
                .containsEntry("reason", "would be linked");
        assertThat(((Number) ann.get("contributorId")).longValue()).isEqualTo(p.get("ann"));
        assertThat(line(report, 3)).containsEntry("name", "ben-dry1962").containsEntry("address", address(2));
        assertThat(line(report, 4)).containsEntry("name", "Cy dry1962");
        assertThat(line(report, 5)).containsEntry("outcome", "error");
        assertThat((String) line(report, 5).get("reason")).startsWith("unknown identity")
                .contains("nobody@dry1962.example");
        for (long contributor : p.values()) {
            assertThat(wallets.of(contributor)).as("nothing linked by a dry run").isEmpty();
        }
    }

    @Test
    void anImportLinksWhatIsFineAndReportsAConflictAndABadChecksumByName() {
        Map<String, Long> p = people("apply1962");
        wallets.link(p.get("cy"), address(10)); // Cy's wallet, before the import
        String claimed = claims.claim(p.get("ann"), address(11)).orElseThrow().code(); // Ann asked for hers
        String csv = "identity,address\r\n"
                + "ann@apply1962.example," + address(11) + "\r\n"
                + "\"github:ben-apply1962\",\"" + address(12) + "\"\r\n"
                + "\r\n"
                + "cy@apply1962.example," + address(13) + "\r\n"
                + "dee@apply1962.example," + miscased(address(14)) + "\r\n"
                + "eve@apply1962.example," + address(10) + "\r\n";
        JsonPath report = post(csv, "false").then().statusCode(200).extract().jsonPath();
        assertThat(report.getBoolean("applied")).isTrue();
        assertThat(List.of(report.getInt("linked"), report.getInt("unchanged"), report.getInt("conflicts"),
                report.getInt("errors"))).containsExactly(2, 0, 2, 1);
        assertThat(line(report, 2)).containsEntry("outcome", "linked").containsEntry("reason", "linked");
        assertThat(line(report, 3)).containsEntry("outcome", "linked").containsEntry("name", "ben-apply1962");
        assertThat(line(report, 5)).containsEntry("outcome", "conflict").containsEntry("name", "Cy apply1962");
        assertThat((String) line(report, 5).get("reason")).contains("Cy apply1962 already has wallet " + address(10))
                .contains("not overwritten");
        assertThat(line(report, 6)).containsEntry("outcome", "error").containsEntry("name", "Dee apply1962");
        // The address as written, never a corrected form of it: pasted back, that would pass the check it failed.
        assertThat((String) line(report, 6).get("reason")).contains("EIP-55 checksum").contains(miscased(address(14)))
                .doesNotContain(address(14)).contains("Copy the address again from its owner's wallet");
        assertThat((String) line(report, 7).get("reason")).contains("already linked to #" + p.get("cy") + " Cy apply1962");

        assertThat(wallets.of(p.get("ann"))).contains(address(11));
        assertThat(wallets.of(p.get("ben"))).contains(address(12));
        assertThat(wallets.of(p.get("cy"))).as("never overwritten").contains(address(10));
        assertThat(wallets.of(p.get("dee"))).isEmpty();
        assertThat(wallets.of(p.get("eve"))).isEmpty();
        assertThat(claimStatus(claimed)).as("Ann's open claim is settled by the link").isEqualTo("LINKED");

        JsonPath again = post(csv, null).then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("linked")).isZero();
        assertThat(again.getInt("unchanged")).isEqualTo(2);
        assertThat(line(again, 2)).containsEntry("reason", "already linked");
    }

    @jakarta.transaction.Transactional
    String claimStatus(String code) {
        return WalletClaim.<WalletClaim>find("code", code).firstResult().status.name();
    }

    @Test
    void theEndpointTakesJsonRowsAndReportsRowsThatContradictEachOther() {
        Map<String, Long> p = people("json1962");
        Map<String, Object> body = Map.of("rows", List.of(
                Map.of("identity", "ann@json1962.example", "address", address(21)),
                Map.of("identity", "ann@json1962.example", "address", address(22)),
                Map.of("identity", "dee@json1962.example", "address", address(23)),
                Map.of("identity", "#" + p.get("eve"), "address", address(23)),
                Map.of("identity", String.valueOf(p.get("cy")), "address", address(24)),
                Map.of("identity", "cy@json1962.example", "address", address(24))));
        JsonPath report = given().contentType("application/json").body(body).post("/api/wallets/import")
                .then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("conflicts")).isEqualTo(4);
        assertThat((String) line(report, 1).get("reason")).contains("different wallets (lines 1, 2)");
        assertThat((String) line(report, 4).get("reason")).contains("to 2 contributors (lines 3, 4)");
        assertThat(line(report, 5)).containsEntry("outcome", "linked");
        assertThat(line(report, 6)).containsEntry("outcome", "unchanged").containsEntry("reason", "the same as line 5");
        assertThat(wallets.of(p.get("ann"))).isEmpty();
        assertThat(wallets.of(p.get("dee"))).isEmpty();
        assertThat(wallets.of(p.get("cy"))).contains(address(24));
    }

    /**
     * Twenty imports at once, each giving one contributor another wallet: one links, the others report the wallet
     * linked meanwhile, and the contributor has exactly that one. Before, two could each see "no wallet" and both
     * link (the payout then paid either), or overwrite one another while each said "linked".
     */
    @Test
    void importsAtTheSameMomentLinkOneWallet() {
        long ann = people("race1962").get("ann");
        List<String> outcomes = new java.util.ArrayList<>();
        for (Response r : dev.merit.support.Api.atOnce(20,
                i -> post("identity,address\n#" + ann + "," + address(100 + i) + "\n", null))) {
            if (r.statusCode() == 200) {
                outcomes.add(r.jsonPath().getString("lines[0].outcome"));
            } else { // written at the very same moment: a problem that says so, nothing kept
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(409);
                outcomes.add("refused");
            }
        }
        assertThat(outcomes).filteredOn("linked"::equals).hasSize(1);
        assertThat(outcomes).isSubsetOf("linked", "conflict", "refused");
        long wallets = Identity.count("contributorId = ?1 and kind = ?2", ann, Identity.Kind.WALLET);
        assertThat(wallets).isEqualTo(1);
    }

    /**
     * A merge and an import of the merged-away contributor's wallet at once, in the order that matters: the import has
     * read its row (Ann was not merged then) and waits for Ann's lock, which the merge holds until it commits. The row
     * is reported as a conflict naming whom Ann was merged into, and no wallet is linked (Ann's would never be paid:
     * a payout pays the contributor Ann stands for now; Cy's was not asked for).
     */
    @Test
    void anImportWaitingOnAMergeLinksNoWalletToTheContributorMergedAway() throws Exception {
        Map<String, Long> p = people("merge1962");
        long ann = p.get("ann");
        long cy = p.get("cy");
        java.util.concurrent.CountDownLatch merged = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
        var merge = java.util.concurrent.CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            merges.merge("#" + cy, "#" + ann, "maintainer", "the same person");
            merged.countDown();
            try { // holds both contributors' locks until the import waits on Ann's
                assertThat(commit.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(merged.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var importing = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> post("identity,address\n#" + ann + "," + address(300) + "\n", null));
        long until = System.nanoTime() + 60_000_000_000L;
        while (waitingForLocks() == 0) { // the import has read its row and waits for the lock, merge uncommitted
            assertThat(System.nanoTime()).as("the import waits for the merge's lock").isLessThan(until);
            Thread.sleep(20);
        }
        commit.countDown();
        merge.get(60, java.util.concurrent.TimeUnit.SECONDS);
        JsonPath report = importing.get(60, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(200).extract()
                .jsonPath();
        assertThat(line(report, 2)).containsEntry("outcome", "conflict");
        assertThat((String) line(report, 2).get("reason"))
                .contains("was merged into #" + cy + " while the file was read");
        assertThat(wallets.of(ann)).isEmpty();
        assertThat(wallets.of(cy)).isEmpty();
    }

    /** Statements waiting for a lock on contributor rows (the import's, waiting for the merge). */
    private static long waitingForLocks() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Identity.getEntityManager()
                .createNativeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = "
                        + "current_database() and query ilike '%from contributor %' and query ilike '% for %update%'")
                .getSingleResult()).longValue());
    }

    @Test
    void hostileOrOversizedImportsAreRefusedWithProblems() {
        String header = "identity,address\n";
        problem(post("address;identity\nx;y\n", "true"), 400, "header identity,address");
        problem(post("", "true"), 400, "empty");
        problem(post(header + "\"ann@x.example,0x00\n", "true"), 400, "not closed");
        problem(post(header + "a,b\n", "maybe"), 400, "dryRun is true or false");
        problem(given().contentType("text/csv").body(new byte[]{'i', 'd', (byte) 0xC3, (byte) 0x28, '\n'})
                .post("/api/wallets/import"), 400, "UTF-8");
        problem(post(header + "x,y\n".repeat(10_001), "true"), 413, "at most 10000");
        problem(post(header + ",".repeat(100) + "\n", "true"), 400, "more than 64 fields");
        problem(given().contentType("text/csv").body(("identity,address\n" + "#1," + "0".repeat(2 * 1024 * 1024))
                .getBytes(StandardCharsets.UTF_8)).post("/api/wallets/import"), 413, "2 MB");
        problem(given().contentType("application/json").body("{\"rows\":[{\"identity\":\"a\",\"identity\":\"b\"}]}")
                .post("/api/wallets/import"), 400, "");
        problem(given().contentType("application/json").body("{\"rows\":null}").post("/api/wallets/import"), 400, "rows");
        // Rows that are not fine are reported, not refused: the rest of the file goes on.
        JsonPath odd = post(header + "\u0000,\n" + "x".repeat(5000) + "," + "0x" + "z".repeat(40) + "\n-1\n", "true")
                .then().statusCode(200).extract().jsonPath();
        assertThat(odd.getInt("errors")).isEqualTo(3);
        assertThat(odd.getList("lines.outcome")).containsOnly("error");
    }

    private static void problem(Response r, int status, String detail) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains(detail);
    }

    @Test
    void anAddressIsCheckedAsWritten() {
        assertThat(Wallets.addressProblem(address(1))).isEmpty();
        assertThat(Wallets.addressProblem(address(1).toLowerCase())).isEmpty();
        assertThat(Wallets.addressProblem("0x" + address(1).substring(2).toUpperCase())).isEmpty();
        assertThat(Wallets.addressProblem(miscased(address(1)))).get().asString().contains("EIP-55");
        assertThat(Wallets.addressProblem("0X" + address(1).substring(2))).isPresent();
        assertThat(Wallets.addressProblem(address(1).substring(0, 41))).isPresent();
        assertThat(Wallets.addressProblem(null)).isPresent();
    }
}
