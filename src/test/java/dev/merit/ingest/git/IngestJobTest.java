package dev.merit.ingest.git;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** An ingest asked with async=true: 202 at once, a job resource with its progress, then its report. Year 1972. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IngestJobTest {

    @Test
    void anAsyncIngestAnswersAtOnceAndItsJobShowsProgressThenTheReport() throws Exception {
        TestRepo r = TestRepo.create("merit-job", Instant.parse("1972-02-01T00:00:00Z"));
        for (int i = 0; i < 300; i++) {
            r.write("f" + (i % 7) + ".c", "int v" + i + ";\n").commit("feat: step " + i, "Job Person " + (i % 3),
                    "job" + (i % 3) + "@job.example");
        }
        long repo = given().contentType(ContentType.JSON).body(Map.of("location", r.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        Response accepted = given().queryParam("async", true).post("/api/repositories/{id}/ingest", repo);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).contains("/api/ingest-jobs/" + accepted.jsonPath().getLong("id"));
        assertThat(accepted.jsonPath().getString("state")).isIn("queued", "running");

        JsonPath job = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            job = given().get(location).then().statusCode(200).extract().jsonPath();
            if (job.getString("state").equals("succeeded") || job.getString("state").equals("failed")) {
                break;
            }
            assertThat(job.getString("progress")).doesNotContain("null");
            Thread.sleep(50);
        }
        assertThat(job.getString("state")).isEqualTo("succeeded");
        assertThat(job.getInt("report.commitsRead")).isEqualTo(300);
        assertThat(job.getLong("commitsDone")).isEqualTo(300);
        assertThat(job.getLong("commitsTotal")).isEqualTo(300);
        assertThat(job.getString("progress")).isEqualTo("300 commits read, 300 stored");
        assertThat(given().get("/api/ingest-jobs").then().statusCode(200).extract().jsonPath().getList("id"))
                .contains(job.getInt("id"));

        // Nothing new the second time; a job of no repository is a 404 problem, asked before anything is queued.
        given().queryParam("async", true).post("/api/repositories/{id}/ingest", 987654).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/ingest-jobs/{id}", 987654).then().statusCode(404).contentType("application/problem+json");
    }
}
