package dev.merit.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merit.support.PostgresResource;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * GitHub webhooks with real payloads from @octokit/webhooks-examples (installed by the build into
 * src/test/webhooks). Merged pull requests, approved reviews and closed issues, which the package lacks, are
 * derived from its payloads.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
public class GitHubWebhookTest {

    private static final String SECRET = "test-webhook-secret-not-a-real-one";
    private static final Path EXAMPLES = Path.of(
            "src/test/webhooks/node_modules/@octokit/webhooks-examples/api.github.com/index.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode index;

    @BeforeAll
    static void readExamples() throws IOException {
        assertThat(EXAMPLES).as("run the build once (npm installs the fixtures)").exists();
        index = JSON.readTree(Files.readAllBytes(EXAMPLES));
    }

    public static ObjectNode example(String event, String action) {
        if (index == null) {
            try {
                readExamples();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        for (JsonNode e : index) {
            if (e.get("name").asText().equals(event)) {
                for (JsonNode ex : e.get("examples")) {
                    if (action == null || action.equals(ex.path("action").asText(null))) {
                        return ex.deepCopy();
                    }
                }
            }
        }
        throw new IllegalStateException("no example " + event + "/" + action);
    }

    /** GitHub's issue_comment "created" example, written by {@code login} on issue {@code issue} with this body. */
    public static ObjectNode comment(int issue, long id, String createdAt, String login, String body) {
        ObjectNode p = example("issue_comment", "created");
        ((ObjectNode) p.get("issue")).put("number", issue);
        ((ObjectNode) p.get("comment")).put("id", id).put("body", body).put("created_at", createdAt);
        ((ObjectNode) p.get("comment").get("user")).put("login", login).put("id", account(login));
        return p;
    }

    /** The account id the tests give {@code login}: one account per login, as on GitHub. */
    public static long account(String login) {
        return login.hashCode() & 0xffffff;
    }

    static String sign(byte[] body, String secret) {
        return "sha256=" + HexFormat.of().formatHex(WebhookResource.hmac(secret, body));
    }

    static ValidatableResponse post(String event, String delivery, byte[] body, String signature) {
        var request = given().contentType("application/json").header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery).body(body);
        if (signature != null) {
            request = request.header("X-Hub-Signature-256", signature);
        }
        return request.when().post("/api/webhooks/github").then();
    }

    public static ValidatableResponse post(String event, JsonNode payload) {
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        return post(event, UUID.randomUUID().toString(), body, sign(body, SECRET));
    }

    @Transactional
    long contributions(String externalId) {
        return ((Number) Panache.getEntityManager().createNativeQuery(
                        "select count(*) from contribution where source = 'github' and external_id = ?1")
                .setParameter(1, externalId).getSingleResult()).longValue();
    }

    @Transactional
    String kindOf(String externalId) {
        return (String) Panache.getEntityManager().createNativeQuery(
                        "select kind from contribution where source = 'github' and external_id = ?1")
                .setParameter(1, externalId).getSingleResult();
    }

    @Transactional
    long count(String table) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from " + table)
                .getSingleResult()).longValue();
    }

