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
import java.util.List;
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
        // Each reviewer's own approval ("approval", short of the rule's count) counts too, and once per approver.
        String approval = new String(fixture("gitlab/merge_request_approved.json"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"approved\"", "\"approval\"").replace("\"user1\"", "\"reviewer2\"");
        gitlab("Merge Request Hook", approval.getBytes(java.nio.charset.StandardCharsets.UTF_8), GITLAB_TOKEN,
                UUID.randomUUID().toString()).statusCode(200).body("outcome", equalTo("stored"));
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test!1/approval/reviewer2")).isEqualTo("review");
        gitlab("Merge Request Hook", approval.replace("\"approval\"", "\"approved\"").getBytes(
                java.nio.charset.StandardCharsets.UTF_8), GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(200);
        assertThat(links("gitlab", "gitlabhq/gitlab-test!1/approval/reviewer2", "gitlabhq/gitlab-test!1", "reviews")).isEqualTo(1);

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
        // A group hook's member event has no object_kind, only event_name: authenticated and nothing to count, so 202
        // (a 400 counts against the hook at GitLab, which may disable it).
        byte[] member = ("{\"event_name\":\"user_add_to_group\",\"group_path\":\"g\",\"user_username\":\"ann\"}")
                .getBytes(StandardCharsets.UTF_8);
        gitlab("Member Hook", member, GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(202)
                .body("detail", containsString("event_name 'user_add_to_group'"));
        gitlab("Member Hook", "{}".getBytes(StandardCharsets.UTF_8), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(400).contentType("application/problem+json");
    }

    /**
     * X-Gitlab-Event-UUID is GitLab's recursion detection: a bot that closes the issue it was just told about passes it
     * on, and the close arrives under the same UUID. Two different events are two deliveries; a retry of one (the same
     * Idempotency-Key, or without one the same body) is a replay.
     */
    @Test
    void gitlabTellsTwoEventsUnderOneRecursionUuidApartAndAnswersRetries() throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String shared = UUID.randomUUID().toString();
        java.util.function.IntFunction<byte[]> issue = iid -> {
            try {
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture("gitlab/issue_open.json"));
                ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("object_attributes")).put("iid", iid)
                        .put("id", 880_000 + iid);
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        java.util.function.BiFunction<byte[], String, ValidatableResponse> keyed = (body, key) -> given()
                .contentType("application/json").header("X-Gitlab-Event", "Issue Hook").header("X-Gitlab-Event-UUID", shared)
                .header("Idempotency-Key", key).header("X-Gitlab-Token", GITLAB_TOKEN).body(body)
                .post("/api/webhooks/gitlab").then();
        String first = UUID.randomUUID().toString();
        keyed.apply(issue.apply(81), first).statusCode(200).body("outcome", equalTo("stored"));
        keyed.apply(issue.apply(82), UUID.randomUUID().toString()).statusCode(200).body("outcome", equalTo("stored"));
        keyed.apply(issue.apply(81), first).statusCode(200).body("outcome", equalTo("duplicate"));
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test#81")).isNotNull();
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test#82")).isNotNull();

        // A GitLab that sends no Idempotency-Key: the UUID with the body's digest.
        String older = UUID.randomUUID().toString();
        gitlab("Issue Hook", issue.apply(83), GITLAB_TOKEN, older).statusCode(200).body("outcome", equalTo("stored"));
        gitlab("Issue Hook", issue.apply(84), GITLAB_TOKEN, older).statusCode(200).body("outcome", equalTo("stored"));
        gitlab("Issue Hook", issue.apply(83), GITLAB_TOKEN, older).statusCode(200).body("outcome", equalTo("duplicate"));
        assertThat(kindOf("gitlab", "gitlabhq/gitlab-test#84")).isNotNull();
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

    /**
     * A Jira profile's e-mail is whatever its user typed (Jira Data Center): it does not join the Jira account to the
     * contributor whose commits carry that e-mail, nor claim the e-mail for the Jira account.
     */
    @Test
    void aJiraProfileEmailJoinsNoOne() throws IOException {
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-jira-email", java.time.Instant.parse("1979-06-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Vic Tim", "vic@jira.example");
        dev.merit.support.Api.ingest(r);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var created = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture("jira/issue_created.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) created.get("issue")).put("key", "MERIT-9911").put("id", "99911");
        ((com.fasterxml.jackson.databind.node.ObjectNode) created.get("issue").get("fields").get("reporter"))
                .put("accountId", "mallory-9911").put("displayName", "Mal Lory").put("emailAddress", "vic@jira.example");
        jira(json.writeValueAsBytes(created), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(actorOf("jira", "MERIT-9911")).isNotEqualTo(actorOf("git-author", "vic@jira.example"));
    }

    @Transactional
    Long actorOf(String source, String externalId) {
        if (source.equals("git-author")) {
            return ((Number) Panache.getEntityManager().createNativeQuery("select contributor_id from contributor_identity "
                    + "where kind = 'GIT_EMAIL' and handle = ?1").setParameter(1, externalId).getSingleResult()).longValue();
        }
        return ((Number) Panache.getEntityManager().createNativeQuery("select actor_id from contribution where source = ?1 "
                + "and external_id = ?2").setParameter(1, source).setParameter(2, externalId).getSingleResult()).longValue();
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
    @Transactional
    String state(String source, String externalId) {
        var rows = Panache.getEntityManager().createNativeQuery("select declined, reason from contribution_state "
                        + "where source = ?1 and external_id = ?2")
                .setParameter(1, source).setParameter(2, externalId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = (Object[]) rows.get(0);
        return (Boolean.TRUE.equals(row[0]) ? "declined: " : "open: ") + row[1];
    }

    /** A fixture with some of its fields replaced ({@code "a.b"} names a nested field). */
    static byte[] edited(String name, String... pathsAndValues) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture(name));
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            String[] path = pathsAndValues[i].split("\\.");
            var node = root;
            for (int k = 0; k < path.length - 1; k++) {
                node = (com.fasterxml.jackson.databind.node.ObjectNode) node.get(path[k]);
            }
            node.put(path[path.length - 1], pathsAndValues[i + 1]);
        }
        return json.writeValueAsBytes(root);
    }

    @Test
    void jiraCommentsCountAndDeletionsWithdraw() throws IOException {
        jira(fixture("jira/comment_created.json"), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200)
                .body("contributions", equalTo(1));
        assertThat(kindOf("jira", "MERIT-12/comment/10050")).isEqualTo("comment");
        assertThat(links("jira", "MERIT-12/comment/10050", "MERIT-12", "comments-on")).isEqualTo(1);
        jira(fixture("jira/comment_deleted.json"), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(links("jira", "MERIT-12/comment/10050/deleted", "MERIT-12/comment/10050", "withdraws")).isEqualTo(1);
        jira(fixture("jira/issue_deleted.json"), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(links("jira", "MERIT-12/deleted", "MERIT-12", "withdraws")).isEqualTo(1);
        // REST API v3 payloads carry texts as Atlassian Document Format trees.
        var adf = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"type\":\"doc\",\"version\":1,"
                + "\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\"Reproduced \"},"
                + "{\"type\":\"text\",\"text\":\"twice.\",\"marks\":[{\"type\":\"strong\"}]}]},"
                + "{\"type\":\"codeBlock\",\"content\":[{\"type\":\"text\",\"text\":\"sum = 9\"}]}]}");
        assertThat(JiraEvents.text(adf)).isEqualTo("Reproduced twice.\nsum = 9");
    }

    @Test
    void closedWithoutMergeAndWontDoAreDeclinedUntilTakenBack() throws IOException {
        gitlab("Merge Request Hook", edited("gitlab/merge_request_open.json", "object_attributes.action", "close",
                        "object_attributes.updated_at", "2013-12-03T17:30:00Z"), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200).body("detail", containsString("declined: merge request closed without merge"));
        assertThat(state("gitlab", "gitlabhq/gitlab-test!1")).startsWith("declined: merge request closed without merge by ");
        gitlab("Merge Request Hook", edited("gitlab/merge_request_open.json", "object_attributes.action", "reopen",
                        "object_attributes.updated_at", "2013-12-03T17:40:00Z"), GITLAB_TOKEN, UUID.randomUUID().toString())
                .statusCode(200);
        assertThat(state("gitlab", "gitlabhq/gitlab-test!1")).startsWith("open: merge request reopened by ");

        // GitLab says no reason for a closed issue: a declining label does; reopening takes it back.
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var closed = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture("gitlab/issue_open.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) closed.get("object_attributes")).put("action", "close")
                .put("iid", 77).put("closed_at", "2013-12-04T10:00:00Z");
        closed.putArray("labels").addObject().put("title", "duplicate");
        gitlab("Issue Hook", json.writeValueAsBytes(closed), GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(200);
        assertThat(state("gitlab", "gitlabhq/gitlab-test#77")).startsWith("declined: issue closed with label 'duplicate' by ");
        ((com.fasterxml.jackson.databind.node.ObjectNode) closed.get("object_attributes")).put("action", "reopen")
                .put("updated_at", "2013-12-05T10:00:00Z");
        gitlab("Issue Hook", json.writeValueAsBytes(closed), GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(200);
        assertThat(state("gitlab", "gitlabhq/gitlab-test#77")).startsWith("open: issue reopened by ");
        assertThat(SourceParsing.labelKey("Status: Won’t Fix")).isEqualTo("wontfix");
        assertThat(SourceParsing.labelKey("resolution/Not Planned")).isEqualTo("notplanned");
        assertThat(SourceParsing.labelKey("type::duplicate")).isEqualTo("duplicate");

        var payload = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(fixture("jira/issue_resolved.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.get("changelog").get("items").get(0))
                .put("toString", "Won’t Do");
        jira(json.writeValueAsBytes(payload), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200);
        assertThat(state("jira", "MERIT-12")).startsWith("declined: resolved as \"Won’t Do\" by ");
        // Resolution removed (the issue reopened), a minute later.
        payload.put("timestamp", payload.get("timestamp").asLong() + 60_000);
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.get("changelog").get("items").get(0))
                .putNull("to").putNull("toString").put("from", "10000");
        jira(json.writeValueAsBytes(payload), JIRA_SECRET, UUID.randomUUID().toString()).statusCode(200)
                .body("detail", containsString("not declined: resolution removed"));
        assertThat(state("jira", "MERIT-12")).startsWith("open: resolution removed by ");
        assertThat(JiraEvents.declines("Duplicate")).isTrue();
        assertThat(JiraEvents.declines("Done")).isFalse();
        assertThat(JiraEvents.declines("Fixed")).isFalse();
    }

    /** A body the token lets in, and still hostile: the problem says what is wrong in words, and briefly. */
    @Test
    void malformedSignedBodiesGetShortProblemsInWords() {
        String comment = "{\"object_kind\": \"issue\" /* hi */}";
        String nested = "[".repeat(1001) + "]".repeat(1001);
        String hugeTime = "{\"object_kind\": \"merge_request\", \"user\": {\"username\": \"u\"}, \"project\": "
                + "{\"path_with_namespace\": \"a/b\"}, \"object_attributes\": {\"iid\": 1, \"action\": \"open\", "
                + "\"created_at\": \"" + "9".repeat(1_000_000) + "\"}}";
        // A Jira resolution whose event time is not milliseconds: refused, not dated 1970 (and so never paid).
        String resolved = new String(fixture("jira/issue_resolved.json"), java.nio.charset.StandardCharsets.UTF_8);
        String yesterday = resolved.replaceFirst("\"timestamp\"\\s*:\\s*\\d+", "\"timestamp\": \"yesterday\"");
        assertThat(yesterday).isNotEqualTo(resolved);
        jira(yesterday.getBytes(java.nio.charset.StandardCharsets.UTF_8), JIRA_SECRET, UUID.randomUUID().toString())
                .statusCode(400).body("detail", org.hamcrest.Matchers.containsString("'timestamp' is not a whole number"));
        for (String body : List.of(comment, nested, hugeTime)) {
            String detail = gitlab("Merge Request Hook", body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    GITLAB_TOKEN, UUID.randomUUID().toString()).statusCode(400).contentType("application/problem+json")
                    .extract().jsonPath().getString("detail");
            assertThat(detail).hasSizeLessThan(300).doesNotContain("Feature", "`", "Constraints", "Source:");
        }
    }
}
