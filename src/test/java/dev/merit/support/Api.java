package dev.merit.support;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.math.BigInteger;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * A maintainer's path through the API that many tests walk before what they test: register and ingest a repository,
 * create an epoch, score it, propose its payout. Each step asserts the status the API documents for success.
 */
public final class Api {

    private Api() {
    }

    /** Registers the repository and ingests it; returns its id. */
    public static long ingest(TestRepo repo) {
        long id = given().contentType(ContentType.JSON).body(Map.of("location", repo.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/repositories/{id}/ingest", id).then().statusCode(200);
        return id;
    }

    /** Creates an epoch over [startsAt, endsAt) with a budget in base units; returns its id. */
    public static long epoch(String name, String startsAt, String endsAt, BigInteger budget) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "startsAt", startsAt, "endsAt", endsAt,
                "budget", budget.toString())).post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Scores the epoch; returns the run's id. */
    public static long score(long epoch) {
        return given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/scoring-runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Proposes the epoch's payout from its latest run; returns the proposal as the API shows it. */
    public static JsonPath propose(long epoch) {
        return given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/payout-proposals")
                .then().statusCode(201).extract().jsonPath();
    }
}
