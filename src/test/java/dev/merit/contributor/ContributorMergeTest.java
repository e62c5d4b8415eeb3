package dev.merit.contributor;

import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person known twice, a GitHub login (from a noreply address) and a plain e-mail, merged into one contributor
 * and unmerged back: what each scoring run credits, and the proposal made before the merge still verifies. Year 1977.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ContributorMergeTest {

    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    private static List<Map<String, Object>> standings(long run) {
        return given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static Map<String, Object> standingOf(List<Map<String, Object>> standings, long contributor) {
        return standings.stream().filter(s -> ((Number) s.get("contributorId")).longValue() == contributor).findFirst()
                .orElse(null);
    }

    /**
     * A forge login that is the name of another contributor's e-mail (a pull request's author met by a webhook, and
     * the same person's commits under a plain e-mail, with another display name): suggested; a short one is not.
     */
    @Test
    void aLoginThatIsTheNameOfAnEmailIsSuggested() {
        TestRepo r = TestRepo.create("merit-login-email", Instant.parse("1976-06-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "ql", "4176+quinnlogin@users.noreply.github.com");
        r.write("b.c", "int b;\n").commit("feat: b", "Quinn Login", "quinnlogin@login.example");
        r.write("c.c", "int c;\n").commit("feat: c", "dv", "4177+dlog@users.noreply.github.com");
        r.write("d.c", "int d;\n").commit("feat: d", "Dev Log", "dlog@login.example");
        Api.ingest(r);
        long login = Api.contributor("github:quinnlogin");
        long email = Api.contributor("quinnlogin@login.example");
        assertThat(login).isNotEqualTo(email);
        List<Map<String, Object>> suggestions = given().get("/api/contributors/merge-suggestions").then()
                .statusCode(200).extract().jsonPath().getList("$");
        String command = "merit contributors merge " + login + " " + email;
        assertThat(suggestions).filteredOn(s -> s.get("command").equals(command)).singleElement()
                .satisfies(s -> assertThat(s.get("reasons").toString()).contains("the login "
                        + "github:quinnlogin is the name of the e-mail quinnlogin@login.example"));
        long shortLogin = Api.contributor("github:dlog");
        assertThat(suggestions).noneMatch(s -> s.get("command").toString().contains(" " + shortLogin + " ")
                || s.get("command").toString().endsWith(" " + shortLogin));
    }

    @Test
    void aLoginAndAPlainEmailOfOnePersonMergeIntoOneContributorAndUnmergeBack() {
        TestRepo r = TestRepo.create("merit-merge", Instant.parse("1977-04-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Ben Merge", "4158+ben-merge@users.noreply.github.com");
        r.write("b.c", "int b;\nint c;\n").commit("feat: b", "Bén Mergé", "ben@merge.example");
        r.write("c.c", "int d;\n").commit("feat: c", "Cleo Merge", "cleo@merge.example");
        long repository = Api.ingest(r);
        long login = Api.contributor("github:ben-merge");
        long email = Api.contributor("ben@merge.example");
        assertThat(login).isNotEqualTo(email);
        long epoch = Api.epoch("merge-1977", "1977-04-01T00:00:00Z", "1977-05-01T00:00:00Z", TOKEN.multiply(BigInteger.TEN));
        long before = Api.score(epoch);
        assertThat(standings(before)).hasSize(3);
        long proposal = Api.propose(epoch).getLong("id");

        // Suggested (the same name but for its accents, which kept them apart), never applied by itself.
        List<Map<String, Object>> suggestions = given().get("/api/contributors/merge-suggestions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(suggestions).anySatisfy(s -> assertThat(s.get("command").toString())
                .isIn("merit contributors merge " + login + " " + email, "merit contributors merge " + email + " " + login));
        // Each says how it appears, so that two of one name can be told apart.
        assertThat(suggestions).anySatisfy(s -> assertThat(s.get("reasons").toString()).contains("ben@merge.example")
                .contains("github:ben-merge").contains("'Bén Mergé'").contains("'Ben Merge'"));

        // Someone Merit never met is a 404 that says what was looked for; a reason with a control character, a 400.
        given().contentType(ContentType.JSON).body(Map.of("into", "#" + login, "from", "nobody@merge.example"))
                .post("/api/contributors/merges").then().statusCode(404).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.equalTo("No contributor has the e-mail nobody@merge.example."));
        given().contentType(ContentType.JSON).body(Map.of("into", "#" + login, "from", "#" + email, "reason", "a\u0007b"))
                .post("/api/contributors/merges").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("control character"));
        JsonPath merged = given().contentType(ContentType.JSON)
                .body(Map.of("into", "github:ben-merge", "from", "ben@merge.example", "reason", "same person, asked"))
                .post("/api/contributors/merges").then().statusCode(201).extract().jsonPath();
        long mergeId = merged.getLong("id");
        assertThat(merged.getLong("into.id")).isEqualTo(login);
        assertThat(merged.getLong("from.id")).isEqualTo(email);
        assertThat(merged.getBoolean("standing")).isTrue();
        assertThat(merged.getString("mergedBy")).isEqualTo("maintainer");
        assertThat(merged.getString("mergedVia")).isEqualTo("from this machine, without a token");
        assertThat(merged.getList("identities", String.class)).anyMatch(i -> i.contains("ben@merge.example"));
        assertThat(Api.contributor("ben@merge.example")).isEqualTo(login);
        assertThat(given().get("/api/contributors/{id}", email).then().statusCode(200).extract().jsonPath()
                .getLong("mergedInto")).isEqualTo(login);
        // Twice is refused, in words.
        given().contentType(ContentType.JSON).body(Map.of("into", "#" + login, "from", "#" + email))
                .post("/api/contributors/merges").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("already merged"));

        // The run made before the merge would pay one person as two lines (a cap and a minimum each): refused, in words.
        given().contentType(ContentType.JSON).body(Map.of("epochId", epoch, "scoringRunId", before))
                .post("/api/payout-proposals").then().statusCode(409).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("was scored before a maintainer merged"))
                .body("detail", org.hamcrest.Matchers.containsString("Score epoch 'merge-1977' again"));

        // A run after the merge credits one person with both commits.
        long after = Api.score(epoch);
        List<Map<String, Object>> one = standings(after);
        assertThat(one).hasSize(2);
        assertThat(standingOf(one, login).get("contributions")).isEqualTo(2);
        assertThat(standingOf(one, email)).isNull();
        // The proposal made before the merge verifies from its stored inputs.
        assertThat(given().get("/api/payout-proposals/{id}/verification", proposal).then().statusCode(200).extract()
                .jsonPath().getBoolean("hashMatches")).isTrue();

        // Ben commits again with the e-mail while the merge stands: it is credited to the merged contributor.
        r.write("d.c", "int e;\nint f;\n").commit("feat: d", "Bén Mergé", "ben@merge.example");
        // ... and co-writes with Cleo under it, and with himself (the login's commit names the e-mail as co-author).
        r.write("e.c", "int g;\n").commit("feat: e\n\nCo-authored-by: Bén Mergé <ben@merge.example>", "Cleo Merge",
                "cleo@merge.example");
        r.write("f.c", "int h;\n").commit("feat: f\n\nCo-authored-by: Bén Mergé <Ben@Merge.example>", "Ben Merge",
                "4158+ben-merge@users.noreply.github.com");
        // ... and the other way round: the e-mail's commit names the login as co-author.
        r.write("g.c", "int i;\n").commit("feat: g\n\nCo-authored-by: Ben Merge <4158+ben-merge@users.noreply.github.com>",
                "Bén Mergé", "ben@merge.example");
        // Cleo's work address, merged into later.
        r.write("h.c", "int j;\n").commit("feat: h", "Cleo Work", "cleo@work.example");
        // The login co-writes with Dan under an alias; Dan's aliases are merged later too, which touches nothing of Ben's.
        r.write("m.c", "int m;\n").commit("feat: m\n\nCo-authored-by: Dan Alias <dan@alias.example>", "Ben Merge",
                "4158+ben-merge@users.noreply.github.com");
        r.write("n.c", "int n;\n").commit("feat: n", "Dan Main", "dan@main.example");
        given().post("/api/repositories/{id}/ingest", repository).then().statusCode(200);
        List<Map<String, Object>> whileMerged = standings(Api.score(epoch));
        assertThat(standingOf(whileMerged, login).get("contributions")).isEqualTo(7);
        long cleo = Api.contributor("cleo@merge.example");
        assertThat(standingOf(whileMerged, cleo).get("contributions")).isEqualTo(2);

        // A later merge of Cleo into her work address records Cleo's commit, which credits the login through the
        // e-mail's trailer. While it stands, the first merge is not undone: undoing it rebuilds that commit's credits,
        // and undoing the later merge afterwards would put back what it recorded, the e-mail's credit lost.
        long danAlias = Api.contributor("dan@alias.example");
        given().contentType(ContentType.JSON)
                .body(Map.of("into", "#" + Api.contributor("dan@main.example"), "from", "#" + danAlias))
                .post("/api/contributors/merges").then().statusCode(201);
        long work = Api.contributor("cleo@work.example");
        long later = given().contentType(ContentType.JSON).body(Map.of("into", "#" + work, "from", "#" + cleo))
                .post("/api/contributors/merges").then().statusCode(201).extract().jsonPath().getLong("id");
        // Refused for Cleo's merge alone: Dan's recorded a commit crediting the login, but none the undo rebuilds.
        given().delete("/api/contributors/merges/{id}", mergeId).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("followed by merge " + later + ", which"));
        given().delete("/api/contributors/merges/{id}", later).then().statusCode(200);

        // Undone: the e-mail is its own contributor again, with its commits, the one made while merged included.
        given().delete("/api/contributors/merges/{id}", mergeId).then().statusCode(200).body("standing",
                org.hamcrest.Matchers.is(false)).body("unmergedVia", org.hamcrest.Matchers.is("from this machine, without a token"));
        assertThat(Api.contributor("ben@merge.example")).isEqualTo(email);
        assertThat(Api.contributor("github:ben-merge")).isEqualTo(login);
        // The co-author credits made while merged go back too: Cleo's commit credits Cleo and the e-mail, the login's
        // own commit the login and the e-mail, and the e-mail's commit the e-mail and the login.
        List<Map<String, Object>> apart = standings(Api.score(epoch));
        assertThat(apart).hasSize(5);
        assertThat(standingOf(apart, login).get("contributions")).isEqualTo(4);
        assertThat(standingOf(apart, email).get("contributions")).isEqualTo(5);
        assertThat(standingOf(apart, cleo).get("contributions")).isEqualTo(2);
        given().delete("/api/contributors/merges/{id}", mergeId).then().statusCode(409);
    }
}
