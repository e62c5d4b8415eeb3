package dev.merit.api;

import dev.merit.support.PostgresResource;
import dev.merit.support.TempPaths;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Every bad input gets a clear problem+json and leaves nothing behind. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BadInputTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    private static final String PROBLEM = "application/problem+json";

    private static int repositoryCount() {
        return given().when().get("/api/repositories").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    private static int epochCount() {
        return given().when().get("/api/epochs").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    private static void registerFails(String location, int status, String type, String detailPart) {
        int before = repositoryCount();
        given().contentType(ContentType.JSON).body(Map.of("location", location))
                .when().post("/api/repositories")
                .then().statusCode(status).contentType(PROBLEM)
                .body("type", equalTo("/problems/" + type))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", containsString(detailPart));
        assertThat(repositoryCount()).isEqualTo(before);
    }

    @Test
    void nonExistentPathIsRejected() {
        registerFails("/nonexistent/merit/repo", 422, "no-such-path", "Nothing exists at /nonexistent/merit/repo");
    }

    @Test
    void folderThatIsNotGitIsRejected() throws Exception {
        Path dir = TempPaths.directory("not-git");
        registerFails(dir.toString(), 422, "not-a-repository", "not a Git repository");
    }

    @Test
    void unreachableUrlIsRejected() {
        registerFails("http://127.0.0.1:9/nothing-here.git", 422, "unreachable-repository", "Cannot fetch");
    }

    @Test
    void emptyRepositoryIsRejected() throws Exception {
        Path dir = TempPaths.directory("empty-git");
        Git.init().setDirectory(dir.toFile()).call().close();
        registerFails(dir.toString(), 422, "empty-repository", "has no commits yet");
    }

    @Test
    void unknownBranchIsRejectedWithTheBranchesThereAre() throws Exception {
        Path dir = TempPaths.directory("branchy-git");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.commit().setMessage("first").setAllowEmpty(true).call();
        }
        int before = repositoryCount();
        given().contentType(ContentType.JSON).body(Map.of("location", dir.toString(), "branch", "develop"))
                .when().post("/api/repositories")
                .then().statusCode(422).contentType(PROBLEM).body("detail", containsString("[main]"));
        assertThat(repositoryCount()).isEqualTo(before);
    }

    @Test
    void blankLocationIsAValidationError() {
        given().contentType(ContentType.JSON).body(Map.of("location", " "))
                .when().post("/api/repositories")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("location"));
        // Relative to the server's working directory, which a caller neither sees nor chooses: refused, as such.
        long before = repositoryCount();
        given().contentType(ContentType.JSON).body(Map.of("location", "../merit"))
                .when().post("/api/repositories")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("is a relative path"));
        // A URL of a kind Git is not cloned from here: said so, not a cast error in the log and "unreachable".
        given().contentType(ContentType.JSON).body(Map.of("location", "ftp://example.org/merit.git"))
                .when().post("/api/repositories")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("uses ftp, which Merit does "
                        + "not clone from: give an https, http, ssh, git or file URL"));
        assertThat(repositoryCount()).isEqualTo(before);
    }

    /**
     * Well-formed JSON with a value of the wrong kind is named by its field and what it must be, in words: never a Java
     * type, a parser token or a method parameter's name.
     */
    @Test
    void wrongTypesAreNamedInWordsNotJavaTypes() throws Exception {
        java.util.function.Function<io.restassured.response.ValidatableResponse, String> detail = r -> r.statusCode(400)
                .contentType(PROBLEM).extract().jsonPath().getString("detail");
        java.util.List<String> details = new java.util.ArrayList<>();
        details.add(detail.apply(given().contentType(ContentType.JSON).body("{\"rows\": \"x\"}")
                .post("/api/wallets/import").then()));
        assertThat(details.get(0)).isEqualTo("Field 'rows' must be a list (a JSON array).");
        details.add(detail.apply(given().contentType(ContentType.JSON).body("[1, 2]").post("/api/epochs").then()));
        assertThat(details.get(1)).isEqualTo("The request body must be an object (a JSON object with named fields).");
        details.add(detail.apply(postEpochWith("\"tokenDecimals\": 99999999999")));
        assertThat(details.get(2)).startsWith("Field 'tokenDecimals' is out of range");
        details.add(detail.apply(given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"startsAt\": "
                + "\"2026-01-01T00:00:00Z\", \"endsAt\": \"2026-02-01T00:00:00Z\", \"budgetTokens\": 5000}")
                .post("/api/epochs").then()));
        assertThat(details.get(3)).startsWith("Field 'budgetTokens': an amount must be a JSON string").contains("not a number");
        details.add(detail.apply(given().contentType(ContentType.JSON).post("/api/chain/proposals").then()));
        assertThat(details.get(4)).isEqualTo("The request body is required: send a JSON object.");
        // A Content-Type that is no media type, and a hostile path, are said in words, the path not sent back whole.
        given().header("Content-Type", "garbage///").body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/epochs").then().statusCode(400)
                .contentType(PROBLEM).body("type", equalTo("/problems/bad-content-type"))
                .body("detail", org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.startsWith("Content-Type: garbage///"),
                        org.hamcrest.Matchers.endsWith(" is not a media type (type/subtype, such as "
                                + "application/json).")));
        // A compressed body is said to be one, not parsed as JSON ("illegal character (code 31)").
        given().contentType(ContentType.JSON).header("Content-Encoding", "gzip")
                .body(new byte[] {31, -117, 8, 0, 0, 0, 0, 0}).post("/api/epochs").then().statusCode(415)
                .contentType(PROBLEM).header("Accept-Encoding", "identity")
                .body("type", equalTo("/problems/unsupported-content-encoding"))
                .body("detail", equalTo("Content-Encoding: gzip is a coding Merit does not decode: send the body as it "
                        + "is, without Content-Encoding."));
        // Two Content-Types: the server read one of them and ignored the other; now neither is guessed.
        java.net.http.HttpResponse<String> twice = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(base.toURI().resolve("/api/epochs"))
                        .header("Content-Type", "application/json").header("Content-Type", "text/csv")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
        assertThat(twice.body()).contains("/problems/bad-content-type").contains("Content-Type is sent 2 times: send "
                + "it once.");
        assertThat(given().get("/api/contributions/" + "9".repeat(5000)).then().contentType(PROBLEM).extract()
                .jsonPath().getString("detail")).hasSizeLessThan(600);
        details.add(detail.apply(given().get("/api/contributions/abc").then()));
        assertThat(details.get(5)).contains("could not be read from \"abc\"");
        details.add(detail.apply(given().contentType(ContentType.JSON).body("{\"epochId\": true}")
                .post("/api/scoring-runs").then()));
        assertThat(details.get(6)).isEqualTo("Field 'epochId' must be a whole number.");
        // Not converted: a fraction is not an id (it would have been epoch 1), a number is not true, nor is a count of
        // seconds a date.
        details.add(detail.apply(given().contentType(ContentType.JSON).body("{\"epochId\": 1.9}")
                .post("/api/payout-proposals").then()));
        assertThat(details.get(7)).isEqualTo("Field 'epochId' must be a whole number; '1.9' is not one.");
        details.add(detail.apply(postEpochWith("\"policy\": {\"sqrtDampening\": 1}")));
        assertThat(details.get(8)).isEqualTo("Field 'policy.sqrtDampening' must be true or false; '1' is not one.");
        details.add(detail.apply(given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"startsAt\": 0, "
                + "\"endsAt\": \"2026-02-01T00:00:00Z\", \"budgetTokens\": \"1\"}").post("/api/epochs").then()));
        assertThat(details.get(9)).startsWith("Field 'startsAt' must be a date and time");
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"startsAt\": \"0\", \"endsAt\": "
                + "\"2026-02-01T00:00:00Z\", \"budgetTokens\": \"1\"}").post("/api/epochs").then().statusCode(400)
                .body("detail", equalTo("Field 'startsAt' must be a date and time (text such as \"2026-01-31T00:00:00Z\"); "
                        + "'0' is not one."));
        details.add(detail.apply(postEpochWith("\"tokenDecimals\": 1.5")));
        assertThat(details.get(10)).startsWith("Field 'tokenDecimals' must be a whole number");
        // A number written as text is ASCII digits and nothing else: full-width or Arabic-Indic digits, a NUL after
        // them (which the parser trimmed: "12\u0000" was epoch 12, or 12 seconds after 1970) are refused.
        for (String id : new String[] {"\"\uff11\uff12\"", "\"\u0663\u0665\"", "\"12\\u0000\"", "\" 12\""}) {
            given().contentType(ContentType.JSON).body("{\"epochId\": " + id + "}").post("/api/scoring-runs").then()
                    .statusCode(400).contentType(PROBLEM).body("type", equalTo("/problems/wrong-type"))
                    .body("detail", org.hamcrest.Matchers.startsWith("Field 'epochId' must be a whole number"));
        }
        // Too many digits is out of range, written as a number or as text: not "not a whole number".
        for (String id : new String[] {"123456789012345678901234", "\"123456789012345678901234\"",
                "\"-9" + "9".repeat(40) + "\""}) {
            given().contentType(ContentType.JSON).body("{\"epochId\": " + id + "}").post("/api/scoring-runs").then()
                    .statusCode(400).contentType(PROBLEM).body("type", equalTo("/problems/wrong-type"))
                    .body("detail", equalTo("Field 'epochId' is out of range: it holds a whole number of at most "
                            + "9,223,372,036,854,775,807."));
        }
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"startsAt\": \"12\\u0000\", \"endsAt\": "
                + "\"2026-02-01T00:00:00Z\", \"budgetTokens\": \"1\"}").post("/api/epochs").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("Field 'startsAt' must be a date and time"));
        // Nor is a number or true text: no epoch named "true", no merge of contributors 1 and 2.
        for (String name : new String[] {"true", "1.5", "12345678901234567890123"}) {
            given().contentType(ContentType.JSON).body("{\"name\": " + name
                    + ", \"startsAt\": \"2026-01-01T00:00:00Z\", \"endsAt\": \"2026-02-01T00:00:00Z\", "
                    + "\"budgetTokens\": \"1\"}").post("/api/epochs").then()
                    .statusCode(400).body("type", equalTo("/problems/wrong-type"))
                    .body("detail", org.hamcrest.Matchers.startsWith("Field 'name' must be text"));
        }
        given().contentType(ContentType.JSON).body("{\"into\": 1, \"from\": 2}").post("/api/contributors/merges").then()
                .statusCode(400).body("type", equalTo("/problems/wrong-type"))
                .body("detail", org.hamcrest.Matchers.startsWith("Field 'into' must be text"));
        // One JSON value and nothing after it.
        details.add(given().contentType(ContentType.JSON).body("{\"name\": \"trail\", \"startsAt\": "
                + "\"2026-03-01T00:00:00Z\", \"endsAt\": \"2026-04-01T00:00:00Z\", \"budgetTokens\": \"10\"}THIS IS NOT JSON")
                .post("/api/epochs").then().statusCode(400).body("type", equalTo("/problems/malformed-json"))
                .extract().jsonPath().getString("detail"));
        details.add(given().contentType(ContentType.JSON).body("{\"epochId\": 1}{\"epochId\": 2}")
                .post("/api/scoring-runs").then().statusCode(400).body("type", equalTo("/problems/malformed-json"))
                .extract().jsonPath().getString("detail"));
        assertThat(details.get(12)).startsWith("The request body goes on after its JSON value (line 1, column");
        given().get("/api/epochs").then().body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("trail")));
        // The parser's complaints without its settings' names.
        for (String body : new String[] {"{\"location\": /* c */ 1}", "{\"location\": \"a\nb\"}", "{\"location\": "}) {
            details.add(given().contentType(ContentType.JSON).body(body).post("/api/repositories").then().statusCode(400)
                    .body("type", equalTo("/problems/malformed-json")).extract().jsonPath().getString("detail"));
        }
        assertThat(details.get(14)).contains("a control character (code 10)");
        for (String d : details) {
            assertThat(d).doesNotContain("Feature").doesNotContain("CTRL-CHAR").doesNotContain("Source:");
            assertThat(d).doesNotContain("java.").doesNotContain("dev.merit").doesNotContain("$").doesNotContain("`")
                    .doesNotContain("VALUE_").doesNotContain("START_").doesNotContain("request.");
        }
    }

    /** A well-formed epoch of January 2026 (budget 1 token) plus {@code field}, posted; the answer to check. */
    private static io.restassured.response.ValidatableResponse postEpochWith(String field) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"startsAt\": \"2026-01-01T00:00:00Z\", "
                + "\"endsAt\": \"2026-02-01T00:00:00Z\", \"budgetTokens\": \"1\", " + field + "}").post("/api/epochs").then();
    }

    /**
     * Names that look alike are one name: "café" composed and decomposed, or with a zero-width space inside, name the
     * same epoch; a name of nothing visible is no name.
     */
    @Test
    void namesThatLookAlikeAreOne() {
        java.util.function.Function<String, io.restassured.response.ValidatableResponse> create = name -> given()
                .contentType(ContentType.JSON).body(java.util.Map.of("name", name, "startsAt", "2199-01-01T00:00:00Z",
                        "endsAt", "2199-02-01T00:00:00Z", "budgetTokens", "1")).post("/api/epochs").then();
        long id = create.apply("fz-caf\u00e9 1957").statusCode(201).extract().jsonPath().getLong("id");
        create.apply("fz-cafe\u0301 1957").statusCode(409).body("epochId", equalTo((int) id));
        create.apply("fz-\u200bcaf\u00e9 1957\ufeff").statusCode(409).body("epochId", equalTo((int) id));
        // Nor does case make another epoch beside it.
        create.apply("FZ-CAF\u00e9 1957").statusCode(409).body("epochId", equalTo((int) id))
                .body("detail", equalTo("An epoch named 'fz-caf\u00e9 1957' already exists (id " + id + "): names that "
                        + "differ only by case read as one."));
        create.apply("\u200b").statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("'name' has no visible character."));
        // Not even when sent at the same moment in eight cases: one is created, the others are told it exists (or,
        // written at that very moment, to send again), and one epoch bears the name.
        java.util.List<String> names = java.util.List.of("fz-race", "FZ-RACE", "Fz-Race", "fZ-rAcE", "FZ-race",
                "fz-RACE", "Fz-RACE", "fz-Race");
        java.util.List<Integer> codes = new java.util.ArrayList<>();
        for (io.restassured.response.Response r : dev.merit.support.Api.atOnce(names.size(), i -> given()
                .contentType(ContentType.JSON).body(Map.of("name", names.get(i) + " 1957", "startsAt",
                        "2199-01-01T00:00:00Z", "endsAt", "2199-02-01T00:00:00Z", "budgetTokens", "1"))
                .post("/api/epochs"))) {
            codes.add(r.statusCode());
            if (r.statusCode() == 409) {
                assertThat(r.jsonPath().getString("type")).isIn("/problems/epoch-exists", "/problems/concurrent-write");
            }
        }
        assertThat(codes).containsOnly(201, 409).filteredOn(c -> c == 201).hasSize(1);
        assertThat(given().get("/api/epochs").then().statusCode(200).extract().jsonPath().<String>getList("name"))
                .filteredOn(n -> n.equalsIgnoreCase("fz-race 1957")).hasSize(1);
    }

    @Test
    void halfACharacterIsRefusedInWords() {
        // JSON may escape a lone surrogate; it is not text, and a hash over a name stored as '?' would not match.
        given().contentType(ContentType.JSON).body("{\"name\": \"pay \\ud800\", \"startsAt\": \"2026-01-01T00:00:00Z\", "
                + "\"endsAt\": \"2026-02-01T00:00:00Z\", \"budgetTokens\": \"1\"}").post("/api/epochs").then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("half of a character"));
    }

    @Test
    void malformedJsonIsRejected() {
        given().contentType(ContentType.JSON).body("{\"location\": ")
                .when().post("/api/repositories")
                .then().log().ifValidationFails().statusCode(400).contentType(PROBLEM).body("type", equalTo("/problems/malformed-json"));
    }

    @Test
    void unknownFieldsAreRejectedByName() {
        given().contentType(ContentType.JSON).body(Map.of("location", "/tmp", "brnach", "main"))
                .when().post("/api/repositories")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("brnach"));
    }

    @Test
    void wrongMediaTypeIsAProblemToo() {
        given().contentType(ContentType.TEXT).body("location=/tmp")
                .when().post("/api/repositories")
                .then().statusCode(415).contentType(PROBLEM);
    }

    @Test
    void queryParametersAreReadAsWrittenOrRefusedInWords() {
        // A day is a day (the message said "a date (2026-01-31)" and then refused that very value).
        given().queryParam("from", "2026-01-31").queryParam("to", "2026-02-01T00:00:00Z").get("/api/contributions")
                .then().statusCode(200);
        given().queryParam("from", "2026-13-01").get("/api/contributions").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("/problems/bad-parameter"))
                .body("detail", equalTo("from is a day (2026-01-31) or a date and time in UTC (2026-01-31T12:00:00Z), "
                        + "got '2026-13-01'."));
        // Anything but "true" read as false: ?async=2 ingested in the foreground.
        given().queryParam("async", "2").post("/api/repositories/{id}/ingest", 1).then().statusCode(400)
                .body("type", equalTo("/problems/bad-parameter")).body("detail", equalTo("async is true or false, got '2'."));
        given().queryParam("refresh", "maybe").post("/api/repositories/{id}/ingest", 1).then().statusCode(400)
                .body("detail", equalTo("refresh is true or false, got 'maybe'."));
        // A flag without a value is set (a bare ?dryRun did the real import); one of spaces is refused.
        String csv = "identity,address\n#1,0x00000000000000000000000000000000000a11ce\n";
        given().contentType("text/csv").body(csv).post("/api/wallets/import?dryRun").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("applied", equalTo(false));
        given().contentType("text/csv").body(csv).post("/api/wallets/import?dryRun=").then().statusCode(200)
                .body("dryRun", equalTo(true));
        given().contentType("text/csv").body(csv).queryParam("dryRun", " ").post("/api/wallets/import").then()
                .statusCode(400)
                .body("detail", equalTo("dryRun is true or false, got ' '."));
    }

    /**
     * Twenty deletions of one epoch at once: one deletes it, the others are told it is gone, never a 500. Ten
     * withdrawals of one draft: one withdraws it, the others are told it is not a draft any more.
     */
    @Test
    void deletionsAtTheSameMomentAreAnsweredInWords() {
        long epoch = given().contentType(ContentType.JSON).body(Map.of("name", "fz-deleted-at-once 1957", "startsAt",
                "2198-01-01T00:00:00Z", "endsAt", "2198-02-01T00:00:00Z", "budgetTokens", "1")).post("/api/epochs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.List<io.restassured.response.Response> deleted = dev.merit.support.Api.atOnce(20,
                i -> given().delete("/api/epochs/{id}", epoch));
        assertThat(deleted).filteredOn(r -> r.statusCode() != 200)
                .allSatisfy(r -> assertThat(r.contentType()).startsWith(PROBLEM));
        java.util.List<Integer> codes = deleted.stream().map(io.restassured.response.Response::statusCode).toList();
        assertThat(codes).isSubsetOf(200, 404, 409);
        assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
        given().get("/api/epochs/{id}", epoch).then().statusCode(404);

        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-withdraw-race",
                java.time.Instant.parse("2197-01-02T00:00:00Z"));
        r.write("a.c", "int a;\n").commit("feat: a", "Wes Withdraw", "wes@withdraw.example");
        dev.merit.support.Api.ingest(r);
        long month = dev.merit.support.Api.epoch("fz-withdraw 2197", "2197-01-01T00:00:00Z", "2197-02-01T00:00:00Z",
                java.math.BigInteger.TEN.pow(19));
        dev.merit.support.Api.score(month);
        long draft = dev.merit.support.Api.propose(month).getLong("id");
        java.util.List<io.restassured.response.Response> withdrawn = dev.merit.support.Api.atOnce(10,
                i -> given().delete("/api/payout-proposals/{id}", draft));
        java.util.List<Integer> answers = withdrawn.stream().map(io.restassured.response.Response::statusCode).toList();
        assertThat(answers).isSubsetOf(200, 409);
        assertThat(answers).filteredOn(c -> c == 200).hasSize(1);
        assertThat(withdrawn).filteredOn(a -> a.statusCode() == 409)
                .allSatisfy(a -> assertThat(a.jsonPath().getString("type")).isIn("/problems/not-a-draft",
                        "/problems/concurrent-write"));
    }

    /**
     * Scorings of an epoch and its deletion at the same moment, three times: each request is answered in words (a run,
     * the deletion, or 404/409), and an epoch deleted keeps no run. Before, an epoch could be deleted under a running
     * scoring and its runs stay behind (the embedded database), or the two deadlock (PostgreSQL).
     */
    @Test
    void scoringsAndTheDeletionOfTheirEpochAtTheSameMomentLeaveNoRunBehind() {
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-score-delete-race",
                java.time.Instant.parse("2196-01-02T00:00:00Z"));
        for (int i = 0; i < 30; i++) {
            r.write("f" + i + ".c", "int f" + i + ";\n").commit("feat: f" + i, "Sid Race", "sid@race.example");
        }
        dev.merit.support.Api.ingest(r);
        for (int round = 0; round < 3; round++) {
            long epoch = dev.merit.support.Api.epoch("fz-score-delete " + round, "2196-01-01T00:00:00Z",
                    "2196-02-01T00:00:00Z", java.math.BigInteger.TEN.pow(19));
            java.util.List<io.restassured.response.Response> answers = dev.merit.support.Api.atOnce(4, i -> i == 0
                    ? given().delete("/api/epochs/{id}", epoch)
                    : given().contentType(ContentType.JSON).body(Map.of("epochId", epoch)).post("/api/scoring-runs"));
            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.asString()).isIn(200, 201, 404, 409));
            int runs = given().queryParam("epochId", epoch).get("/api/scoring-runs").then().statusCode(200).extract()
                    .jsonPath().getList("").size();
            if (given().get("/api/epochs/{id}", epoch).statusCode() == 404) {
                assertThat(runs).as("runs of a deleted epoch").isZero();
            } else {
                given().delete("/api/epochs/{id}", epoch).then().statusCode(200); // the next round reuses its dates
            }
        }
    }

    @Test
    void unknownIdsAreNotFound() {
        for (String path : new String[]{"/api/repositories/987654", "/api/epochs/987654", "/api/contributors/987654",
                "/api/contributions/987654", "/api/scoring-runs/987654", "/api/payout-proposals/987654"}) {
            given().when().get(path).then().statusCode(404).contentType(PROBLEM)
                    .body("type", equalTo("/problems/not-found")).body("detail", containsString("987654"))
                    // extension members sit at the top level (RFC 9457 section 3.2), not under a nested key
                    .body("resource", notNullValue()).body("$", not(hasKey("extensions")));
        }
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/repositories/987654/ingest")
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void aLocationWithANulOrAnInvalidBranchIsRefusedAndNothingIsStored() throws Exception {
        registerFails("/tmp/a\u0000b", 400, "invalid-input", "without control characters");
        registerFails("x".repeat(5000), 400, "invalid-input", "Field 'location' must have at most 2048 characters (it has 5000).");
        Path dir = TempPaths.directory("branch-names");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.commit().setMessage("first").setAllowEmpty(true).call();
        }
        int before = repositoryCount();
        for (String branch : new String[]{"a..b", "x.lock", "has space", "~1", "@{-1}", "end/", "a\u0000b"}) {
            given().contentType(ContentType.JSON).body(Map.of("location", dir.toString(), "branch", branch))
                    .post("/api/repositories").then().statusCode(400).contentType(PROBLEM)
                    .body("detail", containsString("not a valid Git branch name"));
        }
        assertThat(repositoryCount()).isEqualTo(before);
    }

    @Test
    void duplicateKeysAreRefusedNotGuessed() {
        int before = epochCount();
        given().contentType(ContentType.JSON).body("{\"name\":\"dup-1990\",\"name\":\"other\",\"startsAt\":"
                        + "\"1990-01-01T00:00:00Z\",\"endsAt\":\"1990-02-01T00:00:00Z\",\"budgetTokens\":\"1\"}")
                .post("/api/epochs").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("duplicate field 'name'"));
        assertThat(epochCount()).isEqualTo(before);
    }

    @Test
    void aSecondIngestOfARepositoryWhileTheFirstRunsIsRefusedWith409() throws Exception {
        // Early 1973, a year no test scores: its contributors must not join other tests' epochs.
        Path history = dev.merit.support.GeneratedHistory.create(TempPaths.directory("concurrent").resolve("history"),
                3000, 11, java.time.Instant.parse("1973-01-01T00:00:00Z").getEpochSecond());
        long id = given().contentType(ContentType.JSON).body(Map.of("location", history.toString()))
                .post("/api/repositories").then().statusCode(201).extract().jsonPath().getLong("id");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> given().post("/api/repositories/{id}/ingest", id));
            Thread.sleep(300);
            var second = pool.submit(() -> given().post("/api/repositories/{id}/ingest", id));
            java.util.List<io.restassured.response.Response> answers = java.util.List.of(first.get(), second.get());
            assertThat(answers).extracting(io.restassured.response.Response::statusCode).containsExactlyInAnyOrder(200, 409);
            io.restassured.response.Response refused = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
            assertThat(refused.contentType()).startsWith(PROBLEM);
            assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/ingest-running");
        } finally {
            pool.shutdownNow();
        }
        given().get("/api/repositories/{id}", id).then().statusCode(200).body("commitCount", equalTo(3000));
    }

    @Test
    void unknownRoutesAreProblems() {
        given().when().get("/api/nothing-here").then().statusCode(404).contentType(PROBLEM);
    }

    private static Map<String, Object> epoch(String name, Object budget, Map<String, Object> policy) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "startsAt", "1990-01-01T00:00:00Z",
                "endsAt", "1990-02-01T00:00:00Z", "budgetTokens", budget));
        if (policy != null) {
            body.put("policy", policy);
        }
        return body;
    }

    @Test
    void zeroOrNegativeBudgetIsRejected() {
        int before = epochCount();
        for (Object budget : new Object[]{"0", "-5", 0}) {
            given().contentType(ContentType.JSON).body(epoch("bad-budget-" + budget, budget, null))
                    .when().post("/api/epochs")
                    .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("budget"));
        }
        assertThat(epochCount()).isEqualTo(before);
    }

    @Test
    void amountsAreTokenStringsAndNothingElse() {
        int before = epochCount();
        // A JSON number: its unit cannot be told (5000 tokens or 5000 base units?), so it is refused, not guessed.
        given().contentType(ContentType.JSON).body(epoch("number-budget", 5000, null)).post("/api/epochs")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("budgetTokens")).body("detail", containsString("JSON string of whole tokens"));
        given().contentType(ContentType.JSON).body(epoch("number-min", "10", Map.of("minPayoutTokens", 1)))
                .post("/api/epochs").then().statusCode(400).body("detail", containsString("minPayoutTokens"));
        // The old field, whose unit was base units, is not quietly read as tokens.
        given().contentType(ContentType.JSON).body(Map.of("name", "old-field", "startsAt", "1990-01-01T00:00:00Z",
                        "endsAt", "1990-02-01T00:00:00Z", "budget", "5000")).post("/api/epochs")
                .then().statusCode(400).body("detail", containsString("Unknown field 'budget'"));
        for (String bad : new String[]{"1e3", "+5", "1,000", "0x10", " ", "12.", ".5", "1".repeat(79),
                "340282366920938463463.374607431768211456", "1.0000000000000000001"}) {
            given().contentType(ContentType.JSON).body(epoch("bad-" + bad.hashCode(), bad, null)).post("/api/epochs")
                    .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("budgetTokens"));
        }
        given().contentType(ContentType.JSON).body(epoch("huge-cap", "10", Map.of("capTokens", "9".repeat(60))))
                .post("/api/epochs").then().statusCode(400).body("detail", containsString("policy.capTokens"));
        assertThat(epochCount()).isEqualTo(before);
    }

    @Test
    void amountsComeBackInTokensAndInBaseUnits() {
        given().contentType(ContentType.JSON).body(epoch("both-units-1990", "1000.5", Map.of("minPayoutTokens", "0.25")))
                .post("/api/epochs").then().statusCode(201)
                .body("budgetTokens", equalTo("1000.5")).body("budgetBaseUnits", equalTo("1000500000000000000000"))
                .body("tokenDecimals", equalTo(18))
                .body("policy.minPayoutTokens", equalTo("0.25"))
                .body("policy.minPayoutBaseUnits", equalTo("250000000000000000"));
        // The vault's limit: 2^128 - 1 base units is accepted, one more is not.
        given().contentType(ContentType.JSON).body(epoch("max-1990", "340282366920938463463.374607431768211455", null))
                .post("/api/epochs").then().statusCode(201)
                .body("budgetBaseUnits", equalTo("340282366920938463463374607431768211455"));
    }

    @Test
    void epochsLieBetween1970And2200AndLastAtMostACentury() {
        int before = epochCount();
        for (String[] dates : new String[][]{{"9999-01-01T00:00:00Z", "9999-02-01T00:00:00Z"},
                {"1969-12-01T00:00:00Z", "1970-01-02T00:00:00Z"}, {"1990-01-01T00:00:00Z", "2990-01-01T00:00:00Z"},
                {"2000-01-01T00:00:00Z", "2100-01-02T00:00:00Z"}}) {
            given().contentType(ContentType.JSON).body(Map.of("name", "far-" + dates[0] + dates[1], "startsAt", dates[0],
                            "endsAt", dates[1], "budgetTokens", "10")).post("/api/epochs")
                    .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("An epoch"));
        }
        assertThat(epochCount()).isEqualTo(before);
    }

    @Test
    void capBelowMinimumIsRejected() {
        int before = epochCount();
        given().contentType(ContentType.JSON)
                .body(epoch("bad-cap", "1000", Map.of("minPayoutTokens", "100", "capTokens", "50", "sqrtDampening", false,
                        "includeBots", false)))
                .when().post("/api/epochs")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("below the minimum payout"));
        assertThat(epochCount()).isEqualTo(before);
    }

    @Test
    void endBeforeStartIsRejected() {
        given().contentType(ContentType.JSON).body(Map.of("name", "backwards", "startsAt", "1990-02-01T00:00:00Z",
                        "endsAt", "1990-01-01T00:00:00Z", "budgetTokens", "10"))
                .when().post("/api/epochs")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("must be before"));
    }

    @Test
    void epochWithoutContributionsCannotBeScored() {
        long id = given().contentType(ContentType.JSON).body(epoch("empty-1990", "1000", null))
                .when().post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body(Map.of("epochId", id))
                .when().post("/api/scoring-runs")
                .then().statusCode(422).contentType(PROBLEM).body("type", equalTo("/problems/empty-epoch"));
        assertThat(given().queryParam("epochId", id).when().get("/api/scoring-runs").then().extract().jsonPath()
                .getList("$")).isEmpty();
        given().contentType(ContentType.JSON).body(Map.of("epochId", id))
                .when().post("/api/payout-proposals")
                .then().statusCode(422).contentType(PROBLEM).body("type", equalTo("/problems/not-scored"));
    }

    @Test
    void duplicateEpochNameIsAConflict() {
        given().contentType(ContentType.JSON).body(epoch("twice", "1", null)).when().post("/api/epochs")
                .then().statusCode(201);
        given().contentType(ContentType.JSON).body(epoch("twice", "1", null)).when().post("/api/epochs")
                .then().statusCode(409).contentType(PROBLEM).body("epochId", notNullValue());
    }
}
