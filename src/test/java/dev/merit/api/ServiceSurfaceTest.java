package dev.merit.api;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ServiceSurfaceTest {

    @Test
    void repositoryRegisteredByCloneUrlIsClonedAndIngested() {
        TestRepo origin = TestRepo.create("merit-origin", Instant.parse("2006-01-01T00:00:00Z"));
        origin.write("x.txt", "x\n").commit("feat: x", "Uri Remote", "uri@example.com");
        String url = origin.dir().toUri().toString();
        long id = given().contentType(ContentType.JSON).body(Map.of("location", url))
                .when().post("/api/repositories").then().statusCode(201)
                .body("location", equalTo(url)).extract().jsonPath().getLong("id");
        given().when().post("/api/repositories/{id}/ingest", id).then().statusCode(200).body("contributionsStored", equalTo(1));

        origin.write("y.txt", "y\n").commit("feat: y", "Uri Remote", "uri@example.com");
        given().when().post("/api/repositories/{id}/ingest", id).then().statusCode(200)
                .body("commitsRead", equalTo(1)).body("contributionsStored", equalTo(1));
    }

    @Test
    void healthAndMetricsAreServed() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get("/").then().statusCode(200).body(containsString("Merit"));
    }

    @Test
    void everyApiOperationDocumentsItsSuccessAndItsProblems() {
        JsonPath openapi = given().accept(ContentType.JSON).when().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = openapi.getMap("paths");
        int operations = 0;
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (var op : path.getValue().entrySet()) {
                Map<String, Object> responses = (Map<String, Object>) op.getValue().get("responses");
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                assertThat(responses).as(where).isNotNull();
                assertThat(responses.keySet()).as(where).anyMatch(code -> code.startsWith("2"));
                if (path.getKey().contains("{") || op.getKey().equals("post")) {
                    assertThat(responses.keySet()).as(where + " documents its problems")
                            .anyMatch(code -> code.startsWith("4"));
                }
                // Every error is problem+json, and every operation lists what any request can meet.
                responses.forEach((code, response) -> {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) response).get("content");
                        assertThat(content).as(where + " " + code).containsKey("application/problem+json");
                    }
                });
                assertThat(responses).as(where).containsKeys("414", "431", "500");
                if (!op.getKey().equals("get")) {
                    assertThat(responses).as(where).containsKeys("400", "403", "413");
                }
                assertThat(op.getValue().get("summary")).as(where).isNotNull();
                operations++;
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(17);
    }
}
