package dev.merit.epoch;

import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Epochs whose periods share time are accepted, and every view of them says so (2071, a year no other test uses). */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EpochOverlapTest {

    private static JsonPath create(String name, String from, String to) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "startsAt", from, "endsAt", to,
                "budgetTokens", "100")).post("/api/epochs").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void epochsSharingTimeNameEachOtherAndTouchingOnesDoNot() {
        long march = create("2071-03", "2071-03-01T00:00:00Z", "2071-04-01T00:00:00Z").getLong("id");
        // April starts as March ends: periods are half-open, so they share nothing.
        JsonPath april = create("2071-04", "2071-04-01T00:00:00Z", "2071-05-01T00:00:00Z");
        assertThat(april.getList("overlaps")).isEmpty();
        // A preview of two weeks across both months: accepted, and the answer names both.
        JsonPath preview = create("2071 spring preview", "2071-03-20T00:00:00Z", "2071-04-03T00:00:00Z");
        assertThat(preview.getList("overlaps.name")).containsExactly("2071-03", "2071-04");
        long previewId = preview.getLong("id");

        given().get("/api/epochs/{id}", march).then().statusCode(200)
                .body("overlaps.id", org.hamcrest.Matchers.contains((int) previewId));
        List<Map<String, Object>> all = given().get("/api/epochs").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.name.startsWith('2071') }");
        assertThat(all).extracting(e -> e.get("name") + " " + ((List<?>) e.get("overlaps")).size())
                .containsExactly("2071-03 1", "2071 spring preview 2", "2071-04 1");

        // Exactly the same dates under another name: accepted too, and each names the other.
        JsonPath twin = create("2071 April payroll", "2071-04-01T00:00:00Z", "2071-05-01T00:00:00Z");
        assertThat(twin.getList("overlaps.name")).containsExactly("2071 spring preview", "2071-04");
    }
}
