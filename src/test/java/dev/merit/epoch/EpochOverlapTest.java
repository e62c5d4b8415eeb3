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

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

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

    /**
     * Time no epoch covers, before an epoch, is named with the work dated then (2157, a year no other test uses): the
     * API, the epoch list and the epoch's page say it, and an epoch created for that time closes it.
     */
    @Test
    void timeNoEpochCoversIsNamedWithTheWorkDatedThen() throws Exception {
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-gap",
                java.time.Instant.parse("2157-02-01T09:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Gap Gus", "gus@gap.example"); // 10:00, in the gap
        r.write("b.c", "int b;\n").commit("fix: b", "Gap Gus", "gus@gap.example"); // 11:00, in the gap
        dev.merit.support.Api.ingest(r);
        long january = create("2157-01", "2157-01-01T00:00:00Z", "2157-02-01T00:00:00Z").getLong("id");
        JsonPath february = create("2157-02 from the 2nd", "2157-02-02T00:00:00Z", "2157-03-01T00:00:00Z");
        assertThat(february.getString("gapBefore.from")).isEqualTo("2157-02-01T00:00:00Z");
        assertThat(february.getString("gapBefore.to")).isEqualTo("2157-02-02T00:00:00Z");
        assertThat(february.getLong("gapBefore.after.id")).isEqualTo(january);
        assertThat(february.getLong("gapBefore.contributions")).isEqualTo(2);
        long id = february.getLong("id");
        given().get("/api/epochs/{id}", id).then().statusCode(200)
                .body("gapBefore.contributions", org.hamcrest.Matchers.is(2));
        assertThat(given().get("/api/epochs").then().statusCode(200).extract().jsonPath()
                .getInt("find { it.id == " + id + " }.gapBefore.contributions")).isEqualTo(2);
        // Touching months leave none.
        JsonPath march = create("2157-03", "2157-03-01T00:00:00Z", "2157-04-01T00:00:00Z");
        assertThat(march.getMap("gapBefore")).isNull();

        String page = dev.merit.support.Chromium.text(base + "#/epochs/" + id);
        assertThat(page).contains("No epoch covers the 1 day between the epoch 2157-01 (it ends 2157-02-01 00:00 UTC) "
                + "and this "
                + "epoch (it starts 2157-02-02 00:00 UTC): 2 contributions are dated then. No payout pays them until "
                + "an epoch covers that time");
        assertThat(dev.merit.support.Chromium.text(base + "#/epochs"))
                .contains("2157-02 from the 2nd No epoch covers the 1 day before it (2 contributions dated then)");

        // An epoch for that day closes the gap.
        create("2157-02-01", "2157-02-01T00:00:00Z", "2157-02-02T00:00:00Z");
        given().get("/api/epochs/{id}", id).then().statusCode(200).body("gapBefore", org.hamcrest.Matchers.nullValue());
    }
}
