package dev.merit.scoring;

import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A run's leaderboard a page at a time: what a dashboard on a phone reads for a DAO of many contributors. The pages
 * walk the same standings as the whole list, in the same order, each once; a page past the end is empty; a page or
 * size out of range is a problem, never a 500.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LeaderboardPagesTest {

    private static final int PEOPLE = 57;
    private static long run;

    @BeforeEach
    void manyContributors() {
        if (run != 0) {
            return;
        }
        TestRepo r = TestRepo.create("merit-leaders", Instant.parse("1980-01-01T00:00:00Z"));
        for (int i = 0; i < PEOPLE; i++) {
            StringBuilder body = new StringBuilder();
            for (int line = 0; line <= i % 9; line++) {
                body.append("x").append(i).append('_').append(line).append(" = ").append(line).append('\n');
            }
            r.write("src/p" + i + ".py", body.toString()).commit("feat: part " + i, "Leader " + i, "leader" + i + "@leaders.example");
        }
        Api.ingest(r);
        long epoch = Api.epoch("leaders-1980-01", "1980-01-01T00:00:00Z", "1980-02-01T00:00:00Z",
                BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(100)));
        run = Api.score(epoch);
    }

    @Test
    void pagesWalkTheWholeLeaderboardOnceInRankOrder() {
        List<Map<String, Object>> all = given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(all).hasSize(PEOPLE);
        assertThat(given().get("/api/scoring-runs/{id}", run).then().statusCode(200).extract().jsonPath()
                .getInt("contributorCount")).isEqualTo(PEOPLE);
        List<Object> paged = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            List<Map<String, Object>> p = given().queryParam("page", page).queryParam("size", 25)
                    .get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(p).hasSize(page < 2 ? 25 : PEOPLE - 50);
            p.forEach(s -> paged.add(s.get("contributorId")));
        }
        assertThat(paged).containsExactlyElementsOf(all.stream().map(s -> s.get("contributorId")).toList());
        List<Integer> ranks = all.stream().map(s -> (Integer) s.get("rank")).toList();
        assertThat(ranks).isSorted();
        // Equal points share a rank, and the next rank counts those above it (1, 1, 3): this history has ties.
        boolean tied = false;
        for (int i = 0; i < all.size(); i++) {
            boolean sameAsBefore = i > 0 && new java.math.BigDecimal(String.valueOf(all.get(i).get("total")))
                    .compareTo(new java.math.BigDecimal(String.valueOf(all.get(i - 1).get("total")))) == 0;
            tied |= sameAsBefore;
            assertThat(ranks.get(i)).isEqualTo(sameAsBefore ? ranks.get(i - 1) : i + 1);
        }
        assertThat(tied).isTrue();
        assertThat(given().queryParam("page", 9).queryParam("size", 25).get("/api/scoring-runs/{id}/contributors", run)
                .then().statusCode(200).extract().jsonPath().getList("$")).isEmpty();
        // size alone: the first page; page alone: 50 a page.
        assertThat(given().queryParam("size", 5).get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getList("contributorId")).containsExactlyElementsOf(paged.subList(0, 5));
        assertThat(given().queryParam("page", 1).get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getList("contributorId")).containsExactlyElementsOf(paged.subList(50, PEOPLE));
    }

    @Test
    void aPageOrSizeOutOfRangeIsAProblem() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("size", 0), Map.of("size", 1001),
                Map.of("page", -1), Map.of("size", "many"), Map.of("page", "1e3"), Map.of("size", "99999999999999999999"), Map.of("page", Integer.MAX_VALUE))) {
            given().queryParams(bad).get("/api/scoring-runs/{id}/contributors", run).then().statusCode(400)
                    .contentType(containsString("application/problem+json")).body("status", equalTo(400));
        }
        // A page number whose first row would overflow is refused on every paged list, not read as a negative offset.
        for (String list : List.of("/api/contributors", "/api/contributions", "/api/disputes")) {
            given().queryParam("page", Integer.MAX_VALUE).queryParam("size", 500).get(list).then().statusCode(400)
                    .contentType(containsString("application/problem+json"));
        }
        given().queryParam("page", 0).get("/api/scoring-runs/{id}/contributors", Long.MAX_VALUE).then().statusCode(404)
                .contentType(containsString("application/problem+json"));
    }

    @Test
    void theOverviewReadsTheTopFiveAndTheCount() {
        // Whichever run the home page leads with (other classes' epochs may end later than this one's), its top five
        // and its count, read from the run itself.
        JsonPath o = given().get("/api/overview").then().statusCode(200).extract().jsonPath();
        long shown = o.getLong("leaderboard.runId");
        int contributors = given().get("/api/scoring-runs/{id}", shown).then().statusCode(200).extract().jsonPath()
                .getInt("contributorCount");
        assertThat(o.getInt("leaderboard.contributors")).isEqualTo(contributors);
        JsonPath top = given().get("/api/scoring-runs/{id}/contributors?page=0&size=5", shown).then().statusCode(200)
                .extract().jsonPath();
        assertThat(o.getList("leaderboard.top")).hasSize(Math.min(5, contributors));
        assertThat(top.getList("contributorId", Long.class)).isEqualTo(o.getList("leaderboard.top.contributorId", Long.class));
        assertThat(top.getList("rank", Integer.class)).isEqualTo(o.getList("leaderboard.top.rank", Integer.class))
                .startsWith(1);
    }
}
