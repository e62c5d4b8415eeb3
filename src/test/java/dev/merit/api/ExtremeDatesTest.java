package dev.merit.api;

import dev.merit.ingest.webhook.GitHubWebhookTest;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** A date no real work has (a typo in GIT_AUTHOR_DATE, a forged created_at) costs its own contribution nothing else. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ExtremeDatesTest {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 7);

    @Test
    void aCommitDatedAfter2262IsStoredAsGitStoresItAndTheRestOfTheHistoryIngests() {
        TestRepo r = TestRepo.create("merit-far-future", Instant.parse("1987-03-01T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: before", "Dee Date", "dee@dates.example");
        // GIT_AUTHOR_DATE=@99999999999: the year 5138, beyond a long of nanoseconds since 1970.
        r.write("b.c", "int b;\n").commitAt(Instant.ofEpochSecond(99_999_999_999L), "fix: from the future", "Dee Date",
                "dee@dates.example");
        r.write("c.c", "int c;\n").commit("docs: after", "Dee Date", "dee@dates.example");
        long repo = Api.ingest(r);
        JsonPath stored = given().queryParam("repositoryId", repo).get("/api/contributions").then().statusCode(200)
                .extract().jsonPath();
        List<String> times = stored.getList("occurredAt");
        assertThat(times).hasSize(3).contains("5138-11-16T09:46:39Z");
    }

    @Test
    void aWebhookWithAnImpossibleDateIsStoredClampedNotAFailure() {
        for (String createdAt : new String[]{"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z"}) {
            long id = IDS.incrementAndGet();
            GitHubWebhookTest.post("issue_comment", GitHubWebhookTest.comment(1, id, createdAt, "date-" + id,
                    "a comment that says a lot about dates")).statusCode(200);
        }
    }
}
