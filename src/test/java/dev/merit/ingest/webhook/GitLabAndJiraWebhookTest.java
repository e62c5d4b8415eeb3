package dev.merit.ingest.webhook;

import dev.merit.support.PostgresResource;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** GitLab and Jira webhooks, with payloads written from their public documentation (src/test/resources/webhooks). */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GitLabAndJiraWebhookTest {

    private static final String GITLAB_TOKEN = "test-gitlab-token-not-a-real-one";
    private static final String JIRA_SECRET = "test-jira-secret-not-a-real-one";

    static byte[] fixture(String name) {
        try (InputStream in = GitLabAndJiraWebhookTest.class.getResourceAsStream("/webhooks/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("fixture " + name, e);
        }
    }

    static ValidatableResponse gitlab(String event, byte[] body, String token, String uuid) {
        var r = given().contentType("application/json").header("X-Gitlab-Event", event)
                .header("X-Gitlab-Event-UUID", uuid).body(body);
        if (token != null) {
            r = r.header("X-Gitlab-Token", token);
        }
        return r.when().post("/api/webhooks/gitlab").then();
    }

    static ValidatableResponse jira(byte[] body, String secret, String delivery) {
        return given().contentType("application/json").header("X-Atlassian-Webhook-Identifier", delivery)
                .header("X-Hub-Signature", GitHubWebhookTest.sign(body, secret)).body(body)
                .when().post("/api/webhooks/jira").then();
    }

    @Transactional
    String kindOf(String source, String externalId) {
        var rows = Panache.getEntityManager().createNativeQuery(
                        "select kind from contribution where source = ?1 and external_id = ?2")
                .setParameter(1, source).setParameter(2, externalId).getResultList();
        return rows.isEmpty() ? null : (String) rows.get(0);
    }

    @Transactional
    long links(String source, String from, String to, String kind) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from contribution_link where "
                        + "source = ?1 and from_external_id = ?2 and to_external_id = ?3 and kind = ?4")
                .setParameter(1, source).setParameter(2, from).setParameter(3, to).setParameter(4, kind)
                .getSingleResult()).longValue();
    }

    @Transactional
    long ciResults(String externalId) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from ci_result where external_id = ?1")
                .setParameter(1, externalId).getSingleResult()).longValue();
    }

    @Test
    void gitlabMergeRequestsApprovalsIssuesNotesAndPipelines() {
        gitlab("Merge Request Hook", fixture("gitlab/merge_request_open.json"), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200).body("outcome", equalTo("stored"));
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test!1")).isEqualTo("pull_request");
        assertThat(links("gitlab", "gitlabhq/gitlab-test!1", "gitlabhq/gitlab-test#5", "closes")).isEqualTo(1);

        gitlab("Merge Request Hook", fixture("gitlab/merge_request_approved.json"), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200);
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test!1/approval/user1")).isEqualTo("review");
        assertThat(links("gitlab", "gitlabhq/gitlab-test!1/approval/user1", "gitlabhq/gitlab-test!1", "reviews")).isEqualTo(1);

        gitlab("Issue Hook", fixture("gitlab/issue_open.json"), GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(200);
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test#5")).isEqualTo("issue");

        gitlab("Note Hook", fixture("gitlab/note_on_merge_request.json"), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200);
        assertThat(links("gitlab", "gitlabhq/gitlab-test/note/1244", "gitlabhq/gitlab-test!1", "comments-on")).isEqualTo(1);

        gitlab("Pipeline Hook", fixture("gitlab/pipeline_success.json"), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200);
        assertThat(ciResults("gitlabhq/gitlab-test/pipeline/31")).isEqualTo(1);

        byte[] push = "{\"object_kind\":\"push\",\"project\":{\"path_with_namespace\":\"g/p\"}}".getBytes(StandardCharsets.UTF_8);
        gitlab("Push Hook", push, GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(202);
    }

    @Test
    void gitlabRefusesAWrongTokenAndAnswersReplays() {
        byte[] body = fixture("gitlab/issue_open.json");
        gitlab("Issue Hook", body, "wrong", UUID.randomUUID().toString()).statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("X-Gitlab-Token"));
        gitlab("Issue Hook", body, null, UUID.randomUUID().toString()).statusCode(401);
        String uuid = UUID.randomUUID().toString();
        gitlab("Issue Hook", body, GITLAB_TOKEN, uuid).statusCode(200);
        gitlab("Issue Hook", body, GITLAB_TOKEN, uuid).statusCode(200).body("outcome", equalTo("duplicate"));
        gitlab("Issue Hook", "{\"object_kind\": ".getBytes(StandardCharsets.UTF_8), GITLAB_TOKEN,
                UUID.randomUUID().toString()).statusCode(400).contentType("application/problem+json");
    }

    @Test
    void jiraIssuesCreatedAndResolved() {
        jira(fixture("jira/issue_created.json"), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(kindOf("jira", "MERIT-12")).isEqualTo("issue");
        jira(fixture("jira/issue_resolved.json"), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(links("jira", "MERIT-12/resolved", "MERIT-12", "closes")).isEqualTo(1);
        jira(fixture("jira/issue_updated_summary.json"), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(202)
                .body("detail", containsString("without a resolution"));
        jira(fixture("jira/issue_created.json"), "not the secret", UUID.randomUUID().toString()).statusCode(401);
    }
}