    @Transactional
    long links(String from, String to, String kind) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from contribution_link where "
                        + "from_external_id = ?1 and to_external_id = ?2 and kind = ?3")
                .setParameter(1, from).setParameter(2, to).setParameter(3, kind).getSingleResult()).longValue();
    }

    @Transactional
    long linksFrom(String from) {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from contribution_link where "
                + "from_external_id = ?1").setParameter(1, from).getSingleResult()).longValue();
    }

    private static String repo(JsonNode p) {
        return p.get("repository").get("full_name").asText();
    }

    @Test
    void pullRequestsOpenedAndMergedAreOneContribution() {
        ObjectNode opened = example("pull_request", "opened");
        String id = repo(opened) + "#pr/" + opened.get("pull_request").get("number").asLong();
        ((ObjectNode) opened.get("pull_request")).put("number", 9001).put("body", "Closes #77 and fixes #78");
        id = repo(opened) + "#pr/9001";
        post("pull_request", opened).statusCode(200).body("outcome", equalTo("stored")).body("contributions", equalTo(1));
        assertThat(contributions(id)).isEqualTo(1);
        assertThat(kindOf(id)).isEqualTo("pull_request");
        assertThat(links(id, repo(opened) + "#issue/77", "closes")).isEqualTo(1);
        assertThat(links(id, repo(opened) + "#issue/78", "closes")).isEqualTo(1);

        // A description that "fixes" thousands of issues links the first 50 it names, each once.
        ObjectNode many = example("pull_request", "opened");
        StringBuilder fixes = new StringBuilder("fixes #7, fixes #007");
        for (int i = 1; i <= 2_000; i++) {
            fixes.append(" fixes #").append(100_000 + i);
        }
        ((ObjectNode) many.get("pull_request")).put("number", 9003).put("body", fixes.toString());
        post("pull_request", many).statusCode(200).body("outcome", equalTo("stored"));
        String manyId = repo(many) + "#pr/9003";
        assertThat(links(manyId, repo(many) + "#issue/7", "closes")).isEqualTo(1);
        assertThat(links(manyId, repo(many) + "#issue/100049", "closes")).isEqualTo(1);
        assertThat(links(manyId, repo(many) + "#issue/100050", "closes")).isZero();
        assertThat(linksFrom(manyId)).isEqualTo(SourceEvents.MAX_CLOSED_ISSUES);

        ObjectNode merged = example("pull_request", "closed");
        ((ObjectNode) merged.get("pull_request")).put("number", 9001).put("merged", true);
        post("pull_request", merged).statusCode(200).body("contributions", equalTo(0));
        assertThat(contributions(id)).isEqualTo(1);

        ObjectNode closedUnmerged = example("pull_request", "closed");
        ((ObjectNode) closedUnmerged.get("pull_request")).put("number", 9002).put("merged", false);
        post("pull_request", closedUnmerged).statusCode(200).body("contributions", equalTo(0))
                .body("detail", containsString("#pr/9002 declined: pull request closed without merge"));

        ObjectNode sync = example("pull_request", "synchronize");
        post("pull_request", sync).statusCode(202).body("detail", containsString("commits come from git"));
    }

    /**
     * A repository renamed, or written in another case by another delivery, is the one its id says: a pull request
     * opened under one name and merged under another is one contribution, paid once, keyed by the first name.
     */
    @Test
    void aRepositoryRenamedKeepsItsPullRequestsOne() {
        ObjectNode opened = example("pull_request", "opened");
        ((ObjectNode) opened.get("repository")).put("full_name", "Rename-Org/Repo").put("id", 880_001);
        ((ObjectNode) opened.get("pull_request")).put("number", 8801);
        post("pull_request", opened).statusCode(200).body("contributions", equalTo(1));
        for (String name : new String[]{"rename-org/repo", "rename-org/repo-renamed"}) {
            ObjectNode merged = example("pull_request", "closed");
            ((ObjectNode) merged.get("repository")).put("full_name", name).put("id", 880_001);
            ((ObjectNode) merged.get("pull_request")).put("number", 8801).put("merged", true);
            post("pull_request", merged).statusCode(200).body("contributions", equalTo(0))
                    .body("detail", containsString("Rename-Org/Repo#pr/8801 not declined: pull request merged"));
        }
        assertThat(contributions("Rename-Org/Repo#pr/8801")).isEqualTo(1);
        assertThat(contributions("rename-org/repo-renamed#pr/8801")).isZero();
        // A new repository created under the old name is another repository: its #8801 is its own.
        ObjectNode newcomer = example("pull_request", "opened");
        ((ObjectNode) newcomer.get("repository")).put("full_name", "rename-org/repo").put("id", 880_002);
        ((ObjectNode) newcomer.get("pull_request")).put("number", 8801);
        post("pull_request", newcomer).statusCode(200).body("contributions", equalTo(1));
        assertThat(contributions("rename-org/repo@880002#pr/8801")).isEqualTo(1);
    }

    /** A hook left at GitHub's default content type sends a form, payload=<JSON>, signed as sent. */
    @Test
    void aFormDeliveryIsReadFromItsPayloadField() {
        ObjectNode opened = example("pull_request", "opened");
        ((ObjectNode) opened.get("pull_request")).put("number", 8901);
        byte[] form = ("payload=" + java.net.URLEncoder.encode(opened.toString(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        java.util.function.Function<byte[], ValidatableResponse> send = bytes -> given()
                .contentType("application/x-www-form-urlencoded").header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", sign(bytes, SECRET)).body(new String(bytes, StandardCharsets.UTF_8))
                .post("/api/webhooks/github").then();
        send.apply(form).statusCode(200).body("contributions", equalTo(1));
        assertThat(contributions(repo(opened) + "#pr/8901")).isEqualTo(1);
        send.apply("other=1".getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .body("detail", containsString("Set the webhook's content type to application/json"));
    }

    @Test
    void reviewsCountByStateAndLinkToTheirPullRequest() {
        for (String state : new String[]{"approved", "changes_requested", "commented"}) {
            ObjectNode review = example("pull_request_review", "submitted");
            ((ObjectNode) review.get("review")).put("state", state).put("id", 700_000 + state.length());
            String pr = repo(review) + "#pr/" + review.get("pull_request").get("number").asLong();
            String id = pr + "/review/" + (700_000 + state.length());
            post("pull_request_review", review).statusCode(200).body("outcome", equalTo("stored"));
            assertThat(kindOf(id)).isEqualTo("review");
            assertThat(links(id, pr, "reviews")).isEqualTo(1);
        }
        post("pull_request_review", example("pull_request_review", "dismissed")).statusCode(202);
    }

    @Test
    void issuesCommentsAndCiResults() {
        ObjectNode opened = example("issues", "opened");
        String issue = repo(opened) + "#issue/" + opened.get("issue").get("number").asLong();
        post("issues", opened).statusCode(200);
        assertThat(kindOf(issue)).isEqualTo("issue");

        ObjectNode closed = opened.deepCopy();
        closed.put("action", "closed");
        ((ObjectNode) closed.get("issue")).put("state", "closed").put("closed_at", "2026-03-01T10:00:00Z");
        post("issues", closed).statusCode(200);
        assertThat(links(issue + "/closed", issue, "closes")).isEqualTo(1);

        post("issues", example("issues", "labeled")).statusCode(202);

        ObjectNode comment = example("issue_comment", "created");
        String commentId = repo(comment) + "#comment/" + comment.get("comment").get("id").asLong();
        post("issue_comment", comment).statusCode(200);
        assertThat(kindOf(commentId)).isEqualTo("comment");
        post("issue_comment", example("issue_comment", "edited")).statusCode(202);

        long ci = count("ci_result");
        post("workflow_run", example("workflow_run", "completed")).statusCode(200);
        post("check_suite", example("check_suite", "completed")).statusCode(200);
        assertThat(count("ci_result")).isEqualTo(ci + 2);
        post("workflow_run", example("workflow_run", "requested")).statusCode(202);

        post("push", example("push", null)).statusCode(202).body("detail", containsString("ingested from git"));
        post("ping", JSON.createObjectNode().put("zen", "Keep it logically awesome.")).statusCode(202);
        post("star", example("star", "created")).statusCode(202).body("detail", containsString("not a contribution"));
    }

    @Test
    void aReviewedPullRequestGainsGraphCreditWhenScored() {
        ObjectNode opened = example("pull_request", "opened");
        ((ObjectNode) opened.get("pull_request")).put("number", 9100).put("created_at", "2018-02-10T10:00:00Z");
        post("pull_request", opened).statusCode(200);
        ObjectNode lonely = example("pull_request", "opened");
        ((ObjectNode) lonely.get("pull_request")).put("number", 9101).put("created_at", "2018-02-11T10:00:00Z");
        post("pull_request", lonely).statusCode(200);
        ObjectNode review = example("pull_request_review", "submitted");
        ((ObjectNode) review.get("pull_request")).put("number", 9100);
        ((ObjectNode) review.get("review")).put("state", "approved").put("id", 910_001)
                .put("submitted_at", "2018-02-12T10:00:00Z");
        post("pull_request_review", review).statusCode(200);

        long epoch = given().contentType("application/json").body(java.util.Map.of("name", "gh-2018-02",
                        "startsAt", "2018-02-01T00:00:00Z", "endsAt", "2018-03-01T00:00:00Z", "budgetTokens", "0.000000000000001"))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        long run = given().contentType("application/json").body(java.util.Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.List<java.util.Map<String, Object>> standings = given().when()
                .get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200).extract().jsonPath().getList("$");
        java.util.Map<String, java.math.BigDecimal> graphByPr = new java.util.HashMap<>();
        for (java.util.Map<String, Object> standing : standings) {
            java.util.List<java.util.Map<String, Object>> lines = given().when()
                    .get("/api/scoring-runs/{id}/contributors/{c}", run, standing.get("contributorId"))
                    .then().statusCode(200).extract().jsonPath().getList("contributions");
            for (java.util.Map<String, Object> line : lines) {
                for (Object f : (java.util.List<?>) line.get("factors")) {
                    java.util.Map<?, ?> factor = (java.util.Map<?, ?>) f;
                    if ("graph".equals(factor.get("name"))) {
                        graphByPr.put((String) line.get("externalId"), new java.math.BigDecimal((String) factor.get("value")));
                        if (((String) line.get("externalId")).endsWith("#pr/9100")) {
                            assertThat((String) factor.get("detail")).contains("1 reported link");
                        }
                    }
                }
            }
        }
        String repo = repo(opened);
        assertThat(graphByPr).containsKeys(repo + "#pr/9100", repo + "#pr/9101");
        assertThat(graphByPr.get(repo + "#pr/9100")).isGreaterThan(graphByPr.get(repo + "#pr/9101"));
    }

    @Test
    void repeatedReviewsOfOnePullRequestByOnePersonCountLessEachTime() {
        ObjectNode opened = example("pull_request", "opened");
        ((ObjectNode) opened.get("pull_request")).put("number", 9300).put("created_at", "2017-05-02T10:00:00Z");
        post("pull_request", opened).statusCode(200);
        String pr = repo(opened) + "#pr/9300";
        // Three reviews by one reviewer (a review thread's replies arrive as reviews of their own), one by another.
        String[][] reviews = {{"930001", "2017-05-03T10:00:00Z", "rita"}, {"930002", "2017-05-03T11:00:00Z", "rita"},
                {"930003", "2017-05-04T09:00:00Z", "rita"}, {"930004", "2017-05-03T12:00:00Z", "olaf"}};
        for (String[] r : reviews) {
            ObjectNode review = example("pull_request_review", "submitted");
            ((ObjectNode) review.get("pull_request")).put("number", 9300);
            ((ObjectNode) review.get("review")).put("state", "commented").put("id", Long.parseLong(r[0]))
                    .put("submitted_at", r[1]);
            ((ObjectNode) review.get("review").get("user")).put("login", r[2]).put("id", r[2].hashCode() & 0xffffff);
            post("pull_request_review", review).statusCode(200);
        }

        long epoch = given().contentType("application/json").body(java.util.Map.of("name", "gh-2017-05",
                        "startsAt", "2017-05-01T00:00:00Z", "endsAt", "2017-06-01T00:00:00Z", "budgetTokens", "0.000000000000001"))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        long run = given().contentType("application/json").body(java.util.Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.Map<String, String> repeat = new java.util.HashMap<>();
        java.util.Map<String, java.math.BigDecimal> score = new java.util.HashMap<>();
        for (Object contributor : given().when().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getList("contributorId")) {
            for (java.util.Map<String, Object> line : given().when()
                    .get("/api/scoring-runs/{id}/contributors/{c}", run, contributor).then().statusCode(200)
                    .extract().jsonPath().<java.util.Map<String, Object>>getList("contributions")) {
                String id = (String) line.get("externalId");
                score.put(id, new java.math.BigDecimal((String) line.get("score")));
                for (Object f : (java.util.List<?>) line.get("factors")) {
                    java.util.Map<?, ?> factor = (java.util.Map<?, ?>) f;
                    if ("repeat".equals(factor.get("name"))) {
                        repeat.put(id, factor.get("value") + " " + factor.get("detail"));
                    }
                }
            }
        }
        assertThat(repeat).containsOnlyKeys(pr + "/review/930002", pr + "/review/930003");
        assertThat(repeat.get(pr + "/review/930002")).startsWith("0.500000 2nd review of " + pr);
        assertThat(repeat.get(pr + "/review/930003")).startsWith("0.250000 3rd review of " + pr);
        assertThat(score.get(pr + "/review/930001")).isEqualByComparingTo(score.get(pr + "/review/930004"));
        assertThat(score.get(pr + "/review/930002").multiply(java.math.BigDecimal.valueOf(2)))
                .isEqualByComparingTo(score.get(pr + "/review/930001"));
        given().when().get("/api/scoring-runs/{id}", run).then().statusCode(200)
                .body("policy.rules.find { it.rule == 'repeat' }.factor", equalTo("0.5"));
    }

    @Test
    void commentsThatAreReactionsEarnNothing() {
        String[][] comments = {{"+1", "9401"}, {"> It crashes on start.\n\nsame here :cry:", "9402"},
                {"Thanks!", "9403"}, {"Thank you so much!", "9404"},
                {"It crashes because the config path is read before the home directory is known.", "9405"}};
        String repo = null;
        for (int i = 0; i < comments.length; i++) {
            ObjectNode p = comment(Integer.parseInt(comments[i][1]), 940_000 + i, "2016-03-0" + (i + 1) + "T10:00:00Z",
                    "rhea", comments[i][0]);
            post("issue_comment", p).statusCode(200);
            repo = repo(p);
        }
        ObjectNode closed = example("issues", "opened");
        closed.put("action", "closed");
        ((ObjectNode) closed.get("issue")).put("number", 9401).put("state", "closed")
                .put("closed_at", "2016-03-09T10:00:00Z");
        ((ObjectNode) closed.get("sender")).put("login", "rhea").put("id", account("rhea")); // as comment() writes
        post("issues", closed).statusCode(200);
        Scored scored = scoreTheOnlyContributor("gh-2016-03", "2016-03-01T00:00:00Z", "2016-04-01T00:00:00Z", "trivial");
        java.util.Map<String, String> trivial = scored.details();
        java.util.Map<String, java.math.BigDecimal> score = scored.scores();
        long run = scored.run();
        assertThat(trivial).containsOnlyKeys(repo + "#comment/940000", repo + "#comment/940001",
                repo + "#comment/940002", repo + "#comment/940003");
        // Closing an issue is stored as a comment without text that closes it: an action, not a reaction.
        assertThat(score.get(repo + "#issue/9401/closed")).isPositive();
        assertThat(trivial.get(repo + "#comment/940000")).contains("\"+1\"");
        assertThat(score.get(repo + "#comment/940000")).isZero();
        assertThat(score.get(repo + "#comment/940004")).isPositive();
        given().when().get("/api/scoring-runs/{id}", run).then().statusCode(200)
                .body("policy.rules.find { it.rule == 'trivial' }.minimumWords", equalTo(3))
                .body("policyRules.find { it.rule == 'trivial' }.text", org.hamcrest.Matchers.startsWith("x0 for a comment that is a reaction: fewer than 3 words"));
    }

    @Test
    void whatTheForgeDeletesIsPaidNothing() {
        // Spam: an issue and a comment that maintainers then delete on GitHub.
        ObjectNode issue = example("issues", "opened");
        ((ObjectNode) issue.get("issue")).put("number", 9501).put("created_at", "2015-07-02T10:00:00Z")
                .put("title", "Buy cheap watches");
        ((ObjectNode) issue.get("issue").get("user")).put("login", "spammer").put("id", account("spammer"));
        post("issues", issue).statusCode(200);
        ObjectNode comment = comment(9502, 950_001, "2015-07-03T10:00:00Z", "spammer",
                "Visit my site for the best deals on watches and more, every day of the week.");
        post("issue_comment", comment).statusCode(200);
        post("issue_comment", comment(9503, 950_002, "2015-07-04T10:00:00Z", "spammer",
                "Also: the watch parser fails on leap years, see the attached trace.")).statusCode(200);
        ObjectNode deletedIssue = issue.deepCopy();
        deletedIssue.put("action", "deleted");
        post("issues", deletedIssue).statusCode(200).body("detail", containsString("1 link(s)"));
        ObjectNode deletedComment = comment.deepCopy();
        deletedComment.put("action", "deleted");
        post("issue_comment", deletedComment).statusCode(200);

        String repo = repo(issue);
        Scored scored = scoreTheOnlyContributor("gh-2015-07", "2015-07-01T00:00:00Z", "2015-08-01T00:00:00Z", "withdrawn");
        java.util.Map<String, String> withdrawn = scored.details();
        java.util.Map<String, java.math.BigDecimal> score = scored.scores();
        assertThat(withdrawn).containsOnlyKeys(repo + "#issue/9501", repo + "#comment/950001");
        assertThat(withdrawn.get(repo + "#issue/9501")).startsWith("deleted on github");
        assertThat(score.get(repo + "#issue/9501")).isZero();
        assertThat(score.get(repo + "#comment/950001")).isZero();
        assertThat(score.get(repo + "#comment/950002")).isPositive();
    }

    @Test
    void declinedIssuesAndPullRequestsArePaidNothingUntilReopened() {
        String repo = null;
        for (int n = 9601; n <= 9606; n++) {
            ObjectNode opened = example(n == 9605 ? "pull_request" : "issues", "opened");
            ObjectNode item = (ObjectNode) opened.get(n == 9605 ? "pull_request" : "issue");
            item.put("number", n).put("created_at", "1976-05-0" + (n - 9600) + "T10:00:00Z")
                    .put("title", "Report " + n);
            ((ObjectNode) item.get("user")).put("login", "pat").put("id", 96_001);
            ((ObjectNode) opened.get("sender")).put("login", "pat").put("id", 96_001);
            post(n == 9605 ? "pull_request" : "issues", opened).statusCode(200);
            repo = repo(opened);
        }
        post("issues", closed(9601, "not_planned", "1976-05-10T10:00:00Z")).statusCode(200)
                .body("detail", containsString("#issue/9601 declined: issue closed as not planned by pat"));
        post("issues", closed(9602, "duplicate", "1976-05-10T10:00:00Z")).statusCode(200);
        ObjectNode reopened = closed(9602, "reopened", "1976-05-11T10:00:00Z");
        reopened.put("action", "reopened");
        ((ObjectNode) reopened.get("issue")).put("updated_at", "1976-05-11T10:00:00Z");
        post("issues", reopened).statusCode(200).body("detail", containsString("not declined: issue reopened"));
        post("issues", closed(9603, "completed", "1976-05-10T10:00:00Z")).statusCode(200);
        // Declined on the 12th; a reopening of the 11th delivered after it is older news and changes nothing.
        post("issues", closed(9604, "not_planned", "1976-05-12T10:00:00Z")).statusCode(200);
        ObjectNode late = closed(9604, "reopened", "1976-05-11T10:00:00Z");
        late.put("action", "reopened");
        ((ObjectNode) late.get("issue")).put("updated_at", "1976-05-11T10:00:00Z");
        post("issues", late).statusCode(200);
        // A stale bot closing an unanswered issue as not planned is a timeout, not a verdict: 9603 stays paid.
        ObjectNode stale = closed(9603, "not_planned", "1976-05-13T10:00:00Z");
        ((ObjectNode) stale.get("sender")).put("login", "github-actions[bot]").put("type", "Bot");
        post("issues", stale).statusCode(200).body("detail", containsString("not a maintainer's verdict"));
        // Closed as completed, but with a declining label: the label is the maintainer's verdict.
        ObjectNode labelled = closed(9606, "completed", "1976-05-10T10:00:00Z");
        ((ObjectNode) labelled.get("issue")).putArray("labels").addObject().put("name", "Status: Won't Fix");
        post("issues", labelled).statusCode(200).body("detail", containsString("with label 'Status: Won't Fix'"));
        ObjectNode unmerged = example("pull_request", "closed");
        ((ObjectNode) unmerged.get("pull_request")).put("number", 9605).put("merged", false)
                .put("closed_at", "1976-05-10T10:00:00Z");
        ((ObjectNode) unmerged.get("sender")).put("login", "pat").put("id", 96_001);
        post("pull_request", unmerged).statusCode(200);

        Scored scored = scoreTheOnlyContributor("gh-1976-05", "1976-05-01T00:00:00Z", "1976-06-01T00:00:00Z", "declined");
        assertThat(scored.details()).containsOnlyKeys(repo + "#issue/9601", repo + "#issue/9604", repo + "#pr/9605",
                repo + "#issue/9606");
        assertThat(scored.details().get(repo + "#issue/9601")).isEqualTo("issue closed as not planned by pat (github)");
        assertThat(scored.details().get(repo + "#pr/9605")).startsWith("pull request closed without merge");
        for (String declined : scored.details().keySet()) {
            assertThat(scored.scores().get(declined)).as(declined).isZero();
        }
        assertThat(scored.scores().get(repo + "#issue/9602")).isPositive();
        assertThat(scored.scores().get(repo + "#issue/9603")).isPositive();
        // Closing is triage work: the closes themselves keep their points, whatever the reason.
        assertThat(scored.scores().get(repo + "#issue/9601/closed")).isPositive();
        given().when().get("/api/scoring-runs/{id}", scored.run()).then().statusCode(200)
                .body("policy.rules.find { it.rule == 'declined' }.factor", equalTo("0"))
                .body("policyRules.find { it.rule == 'declined' }.text", org.hamcrest.Matchers.startsWith("x0 for an issue closed as not planned"));
    }

    /**
     * Two deliveries about one account Merit has never seen, at the same moment (a comment and the close of an issue by
     * a newcomer): both are stored. GitHub does not send a failed delivery again by itself, so a delivery answered
     * 409 because the other created the account first would be lost.
     */
    @Test
    void twoDeliveriesAboutOneNewAccountAtOnceAreBothStored() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                String login = "newcomer-" + UUID.randomUUID().toString().substring(0, 8);
                ObjectNode commented = comment(9700 + round, 97_000_000L + round * 10L, "2026-11-02T10:00:00Z", login,
                        "First time here: the build fails on Windows.");
                ObjectNode closed = closed(9700 + round, "completed", "2026-11-02T10:00:01Z");
                ((ObjectNode) closed.get("sender")).put("login", login).put("id", login.hashCode() & 0xffffff);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                var a = pool.submit(() -> {
                    start.await();
                    return post("issue_comment", commented).extract().statusCode();
                });
                var b = pool.submit(() -> {
                    start.await();
                    return post("issues", closed).extract().statusCode();
                });
                assertThat(List.of(a.get(60, java.util.concurrent.TimeUnit.SECONDS), b.get(60, java.util.concurrent.TimeUnit.SECONDS)))
                        .as("round " + round).containsOnly(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** GitHub's "issues closed" for {@code number}, closed by pat with GitHub's {@code state_reason}. */
    private static ObjectNode closed(int number, String reason, String at) {
        ObjectNode closed = example("issues", "opened");
        closed.put("action", "closed");
        ((ObjectNode) closed.get("issue")).put("number", number).put("state", "closed").put("state_reason", reason)
                .put("closed_at", at);
        ((ObjectNode) closed.get("sender")).put("login", "pat").put("id", 96_001);
        return closed;
    }

    /** A run's scores of its one contributor's contributions, and the detail of each one's {@code factor}, by external id. */
    record Scored(long run, java.util.Map<String, java.math.BigDecimal> scores, java.util.Map<String, String> details) {
    }

    private static Scored scoreTheOnlyContributor(String epochName, String from, String to, String factor) {
        long epoch = given().contentType("application/json").body(java.util.Map.of("name", epochName,
                        "startsAt", from, "endsAt", to, "budgetTokens", "0.000000000000001"))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        long run = given().contentType("application/json").body(java.util.Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.List<Object> contributors = given().when().get("/api/scoring-runs/{id}/contributors", run).then()
                .statusCode(200).extract().jsonPath().getList("contributorId");
        assertThat(contributors).hasSize(1);
        java.util.Map<String, String> details = new java.util.HashMap<>();
        java.util.Map<String, java.math.BigDecimal> scores = new java.util.HashMap<>();
        for (java.util.Map<String, Object> line : given().when().get("/api/scoring-runs/{id}/contributors/{c}", run,
                contributors.get(0)).then().statusCode(200).extract().jsonPath()
                .<java.util.Map<String, Object>>getList("contributions")) {
            String id = (String) line.get("externalId");
            scores.put(id, new java.math.BigDecimal((String) line.get("score")));
            for (Object f : (java.util.List<?>) line.get("factors")) {
                java.util.Map<?, ?> named = (java.util.Map<?, ?>) f;
                if (factor.equals(named.get("name"))) {
                    details.put(id, (String) named.get("detail"));
                }
            }
        }
        return new Scored(run, scores, details);
    }

    @Test
    void aFailedWorkflowRunLowersTheScoreOfItsCommit() {
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-ci-signal",
                java.time.Instant.parse("1988-04-01T00:00:00Z"));
        String red = r.write("a.py", "x = 1\n").commit("add a", "Ann Example", "ann@example.com").name();
        String green = r.write("b.py", "y = 2\n").commit("add b", "Ann Example", "ann@example.com").name();
        String flaky = r.write("c.py", "z = 3\n").commit("add c", "Ann Example", "ann@example.com").name();
        long repo = given().contentType("application/json").body(java.util.Map.of("location", r.path()))
                .when().post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        // The flaky commit's run fails, is re-run (same run id) and passes; its first attempt's delivery comes again
        // late. The attempt that completed last stands.
        for (String[] run : new String[][]{{red, "failure", "51", "1988-04-20T10:00:00Z"},
                {green, "success", "52", "1988-04-20T10:00:00Z"}, {flaky, "failure", "53", "1988-04-20T10:00:00Z"},
                {flaky, "success", "53", "1988-04-20T11:00:00Z"}, {flaky, "failure", "53", "1988-04-20T10:00:00Z"}}) {
            ObjectNode p = example("workflow_run", "completed");
            ((ObjectNode) p.get("workflow_run")).put("head_sha", run[0]).put("conclusion", run[1])
                    .put("id", Long.parseLong(run[2])).put("updated_at", run[3]);
            post("workflow_run", p).statusCode(200);
        }
        long epoch = given().contentType("application/json").body(java.util.Map.of("name", "ci-1988-04",
                        "startsAt", "1988-04-01T00:00:00Z", "endsAt", "1988-05-01T00:00:00Z", "budgetTokens", "0.000000000000001"))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        long run = given().contentType("application/json").body(java.util.Map.of("epochId", epoch))
                .when().post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        Object ann = given().when().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getList("contributorId").get(0);
        java.util.List<java.util.Map<String, Object>> lines = given().when()
                .get("/api/scoring-runs/{id}/contributors/{c}", run, ann).then().statusCode(200)
                .extract().jsonPath().getList("contributions");
        java.util.Map<String, String> ci = new java.util.HashMap<>();
        for (java.util.Map<String, Object> line : lines) {
            for (Object f : (java.util.List<?>) line.get("factors")) {
                java.util.Map<?, ?> factor = (java.util.Map<?, ?>) f;
                if ("ci".equals(factor.get("name"))) {
                    ci.put((String) line.get("externalId"), (String) factor.get("value"));
                }
            }
        }
        assertThat(new java.math.BigDecimal(ci.get(red))).isEqualByComparingTo("0.8");
        assertThat(new java.math.BigDecimal(ci.get(green))).isEqualByComparingTo("1");
        assertThat(new java.math.BigDecimal(ci.get(flaky))).as("re-run to green").isEqualByComparingTo("1");
    }

    @Test
    void badInputIsRefusedAndStoresNothing() {
        ObjectNode payload = example("issues", "opened");
        ((ObjectNode) payload.get("issue")).put("number", 424242);
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        long deliveries = count("webhook_delivery");

        post("issues", UUID.randomUUID().toString(), body, sign(body, "some other secret")).statusCode(401)
                .contentType("application/problem+json").body("title", equalTo("Signature does not match"));
        post("issues", UUID.randomUUID().toString(), body, null).statusCode(401)
                .body("detail", containsString("missing"));
        post("issues", UUID.randomUUID().toString(), body, "sha256=zz").statusCode(401);
        assertThat(count("webhook_delivery")).isEqualTo(deliveries);
        assertThat(contributions(repo(payload) + "#issue/424242")).isZero();

        byte[] broken = "{\"action\": \"opened\", ".getBytes(StandardCharsets.UTF_8);
        post("issues", UUID.randomUUID().toString(), broken, sign(broken, SECRET)).statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not valid JSON"));

        byte[] missing = "{\"action\": \"opened\"}".getBytes(StandardCharsets.UTF_8);
        post("issues", UUID.randomUUID().toString(), missing, sign(missing, SECRET)).statusCode(400)
                .body("detail", containsString("no 'issue'"));

        // Ids are whole numbers: text was read as #issue/0, and 10^30 wrapped around to another issue's id.
        for (String number : new String[] {"\"abc\"", "{}", "1.5", "-3", "1000000000000000000000000000000"}) {
            byte[] odd = payload.toString().replace("\"number\":424242", "\"number\":" + number)
                    .getBytes(StandardCharsets.UTF_8);
            post("issues", UUID.randomUUID().toString(), odd, sign(odd, SECRET)).statusCode(400)
                    .body("detail", containsString("'number' is not a whole number from 0 to"));
        }
        // So is an account's id: text was dropped without a word, -1 and 2^80 named accounts the forge has not.
        var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        for (com.fasterxml.jackson.databind.JsonNode id : List.of(nodes.textNode("101"), nodes.numberNode(-1),
                nodes.numberNode(new java.math.BigInteger("1208925819614629174706176")))) {
            ObjectNode odd = payload.deepCopy();
            ((ObjectNode) odd.get("issue").get("user")).set("id", id);
            byte[] bytes = odd.toString().getBytes(StandardCharsets.UTF_8);
            post("issues", UUID.randomUUID().toString(), bytes, sign(bytes, SECRET)).statusCode(400)
                    .body("detail", containsString("'id' is not a whole number from 0 to"));
        }
        ObjectNode unnamed = payload.deepCopy();
        ((ObjectNode) unnamed.get("repository")).put("full_name", " ");
        byte[] noName = unnamed.toString().getBytes(StandardCharsets.UTF_8);
        post("issues", UUID.randomUUID().toString(), noName, sign(noName, SECRET)).statusCode(400)
                .body("detail", containsString("'full_name' is empty"));
        assertThat(contributions(repo(payload) + "#issue/0")).isZero();
        // A value of another kind is not read as one: 1 was merged, {} a title "(no message)", "wontfix" no labels.
        java.util.function.BiConsumer<ObjectNode, String> refused = (odd, said) -> {
            byte[] bytes = odd.toString().getBytes(StandardCharsets.UTF_8);
            post(odd.has("pull_request") ? "pull_request" : "issues", UUID.randomUUID().toString(), bytes,
                    sign(bytes, SECRET)).statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString(said));
        };
        ObjectNode merged = example("pull_request", "closed");
        ((ObjectNode) merged.get("pull_request")).put("number", 424243).put("merged", 1);
        refused.accept(merged, "'merged' is not true or false: 1");
        ObjectNode titled = payload.deepCopy();
        ((ObjectNode) titled.get("issue")).putObject("title");
        refused.accept(titled, "'title' is not text: {}");
        ObjectNode labelled = payload.deepCopy();
        labelled.put("action", "closed");
        ((ObjectNode) labelled.get("issue")).put("closed_at", "2026-11-01T10:00:00Z").put("labels", "wontfix");
        refused.accept(labelled, "'labels' is not a list");
        // A login is one account's: blank, or with a NUL (stored as "ab", the account "ab"), it names none.
        // Nor does one that hides its look (a direction override, a zero-width space).
        for (String login : new String[] {"", " ", "a\u0000b", "a b", "ann\u202eeve", "a\u200bb"}) {
            ObjectNode odd = payload.deepCopy();
            ((ObjectNode) odd.get("issue").get("user")).put("login", login);
            refused.accept(odd, "'login' is not a login");
        }
        ObjectNode half = payload.deepCopy();
        ((ObjectNode) half.get("issue").get("user")).put("login", "HALF");
        byte[] halfBytes = half.toString().replace("\"HALF\"", "\"a\\ud800\"").getBytes(StandardCharsets.UTF_8);
        post("issues", UUID.randomUUID().toString(), halfBytes, sign(halfBytes, SECRET)).statusCode(400)
                .body("detail", containsString("'login' is not a login"));
        assertThat(contributions(repo(payload) + "#issue/424242")).isZero();
        // One JSON value, and nothing after it (the signature covers the bytes, not their meaning).
        byte[] trailing = (payload + "THIS IS NOT JSON").getBytes(StandardCharsets.UTF_8);
        post("issues", UUID.randomUUID().toString(), trailing, sign(trailing, SECRET)).statusCode(400)
                .body("type", equalTo("/problems/malformed-json"))
                .body("detail", containsString("not valid JSON (line 1"));
        byte[] two = "{}{}".getBytes(StandardCharsets.UTF_8);
        post("issues", UUID.randomUUID().toString(), two, sign(two, SECRET)).statusCode(400)
                .body("detail", containsString("goes on after its JSON value (line 1, column"));
        // The API's words for JSON it cannot read, where the parser stopped, not the parser's settings.
        for (String bad : new String[] {"{\"a\": NaN}", "{\"a\": 1 /* c */}"}) {
            byte[] odd = bad.getBytes(StandardCharsets.UTF_8);
            post("issues", UUID.randomUUID().toString(), odd, sign(odd, SECRET)).statusCode(400)
                    .body("type", equalTo("/problems/malformed-json"))
                    .body("detail", org.hamcrest.Matchers.allOf(containsString("(line 1, column"),
                            org.hamcrest.Matchers.not(containsString("enable")),
                            org.hamcrest.Matchers.not(containsString("?."))));
        }
        assertThat(count("webhook_delivery")).isEqualTo(deliveries);

        byte[] huge = new byte[5 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        post("issues", UUID.randomUUID().toString(), huge, sign(huge, SECRET)).statusCode(413)
                .contentType("application/problem+json");
        assertThat(count("webhook_delivery")).isEqualTo(deliveries);

        // A replayed delivery is answered, not stored twice.
        String delivery = UUID.randomUUID().toString();
        post("issues", delivery, body, sign(body, SECRET)).statusCode(200).body("outcome", equalTo("stored"));
        post("issues", delivery, body, sign(body, SECRET)).statusCode(200).body("outcome", equalTo("duplicate"));
        assertThat(contributions(repo(payload) + "#issue/424242")).isEqualTo(1);
        assertThat(count("webhook_delivery")).isEqualTo(deliveries + 1);
    }
}
