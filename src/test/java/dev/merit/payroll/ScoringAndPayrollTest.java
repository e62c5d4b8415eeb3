package dev.merit.payroll;

import dev.merit.scoring.Factor;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScoringAndPayrollTest {

    @jakarta.inject.Inject
    PayoutLedger ledger;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static Long epochId;

    @BeforeEach
    void history() {
        if (epochId != null) {
            return;
        }
        TestRepo r = TestRepo.create("merit-payroll", Instant.parse("2002-03-01T00:00:00Z"));
        String[] people = {"Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton"};
        for (int i = 0; i < 24; i++) {
            String who = people[i % people.length];
            String email = who.toLowerCase().replace(' ', '.') + "@example.com";
            StringBuilder body = new StringBuilder();
            for (int line = 0; line < 5 + (i * 7) % 40; line++) {
                body.append("value_").append(i).append('_').append(line).append(" = ").append(line * i).append('\n');
            }
            r.write("src/module" + (i % 5) + ".py", body.toString());
            r.commit((i % 3 == 0 ? "fix: " : i % 3 == 1 ? "feat: " : "docs: ") + "change " + i
                    + (i % 4 == 0 ? "\n\nCo-authored-by: Grace Hopper <grace.hopper@example.com>" : ""), who, email);
        }
        r.write("package-lock.json", "{}\n").commit("chore(deps): bump", "renovate[bot]", "bot@renovateapp.com");
        r.write("src/extra.py", "x = 1\ny = 2\n").commit("chore: tidy", "renovate[bot]", "bot@renovateapp.com");
        long repo = register(r);
        given().when().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        epochId = given().contentType(ContentType.JSON).body(Map.of("name", "2002-03", "startsAt", "2002-03-01T00:00:00Z",
                        "endsAt", "2002-04-01T00:00:00Z", "budgetTokens", "1000",
                        "policy", Map.of("minPayoutTokens", "1", "capTokens", "400",
                                "sqrtDampening", true, "includeBots", false)))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static JsonPath score() {
        return given().contentType(ContentType.JSON).body(Map.of("epochId", epochId))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath();
    }

    private static List<Map<String, Object>> standings(long runId) {
        return given().when().get("/api/scoring-runs/{id}/contributors", runId).then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    private static List<Factor> factors(List<Map<String, Object>> raw) {
        List<Factor> factors = new ArrayList<>();
        for (Map<String, Object> f : raw) {
            factors.add(new Factor((String) f.get("name"), Factor.Kind.valueOf((String) f.get("kind")),
                    Factor.Op.valueOf((String) f.get("op")), new BigDecimal((String) f.get("value")), (String) f.get("detail")));
        }
        return factors;
    }

    @Test
    void everyScoreIsReproducedExactlyByItsFactorsAndTotalsAreExactSums() {
        JsonPath run = score();
        long runId = run.getLong("id");
        assertThat(run.getInt("contributionCount")).isEqualTo(26);
        assertThat(run.getString("policyHash")).matches("[0-9a-f]{64}");
        assertThat(run.getString("modelVersion")).startsWith("learned-v3/commit-type-");
        BigDecimal runTotal = BigDecimal.ZERO;
        for (Map<String, Object> standing : standings(runId)) {
            JsonPath breakdown = given().when().get("/api/scoring-runs/{id}/contributors/{c}", runId,
                    standing.get("contributorId")).then().statusCode(200).extract().jsonPath();
            BigDecimal sum = BigDecimal.ZERO;
            List<Map<String, Object>> lines = breakdown.getList("contributions");
            assertThat(lines).isNotEmpty();
            for (Map<String, Object> line : lines) {
                List<Factor> factors = factors((List<Map<String, Object>>) line.get("factors"));
                BigDecimal score = new BigDecimal((String) line.get("score"));
                assertThat(Factor.fold(factors)).isEqualByComparingTo(score);
                assertThat(Factor.effectiveLines(factors)).isEqualTo(((Number) line.get("effectiveLines")).longValue());
                assertThat(factors).extracting(Factor::name).contains("size", "type", "graph");
                if (!"merge".equals(line.get("type"))) {
                    Map<String, Object> explanation = (Map<String, Object>) line.get("explanation");
                    assertThat(explanation).as("explanation of %s", line.get("title")).isNotNull();
                    Map<String, Number> p = (Map<String, Number>) explanation.get("typeProbabilities");
                    assertThat(p).hasSize(10).containsKey((String) line.get("type"));
                    assertThat(p.values().stream().mapToDouble(Number::doubleValue).sum()).isCloseTo(1.0, within(1e-4));
                    assertThat(p.get((String) line.get("type")).doubleValue())
                            .isEqualTo(p.values().stream().mapToDouble(Number::doubleValue).max().orElseThrow());
                    assertThat((List<?>) explanation.get("influences")).isNotEmpty();
                    // calibrated confidence and the unsure flag, beside the existing fields
                    assertThat(((Number) explanation.get("confidence")).doubleValue())
                            .isEqualTo(p.get((String) line.get("type")).doubleValue());
                    assertThat(explanation.get("unsure")).isInstanceOf(Boolean.class);
                    assertThat((String) explanation.get("model")).startsWith("commit-type-");
                }
                sum = sum.add(score);
            }
            assertThat(new BigDecimal((String) standing.get("total"))).isEqualByComparingTo(sum);
            assertThat(new BigDecimal(breakdown.getString("standing.total"))).isEqualByComparingTo(sum);
            runTotal = runTotal.add(sum);
        }
        assertThat(new BigDecimal(run.getString("totalScore"))).isEqualByComparingTo(runTotal);
    }

    @Test
    void aReformattingIsNeitherWorkNorSomethingLaterWorkBuildsOn() {
        TestRepo r = TestRepo.create("merit-reformat", Instant.parse("2002-06-01T00:00:00Z"));
        r.write("core.py", "def f(a):\n    return g('a',\n             'b')\n\n\ndef h():\n    return 1\n")
                .commit("add core", "Ann Example", "ann.reformat@example.com");
        r.write("core.py", "def f(a):\n    return g(\"a\", \"b\")\n\n\ndef h():\n    return 1\n")
                .commit("Reformat with black", "Ben Example", "ben.reformat@example.com");
        r.write("core.py", "def f(a):\n    return g(\"a\", \"b\")\n\n\ndef h():\n    return 2\n")
                .commit("h returns 2", "Cid Example", "cid.reformat@example.com");
        long run = ingestAndScore(r, "2002-06");
        Map<String, Map<String, Object>> byTitle = new java.util.HashMap<>();
        breakdownLines(run).forEach(line -> byTitle.put((String) line.get("title"), line));
        Map<String, Object> reformat = byTitle.get("Reformat with black");
        assertThat(((Number) reformat.get("effectiveLines")).intValue()).isZero();
        assertThat(new BigDecimal((String) reformat.get("score"))).isEqualByComparingTo("0");
        // Cid's change builds on Ann's work; Ben's reformatting neither builds on it nor is built on.
        assertThat(graphDetail(byTitle.get("add core"))).contains("built on by 1 later contribution of others");
        assertThat(graphDetail(reformat)).contains("no later work by others built on it");
        // Each says how its factor follows from its credit, in numbers a contributor can work again.
        for (Map<String, Object> line : byTitle.values()) {
            var worked = java.util.regex.Pattern.compile("graph credit ([0-9.]+)x the epoch average .*\\): 1 \\+ "
                    + "([0-9.]+) x \\(([0-9.]+) - 1\\) = (-?[0-9.]+)(, held at the (cap|floor) ([0-9.]+))?")
                    .matcher(graphDetail(line));
            assertThat(worked.matches()).as(graphDetail(line)).isTrue();
            BigDecimal credit = new BigDecimal(worked.group(3));
            assertThat(credit).isEqualByComparingTo(worked.group(1));
            BigDecimal influence = new BigDecimal(worked.group(2));
            BigDecimal raw = BigDecimal.ONE.add(influence.multiply(credit.subtract(BigDecimal.ONE)));
            assertThat(raw.setScale(6, java.math.RoundingMode.HALF_EVEN)).isEqualByComparingTo(worked.group(4));
            Object value = ((List<Map<String, Object>>) line.get("factors")).stream()
                    .filter(f -> "graph".equals(f.get("name"))).findFirst().orElseThrow().get("value");
            assertThat(new BigDecimal(value.toString())).isEqualByComparingTo(worked.group(7) != null ? worked.group(7)
                    : worked.group(4));
        }
        given().when().get("/api/scoring-runs/{id}", run).then().statusCode(200)
                .body("policy.graph.buildsOnFilesWithEffectiveLinesOnly", org.hamcrest.Matchers.equalTo(true))
                // The rule says the formula each graph factor above works out.
                .body("policyRules.find { it.rule == 'graph' }.text", org.hamcrest.Matchers.containsString(
                        "its factor is 1 + 0.25 x (credit - 1), kept between 0.5 and 2"));
    }

    @Test
    void aCherryPickedChangeIsPaidOnce() {
        TestRepo r = TestRepo.create("merit-cherry-pick", Instant.parse("2002-08-01T00:00:00Z"));
        r.write("a.py", "def f(x):\n    return x\n").commit("add f", "Ann Example", "ann.pick@example.com");
        String original = r.branch("maint").write("a.py", "def f(x):\n    if x is None:\n        return 0\n    return x\n")
                .commit("fix: f(None)", "Ann Example", "ann.pick@example.com").name();
        r.checkout("main").write("b.py", "y = 1\n").commit("add b", "Ben Example", "ben.pick@example.com");
        r.write("a.py", "def f(x):\n    if x is None:\n        return 0\n    return x\n")
                .commit("fix: f(None)\n\n(cherry picked from commit " + original + ")", "Cid Example", "cid.pick@example.com");
        r.merge("maint", "Ann Example", "ann.pick@example.com");
        long run = ingestAndScore(r, "2002-08");
        Map<String, Map<String, Object>> byId = new java.util.HashMap<>();
        breakdownLines(run).forEach(line -> byId.put((String) line.get("externalId"), line));
        List<Map<String, Object>> fixes = byId.values().stream().filter(l -> l.get("title").equals("fix: f(None)")).toList();
        assertThat(fixes).hasSize(2);
        Map<String, Object> first = byId.get(original);
        Map<String, Object> copy = fixes.stream().filter(l -> !l.get("externalId").equals(original)).findFirst().orElseThrow();
        assertThat(new BigDecimal((String) first.get("score"))).isPositive();
        assertThat(((List<Map<String, Object>>) first.get("factors"))).extracting(f -> f.get("name")).doesNotContain("copy");
        assertThat(new BigDecimal((String) copy.get("score"))).isEqualByComparingTo("0");
        assertThat(((List<Map<String, Object>>) copy.get("factors")).stream().filter(f -> "copy".equals(f.get("name")))
                .findFirst().orElseThrow().get("detail")).asString().contains("the same change as commit " + original.substring(0, 12));
        // Ben's unrelated change is not a copy of anything.
        assertThat(byId.values().stream().filter(l -> l.get("title").equals("add b")).findFirst().orElseThrow()
                .get("factors").toString()).doesNotContain("copy");
    }

    @Test
    void workMergedAfterItsMonthIsTheWorkOfTheMonthItWasMerged() {
        // A pull request written in January 1986 and merged (with a merge commit) on February 3, after January was
        // scored for its payout. Dated by its own commits it would fall into that January and be paid nowhere.
        TestRepo r = TestRepo.create("merit-landing", Instant.parse("1986-01-10T00:00:00Z"));
        r.write("core.py", "def core():\n    return 1\n").commit("feat: core", "Ann Landing", "ann.land@example.com");
        String written = r.branch("topic").write("search.py", "def search(q):\n    return [q, q]\n")
                .commit("feat: search", "Ben Landing", "ben.land@example.com").name();
        r.checkout("main");
        long repo = register(r);
        long january = ingestAndScore(repo, "1986-01");
        JsonPath januaryRun = given().when().get("/api/scoring-runs/{id}", january).then().statusCode(200)
                .extract().jsonPath();
        assertThat(breakdownLines(january)).extracting(l -> l.get("title")).containsExactly("feat: core");

        String merge = r.mergeAt(Instant.parse("1986-02-03T09:00:00Z"), "topic", "Ann Landing", "ann.land@example.com")
                .name();
        long february = ingestAndScore(repo, "1986-02");
        Map<String, Object> search = breakdownLines(february).stream().filter(l -> l.get("title").equals("feat: search"))
                .findFirst().orElseThrow();
        assertThat(new BigDecimal((String) search.get("score"))).isPositive();
        Map<String, Object> stored = given().queryParam("repositoryId", repo).when().get("/api/contributions")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(c -> c.get("externalId").equals(written)).findFirst().orElseThrow();
        assertThat(stored.get("occurredAt")).isEqualTo("1986-02-03T09:00:00Z");
        assertThat(stored.get("committedAt")).isEqualTo("1986-01-10T02:00:00Z");
        assertThat(stored.get("kind")).isEqualTo("commit");
        assertThat(merge).isNotEqualTo(written);
        // The contributor's page says both days: written in January, merged (and counted) in February.
        Map<String, Object> item = given().queryParam("run", february)
                .when().get("/api/contributors/{id}/contributions", stored.get("actorId")).then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("items").stream()
                .filter(i -> i.get("externalId").equals(written)).findFirst().orElseThrow();
        assertThat(item.get("occurredAt")).isEqualTo("1986-02-03T09:00:00Z");
        assertThat(item.get("committedAt")).isEqualTo("1986-01-10T02:00:00Z");

        // January scored again reads what it read before: nothing reached the branch in a month that has ended.
        long epoch = januaryRun.getLong("epochId");
        long again = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().get("/api/scoring-runs/{id}", again).then().statusCode(200)
                .body("inputHash", org.hamcrest.Matchers.equalTo(januaryRun.getString("inputHash")));
    }

    @Test
    void aFixCherryPickedInOneMonthIsNotPaidAgainWhenItsBranchIsMergedInTheNext() {
        // The fix reaches main as a cherry-pick in March 1986 (paid with March); its maintenance branch is merged in
        // April, bringing the original. Dated by its own commit the original would be "first" in April and paid again.
        TestRepo r = TestRepo.create("merit-pick-merge", Instant.parse("1986-03-05T00:00:00Z"));
        r.write("a.py", "def f(x):\n    return x\n").commit("add f", "Ann Picks", "ann.picks@example.com");
        String original = r.branch("maint").write("a.py", "def f(x):\n    if x is None:\n        return 0\n    return x\n")
                .commit("fix: f(None)", "Ann Picks", "ann.picks@example.com").name();
        String pick = r.checkout("main").write("a.py", "def f(x):\n    if x is None:\n        return 0\n    return x\n")
                .commit("fix: f(None)\n\n(cherry picked from commit " + original + ")", "Ann Picks",
                        "ann.picks@example.com").name();
        long repo = register(r);
        long march = ingestAndScore(repo, "1986-03");
        Map<String, Object> picked = breakdownLines(march).stream().filter(l -> l.get("externalId").equals(pick))
                .findFirst().orElseThrow();
        assertThat(new BigDecimal((String) picked.get("score"))).isPositive();

        r.mergeAt(Instant.parse("1986-04-02T09:00:00Z"), "maint", "Ann Picks", "ann.picks@example.com");
        long april = ingestAndScore(repo, "1986-04");
        Map<String, Object> again = breakdownLines(april).stream().filter(l -> l.get("externalId").equals(original))
                .findFirst().orElseThrow();
        assertThat(new BigDecimal((String) again.get("score"))).isEqualByComparingTo("0");
        assertThat(((List<Map<String, Object>>) again.get("factors")).stream().filter(f -> "copy".equals(f.get("name")))
                .findFirst().orElseThrow().get("detail")).asString().contains("the same change as commit " + pick.substring(0, 12));
    }

    @Test
    void aRebasedCommitIsNotPaidAgainInTheNextEpoch() throws Exception {
        // October's fix is ingested (and paid with October). In November the branch is rewritten (rebase -i, reword,
        // force-push): the same change comes back under a new hash and a November date. It was counted in October.
        TestRepo r = TestRepo.create("merit-rebase", Instant.parse("1973-10-01T00:00:00Z"));
        r.write("a.py", "def f(x):\n    return x\n").commit("add f", "Ann Example", "ann.rebase@example.com");
        String october = r.write("a.py", "def f(x):\n    if x is None:\n        return 0\n    return x\n")
                .commit("fix: f(None)", "Ann Example", "ann.rebase@example.com").name();
        long repo = register(r);
        given().when().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);

        r.git().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
        String november = r.write("a.py", "def f(x):\n    if x is None:\n        return 0\n    return x\n")
                .commitAt(Instant.parse("1973-11-03T00:00:00Z"), "fix: f(None) when x is None", "Ann Example",
                        "ann.rebase@example.com").name();
        long run = ingestAndScore(repo, "1973-11");
        Map<String, Object> again = breakdownLines(run).stream().filter(l -> l.get("externalId").equals(november))
                .findFirst().orElseThrow();
        assertThat(new BigDecimal((String) again.get("score"))).isEqualByComparingTo("0");
        assertThat(((List<Map<String, Object>>) again.get("factors")).stream().filter(f -> "copy".equals(f.get("name")))
                .findFirst().orElseThrow().get("detail")).asString().contains("the same change as commit " + october.substring(0, 12));
    }

    @Test
    void codeMovedInTwoCommitsOrWrittenAndDeletedAgainIsPaidForWhatRemains() {
        // parser.py is older than the epoch (2002-09); in the epoch its author moves it in two commits, re-indented.
        TestRepo r = TestRepo.create("merit-undone", Instant.parse("2002-08-31T22:00:00Z"));
        StringBuilder parser = new StringBuilder();
        StringBuilder moved = new StringBuilder("class Parser:\n");
        for (int i = 0; i < 30; i++) {
            parser.append("value_").append(i).append(" = compute(").append(i).append(", scale=").append(i * 3).append(")\n");
            moved.append("    value_").append(i).append(" = compute(").append(i).append(", scale=").append(i * 3).append(")\n");
        }
        StringBuilder scratch = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            scratch.append("trial_").append(i).append(" = attempt(").append(i).append(")\n");
        }
        String ann = "ann.undone@example.com";
        r.write("parser.py", parser.toString()).write("tools.py", "import re\n\nA = 1\n")
                .write("cli.py", "def main():\n    return 0\n").commit("add parser", "Ann Example", ann);
        r.delete("parser.py").commit("out with the old", "Ann Example", ann);
        r.write("pkg/parser.py", moved.toString()).commit("in with the new", "Ann Example", ann);
        r.write("scratch.py", scratch.toString()).commit("try an idea", "Ann Example", ann);
        r.delete("scratch.py").commit("drop the idea", "Ann Example", ann);
        r.write("tools.py", "\nA = 1\n").commit("tools need no re", "Ann Example", ann);
        r.write("cli.py", "import re\n\ndef main():\n    return 0\n").commit("cli uses re", "Ann Example", ann);
        r.write("helper.py", "def help_me():\n    return 42\n").commit("add helper", "Ann Example", ann);
        r.delete("helper.py").commit("remove unused helper", "Ben Example", "ben.undone@example.com");
        long run = ingestAndScore(r, "2002-09");
        Map<String, Map<String, Object>> byTitle = new java.util.HashMap<>();
        breakdownLines(run).forEach(line -> byTitle.put((String) line.get("title"), line));
        // The move: 30 lines deleted and added back (whitespace aside) by the same author, paid in neither commit, but
        // for the first line: a line is compared with its neighbours, and it has a new one ("class Parser:").
        assertThat(undone(byTitle.get("out with the old"))).isEqualTo(29);
        assertThat(undone(byTitle.get("in with the new"))).isEqualTo(29);
        assertThat(((Number) byTitle.get("out with the old").get("effectiveLines")).intValue()).isEqualTo(1);
        assertThat(((Number) byTitle.get("in with the new").get("effectiveLines")).intValue()).isEqualTo(2);
        assertThat(undoneDetail(byTitle.get("in with the new"))).contains("with commit ")
                .contains("(29)").contains("paid in neither");
        // Written and deleted again within the epoch: nothing left, nothing paid.
        for (String title : List.of("try an idea", "drop the idea")) {
            assertThat(undone(byTitle.get(title))).as(title).isEqualTo(20);
            assertThat(new BigDecimal((String) byTitle.get(title).get("score"))).as(title).isEqualByComparingTo("0");
        }
        // One import deleted in one file and one added in another are two different lines (a line without neighbours
        // is compared within its own file only).
        assertThat(undone(byTitle.get("tools need no re"))).isZero();
        assertThat(undone(byTitle.get("cli uses re"))).isZero();
        // Someone else deleting Ann's new helper is their own work, and Ann's helper stays paid.
        assertThat(undone(byTitle.get("add helper"))).isZero();
        assertThat(undone(byTitle.get("remove unused helper"))).isZero();
        assertThat(new BigDecimal((String) byTitle.get("remove unused helper").get("score"))).isPositive();
        for (Map<String, Object> line : byTitle.values()) {
            List<Factor> factors = factors((List<Map<String, Object>>) line.get("factors"));
            assertThat(Factor.effectiveLines(factors)).isEqualTo(((Number) line.get("effectiveLines")).longValue());
            assertThat(Factor.fold(factors)).isEqualByComparingTo(new BigDecimal((String) line.get("score")));
        }
        given().when().get("/api/scoring-runs/{id}", run).then().statusCode(200)
                .body("policy.rules.find { it.rule == 'undone-lines' }.net", org.hamcrest.Matchers.equalTo(true))
                .body("policyRules.find { it.rule == 'undone-lines' }.text", org.hamcrest.Matchers.startsWith("Lines the same authors add"));
    }

    private static long undone(Map<String, Object> line) {
        return linesTakenOff(line, "undone");
    }

    /** The lines the LINES factor {@code name} takes off the line's effective lines (0 without it). */
    private static long linesTakenOff(Map<String, Object> line, String name) {
        for (Map<String, Object> f : (List<Map<String, Object>>) line.get("factors")) {
            if (name.equals(f.get("name"))) {
                return -new BigDecimal((String) f.get("value")).longValueExact();
            }
        }
        return 0;
    }

    private static String undoneDetail(Map<String, Object> line) {
        return ((List<Map<String, Object>>) line.get("factors")).stream().filter(f -> "undone".equals(f.get("name")))
                .findFirst().orElseThrow().get("detail").toString();
    }

    /** Registers and ingests {@code r}, and scores the month {@code yyyy-MM} (an epoch of its own); returns the run. */
    private static long ingestAndScore(TestRepo r, String month) {
        return ingestAndScore(register(r), month);
    }

    /** Registers {@code r} as a repository (not ingested yet); returns its id. */
    private static long register(TestRepo r) {
        return given().contentType(ContentType.JSON).body(Map.of("location", r.path()))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Twenty lines {@code name0 = call0)} to {@code name19 = call19)}: a block a change adds, reverts and adds back. */
    private static String twentyLines(String name, String call) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append(name).append(i).append(" = ").append(call).append(i).append(")\n");
        }
        return lines.toString();
    }

    private static long ingestAndScore(long repo, String month) {
        given().when().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        java.time.YearMonth m = java.time.YearMonth.parse(month);
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", month,
                        "startsAt", m.atDay(1) + "T00:00:00Z", "endsAt", m.plusMonths(1).atDay(1) + "T00:00:00Z",
                        "budgetTokens", "0.000000000000001"))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        return given().contentType(ContentType.JSON).body(Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Every contribution's line of the run's score breakdowns, over all its contributors. */
    private static List<Map<String, Object>> breakdownLines(long run) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Map<String, Object> standing : standings(run)) {
            lines.addAll(given().when().get("/api/scoring-runs/{id}/contributors/{c}", run,
                    standing.get("contributorId")).then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("contributions"));
        }
        return lines;
    }

    private static String graphDetail(Map<String, Object> line) {
        for (Map<String, Object> f : (List<Map<String, Object>>) line.get("factors")) {
            if ("graph".equals(f.get("name"))) {
                return (String) f.get("detail");
            }
        }
        throw new AssertionError("no graph factor on " + line.get("title"));
    }

    @Test
    void aChangeRevertedAndLandedAgainWithAFixIsPaidOnce() {
        // Ben's search lands in January 1990 (paid with January). In February Cid reverts it (git revert's message),
        // and Ben lands it again with a one-line fix beside it: another patch, so not a copy. Its 20 lines were paid
        // in January; only the fix is new work. In March the same happens within one month.
        String search = twentyLines("hit_", "index.find(query, ");
        String ben = "ben.reland@example.com";
        TestRepo r = TestRepo.create("merit-reland", Instant.parse("1990-01-10T00:00:00Z"));
        r.write("core.py", "def core():\n    return 1\n").commit("feat: core", "Ann Reland", "ann.reland@example.com");
        String landed = r.write("search.py", search).commit("feat: search", "Ben Reland", ben).name();
        long repo = register(r);
        ingestAndScore(repo, "1990-01");

        String revert = r.delete("search.py").commitAt(Instant.parse("1990-02-02T10:00:00Z"),
                "Revert \"feat: search\"\n\nThis reverts commit " + landed + ".\n", "Cid Reland", "cid.reland@example.com")
                .name();
        r.write("search.py", search).write("fix.py", "SEARCH_LIMIT = 50\n")
                .commitAt(Instant.parse("1990-02-05T10:00:00Z"), "feat: search, again, with its limit", "Ben Reland", ben);
        long february = ingestAndScore(repo, "1990-02");
        Map<String, Object> again = breakdownLines(february).stream()
                .filter(l -> l.get("title").equals("feat: search, again, with its limit")).findFirst().orElseThrow();
        assertThat(linesTakenOff(again, "relanded")).isEqualTo(20);
        assertThat(((Number) again.get("effectiveLines")).intValue()).isEqualTo(1);
        assertThat(((List<Map<String, Object>>) again.get("factors")).stream().filter(f -> "relanded".equals(f.get("name")))
                .findFirst().orElseThrow().get("detail")).asString()
                .contains("commit " + landed.substring(0, 12) + " reverted by " + revert.substring(0, 12) + " (20)");
        // The revert is Cid's own work, paid as a revert: nothing of it is taken off.
        Map<String, Object> reverted = breakdownLines(february).stream().filter(l -> l.get("externalId").equals(revert))
                .findFirst().orElseThrow();
        assertThat(linesTakenOff(reverted, "relanded")).isZero();
        assertThat(linesTakenOff(reverted, "undone")).isZero();
        given().when().get("/api/scoring-runs/{id}", february).then().statusCode(200)
                .body("policyRules.find { it.rule == 'undone-lines' }.text",
                        org.hamcrest.Matchers.containsString("are paid once, in that commit"));

        // Within one month: landed, reverted, landed again with a fix. The first landing keeps its pay.
        String lookup = search.replace("hit_", "found_");
        String march = r.write("lookup.py", lookup)
                .commitAt(Instant.parse("1990-03-02T10:00:00Z"), "feat: lookup", "Ben Reland", ben).name();
        r.delete("lookup.py").commitAt(Instant.parse("1990-03-03T10:00:00Z"),
                "Revert \"feat: lookup\"\n\nThis reverts commit " + march + ".\n", "Cid Reland", "cid.reland@example.com");
        r.write("lookup.py", lookup).write("lookup_limit.py", "LOOKUP_LIMIT = 60\n")
                .commitAt(Instant.parse("1990-03-04T10:00:00Z"), "feat: lookup, again", "Ben Reland", ben);
        Map<String, Map<String, Object>> byTitle = new java.util.HashMap<>();
        breakdownLines(ingestAndScore(repo, "1990-03")).forEach(line -> byTitle.put((String) line.get("title"), line));
        assertThat(((Number) byTitle.get("feat: lookup").get("effectiveLines")).intValue()).isEqualTo(20);
        assertThat(linesTakenOff(byTitle.get("feat: lookup, again"), "relanded")).isEqualTo(20);
        assertThat(((Number) byTitle.get("feat: lookup, again").get("effectiveLines")).intValue()).isEqualTo(1);
    }

    @Test
    void aRevertedMergeStandsForItsCommitsAndLinesAddedBackAreTakenOffOnce() {
        // Ben's pull request is merged with a merge commit in January 1995; Cid reverts the merge (git revert -m 1)
        // in February and Ben lands half of the work again, with a fix. In March Ben adds the whole block to another
        // file: what February did not add back is taken off, not again what it did. April and May: a Reapply.
        String block = twentyLines("row_", "table.read(");
        String ben = "ben.remerge@example.com";
        TestRepo r = TestRepo.create("merit-remerge", Instant.parse("1995-01-10T00:00:00Z"));
        r.write("core.py", "def core():\n    return 1\n").commit("feat: core", "Ann Remerge", "ann.remerge@example.com");
        r.branch("rows").write("rows.py", block).commit("feat: rows", "Ben Remerge", ben);
        String merge = r.checkout("main").mergeAt(Instant.parse("1995-01-20T10:00:00Z"), "rows", "Ann Remerge",
                "ann.remerge@example.com").name();
        long repo = register(r);
        ingestAndScore(repo, "1995-01");

        r.delete("rows.py").commitAt(Instant.parse("1995-02-02T10:00:00Z"), "Revert \"Merge branch 'rows'\"\n\n"
                + "This reverts commit " + merge + ", reversing\nchanges made to the branch.\n", "Cid Remerge",
                "cid.remerge@example.com");
        // Half of it comes back in February (the first ten rows, and a limit).
        String half = block.substring(0, block.indexOf("row_10 "));
        r.write("rows.py", half).write("rows_limit.py", "ROWS = 20\n")
                .commitAt(Instant.parse("1995-02-05T10:00:00Z"), "feat: rows, again", "Ben Remerge", ben);
        Map<String, Object> again = breakdownLines(ingestAndScore(repo, "1995-02")).stream()
                .filter(l -> l.get("title").equals("feat: rows, again")).findFirst().orElseThrow();
        long february = linesTakenOff(again, "relanded");
        // Ten rows and the limit; the tenth row's neighbour (row_10) is not there, so it is not the line reverted.
        assertThat(february).isEqualTo(9);
        assertThat(((Number) again.get("effectiveLines")).intValue()).isEqualTo(11 - 9);

        // In March all twenty come back elsewhere: the eleven not added back yet are taken off, not the nine again.
        r.write("archive/rows_copy.py", block)
                .commitAt(Instant.parse("1995-03-03T10:00:00Z"), "feat: keep a copy of the rows", "Ben Remerge", ben);
        Map<String, Object> march = breakdownLines(ingestAndScore(repo, "1995-03")).stream()
                .filter(l -> l.get("title").equals("feat: keep a copy of the rows")).findFirst().orElseThrow();
        assertThat(linesTakenOff(march, "relanded")).isEqualTo(20 - february);
        assertThat(((Number) march.get("effectiveLines")).intValue()).isEqualTo(9);

        // A revert of the revert ("Reapply") adds the change back too, paid as a revert: an unrelated file that later
        // holds the same block is new work.
        String columns = twentyLines("col_", "table.column(");
        String ann = "ann.remerge@example.com";
        String x = r.write("columns.py", columns)
                .commitAt(Instant.parse("1995-04-03T10:00:00Z"), "feat: columns", "Ann Remerge", ann).name();
        String undo = r.delete("columns.py").commitAt(Instant.parse("1995-04-04T10:00:00Z"),
                "Revert \"feat: columns\"\n\nThis reverts commit " + x + ".\n", "Cid Remerge", "cid.remerge@example.com")
                .name();
        r.write("columns.py", columns).commitAt(Instant.parse("1995-04-05T10:00:00Z"),
                "Reapply \"feat: columns\"\n\nThis reverts commit " + undo + ".\n", "Ann Remerge", ann);
        ingestAndScore(repo, "1995-04");
        r.write("archive/columns_copy.py", columns)
                .commitAt(Instant.parse("1995-05-03T10:00:00Z"), "feat: keep a copy of the columns", "Ann Remerge", ann);
        Map<String, Object> may = breakdownLines(ingestAndScore(repo, "1995-05")).stream()
                .filter(l -> l.get("title").equals("feat: keep a copy of the columns")).findFirst().orElseThrow();
        assertThat(linesTakenOff(may, "relanded")).isZero();
        assertThat(((Number) may.get("effectiveLines")).intValue()).isEqualTo(20);
    }

    @Test
    void coAuthoredWorkIsSplitBetweenItsAuthors() {
        long runId = score().getLong("id");
        Map<String, Object> ada = standings(runId).stream().filter(s -> s.get("displayName").equals("Ada Lovelace"))
                .findFirst().orElseThrow();
        JsonPath breakdown = given().when().get("/api/scoring-runs/{id}/contributors/{c}", runId,
                ada.get("contributorId")).then().statusCode(200).extract().jsonPath();
        assertThat(breakdown.getList("contributions.factors.name").toString()).contains("credit_share");
        // Each line's effective lines are what its line factors add up to, and its factors fold to its score.
        for (Map<String, Object> line : breakdown.<Map<String, Object>>getList("contributions")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> factors = (List<Map<String, Object>>) line.get("factors");
            long lines = factors.stream().filter(f -> f.get("kind").equals("LINES"))
                    .mapToLong(f -> new BigDecimal(f.get("value").toString()).longValueExact()).sum();
            assertThat(((Number) line.get("effectiveLines")).longValue()).isEqualTo(lines);
            BigDecimal folded = dev.merit.scoring.Factor.fold(factors.stream().map(f -> new dev.merit.scoring.Factor(
                    (String) f.get("name"), dev.merit.scoring.Factor.Kind.valueOf((String) f.get("kind")),
                    dev.merit.scoring.Factor.Op.valueOf((String) f.get("op")), new BigDecimal(f.get("value").toString()),
                    (String) f.get("detail"))).toList());
            assertThat(folded).isEqualByComparingTo(new BigDecimal(line.get("score").toString()));
        }
    }

    @Test
    void aCiResultThatArrivesBetweenTwoRunsIsAChangeOfInputs() throws Exception {
        TestRepo r = TestRepo.create("merit-ci-input", Instant.parse("1974-10-01T00:00:00Z"));
        String sha = r.write("a.c", "int a;\nint b;\n").commit("feat: a", "Ann Example", "ann.ci@example.com").name();
        long first = ingestAndScore(r, "1974-10");
        JsonPath before = given().get("/api/scoring-runs/{id}", first).then().statusCode(200).extract().jsonPath();

        // GitLab reports a failed pipeline on that commit: the next run gives it the ci factor, and says its inputs changed.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode pipeline = (com.fasterxml.jackson.databind.node.ObjectNode) json
                .readTree(ScoringAndPayrollTest.class.getResourceAsStream("/webhooks/gitlab/pipeline_success.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) pipeline.get("object_attributes")).put("id", 197410)
                .put("sha", sha).put("status", "failed");
        ((com.fasterxml.jackson.databind.node.ObjectNode) pipeline.get("project"))
                .put("path_with_namespace", "ci/input-1974").put("id", 197_401); // another project than the fixture's
        given().contentType("application/json").header("X-Gitlab-Event", "Pipeline Hook")
                .header("X-Gitlab-Event-UUID", java.util.UUID.randomUUID().toString())
                .header("X-Gitlab-Token", "test-gitlab-token-not-a-real-one").body(json.writeValueAsBytes(pipeline))
                .post("/api/webhooks/gitlab").then().statusCode(200);
        long second = given().contentType(ContentType.JSON).body(Map.of("epochId", before.getLong("epochId")))
                .post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath after = given().get("/api/scoring-runs/{id}", second).then().statusCode(200).extract().jsonPath();
        assertThat(after.getString("inputHash")).isNotEqualTo(before.getString("inputHash"));
        assertThat(breakdownLines(second).stream().filter(l -> l.get("externalId").equals(sha)).findFirst().orElseThrow()
                .get("factors").toString()).contains("CI failed");
    }

    @Test
    void twoProposalsOfOneEpochAtOnceLeaveOneDraft() throws Exception {
        score();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return given().contentType(ContentType.JSON).body(Map.of("epochId", epochId))
                            .post("/api/payout-proposals").then().extract().statusCode();
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Integer> f : sent) {
                assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> states = given().queryParam("epochId", epochId).get("/api/payout-proposals").then().statusCode(200)
                .extract().jsonPath().getList("state");
        assertThat(states.stream().filter(st -> st.equals("draft")).count())
                .as("drafts of the epoch: " + states).isEqualTo(1);
    }

    /**
     * A proposal without a run pays from the epoch's newest run by time. Ids come in blocks per process: a run the CLI
     * made earlier can carry a higher id than a later run of the server, and must not be taken for the latest.
     */
    @Test
    void aProposalPaysFromTheNewestRunByTimeNotById() {
        long later = score().getLong("id");
        long higherIdButEarlier = score().getLong("id");
        assertThat(higherIdButEarlier).isGreaterThan(later);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            dev.merit.scoring.ScoringRun early = dev.merit.scoring.ScoringRun.findById(higherIdButEarlier);
            dev.merit.scoring.ScoringRun run = dev.merit.scoring.ScoringRun.findById(later);
            early.createdAt = run.createdAt.minusSeconds(3600);
        });
        long paidFrom = given().contentType(ContentType.JSON).body(Map.of("epochId", epochId))
                .post("/api/payout-proposals").then().statusCode(201).extract().jsonPath().getLong("scoringRunId");
        assertThat(paidFrom).isEqualTo(later);
        List<Long> listed = given().queryParam("epochId", epochId).get("/api/scoring-runs").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
        assertThat(listed.indexOf(later)).as("newest first: " + listed).isLessThan(listed.indexOf(higherIdButEarlier));
    }

    @Test
    void scoringTwiceGivesTheSameScores() {
        JsonPath first = score();
        JsonPath second = score();
        assertThat(second.getString("inputHash")).isEqualTo(first.getString("inputHash"));
        assertThat(second.getString("modelHash")).isEqualTo(first.getString("modelHash"));
        assertThat(second.getString("totalScore")).isEqualTo(first.getString("totalScore"));
        assertThat(standings(second.getLong("id"))).extracting(s -> s.get("total"))
                .isEqualTo(standings(first.getLong("id")).stream().map(s -> s.get("total")).toList());
    }

    @Test
    void proposalPaysTheWholeBudgetExactlyUnderThePolicy() throws Exception {
        score();
        JsonPath proposal = given().contentType(ContentType.JSON).body(Map.of("epochId", epochId))
                .when().post("/api/payout-proposals").then().statusCode(201).extract().jsonPath();
        BigInteger budget = new BigInteger(proposal.getString("budgetBaseUnits"));
        List<Map<String, Object>> lines = proposal.getList("lines");
        BigInteger sum = BigInteger.ZERO;
        for (Map<String, Object> line : lines) {
            BigInteger amount = new BigInteger((String) line.get("amountBaseUnits"));
            sum = sum.add(amount);
            assertThat(amount).isLessThanOrEqualTo(TOKEN.multiply(BigInteger.valueOf(400)));
            if (amount.signum() > 0) {
                assertThat(amount).isGreaterThanOrEqualTo(TOKEN);
            }
            if (Boolean.TRUE.equals(line.get("bot"))) {
                assertThat(line.get("state")).isEqualTo("nothing to pay");
                assertThat((String) line.get("reason")).contains("a bot account");
                assertThat(amount).isZero();
            }
        }
        assertThat(sum).isEqualTo(budget);
        assertThat(lines).anySatisfy(l -> assertThat((String) l.get("reason")).startsWith("a bot account"));

        long id = proposal.getLong("id");
        String inputs = given().when().get("/api/payout-proposals/{id}/inputs", id).then().statusCode(200)
                .extract().asString();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(inputs.getBytes(StandardCharsets.UTF_8)));
        assertThat(hash).isEqualTo(proposal.getString("contentHash"));
        assertThat(inputs).contains("\"format\":\"merit.payout-inputs.v1\"").doesNotContain("@example.com");

        JsonPath verification = given().when().get("/api/payout-proposals/{id}/verification", id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(verification.getBoolean("hashMatches")).isTrue();
        assertThat(verification.getBoolean("amountsMatch")).isTrue();

        String csv = given().when().get("/api/payout-proposals/{id}/lines.csv", id).then().statusCode(200)
                .contentType("text/csv").extract().asString();
        String[] rows = csv.strip().split("\n");
        assertThat(rows).hasSize(lines.size() + 1);
        BigInteger csvSum = BigInteger.ZERO;
        for (int i = 1; i < rows.length; i++) {
            String[] cells = rows[i].split(",");
            csvSum = csvSum.add(new BigInteger(cells[5]));
        }
        assertThat(csvSum).isEqualTo(budget);
    }

    @Test
    void aBudgetOverrideThatBreaksThePolicyIsRefusedAndNothingIsStored() {
        score();
        int before = given().queryParam("epochId", epochId).when().get("/api/payout-proposals").then().extract()
                .jsonPath().getList("$").size();
        // 5 payable contributors, cap 400 tokens: 3000 tokens cannot be paid out (above the epoch's 1000, as meant).
        given().contentType(ContentType.JSON).body(Map.of("epochId", epochId,
                        "budgetTokens", "3000", "aboveEpochBudget", true))
                .when().post("/api/payout-proposals")
                .then().statusCode(422).contentType("application/problem+json");
        int after = given().queryParam("epochId", epochId).when().get("/api/payout-proposals").then().extract()
                .jsonPath().getList("$").size();
        assertThat(after).isEqualTo(before);
    }
    /**
     * The epoch's budget is what the DAO set aside: a budget above it (a slipped digit) is refused unless the request
     * says it is meant, and nothing is stored; a lower one needs no word.
     */
    @Test
    void aBudgetAboveTheEpochsIsRefusedUnlessItIsMeant() throws Exception {
        score();
        int before = given().queryParam("epochId", epochId).when().get("/api/payout-proposals").then().extract()
                .jsonPath().getList("$").size();
        given().contentType(ContentType.JSON).body(Map.of("epochId", epochId, "budgetTokens", "10000"))
                .when().post("/api/payout-proposals")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/budget-above-epoch"))
                .body("detail", equalTo("The budget asked, 10000 tokens, is more than epoch '2002-03' set aside (1000 "
                        + "tokens). To pay more than its budget, say so: \"aboveEpochBudget\": true (the CLI's "
                        + "--above-epoch-budget)."))
                .body("epochBudgetTokens", equalTo("1000"));
        assertThat(given().queryParam("epochId", epochId).when().get("/api/payout-proposals").then().extract()
                .jsonPath().getList("$")).hasSize(before);
        long above = given().contentType(ContentType.JSON).body(Map.of("epochId", epochId, "budgetTokens", "1200",
                "aboveEpochBudget", true)).when().post("/api/payout-proposals").then().statusCode(201)
                .body("budgetTokens", equalTo("1200")).extract().jsonPath().getLong("id");
        // Its page says so where the amount is, and so does the list.
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals/" + above))
                .contains("200 MPAY more than the epoch's budget of 1,000 MPAY; it pays that in full");
        assertThat(dev.merit.support.Chromium.text(base + "#/proposals"))
                .contains("200 MPAY more than the epoch's budget of 1,000 MPAY");
        given().contentType(ContentType.JSON).body(Map.of("epochId", epochId, "budgetTokens", "900.5"))
                .when().post("/api/payout-proposals").then().statusCode(201).body("budgetTokens", equalTo("900.5"));
    }

    /**
     * The vault pays periods once and in order: a later epoch's payout, once approved, closes every earlier epoch no
     * payout has paid. The later payout names them while it may still be approved, so that voting for it is not,
     * unknowingly, voting never to pay the earlier one.
     */
    @Test
    void aPayoutNamesTheEarlierUnpaidEpochsItsApprovalWouldClose() throws Exception {
        TestRepo r = TestRepo.create("merit-closes", Instant.parse("2193-01-10T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Early Closes", "early@closes.example");
        r.write("b.txt", "two\n").commitAt(Instant.parse("2193-02-10T00:00:00Z"), "feat: b", "Later Closes",
                "later@closes.example");
        long repository = dev.merit.support.Api.ingest(r);
        long january = dev.merit.support.Api.epoch("closes-january", "2193-01-01T00:00:00Z", "2193-02-01T00:00:00Z",
                BigInteger.TEN.pow(19));
        long february = dev.merit.support.Api.epoch("closes-february", "2193-02-01T00:00:00Z", "2193-03-01T00:00:00Z",
                BigInteger.TEN.pow(19));
        dev.merit.support.Api.score(january);
        dev.merit.support.Api.score(february);
        long januaryPayout = dev.merit.support.Api.propose(january).getLong("id");
        long februaryPayout = dev.merit.support.Api.propose(february).getLong("id");
        // Ten days inside February: approving February's payout closes it too, and approving its payout first would
        // close February instead (of epochs that share time only one is paid).
        long preview = dev.merit.support.Api.epoch("closes-february-preview", "2193-02-10T00:00:00Z",
                "2193-02-20T00:00:00Z", BigInteger.TEN.pow(18));

        JsonPath later = given().get("/api/payout-proposals/{id}", februaryPayout).then().statusCode(200).extract().jsonPath();
        assertThat(later.getString("closes.latest[0].name")).isEqualTo("closes-february-preview");
        assertThat(later.getLong("closes.latest[0].epochId")).isEqualTo(preview);
        assertThat(later.getBoolean("closes.latest[0].sharesTime")).isTrue();
        assertThat(later.getLong("closes.sharingTime")).isEqualTo(1);
        assertThat(later.getString("closes.latest[1].name")).isEqualTo("closes-january");
        assertThat(later.getLong("closes.latest[1].epochId")).isEqualTo(january);
        assertThat(later.getBoolean("closes.latest[1].sharesTime")).isFalse();
        assertThat(later.getString("closes.latest[1].budgetBaseUnits")).isEqualTo("10000000000000000000");
        // Who closing it leaves unpaid, as its latest scoring counted them; the preview is not scored.
        assertThat(later.getInt("closes.latest[1].contributors")).isEqualTo(1);
        assertThat(later.getString("closes.latest[0].contributors")).isNull();
        // ... and what it holds instead: work dated in it, not yet scored (an empty one would say "no contributions").
        assertThat(later.getLong("closes.latest[0].contributions")).isEqualTo(1);
        assertThat(later.getString("closes.latest[1].contributions")).isNull();
        // The payout that could pay it if approved first, and none for the preview.
        assertThat(later.getLong("closes.latest[1].payoutProposalId")).isEqualTo(januaryPayout);
        assertThat(later.getString("closes.latest[1].payoutState")).isEqualTo("a draft: not on chain yet");
        assertThat(later.getString("closes.latest[0].payoutProposalId")).isNull();
        // In all, the work its approval leaves unpaid for good: January's commit at least (other tests' work dated
        // between what the vault has paid and February counts too).
        assertThat(later.getLong("closes.contributionsBefore")).isGreaterThanOrEqualTo(1);
        // A bot's work is not counted as lost (no payout of an epoch that pays no bots would pay it); a person's is.
        r.write("c.txt", "three\n").commitAt(Instant.parse("2193-01-20T00:00:00Z"), "chore: bump", "renovate[bot]",
                "29139614+renovate[bot]@users.noreply.github.com");
        given().post("/api/repositories/{id}/ingest", repository).then().statusCode(200);
        assertThat(given().get("/api/payout-proposals/{id}", februaryPayout).then().extract().jsonPath()
                .getLong("closes.contributionsBefore")).isEqualTo(later.getLong("closes.contributionsBefore"));
        r.write("d.txt", "four\n").commitAt(Instant.parse("2193-01-21T00:00:00Z"), "fix: d", "Early Closes",
                "early@closes.example");
        given().post("/api/repositories/{id}/ingest", repository).then().statusCode(200);
        assertThat(given().get("/api/payout-proposals/{id}", februaryPayout).then().extract().jsonPath()
                .getLong("closes.contributionsBefore")).isEqualTo(later.getLong("closes.contributionsBefore") + 1);
        assertThat(later.getString("closes.unpaidUntil")).isEqualTo("2193-02-01T00:00:00Z");
        assertThat(new PayoutLedger.Closed(1, "e", Instant.EPOCH, Instant.EPOCH, BigInteger.ONE, 18, false, null, 0L,
                null, null)
                .scoredInWords()).isEqualTo("no contributions");
        // (other tests' earlier epochs, none paid, are closed by it too: counted, the latest named)
        assertThat(later.getLong("closes.count")).isGreaterThanOrEqualTo(later.getList("closes.latest").size());
        assertThat(later.getList("closes.latest.name")).doesNotContain("closes-february").hasSizeLessThanOrEqualTo(20);
        // January's own payout closes neither February nor the preview, which start after it ends.
        assertThat(given().get("/api/payout-proposals/{id}", januaryPayout).then().extract().jsonPath()
                .getList("closes.latest.name")).doesNotContain("closes-february", "closes-february-preview");
        // Nor does `merit chain status` leave them out.
        java.io.StringWriter status = new java.io.StringWriter();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> dev.merit.cli.ChainCommand.Status.printUnread(
                new java.io.PrintWriter(status, true), februaryPayout, ledger));
        assertThat(status.toString())
                .contains("Warning: approving it closes " + (later.getLong("closes.count") - 1) + " earlier")
                .contains("no payout has paid: 'closes-january' (1 contributor scored)")
                .contains("The vault pays periods once and in order")
                .containsPattern("Warning: once it is approved, [0-9]+ contributions? dated (before|between .* and) "
                        + "2193-02-01 00:00 UTC, which no payout has paid, can never be paid")
                .contains("Warning: approving it closes 1 epoch sharing its time that no payout has paid: "
                        + "'closes-february-preview' (not scored yet, 1 contribution). "
                        + "Of epochs that share time only one is paid: "
                        + "approving a payout of it first closes this one instead");
        // And the payout's page, as a member reads it before voting.
        String page = dev.merit.support.Chromium.text(base + "#/proposals/" + februaryPayout);
        // First what is lost for good (the last day said, as every range here), then the epochs it closes.
        assertThat(page).containsPattern("Once this payout is approved, [0-9,]+ contributions? dated (from [0-9-]+ )?to "
                        + "2193-01-31, which no payout has paid, can never be paid ?: the vault pays periods once and "
                        + "in order")
                // With the payout that could pay it first, in its state (a link: the text may space it apart).
                .containsPattern("which no payout has paid: closes-january \\(budget 10 MPAY, 1 contributor "
                        + "scored; payout #" + januaryPayout + " ?, a draft: not on chain yet\\)")
                .contains("It also closes an epoch that shares its time, which no payout has paid: "
                        + "closes-february-preview (budget 1 MPAY, not scored yet, 1 contribution). "
                        + "Of epochs that share time, only "
                        + "one is paid: approving a payout of it first would close this one instead.")
                .doesNotContain("http://");
        // A contributor reading February's amount hears it too: for the ten days, one payout only will pay.
        assertThat(dev.merit.support.Chromium.text(base + "#/contributors/"
                + dev.merit.support.Api.contributor("later@closes.example")))
                .containsPattern("This epoch shares time with closes-february-preview ?: once a payout of one of them "
                        + "is on chain or paid, a payout of another is refused, so only one of them will be paid\\.");
        // A list of proposals does not say it.
        assertThat(given().get("/api/payout-proposals?epochId=" + february).then().extract().jsonPath()
                .getList("closes")).containsOnlyNulls();
        // The bot's work counts as lost once an epoch that pays bots covers it: a payout of that epoch would pay it.
        long before = given().get("/api/payout-proposals/{id}", februaryPayout).then().extract().jsonPath()
                .getLong("closes.contributionsBefore");
        given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("name", "closes-bots",
                        "startsAt", "2193-01-15T00:00:00Z", "endsAt", "2193-01-25T00:00:00Z", "budgetTokens", "1",
                        "policy", java.util.Map.of("minPayoutTokens", "0", "sqrtDampening", false,
                                "includeBots", true)))
                .post("/api/epochs").then().statusCode(201);
        assertThat(given().get("/api/payout-proposals/{id}", februaryPayout).then().extract().jsonPath()
                .getLong("closes.contributionsBefore")).isEqualTo(before + 1);
        // January paid (its approval as Merit records it from the vault): February's approval closes nothing, and
        // January's own page no longer says what it would close.
        setApproved(januaryPayout, Instant.now());
        try {
            JsonPath now = given().get("/api/payout-proposals/{id}", februaryPayout).then().extract().jsonPath();
            assertThat(now.getLong("closes.count")).isOne();
            assertThat(now.getList("closes.latest.name")).containsExactly("closes-february-preview");
            assertThat(given().get("/api/payout-proposals/{id}", januaryPayout).then().extract().jsonPath()
                    .getString("closes")).isNull();
        } finally {
            setApproved(januaryPayout, null);
        }
    }

    private static void setApproved(long proposal, Instant at) {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() ->
                PayoutProposal.<PayoutProposal>findById(proposal).approvedAt = at);
    }
}
