package dev.merit.web;

import dev.merit.ingest.ForgeLinks;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A contributor's page reads a summary (standing, points by type and by repository, factors, the payout waterfall)
 * and their contributions a page at a time, sorted and filtered in the database: what a contributor with thousands of
 * contributions needs, checked here on a real history (co-authored commits, a capped and dampened payout).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ContributorPagesTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static long run;
    private static long ada;
    private static long epoch;

    @BeforeEach
    void history() {
        if (ada != 0) {
            return;
        }
        TestRepo r = TestRepo.create("merit-pages", Instant.parse("1991-02-01T00:00:00Z"));
        for (int i = 0; i < 31; i++) {
            StringBuilder body = new StringBuilder();
            for (int line = 0; line <= i; line++) {
                body.append("v").append(i).append('_').append(line).append(" = ").append(line).append('\n');
            }
            r.write("src/m" + i + ".py", body.toString());
            String message = (i % 3 == 0 ? "fix: bug " : i % 3 == 1 ? "feat: thing " : "docs: page ") + i
                    + (i % 5 == 0 ? "\n\nCo-authored-by: Bob Pages <bob@pages.example>" : "");
            r.commit(message, "Ada Pages", "ada@pages.example");
        }
        r.write("src/bob.py", "b = 1\nc = 2\nd = 3\n").commit("feat: bob's part", "Bob Pages", "bob@pages.example");
        Api.ingest(r);
        epoch = Api.epoch("pages-1991-02", "1991-02-01T00:00:00Z", "1991-03-01T00:00:00Z",
                TOKEN.multiply(BigInteger.valueOf(1000)));
        run = Api.score(epoch);
        Api.propose(epoch);
        ada = given().queryParam("q", "ada@pages.example").get("/api/contributors").then().statusCode(200)
                .extract().jsonPath().getLong("[0].id");
    }

    @Test
    void pagesWalkEveryContributionOnceInTheRequestedOrder() {
        JsonPath breakdown = given().get("/api/scoring-runs/{run}/contributors/{id}", run, ada).then().statusCode(200)
                .extract().jsonPath();
        int all = breakdown.getList("contributions").size();
        assertThat(all).isEqualTo(31);
        List<Long> seen = new ArrayList<>();
        List<BigDecimal> scores = new ArrayList<>();
        for (int page = 0; page < 4; page++) {
            JsonPath p = given().queryParam("run", run).queryParam("page", page).queryParam("size", 10)
                    .get("/api/contributors/{id}/contributions", ada).then().statusCode(200).extract().jsonPath();
            assertThat(p.getLong("total")).isEqualTo(all);
            assertThat(p.getList("items")).hasSize(page < 3 ? 10 : 1);
            seen.addAll(p.getList("items.contributionId", Long.class));
            p.getList("items.score", String.class).forEach(s -> scores.add(new BigDecimal(s)));
        }
        assertThat(new HashSet<>(seen)).hasSize(all);
        assertThat(scores).isSortedAccordingTo((a, b) -> b.compareTo(a));
        // The same contributions as the full breakdown, in the breakdown's order (score, then id).
        assertThat(seen).isEqualTo(breakdown.getList("contributions.contributionId", Long.class));

        List<String> dates = given().queryParam("run", run).queryParam("sort", "date").queryParam("size", 200)
                .get("/api/contributors/{id}/contributions", ada).then().statusCode(200).extract().jsonPath()
                .getList("items.occurredAt");
        assertThat(dates).hasSize(all).isSorted();
    }

    @Test
    void filtersNarrowTheListAndTheCountWithIt() {
        JsonPath summary = given().queryParam("run", run).get("/api/contributors/{id}/summary", ada).then()
                .statusCode(200).extract().jsonPath();
        // Points by type add up to the contributor's total, and each type's count is what the type filter returns.
        BigDecimal sum = BigDecimal.ZERO;
        for (Map<String, Object> t : summary.<Map<String, Object>>getList("summary.byType")) {
            sum = sum.add(new BigDecimal(t.get("points").toString()));
            long count = ((Number) t.get("contributions")).longValue();
            JsonPath p = given().queryParam("run", run).queryParam("type", t.get("key")).queryParam("size", 200)
                    .get("/api/contributors/{id}/contributions", ada).then().statusCode(200).extract().jsonPath();
            assertThat(p.getLong("total")).as(t.get("key").toString()).isEqualTo(count);
            assertThat(p.getList("items.type")).containsOnly(t.get("key"));
        }
        assertThat(sum).isEqualByComparingTo(summary.getString("summary.standing.total"));
        // A type that is none (a typo) is said to be one, not answered with an empty page.
        given().queryParam("run", run).queryParam("type", "feat").get("/api/contributors/{id}/contributions", ada)
                .then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("type is one of feature, fix, "))
                .body("detail", org.hamcrest.Matchers.endsWith(", not 'feat'."));
        // The co-authored commits carry the co-author split: the factor filter finds exactly those seven.
        Map<String, Object> split = summary.<Map<String, Object>>getList("summary.factors").stream()
                .filter(f -> f.get("key").equals("credit_share")).findFirst().orElseThrow();
        assertThat(((Number) split.get("contributions")).longValue()).isEqualTo(7);
        JsonPath shared = given().queryParam("run", run).queryParam("factor", "credit_share").queryParam("size", 200)
                .get("/api/contributors/{id}/contributions", ada).then().statusCode(200).extract().jsonPath();
        assertThat(shared.getLong("total")).isEqualTo(7);
        assertThat(shared.getList("items.title", String.class)).allSatisfy(t -> assertThat(Integer.parseInt(
                t.replaceAll("\\D+", "")) % 5).isZero());
        // A factor listed applies to what it counts: graph credit at x 1 (no later work built on it) changes nothing and
        // is not counted, so the list never offers a filter that matches every contribution for nothing.
        for (Map<String, Object> f : summary.<Map<String, Object>>getList("summary.factors")) {
            List<Map<String, Object>> items = given().queryParam("run", run).queryParam("factor", f.get("key"))
                    .queryParam("size", 200).get("/api/contributors/{id}/contributions", ada).then().statusCode(200)
                    .extract().jsonPath().getList("items");
            long applying = items.stream().filter(item -> ((List<Map<String, Object>>) item.get("factors")).stream()
                    .anyMatch(x -> x.get("name").equals(f.get("key")) && !(("MULTIPLY".equals(x.get("op"))
                            && new BigDecimal(x.get("value").toString()).compareTo(BigDecimal.ONE) == 0)
                            || ("ADD".equals(x.get("op")) && new BigDecimal(x.get("value").toString()).signum() == 0))))
                    .count();
            assertThat(((Number) f.get("contributions")).longValue()).as(f.get("key").toString()).isEqualTo(applying);
        }
        // A date range [from, to): the first ten days of the history.
        JsonPath early = given().queryParam("run", run).queryParam("from", "1991-02-01").queryParam("to", "1991-02-01T10:00:00Z")
                .get("/api/contributors/{id}/contributions", ada).then().statusCode(200).extract().jsonPath();
        assertThat(early.getList("items.occurredAt", String.class)).allSatisfy(d -> assertThat(Instant.parse(d))
                .isBefore(Instant.parse("1991-02-01T10:00:00Z")));
        assertThat(early.getLong("total")).isLessThan(31);
        // Each line's share is its part of the contributor's points.
        Map<String, Object> first = given().queryParam("run", run).get("/api/contributors/{id}/contributions", ada)
                .then().extract().jsonPath().getMap("items[0]");
        assertThat(new BigDecimal(first.get("share").toString())).isEqualByComparingTo(new BigDecimal(first.get("score")
                .toString()).divide(new BigDecimal(summary.getString("summary.standing.total")), 6, java.math.RoundingMode.HALF_EVEN));
    }

    @Test
    void theWaterfallEndsAtTheLineOfThePayout() {
        JsonPath page = given().get("/api/contributors/{id}/summary", ada).then().statusCode(200).extract().jsonPath();
        assertThat(page.getLong("summary.runId")).isEqualTo(run); // the latest run that scored her, by default
        JsonPath proposal = given().get("/api/payout-proposals/{id}", page.getLong("payout.proposalId")).then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> line = proposal.<Map<String, Object>>getList("lines").stream()
                .filter(l -> ((Number) l.get("contributorId")).longValue() == ada).findFirst().orElseThrow();
        assertThat(page.getString("payout.amountBaseUnits")).isEqualTo(line.get("amountBaseUnits").toString());
        List<Map<String, Object>> steps = page.getList("payout.steps");
        assertThat(steps.get(0).get("label")).isEqualTo("Points");
        assertThat(steps.get(steps.size() - 1).get("label")).isEqualTo("Amount");
        assertThat(steps.get(steps.size() - 1).get("amountBaseUnits").toString()).isEqualTo(line.get("amountBaseUnits").toString());
        // The plain share plus every change is the amount.
        BigInteger total = BigInteger.ZERO;
        for (Map<String, Object> s : steps) {
            if (s.get("changeBaseUnits") != null) {
                total = total.add(new BigInteger(s.get("changeBaseUnits").toString()));
            }
        }
        assertThat(total.toString()).isEqualTo(line.get("amountBaseUnits").toString());
        // The share's percentage is precise enough to find the amount beside it again (to 1 in 2,000: four digits).
        Map<String, Object> share = steps.stream().filter(s -> "Share of the budget".equals(s.get("label"))).findFirst()
                .orElseThrow();
        BigDecimal percent = new BigDecimal(share.get("detail").toString().replace(" % of the budget", ""));
        BigDecimal plain = new BigDecimal(share.get("amountBaseUnits").toString());
        BigDecimal budget = new BigDecimal(page.getString("payout.budgetBaseUnits"));
        BigDecimal fromPercent = percent.movePointLeft(2).multiply(budget);
        assertThat(fromPercent.subtract(plain).abs()).isLessThanOrEqualTo(plain.multiply(new BigDecimal("0.0005")));
        assertThat(page.getString("payout.budgetBaseUnits")).isEqualTo(TOKEN.multiply(BigInteger.valueOf(1000)).toString());
        // The history's payout column counts payouts put to the DAO: this draft was never ratified.
        assertThat(proposal.getString("state")).isEqualTo("draft");
        List<Map<String, Object>> history = given().get("/api/contributors/{id}/history", ada).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(history).filteredOn(e -> ((Number) e.get("runId")).longValue() == run).singleElement()
                .satisfies(e -> assertThat(e.get("payoutBaseUnits")).isNull());
    }

    @Test
    void badQueriesAreClearProblems() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("sort", "points; drop table x"),
                Map.of("factor", "x' or '1'='1"), Map.of("from", "yesterday"), Map.of("size", 100000),
                Map.of("page", -1), Map.of("size", "ten"))) {
            given().queryParams(bad).get("/api/contributors/{id}/contributions", ada).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().get("/api/contributors/{id}/contributions", 987_654_321L).then().statusCode(404);
        given().queryParam("run", 987_654_321L).get("/api/contributors/{id}/summary", ada).then().statusCode(404);
    }

    @Test
    void commitsOfKnownForgesLinkToTheirPage() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertThat(ForgeLinks.commit("https://github.com/acme/app.git", sha)).isEqualTo("https://github.com/acme/app/commit/" + sha);
        assertThat(ForgeLinks.commit("git@github.com:acme/app.git", sha)).isEqualTo("https://github.com/acme/app/commit/" + sha);
        assertThat(ForgeLinks.commit("https://gitlab.com/group/sub/app", sha)).isEqualTo("https://gitlab.com/group/sub/app/-/commit/" + sha);
        assertThat(ForgeLinks.commit("/home/ada/app", sha)).isNull();
        assertThat(ForgeLinks.commit("https://example.com/acme/app", sha)).isNull();
        assertThat(ForgeLinks.commit("https://github.com/acme/app", "not a sha")).isNull();
        assertThat(ForgeLinks.commit("https://github.com/acme/\"><script>", sha)).isNull();
        Set<String> urls = new HashSet<>(given().queryParam("run", run).get("/api/contributors/{id}/contributions", ada)
                .then().extract().jsonPath().getList("items.url"));
        assertThat(urls).containsOnlyNulls(); // a local repository: no forge to link to
    }

    @Test
    void theHomePageSaysWhichDaoWhatIsOpenAndWhoLeads() {
        JsonPath o = given().get("/api/overview").then().statusCode(200).extract().jsonPath();
        assertThat(o.getString("dao")).isNotBlank();
        assertThat(o.getString("tokenSymbol")).isEqualTo("MPAY");
        assertThat(o.getList("leaderboard.top")).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(o.getString("latestProposal.state")).isNotBlank();
        assertThat(o.getString("latestProposal.stateText")).isNotBlank();
        given().contentType(ContentType.JSON).body("{}").post("/api/overview").then().statusCode(405);
        // A 405 names what the resource takes, in the Allow header (RFC 9110) and in words.
        given().get("/api/webhooks/github").then().statusCode(405).contentType("application/problem+json")
                .header("Allow", "POST").body("detail", org.hamcrest.Matchers.endsWith("it takes POST."));
        given().delete("/api/overview").then().statusCode(405).header("Allow", "GET, HEAD");
        given().put("/api/epochs/1").then().statusCode(405).header("Allow", "DELETE, GET, HEAD");
        // Whether this caller acts as a maintainer without a token, as the server would judge a maintainer's call: from
        // this machine naming it, yes (the embedded default of the tests); through a proxy, or naming another host, no.
        assertThat(o.getBoolean("maintainerOnThisMachine")).isTrue();
        given().header("X-Forwarded-For", "203.0.113.9").get("/api/overview").then().statusCode(200)
                .body("maintainerOnThisMachine", org.hamcrest.Matchers.is(false));
        // Naming another host, nothing is answered at all: Merit listens on this machine only (CrossSiteTest).
        given().header("Host", "rebind.example").get("/api/overview").then().statusCode(403)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/foreign-host"));
    }
}
