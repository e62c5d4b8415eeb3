package dev.merit.support;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.math.BigInteger;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * A maintainer's path through the API that many tests walk before what they test: register and ingest a repository,
 * create an epoch, score it, propose its payout. Each step asserts the status the API documents for success.
 */
public final class Api {

    private Api() {
    }

    /**
     * {@code n} requests sent at the same moment, the i-th made by {@code request.apply(i)} (the same request, or
     * variations of it); their responses in that order. For what concurrent writers must leave: one record, or each
     * refusal in words.
     */
    public static java.util.List<io.restassured.response.Response> atOnce(int n,
            java.util.function.IntFunction<io.restassured.response.Response> request) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(n, 10));
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<io.restassured.response.Response>> sent =
                    new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int which = i;
                sent.add(pool.submit(() -> {
                    start.await();
                    return request.apply(which);
                }));
            }
            start.countDown();
            java.util.List<io.restassured.response.Response> answers = new java.util.ArrayList<>();
            for (var f : sent) {
                answers.add(f.get());
            }
            return answers;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The one contributor the search finds by {@code handle} (an e-mail, a login, a wallet); fails on none or more. */
    public static long contributor(String handle) {
        java.util.List<Map<String, Object>> found = given().queryParam("q", handle).get("/api/contributors").then()
                .statusCode(200).extract().jsonPath().getList("$");
        org.assertj.core.api.Assertions.assertThat(found).as(handle).hasSize(1);
        return ((Number) found.get(0).get("id")).longValue();
    }

    /** Registers the repository and ingests it; returns its id. */
    public static long ingest(TestRepo repo) {
        long id = given().contentType(ContentType.JSON).body(Map.of("location", repo.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/repositories/{id}/ingest", id).then().statusCode(200);
        return id;
    }

    /** Creates an epoch over [startsAt, endsAt) with a budget in base units of an 18-decimal token; returns its id. */
    public static long epoch(String name, String startsAt, String endsAt, BigInteger budget) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "startsAt", startsAt, "endsAt", endsAt,
                "budgetTokens", dev.merit.audit.TokenAmounts.format(budget, 18))).post("/api/epochs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Scores the epoch; returns the run's id. */
    public static long score(long epoch) {
        return given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/scoring-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /**
     * A payout of 10 tokens to two contributors of a fresh repository (May of {@code year}), every line given a wallet
     * ({@code year x 1000 + line}) and put to the governor: returns the payout proposal's id. Nothing is sent yet.
     */
    public static long payoutOnChain(String name, int year, dev.merit.contributor.Wallets wallets) {
        long proposal = draftWithWallets(name, year, wallets);
        given().contentType(ContentType.JSON).body(toChain(proposal)).post("/api/chain/proposals")
                .then().statusCode(201);
        return proposal;
    }

    /** As {@link #payoutOnChain}, up to its draft with a wallet on every line: not put to the governor. */
    public static long draftWithWallets(String name, int year, dev.merit.contributor.Wallets wallets) {
        TestRepo r = TestRepo.create("merit-" + name, java.time.Instant.parse(year + "-05-01T00:00:00Z"));
        r.write("a.c", "int a;\nint b;\n").commit("feat: a", "Ann " + name, "ann@" + name + ".example");
        r.write("b.c", "int c;\n").commit("fix: b", "Ben " + name, "ben@" + name + ".example");
        ingest(r);
        long epoch = epoch(name, year + "-05-01T00:00:00Z", year + "-06-01T00:00:00Z", BigInteger.TEN.pow(19));
        score(epoch);
        JsonPath payout = propose(epoch);
        long proposal = payout.getLong("id");
        java.util.List<Map<String, Object>> lines = payout.getList("lines");
        for (int i = 0; i < lines.size(); i++) {
            wallets.link(((Number) lines.get(i).get("contributorId")).longValue(),
                    org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(year * 1000L + i), 40));
        }
        return proposal;
    }

    /**
     * The body that puts payout {@code proposal} on chain (POST /api/chain/proposals), closing knowingly the work
     * before its epoch that no payout has paid: the shared test database holds other tests' unpaid work of earlier
     * dates, so without it a payout's refusal would depend on which tests ran before (the refusal is tested alone).
     */
    public static Map<String, Object> toChain(long proposal) {
        return Map.of("payoutProposalId", proposal, "closeUnpaid", true);
    }

    /** As {@link #toChain(long)}, replacing the payout of its epoch on chain ({@code "replace": true}) if asked. */
    public static Map<String, Object> toChain(long proposal, boolean replace) {
        return Map.of("payoutProposalId", proposal, "replace", replace, "closeUnpaid", true);
    }

    /** Proposes the epoch's payout from its latest run; returns the proposal as the API shows it. */
    public static JsonPath propose(long epoch) {
        return given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/payout-proposals")
                .then().statusCode(201).extract().jsonPath();
    }
}
