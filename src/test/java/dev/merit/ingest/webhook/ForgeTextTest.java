package dev.merit.ingest.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.merit.ingest.webhook.GitLabAndJiraWebhookTest.fixture;
import static dev.merit.ingest.webhook.GitLabAndJiraWebhookTest.gitlab;
import static dev.merit.ingest.webhook.GitLabAndJiraWebhookTest.jira;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Text from outside that no database column can hold as sent: a forge's header or field longer than its column, a NUL
 * character (PostgreSQL text cannot hold one), an author line of a thousand characters, a timestamp in the year
 * 292 million, a date no column holds. Each is stored fitted or refused with a problem; before, each was a 500 that
 * lost the whole delivery or ingest. (Dates here are in 1996.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ForgeTextTest {

    private static final String GITLAB_TOKEN = "test-gitlab-token-not-a-real-one";
    private static final String JIRA_SECRET = "test-jira-secret-not-a-real-one";

    @Inject
    ObjectMapper json;

    @Transactional
    List<?> rows(String sql, Object parameter) {
        return Panache.getEntityManager().createNativeQuery(sql).setParameter(1, parameter).getResultList();
    }

    @Test
    void forgeFieldsLongerThanTheirColumnsOrHoldingNulsAreFittedOrRefused() throws Exception {
        gitlab("E".repeat(65), "{\"object_kind\":\"push\"}".getBytes(), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("X-Gitlab-Event is longer than 64 characters"));

        // A project deep in nested groups: its path is longer than the repository column, and the pipeline's id with it
        // longer than an external id; the pipeline names a 65-character commit and a 40-character status.
        String deep = "hostile/" + "group/".repeat(100) + "project";
        ObjectNode pipeline = (ObjectNode) json.readTree(fixture("gitlab/pipeline_success.json"));
        ((ObjectNode) pipeline.get("project")).put("path_with_namespace", deep).put("id", 199_601);
        ((ObjectNode) pipeline.get("object_attributes")).put("id", 1996).put("sha", "b".repeat(65))
                .put("finished_at", "1996-03-01 10:00:00 UTC");
        gitlab("Pipeline Hook", json.writeValueAsBytes(pipeline), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200).body("outcome", equalTo("stored"));
        List<?> ci = rows("select external_id from ci_result where external_id like ?1", "hostile/group/%");
        assertThat(ci).singleElement().satisfies(id -> assertThat((String) id).hasSizeLessThanOrEqualTo(255).contains("#"));

        // A NUL in an issue's title and description, in the same deep project.
        ObjectNode issue = (ObjectNode) json.readTree(fixture("gitlab/issue_open.json"));
        ((ObjectNode) issue.get("project")).put("path_with_namespace", deep).put("id", 199_601);
        ((ObjectNode) issue.get("object_attributes")).put("id", 1996).put("iid", 1996).put("title", "nul\u0000title")
                .put("description", "a\u0000b").put("created_at", "1996-03-01 09:00:00 UTC");
        gitlab("Issue Hook", json.writeValueAsBytes(issue), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200).body("outcome", equalTo("stored"));
        assertThat(rows("select title from contribution where repository like ?1", "hostile/group/%"))
                .singleElement().isEqualTo("nultitle");

        // Jira's timestamp in the year 292,278,994: kept as the latest instant a column holds.
        ObjectNode resolved = (ObjectNode) json.readTree(fixture("jira/issue_resolved.json"));
        resolved.put("timestamp", Long.MAX_VALUE);
        ObjectNode resolvedIssue = (ObjectNode) resolved.get("issue");
        resolvedIssue.put("id", "19960").put("key", "HOSTILE-1996");
        ((ObjectNode) resolvedIssue.get("fields")).put("created", "1996-03-01T00:00:00.000+0000")
                .put("updated", "1996-03-02T00:00:00.000+0000").put("resolutiondate", "1996-03-02T00:00:00.000+0000");
        jira(json.writeValueAsBytes(resolved), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(rows("select changed_at from contribution_state where external_id = ?1", "HOSTILE-1996")).hasSize(1);
    }

    @Test
    void anAuthorLineOfAThousandCharactersIsIngested() {
        TestRepo r = TestRepo.create("merit-hostile-author", Instant.parse("1996-04-01T00:00:00Z"));
        String name = "Very " + "Long ".repeat(200) + "Name";
        String email = "x".repeat(400) + "@long.example";
        r.write("a.txt", "one\n").commit("feat: a", name, email);
        r.write("b.txt", "two\n").commit("fix: b\n\nCo-authored-by: " + "Co ".repeat(300) + "Author <" + "y".repeat(400)
                + "@long.example>", name, email);
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        List<?> names = rows("select c.display_name from contributor c join contributor_identity i on i.contributor_id "
                + "= c.id where i.handle like ?1", "xxxxxxxxxx%");
        assertThat(names).singleElement().satisfies(n -> assertThat((String) n).startsWith("Very Long").hasSize(255));
    }

    @Test
    void aRepositoryRegisteredByItsGitFolderIsNamedAfterItsFolder() {
        TestRepo r = TestRepo.create("merit-dotgit", Instant.parse("1996-05-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("docs: a", "Dot Git", "dot@git.example");
        given().contentType(ContentType.JSON).body(Map.of("location", r.path() + "/.git")).post("/api/repositories")
                .then().statusCode(201).body("name", equalTo(r.dir().getFileName().toString()));
    }

    @Test
    void aTokenInACloneUrlIsNeverShown() {
        given().contentType(ContentType.JSON).body(Map.of("location",
                        "http://x-access-token:s3cret-token@127.0.0.1:9/private.git")).post("/api/repositories")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.not(containsString("s3cret")))
                .body("detail", containsString("http://***@127.0.0.1:9/private.git"));
        assertThat(dev.merit.problem.Redaction.redact("clone https://u:t@github.com/a/b.git and ssh://git@host/x"))
                .isEqualTo("clone https://***@github.com/a/b.git and ssh://***@host/x");
        assertThat(dev.merit.problem.Redaction.redact("mail a@b.example, /srv/git/x")).isEqualTo("mail a@b.example, /srv/git/x");
        // An RPC provider's key is its URL's path, query or user: a node is shown by scheme, host and port only.
        assertThat(dev.merit.problem.Redaction.endpoint("https://mainnet.infura.io/v3/0123abcd"))
                .isEqualTo("https://mainnet.infura.io/…");
        assertThat(dev.merit.problem.Redaction.endpoint("https://me:pw@rpc.example:8443/?apikey=1"))
                .isEqualTo("https://rpc.example:8443?…");
        assertThat(dev.merit.problem.Redaction.endpoint("http://127.0.0.1:8545")).isEqualTo("http://127.0.0.1:8545");
    }

    @Test
    void anEpochNameIsOneLineOfTextAndAContributionsDateIsADate() {
        given().contentType(ContentType.JSON).body(Map.of("name", "a\u0000b", "startsAt", "1996-06-01T00:00:00Z",
                        "endsAt", "1996-07-01T00:00:00Z", "budgetTokens", "10")).post("/api/epochs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("control character"));
        given().queryParam("from", "yesterday").get("/api/contributions").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/bad-parameter"));
        given().queryParam("from", "+300000-01-01T00:00:00Z").get("/api/contributions").then().statusCode(200);
    }
}
