package dev.merit.contributor;

import dev.merit.support.Api;
import dev.merit.support.InProcess;
import dev.merit.support.InProcess.Run;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

/**
 * A treasurer corrects who is a bot: a release robot the rule missed is marked a bot (and stops taking half of the
 * person's change), a person surnamed Bot is marked a person, and an account stored as a person under an older rule is
 * listed for review with the command that changes it. Every mark is recorded; earlier runs keep what they computed.
 * Year 1975.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BotMarkTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @Inject
    EntityManager em;

    @Inject
    picocli.CommandLine.IFactory factory;

    @Inject
    dev.merit.payroll.PayrollService payroll;

    private Run merit(String... args) {
        return InProcess.merit(factory, args);
    }

    private static Map<Long, Double> totals(long run) {
        List<Map<String, Object>> standings = given().get("/api/scoring-runs/{id}/contributors", run).then()
                .statusCode(200).extract().jsonPath().getList("$");
        Map<Long, Double> totals = new java.util.HashMap<>();
        standings.forEach(s -> totals.put(((Number) s.get("contributorId")).longValue(),
                Double.parseDouble(s.get("total").toString())));
        return totals;
    }

    /** Whether the run's standings show the contributor as a bot. */
    private static boolean botIn(long run, long contributor) {
        return given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200).extract().jsonPath()
                .getBoolean("find { it.contributorId == " + contributor + " }.bot");
    }

    private static JsonPath mark(long contributor, Object body, int status) {
        return given().contentType(ContentType.JSON).body(body).put("/api/contributors/{id}/bot", contributor).then()
                .statusCode(status).extract().jsonPath();
    }

    @Test
    void aTreasurerMarksBotsAndPeopleAndEveryMarkIsKept() {
        TestRepo r = TestRepo.create("merit-bot-mark", Instant.parse("1975-03-02T00:00:00Z"));
        r.write("src/parser.py", "a = 1\nb = 2\nc = 3\nd = 4\n").commit(
                "feat: add the parser\n\nCo-authored-by: Release Automation <releases@fab.example>", "Ana Lima", "ana@lima.example");
        r.write("src/fix.py", "x = 1\n").commit("fix: guard the empty case", "Jan Bot", "jan.bot@home.example");
        r.write("ops.yml", "on: push\n").commit("chore: ops", "Ops Bot", "ops-bot@fab.example");
        r.write("deploy.yml", "on: tag\n").commit("chore: deploy", "Deploy Bot", "deploy-bot@fab.example");
        Api.ingest(r);
        long ana = Api.contributor("ana@lima.example");
        long robot = Api.contributor("releases@fab.example");
        long jan = Api.contributor("jan.bot@home.example");
        long ops = Api.contributor("ops-bot@fab.example");
        long deploy = Api.contributor("deploy-bot@fab.example");
        long epoch = Api.epoch("bot-mark-1975", "1975-03-01T00:00:00Z", "1975-04-01T00:00:00Z", TOKEN.multiply(BigInteger.TEN));
        long before = Api.score(epoch);
        Map<Long, Double> shared = totals(before);
        assertThat(shared.get(robot)).as("the rule misses the robot: it shares Ana's change").isEqualTo(shared.get(ana));

        // What a treasurer checks: the accounts counted as bots, and who decided.
        JsonPath accounts = given().get("/api/contributors/bots").then().statusCode(200).extract().jsonPath();
        assertThat(accounts.getList("bots.contributorId", Long.class)).contains(jan, ops).doesNotContain(robot, ana);
        assertThat(accounts.getString("bots.find { it.contributorId == " + jan + " }.decidedBy")).isEqualTo("rule");
        assertThat(accounts.getString("bots.find { it.contributorId == " + jan + " }.change"))
                .isEqualTo("merit contributors bot " + jan + " no");

        long proposal = Api.propose(epoch).getLong("id");
        // Ana's share of the budget is above her share of the points: the bots' points are not paid, and her page's
        // steps from points to tokens say so.
        List<Map<String, Object>> steps = given().queryParam("run", before).get("/api/contributors/{id}/summary", ana)
                .then().statusCode(200).extract().jsonPath().getList("payout.steps");
        assertThat(steps).anySatisfy(step -> {
            assertThat(step.get("label")).isEqualTo("Bots left out");
            assertThat((String) step.get("detail")).contains("points of bot accounts are not paid (the policy pays people)")
                    .contains("of the people's");
        });

        // The robot is marked a bot; marking it again changes and records nothing.
        JsonPath marked = mark(robot, Map.of("bot", true, "by", "treasurer", "reason", "our release automation"), 200);
        assertThat(marked.getBoolean("changed")).isTrue();
        assertThat(marked.getBoolean("mark.wasBot")).isFalse();
        assertThat(marked.getString("mark.markedBy")).isEqualTo("treasurer");
        assertThat(marked.getString("mark.markedVia")).as("how Merit knew a maintainer marked it")
                .isEqualTo("from this machine, without a token");
        assertThat(marked.getString("note")).contains("Runs and payout proposals made before keep what they computed");
        assertThat(mark(robot, Map.of("bot", true), 200).getBoolean("changed")).isFalse();
        // Jan is a person whose surname is Bot.
        assertThat(mark(jan, Map.of("bot", false, "reason", "a person: asked"), 200).getBoolean("changed")).isTrue();
        // The latest run counted both before the marks: a payout from it would pay the robot as a person. Refused.
        given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/payout-proposals").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Release Automation (#" + robot + ") as a person"))
                .body("detail", containsString("Jan Bot (#" + jan + ") as a bot"))
                .body("detail", containsString("Score epoch 'bot-mark-1975' again"));

        long after = Api.score(epoch);
        // What changed between the two runs lists Jan, whose points did not move but whose pay does (a person now).
        JsonPath changes = given().queryParam("since", before).get("/api/scoring-runs/{id}/changes", after).then()
                .statusCode(200).extract().jsonPath();
        assertThat(changes.getBoolean("contributors.find { it.contributorId == " + jan + " }.botBefore")).isTrue();
        assertThat(changes.getBoolean("contributors.find { it.contributorId == " + jan + " }.botAfter")).isFalse();
        assertThat(new BigDecimal(changes.getString("contributors.find { it.contributorId == " + jan + " }.delta")))
                .isEqualByComparingTo(BigDecimal.ZERO);
        Map<Long, Double> whole = totals(after);
        assertThat(whole).as("a bot beside a person takes no share").doesNotContainKey(robot);
        assertThat(whole.get(ana)).isEqualTo(2 * shared.get(ana), within(1e-6));
        long newer = QuarkusTransaction.requiringNew().call(() -> payroll.propose(epoch, null, null, false).id);
        JsonPath withdrawn = given().delete("/api/payout-proposals/{id}", newer).then().statusCode(200).extract().jsonPath();
        assertThat(withdrawn.getString("state")).isEqualTo("withdrawn");
        assertThat(withdrawn.getBoolean("lines.find { it.contributorId == " + jan + " }.bot")).isFalse();
        assertThat(withdrawn.getBoolean("lines.find { it.contributorId == " + ops + " }.bot")).isTrue();
        given().delete("/api/payout-proposals/{id}", newer).then().statusCode(409);
        assertThat(given().get("/api/contributors/{id}", jan).then().statusCode(200).extract().jsonPath()
                .getBoolean("bot")).isFalse();
        // The mark is an input of scoring: the two runs do not claim the same inputs.
        assertThat(given().get("/api/scoring-runs/{id}", after).then().extract().jsonPath().getString("inputHash"))
                .isNotEqualTo(given().get("/api/scoring-runs/{id}", before).then().extract().jsonPath().getString("inputHash"));
        // The earlier run keeps what it computed, and so does the proposal made from it: it still verifies, and its
        // line shows the robot as it counted it (a person, paid).
        assertThat(totals(before)).isEqualTo(shared);
        assertThat(botIn(before, robot)).as("the earlier run's standings: the robot as it counted it").isFalse();
        assertThat(botIn(before, jan)).isTrue();
        assertThat(botIn(after, jan)).isFalse();
        assertThat(botIn(after, ops)).isTrue();
        JsonPath made = given().get("/api/payout-proposals/{id}", proposal).then().statusCode(200).extract().jsonPath();
        // It was replaced by the newer draft, which was withdrawn: nothing pays the epoch now, and its lines say so
        // rather than "the share is paid there".
        assertThat(made.getString("state")).isEqualTo("superseded");
        assertThat(made.getString("lines.find { it.contributorId == " + ana + " }.state")).isEqualTo("will not be paid");
        assertThat(made.getString("lines.find { it.contributorId == " + ana + " }.reason"))
                .isEqualTo("payout #" + newer + ", which replaced this one, was withdrawn: nothing pays this epoch until "
                        + "a new payout of it is proposed");
        assertThat(made.getBoolean("lines.find { it.contributorId == " + robot + " }.bot")).isFalse();
        assertThat(made.getBoolean("lines.find { it.contributorId == " + jan + " }.bot")).isTrue();
        JsonPath verified = given().get("/api/payout-proposals/{id}/verification", proposal).then().statusCode(200)
                .extract().jsonPath();
        assertThat(verified.getBoolean("hashMatches")).isTrue();
        assertThat(verified.getBoolean("amountsMatch")).isTrue();
        assertThat(verified.getList("mismatches")).isEmpty();

        // An account stored as a person by an older rule is listed for review, with the command; nothing changes by it.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update contributor set bot = false where id in "
                + "(?1, ?2)").setParameter(1, ops).setParameter(2, deploy).executeUpdate());
        accounts = given().get("/api/contributors/bots").then().statusCode(200).extract().jsonPath();
        assertThat(accounts.getString("review.find { it.contributorId == " + ops + " }.change"))
                .isEqualTo("merit contributors bot " + ops + " yes");
        assertThat(accounts.getString("review.find { it.contributorId == " + ops + " }.why"))
                .contains("ops-bot@fab.example");
        assertThat(accounts.getList("review.contributorId", Long.class)).as("decided by a maintainer: not reviewed")
                .doesNotContain(jan, robot);
        assertThat(accounts.getString("bots.find { it.contributorId == " + robot + " }.decidedBy")).isEqualTo("maintainer");
        List<Map<String, Object>> marks = accounts.getList("marks");
        assertThat(marks.stream().filter(m -> List.of(robot, jan).contains(((Number) m.get("contributorId")).longValue())))
                .extracting(m -> m.get("contributorId")).map(x -> ((Number) x).longValue()).containsExactly(jan, robot);

        // Hostile and wrong requests: a problem in words, nothing recorded.
        given().contentType(ContentType.JSON).body("{}").put("/api/contributors/{id}/bot", ana).then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"bot\": \"maybe\"}").put("/api/contributors/{id}/bot", ana).then()
                .statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("bot", true, "by", "x".repeat(256)))
                .put("/api/contributors/{id}/bot", ana).then().statusCode(400).body("detail", containsString("at most 255"));
        mark(999_999_999L, Map.of("bot", true), 404);
        for (String body : List.of("{", "{\"bot\": true, \"by\": {}}", "[true]", "{\"bot\": 1e999}",
                "{\"bot\": true, \"reason\": \"a\\u0000b\"}")) {
            var answer = given().contentType(ContentType.JSON).body(body).put("/api/contributors/{id}/bot", ana);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(answer.contentType()).as(body).startsWith("application/problem+json");
        }
        given().contentType(ContentType.JSON).body(Map.of("bot", true)).put("/api/contributors/{id}/bot", "abc").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("bot", true, "reason", "y".repeat(2001)))
                .put("/api/contributors/{id}/bot", ana).then().statusCode(400).body("detail", containsString("at most 2000"));
        given().contentType(ContentType.JSON).body(Map.of("bot", true, "by", "the\ttreasurer"))
                .put("/api/contributors/{id}/bot", ana).then().statusCode(400).body("detail", containsString("one line"));
        assertThat(given().get("/api/contributors/{id}", ana).then().extract().jsonPath().getBoolean("bot")).isFalse();
        // A contributor merged into another is credited nothing: the one it was merged into is marked instead.
        Run merged = merit("contributors", "merge", "#" + ana, "#" + jan, "--by", "treasurer", "--reason", "one person");
        assertThat(merged.exitCode()).as(merged.err()).isZero();
        assertThat(merged.out()).contains("merged into " + ana);
        assertThat(mark(jan, Map.of("bot", true), 409).getString("detail")).contains("mark " + ana + " instead");

        // The same from the command line.
        Run bots = merit("contributors", "bots");
        assertThat(bots.exitCode()).as(bots.err()).isZero();
        assertThat(bots.out()).contains("Counted as bots").contains("Release Automation").contains("To review")
                .contains("merit contributors bot " + ops + " yes").contains("our release automation");
        Run again = merit("contributors", "bot", "releases@fab.example", "yes");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("unchanged");
        Run wrong = merit("contributors", "bot", "#" + ops, "maybe");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("yes").contains("no");
        Run opsBot = merit("contributors", "bot", "#" + ops, "yes", "--reason", "ops automation");
        Run unknown = merit("contributors", "bot", "nobody@nowhere.example", "yes");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: ").contains("nobody@nowhere.example");
        assertThat(opsBot.exitCode()).isZero();
        assertThat(opsBot.out()).contains("is now a bot");
        // A maintainer who checked agrees that Deploy Bot is a person's account: confirmed on the record, off the list.
        Run confirmed = merit("contributors", "bot", "#" + deploy, "no", "--reason", "a person's account,\r\nnamed so");
        assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("is a person, confirmed").contains("no longer listed to review");
        accounts = given().get("/api/contributors/bots").then().statusCode(200).extract().jsonPath();
        assertThat(accounts.getList("review.contributorId", Long.class)).doesNotContain(deploy, ops);
        assertThat(accounts.getString("marks.find { it.contributorId == " + deploy + " }.reason"))
                .isEqualTo("a person's account,\nnamed so");
        assertThat(merit("contributors", "bot", "#" + deploy, "no").out()).startsWith("unchanged");
        JsonPath deployed = given().get("/api/contributors/{id}", deploy).then().extract().jsonPath();
        assertThat(deployed.getString("botMark.markedBy")).isEqualTo("maintainer");
        assertThat(deployed.getString("botMark.markedVia")).startsWith("on the command line (system user ");
    }
}
