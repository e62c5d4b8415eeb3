package dev.merit.ci;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** The maintainers' CI hook scores a branch's change without storing it, or ingests first after a merge. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CiHookTest {

    private static final String TOKEN = "Bearer test-ci-token-not-a-real-one";

    @Test
    void aPullRequestBranchIsScoredAndExplainedWithoutBeingStored() {
        TestRepo r = TestRepo.create("merit-ci", Instant.parse("2007-05-01T00:00:00Z"));
        r.write("src/app.py", "def main():\n    return 1\n").commit("feat: app", "Ann Example", "ann@example.com");
        r.branch("feature/search");
        r.write("src/search.py", "def search(q):\n    return [x for x in q]\n\n\ndef rank(x):\n    return x\n")
                .commit("add search over the index", "Ben Example", "ben@example.com");
        r.write("README.md", "# App\n\nSearch with `search`.\n").commit("document search | rank", "Ben Example",
                "ben@example.com");
        r.checkout("main");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path(), "branch", "main"))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");

        JsonPath change = given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", repo, "ref", "feature/search"))
                .when().post("/api/ci/changes").then().statusCode(200).extract().jsonPath();
        assertThat(change.getInt("commits")).isEqualTo(2);
        List<Map<String, Object>> commits = change.getList("commitScores");
        assertThat(commits).extracting(c -> c.get("title"))
                .containsExactlyInAnyOrder("add search over the index", "document search | rank");
        BigDecimal sum = commits.stream().map(c -> new BigDecimal((String) c.get("score"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(new BigDecimal(change.getString("total"))).isEqualByComparingTo(sum);
        assertThat(commits).allSatisfy(c -> assertThat(c.get("explanation")).isNotNull());
        assertThat(change.getString("markdown")).contains("| commit | title |").contains("add search over the index")
                .contains("**Total: ")
                // A pipe in a title is escaped once, as GitHub's tables read it (\\| showed a backslash in code).
                .contains("| document search \\| rank |");
        assertThat(change.getString("modelVersion")).startsWith("learned-v3/");
        assertThat(change.getString("policyHash")).matches("[0-9a-f]{64}");

        // Nothing was stored: the repository has not even been ingested.
        given().when().get("/api/repositories/{id}", repo).then().statusCode(200)
                .body("commitCount", org.hamcrest.Matchers.equalTo(0));

        // After the merge, the hook ingests first and scores the merged change.
        r.git();
        try {
            r.git().merge().include(r.git().getRepository().resolve("feature/search")).call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        JsonPath merged = given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", repo, "ref", "main", "base", "main~2", "ingest", true))
                .when().post("/api/ci/changes").then().statusCode(200).extract().jsonPath();
        assertThat(merged.getInt("ingested.contributionsStored")).isEqualTo(3);
        assertThat(merged.getInt("commits")).isEqualTo(2);
    }

    @Test
    void codeAPullRequestAddsAndDeletesAgainIsNettedAsTheEpochWillNetIt() {
        TestRepo r = TestRepo.create("merit-ci-undone", Instant.parse("2007-06-01T00:00:00Z"));
        r.write("src/app.py", "def main():\n    return 1\n").commit("feat: app", "Ann Example", "ann@example.com");
        r.branch("feature/cache");
        StringBuilder scratch = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            scratch.append("cache_").append(i).append(" = build_cache(").append(i).append(")\n");
        }
        r.write("src/cache.py", scratch.toString()).commit("try a cache", "Ben Example", "ben@example.com");
        r.write("src/lru.py", "def lru(n):\n    return {}\n").commit("use an lru instead", "Ben Example", "ben@example.com");
        r.delete("src/cache.py").commit("drop the cache attempt", "Ben Example", "ben@example.com");
        r.checkout("main");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path(), "branch", "main"))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath change = given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", repo, "ref", "feature/cache"))
                .when().post("/api/ci/changes").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> byTitle = new java.util.HashMap<>();
        change.<Map<String, Object>>getList("commitScores").forEach(c -> byTitle.put((String) c.get("title"), c));
        for (String title : List.of("try a cache", "drop the cache attempt")) {
            assertThat(((Number) byTitle.get(title).get("effectiveLines")).intValue()).as(title).isZero();
            assertThat(new BigDecimal((String) byTitle.get(title).get("score"))).as(title).isEqualByComparingTo("0");
            assertThat(byTitle.get(title).get("factors").toString()).contains("undone").contains("in this change");
        }
        assertThat(((Number) byTitle.get("use an lru instead").get("effectiveLines")).intValue()).isEqualTo(2);
    }

    @Test
    void aPreviewCountsBotsAsAnEpochWill() {
        TestRepo r = TestRepo.create("merit-ci-bots", Instant.parse("2007-07-01T00:00:00Z"));
        String robot = "Co-authored-by: Release Automation <releases@ci-fab.example>";
        r.write("src/app.py", "def main():\n    return 1\n").commit("feat: app\n\n" + robot, "Ann Example",
                "ann@ci-fab.example");
        r.branch("feature/parse");
        r.write("src/parse.py", "def parse(s):\n    return s.split()\n\n\ndef join(x):\n    return ' '.join(x)\n")
                .commit("add a parser\n\n" + robot, "Ann Example", "ann@ci-fab.example");
        r.checkout("main");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path(), "branch", "main"))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        // Ingested once: Merit met the robot as a person (no rule names it).
        BigDecimal shared = new BigDecimal(preview(repo, true).getString("total"));
        List<Map<String, Object>> found = given().queryParam("q", "releases@ci-fab.example").get("/api/contributors").then()
                .statusCode(200).extract().jsonPath().getList("$");
        long robotId = ((Number) found.get(0).get("id")).longValue();

        // A maintainer marks it a bot: the preview no longer gives it half of Ann's change, as the epoch will not.
        given().contentType(ContentType.JSON).body(Map.of("bot", true, "reason", "release automation"))
                .put("/api/contributors/{id}/bot", robotId).then().statusCode(200);
        BigDecimal whole = new BigDecimal(preview(repo, false).getString("total"));
        assertThat(whole).isEqualByComparingTo(shared.multiply(BigDecimal.valueOf(2)));
    }

    private static JsonPath preview(long repo, boolean ingest) {
        return given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", repo, "ref", "feature/parse", "ingest", ingest))
                .when().post("/api/ci/changes").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void tokenRefAndSizeProblems() {
        TestRepo r = TestRepo.create("merit-ci-bad", Instant.parse("2007-06-01T00:00:00Z"));
        r.write("a.txt", "a\n").commit("a", "Ann Example", "ann@example.com");
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path()))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> body = Map.of("repositoryId", repo, "ref", "main");
        given().contentType(ContentType.JSON).body(body).when().post("/api/ci/changes").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("Bearer"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer nope").body(body)
                .when().post("/api/ci/changes").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", repo, "ref", "no-such-branch"))
                .when().post("/api/ci/changes").then().statusCode(422).body("detail", containsString("no-such-branch"))
                // A CI job reads the repository's name: where it lies on Merit's machine is a maintainer's to read.
                .body("detail", org.hamcrest.Matchers.not(containsString("/")));
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body("{\"repositoryId\": " + repo + ", \"ref\": \"\\ud800\"}")
                .when().post("/api/ci/changes").then().statusCode(422).body("type", containsString("no-such-ref"))
                .body("detail", containsString("half of a character"));
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", 987654, "ref", "main"))
                .when().post("/api/ci/changes").then().statusCode(404);
        given().contentType(ContentType.JSON).header("Authorization", TOKEN).body(Map.of("ref", "main"))
                .when().post("/api/ci/changes").then().statusCode(400).contentType("application/problem+json");
        // A ref or base git cannot parse is a ref that does not exist, not a failure of the server.
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("repositoryId", repo, "ref", "main^{nope}"),
                Map.of("repositoryId", repo, "ref", "main@{"), Map.of("repositoryId", repo, "ref", "main", "base", "main^{nope}"))) {
            given().contentType(ContentType.JSON).header("Authorization", TOKEN).body(bad)
                    .when().post("/api/ci/changes").then().statusCode(422).contentType("application/problem+json")
                    .body("type", containsString("no-such-ref"));
        }
        // Nothing new on main: an empty change.
        given().contentType(ContentType.JSON).header("Authorization", TOKEN).body(body)
                .when().post("/api/ci/changes").then().statusCode(200).body("commits", org.hamcrest.Matchers.equalTo(0))
                .body("markdown", containsString("No commits"));
    }

    /** A base far back is refused from a count of the commits, before a single diff is read. */
    @Test
    void aChangeOverTheLimitIsRefusedBeforeItIsRead() {
        TestRepo r = TestRepo.create("merit-ci-long", Instant.parse("2007-07-01T00:00:00Z"));
        String root = r.write("a.txt", "0\n").commit("first", "Ann Example", "ann@example.com").name();
        for (int i = 1; i <= 501; i++) {
            r.write("a.txt", i + "\n").commit("step " + i, "Ann Example", "ann@example.com");
        }
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path()))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).header("Authorization", TOKEN)
                .body(Map.of("repositoryId", repo, "ref", "main", "base", root))
                .when().post("/api/ci/changes").then().statusCode(422).body("type", containsString("change-too-large"))
                .body("detail", containsString("main has more than 500 commits not in " + root));
    }
}
