package dev.merit.payroll;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A coding agent named as co-author ({@code Co-authored-by: Claude <noreply@anthropic.com>}) is a bot, and takes no
 * share of the person's work: the person is credited the whole score, where two people split theirs.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BotCoAuthorTest {

    @Test
    void aCodingAgentCoAuthorTakesNoShareFromThePerson() {
        TestRepo r = TestRepo.create("merit-bot-coauthor", Instant.parse("1979-05-02T00:00:00Z"));
        // Two changes alike in all the model reads (message, extension, size), one with an agent, one with a person.
        r.write("src/agent.py", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n").commit(
                "feat: add the tokenizer\n\nCo-authored-by: Claude Opus 4.5 <noreply@anthropic.com>",
                "Ines Agentuser", "ines@example.org");
        r.write("src/pair.py", "g = 7\nh = 8\ni = 9\nj = 10\nk = 11\nl = 12\n").commit(
                "feat: add the tokenizer\n\nCo-authored-by: Otto Pairmate <otto@example.org>",
                "Paula Pairuser", "paula@example.org");
        // A trial written with the agent and deleted by the person alone: the same author's undone lines, paid in neither.
        StringBuilder trial = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            trial.append("trial_").append(i).append(" = attempt(").append(i).append(")\n");
        }
        r.write("src/trial.py", trial.toString()).commit("try an idea\n\nCo-authored-by: Claude <noreply@anthropic.com>",
                "Ines Agentuser", "ines@example.org");
        r.delete("src/trial.py").commit("drop the idea", "Ines Agentuser", "ines@example.org");
        r.write("package.json", "{\"name\": \"x\"}\n").commit("chore: setup", "OpenFeature Bot",
                "109696520+openfeaturebot@users.noreply.github.com");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path()))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "1979-05", "startsAt",
                        "1979-05-01T00:00:00Z", "endsAt", "1979-06-01T00:00:00Z", "budgetTokens", "1000",
                        "policy", Map.of("minPayoutTokens", "0", "capTokens", "1000", "sqrtDampening", false,
                                "includeBots", false)))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath run = given().contentType(ContentType.JSON).body(Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath();

        List<Map<String, Object>> standings = given().when().get("/api/scoring-runs/{id}/contributors",
                run.getLong("id")).then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        standings.forEach(s -> byName.put((String) s.get("displayName"), s));
        assertThat(byName).as("the agent is credited nothing").doesNotContainKey("Claude Opus 4.5");
        assertThat(byName.get("OpenFeature Bot").get("bot")).as("'... Bot' with a bot e-mail").isEqualTo(true);
        JsonPath inesPage = given().when().get("/api/scoring-runs/{id}/contributors/{c}", run.getLong("id"),
                byName.get("Ines Agentuser").get("contributorId")).then().statusCode(200).extract().jsonPath();
        for (String title : List.of("try an idea", "drop the idea")) {
            assertThat(inesPage.getString("contributions.find { it.title == '" + title + "' }.score"))
                    .as(title + ": written with an agent, deleted alone, paid in neither").isIn("0", "0.000000");
        }
        double ines = Double.parseDouble(byName.get("Ines Agentuser").get("total").toString());
        double paula = Double.parseDouble(byName.get("Paula Pairuser").get("total").toString());
        double otto = Double.parseDouble(byName.get("Otto Pairmate").get("total").toString());
        // The same change: Ines alone is paid what Paula and Otto share.
        assertThat(ines).isPositive().isEqualTo(paula + otto, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(paula).isEqualTo(otto);
        List<Map<String, Object>> claude = given().queryParam("q", "Claude").when().get("/api/contributors").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(claude).singleElement().satisfies(c -> assertThat(c.get("bot")).isEqualTo(true));
    }
}
