package dev.merit.scoring;

import dev.merit.audit.CanonicalJson;
import dev.merit.contributor.Wallets;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A contributor disputes the type the model gave their commit; a maintainer accepts (the next run uses the corrected
 * type, and its input hash covers the correction) or rejects with an answer.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DisputeTest {

    @Inject
    Wallets wallets;

    @Test
    void aContributorDisputesATypeAndAMaintainerAnswers() {
        TestRepo r = TestRepo.create("merit-dispute", Instant.parse("1978-03-01T00:00:00Z"));
        r.write("src/parser.py", "def parse(text):\n    return [line.split('=') for line in text.splitlines()]\n")
                .commit("parser for the config files", "Dana Example", "dana@example.com");
        r.write("README.md", "# Parser\n\nParses config files.\n").commit("describe the parser", "Dana Example",
                "dana@example.com");
        long repository = Api.ingest(r);
        long epoch = Api.epoch("dispute-1978-03", "1978-03-01T00:00:00Z", "1978-04-01T00:00:00Z", BigInteger.TEN);
        long run = Api.score(epoch);
        long dana = given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getLong("[0].contributorId");
        List<Map<String, Object>> lines = lines(run, dana);
        Map<String, Object> parser = line(lines, "parser for the config files");
        Map<String, Object> readme = line(lines, "describe the parser");
        long parserId = ((Number) parser.get("contributionId")).longValue();
        long readmeId = ((Number) readme.get("contributionId")).longValue();
        String scored = (String) parser.get("type");
        // A type of another weight, so the correction moves the score whatever the type factor rule (learned-v3's
        // median weight is often already the top weight, which feature and fix share).
        String claimed = scored.equals("chore") ? "feature" : "chore";

        // Claimed as people write it in a commit prefix ("feat"), read as the type it names.
        Map<String, Object> body = Map.of("runId", run, "contributionId", parserId, "claimedType",
                claimed.equals("feature") ? "feat" : "Chores",
                "reason", "It adds the parser: new behaviour, not a change of old.");
        given().contentType(ContentType.JSON).body(body).post("/api/disputes").then().statusCode(401)
                .contentType("application/problem+json");
        String cookie = session("0x" + "d1".repeat(20));
        given().cookie("merit_session", cookie).contentType(ContentType.JSON).body(body).post("/api/disputes").then()
                .statusCode(403).body("detail", containsString("not linked to a contributor"));
        wallets.link(dana, "0x" + "d1".repeat(20));

        given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", run, "contributionId", parserId, "claimedType", "sorcery", "reason", "x"))
                .post("/api/disputes").then().statusCode(400).body("detail", containsString("not a contribution type"));
        given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", run, "contributionId", parserId, "claimedType", claimed, "reason", " "))
                .post("/api/disputes").then().statusCode(400).body("detail", containsString("Say why"));
        given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", run, "contributionId", parserId, "claimedType", scored, "reason", "same"))
                .post("/api/disputes").then().statusCode(400).body("detail", containsString("already gave it"));
        long dispute = given().cookie("merit_session", cookie).contentType(ContentType.JSON).body(body)
                .post("/api/disputes").then().statusCode(201).body("status", equalTo("open"))
                .body("scoredType", equalTo(scored)).body("claimedType", equalTo(claimed))
                .extract().jsonPath().getLong("id");
        given().cookie("merit_session", cookie).contentType(ContentType.JSON).body(body).post("/api/disputes").then()
                .statusCode(409).body("detail", containsString("Dispute " + dispute + " about this contribution is open"));
        given().get("/api/disputes?status=open&contributorId={c}", dana).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem((int) dispute))
                // A maintainer reads whose dispute it is and of which epoch, not only ids.
                .body("find { it.id == " + dispute + " }.epochId", equalTo((int) epoch))
                .body("find { it.id == " + dispute + " }.epochName", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("find { it.id == " + dispute + " }.contributorName", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        given().get("/api/disputes?status=pending").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("Unknown status 'pending': open, accepted, rejected or all."));
        // "all", as the dashboard's tab names it, is every status.
        given().get("/api/disputes?status=all&contributorId={c}", dana).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem((int) dispute));

        // The maintainer accepts: the next run types the commit as claimed, says why, and its input hash changes.
        given().contentType(ContentType.JSON).body(Map.of("answer", "Agreed: a new parser.", "by", "Mo"))
                .post("/api/disputes/{id}/accept", dispute).then().statusCode(200).body("status", equalTo("accepted"))
                .body("correctedType", equalTo(claimed)).body("settledBy", equalTo("Mo"))
                .body("settledVia", equalTo("from this machine, without a token"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/disputes/{id}/reject", dispute).then()
                .statusCode(409).body("detail", containsString("was accepted"));
        given().cookie("merit_session", cookie).contentType(ContentType.JSON).body(body).post("/api/disputes").then()
                .statusCode(409).body("detail", containsString("already corrected it to '" + claimed + "'"));
        long again = Api.score(epoch);
        Map<String, Object> corrected = line(lines(again, dana), "parser for the config files");
        assertThat(corrected.get("type")).isEqualTo(claimed);
        // The dispute said what its answer was worth: the points disputed, and with the claimed type's weight, which
        // the next run gives it (the type's factor swapped, all else as scored; both rounded to the millionth).
        io.restassured.path.json.JsonPath worth = given().get("/api/disputes/{id}", dispute).then().statusCode(200)
                .extract().jsonPath();
        assertThat(new java.math.BigDecimal(worth.getString("points"))).isEqualByComparingTo(new java.math.BigDecimal(
                (String) line(lines(run, dana), "parser for the config files").get("score")));
        assertThat(new java.math.BigDecimal((String) corrected.get("score"))).isCloseTo(new java.math.BigDecimal(
                worth.getString("pointsAsked")),
                org.assertj.core.api.Assertions.within(new java.math.BigDecimal("0.00001")));
        assertThat(worth.getString("pointsAsked")).isNotEqualTo(worth.getString("points"));
        // The dashboard reads this sentence to say "counted as X in this scoring" (contributor.js correctedHere,
        // format.js): a new wording here needs them changed with it.
        assertThat(factorDetail(corrected, "type")).isEqualTo("corrected to " + claimed + " by dispute " + dispute
                + ": Agreed: a new parser.");
        String firstHash = given().get("/api/scoring-runs/{id}", run).then().extract().jsonPath().getString("inputHash");
        given().get("/api/scoring-runs/{id}", again).then().statusCode(200)
                .body("inputHash", org.hamcrest.Matchers.not(equalTo(firstHash)))
                .body("policy.rules.find { it.rule == 'correction' }.by", containsString("dispute"));

        // Before proposing the re-scored epoch, a maintainer sees what moved and why.
        io.restassured.path.json.JsonPath changes = given().get("/api/scoring-runs/{id}/changes?since={run}", again, run)
                .then().statusCode(200).extract().jsonPath();
        assertThat(changes.getBoolean("inputsChanged")).isTrue();
        assertThat(changes.getBoolean("modelChanged")).isFalse();
        assertThat(changes.getBoolean("policyChanged")).isFalse();
        assertThat(changes.getInt("changedContributions")).isEqualTo(1);
        assertThat(changes.getLong("contributors[0].contributorId")).isEqualTo(dana);
        assertThat(new java.math.BigDecimal(changes.getString("contributors[0].after"))
                .subtract(new java.math.BigDecimal(changes.getString("contributors[0].before"))))
                .isEqualByComparingTo(new java.math.BigDecimal(changes.getString("contributors[0].delta")))
                .isEqualByComparingTo(new java.math.BigDecimal(changes.getString("contributions[0].delta")));
        assertThat(changes.getLong("contributions[0].contributionId")).isEqualTo(parserId);
        assertThat(changes.getString("contributions[0].typeBefore")).isEqualTo(scored);
        assertThat(changes.getString("contributions[0].typeAfter")).isEqualTo(claimed);
        assertThat(changes.getList("contributions[0].factors.name")).contains("type");
        assertThat(changes.<String>getList("contributions[0].factors.detail")).anySatisfy(d ->
                assertThat(d).startsWith("corrected to " + claimed));
        given().get("/api/scoring-runs/{id}/changes", again).then().statusCode(400)
                .body("detail", containsString("?since="));
        long otherEpoch = Api.score(Api.epoch("dispute-1978-03-b", "1978-03-01T00:00:00Z", "1978-04-01T00:00:00Z",
                BigInteger.TEN));
        given().get("/api/scoring-runs/{id}/changes?since={run}", otherEpoch, run).then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("compare two runs of one epoch"));

        // Retraining on the DAO's own history can take the maintainer's judgement as the label.
        // The corrected line is marked (the "correction" field), so train weights the maintainer's judgement.
        assertThat(exported(repository, true)).contains(claimed + ": parser for the config files")
                .doesNotContain("\"message\":\"parser for the config files")
                .containsPattern("\"correction\":\\{\"dispute\":\\d+,\"type\":\"" + claimed + "\"\\}");
        assertThat(exported(repository, false)).contains("\"message\":\"parser for the config files")
                .doesNotContain(claimed + ": parser").doesNotContain("\"correction\"");

        // The correction itself can be disputed in a run that applied it.
        long ofCorrection = given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", again, "contributionId", parserId, "claimedType", "perf", "reason", "It is faster."))
                .post("/api/disputes").then().statusCode(201).body("scoredType", equalTo(claimed))
                .extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body(Map.of("answer", "Nothing is measured faster."))
                .post("/api/disputes/{id}/reject", ofCorrection).then().statusCode(200);

        // Another dispute, rejected: an answer is required, and the type stands.
        String readmeType = (String) readme.get("type");
        long second = given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", again, "contributionId", readmeId, "reason", "Not " + readmeType + "."))
                .post("/api/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/disputes/{id}/accept", second).then()
                .statusCode(400).body("detail", containsString("claims no type"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/disputes/{id}/reject", second).then()
                .statusCode(400).body("detail", containsString("Say why the type stands"));
        // A type sent with a rejection is refused, not silently dropped: the model's type stands.
        given().contentType(ContentType.JSON).body(Map.of("answer", "It stands.", "type", "zzz"))
                .post("/api/disputes/{id}/reject", second).then().statusCode(400)
                .body("detail", containsString("A rejected dispute keeps the model's type"));
        // What a maintainer types is recorded as it is everywhere: a name on one line, prose within its length, no
        // control character (PostgreSQL refuses NUL): each refused as a problem, the dispute still pending.
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("answer", "ok", "by", "the\ntreasurer"),
                Map.of("answer", "ok", "by", "x".repeat(256)), Map.of("answer", "nul \u0000 here"), Map.of("answer", "ok", "by", "eve\u202Enaira"),
                Map.of("answer", "y".repeat(DisputeService.MAX_TEXT + 1)))) {
            given().contentType(ContentType.JSON).body(bad).post("/api/disputes/{id}/reject", second).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.anyOf(containsString("control character"), containsString("at most")));
        }
        given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", again, "contributionId", parserId, "claimedType", "perf", "reason", "a\u0000b"))
                .post("/api/disputes").then().statusCode(400).body("detail", containsString("control character"));
        given().contentType(ContentType.JSON).body(Map.of("answer", "It only describes the parser."))
                .post("/api/disputes/{id}/reject", second).then().statusCode(200).body("status", equalTo("rejected"))
                .body("settledBy", equalTo("maintainer"));
        assertThat(line(lines(Api.score(epoch), dana), "describe the parser").get("type")).isEqualTo(readmeType);
        // The same claim is not asked again once answered; another type may be.
        given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", again, "contributionId", readmeId, "reason", "Still not " + readmeType + "."))
                .post("/api/disputes").then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("already-rejected"))
                .body("detail", containsString("Dispute " + second + " claimed the same"))
                .body("detail", containsString("It only describes the parser."));
        String other = "docs".equals(readmeType) ? "chore" : "docs";
        long third = given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", again, "contributionId", readmeId, "claimedType", other, "reason", "It is " + other + "."))
                .post("/api/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body(Map.of("answer", "It stands."))
                .post("/api/disputes/{id}/reject", third).then().statusCode(200);
        // "Not this type" asks anew when a later run gives another type (here set by hand, as a newer model might).
        long later = Api.score(epoch);
        String laterType = "test".equals(readmeType) ? "docs" : "test";
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> ContributionScore.update(
                "contributionType = ?1 where runId = ?2 and contributionId = ?3", laterType, later, readmeId));
        long fourth = given().cookie("merit_session", cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", later, "contributionId", readmeId, "reason", "Not " + laterType + " either."))
                .post("/api/disputes").then().statusCode(201).body("scoredType", equalTo(laterType))
                .extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body(Map.of("answer", "It stands."))
                .post("/api/disputes/{id}/reject", fourth).then().statusCode(200);

        // Years of disputes are read a page at a time: the pages walk the same list, oldest first, each once.
        List<Object> all = given().queryParam("contributorId", dana).get("/api/disputes").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(all).hasSizeGreaterThanOrEqualTo(3);
        List<Object> paged = new java.util.ArrayList<>();
        for (int page = 0; page * 2 < all.size(); page++) {
            paged.addAll(given().queryParam("contributorId", dana).queryParam("page", page).queryParam("size", 2)
                    .get("/api/disputes").then().statusCode(200).extract().jsonPath().getList("id"));
        }
        assertThat(paged).containsExactlyElementsOf(all);
        // By key, as the dashboard reads it: after the last one shown, in the order they were opened.
        List<Object> keyed = new java.util.ArrayList<>();
        Object after = 0;
        for (int guard = 0; guard < all.size() + 1; guard++) {
            List<Object> next = given().queryParam("contributorId", dana).queryParam("after", after).queryParam("size", 2)
                    .get("/api/disputes").then().statusCode(200).extract().jsonPath().getList("id");
            if (next.isEmpty()) {
                break;
            }
            keyed.addAll(next);
            after = next.get(next.size() - 1);
        }
        assertThat(keyed).containsExactlyElementsOf(all);
        given().get("/api/disputes?after=1&page=1").then().statusCode(400).body("detail", containsString("not both"));
        assertThat(given().queryParam("status", "rejected").queryParam("size", 1).get("/api/disputes").then()
                .statusCode(200).extract().jsonPath().getList("status")).containsExactly("rejected");
        for (String bad : List.of("size=0", "size=1001", "page=-1", "page=x", "after=-1", "after=x", "page=1000001")) {
            given().get("/api/disputes?" + bad).then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void aContributorHasAtMost25OpenDisputes() {
        Alone eliAlone = alone("1978-07", 30, "Eli Example", "e1");
        long run = eliAlone.run();
        long eli = eliAlone.contributor();
        String cookie = eliAlone.cookie();
        List<Map<String, Object>> lines = lines(run, eli);
        assertThat(lines).hasSize(30);
        java.util.function.IntFunction<Integer> open = i -> given().cookie("merit_session", cookie)
                .contentType(ContentType.JSON).body(Map.of("runId", run, "contributionId", lines.get(i).get("contributionId"),
                        "claimedType", "docs".equals(lines.get(i).get("type")) ? "feature" : "docs", "reason", "Check it."))
                .post("/api/disputes").then().extract().statusCode();
        for (int i = 0; i < 24; i++) {
            assertThat(open.apply(i)).isEqualTo(201);
        }
        // Six more at once: the cap is counted under a lock, so one is opened and five refused, never 26 open.
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> both = new java.util.ArrayList<>();
            for (int i = 24; i < 30; i++) {
                int index = i;
                both.add(two.submit(() -> {
                    go.await();
                    return open.apply(index);
                }));
            }
            go.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : both) {
                codes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(codes).containsExactlyInAnyOrder(201, 429, 429, 429, 429, 429);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            two.shutdownNow();
        }
        assertThat(given().queryParam("contributorId", eli).queryParam("status", "open").queryParam("size", 100)
                .get("/api/disputes").then().statusCode(200).extract().jsonPath().getList("id")).hasSize(25);
    }

    /**
     * Two maintainers answering one dispute at the same moment (one accepts, one rejects): exactly one answer stands,
     * the other is told it came too late. And a contributor's two tabs opening a dispute of one commit at once open one.
     */
    @Test
    void aDisputeIsOpenedAndAnsweredOnceWhenTwoAnswerAtOnce() throws Exception {
        Alone rayAlone = alone("1978-09", 6, "Ray Example", "e2");
        long run = rayAlone.run();
        long ray = rayAlone.contributor();
        String cookie = rayAlone.cookie();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (Map<String, Object> line : lines(run, ray)) {
                String claimed = "docs".equals(line.get("type")) ? "feature" : "docs";
                Map<String, Object> body = Map.of("runId", run, "contributionId", line.get("contributionId"),
                        "claimedType", claimed, "reason", "It documents the routine.");
                List<io.restassured.response.Response> opened = both(pool,
                        () -> given().cookie("merit_session", cookie).contentType(ContentType.JSON).body(body)
                                .post("/api/disputes"),
                        () -> given().cookie("merit_session", cookie).contentType(ContentType.JSON).body(body)
                                .post("/api/disputes"));
                assertThat(opened).extracting(io.restassured.response.Response::statusCode)
                        .containsExactlyInAnyOrder(201, 409);
                long id = opened.stream().filter(o -> o.statusCode() == 201).findFirst().orElseThrow()
                        .jsonPath().getLong("id");
                List<io.restassured.response.Response> answered = both(pool,
                        () -> given().contentType(ContentType.JSON).body(Map.of("answer", "Yes.", "by", "Mo"))
                                .post("/api/disputes/{id}/accept", id),
                        () -> given().contentType(ContentType.JSON).body(Map.of("answer", "No: it is code.", "by", "Jo"))
                                .post("/api/disputes/{id}/reject", id));
                assertThat(answered).extracting(io.restassured.response.Response::statusCode)
                        .containsExactlyInAnyOrder(200, 409);
                String stood = answered.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow()
                        .jsonPath().getString("status");
                given().get("/api/disputes/{id}", id).then().statusCode(200).body("status", equalTo(stood));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * learned-v3 pays the median type weight over the model's probabilities: a commit it calls a feature while unsure
     * may be paid as a refactor. Its contributor disputes it "as a feature" (before: "already gave it", and a maintainer
     * could only accept another type, a wrong label), and once accepted the next run pays a feature's weight.
     */
    @Test
    void aTypePaidBelowItsOwnWeightIsDisputedAsThatType() {
        Alone una = alone("1978-11", 1, "Una Sure", "e3");
        Map<String, Object> line = lines(una.run(), una.contributor()).get(0);
        long contribution = ((Number) line.get("contributionId")).longValue();
        String type = (String) line.get("type");
        // The run paid it below its type's own weight, as an unsure prediction's median weight does.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            ContributionScore score = ContributionScore.<ContributionScore>find("runId = ?1 and contributionId = ?2",
                    una.run(), contribution).firstResult();
            try {
                var factors = (com.fasterxml.jackson.databind.node.ArrayNode) new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(score.factors);
                factors.forEach(f -> {
                    if ("type".equals(f.path("name").asText())) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("value", new java.math.BigDecimal("0.123456"));
                    }
                });
                score.factors = factors.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(factor(lines(una.run(), una.contributor()).get(0), "type").get("value").toString()).startsWith("0.123456");
        long dispute = given().cookie("merit_session", una.cookie()).contentType(ContentType.JSON)
                .body(Map.of("runId", una.run(), "contributionId", contribution, "claimedType", type,
                        "reason", "It is a " + type + ": pay it as one."))
                .post("/api/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body(Map.of("answer", "Agreed.")).post("/api/disputes/{id}/accept", dispute)
                .then().statusCode(200).body("correctedType", equalTo(type));
        long again = Api.score(given().get("/api/scoring-runs/{id}", una.run()).then().extract().jsonPath().getLong("epochId"));
        Map<String, Object> paid = factor(lines(again, una.contributor()).get(0), "type");
        assertThat(paid.get("detail").toString()).contains("corrected to " + type + " by dispute " + dispute);
        // Paid as its type now: disputing it as that type again asks for what is done.
        given().cookie("merit_session", una.cookie()).contentType(ContentType.JSON)
                .body(Map.of("runId", again, "contributionId", contribution, "claimedType", type, "reason", "again"))
                .post("/api/disputes").then().statusCode(400).body("detail", containsString("already gave it"));
    }

    /** A scored month of one contributor's {@code commits} commits, their wallet linked and signed in. */
    record Alone(long run, long contributor, String cookie) {
    }

    private Alone alone(String month, int commits, String name, String walletByte) {
        java.time.YearMonth m = java.time.YearMonth.parse(month);
        String from = m.atDay(1) + "T00:00:00Z";
        String to = m.plusMonths(1).atDay(1) + "T00:00:00Z";
        TestRepo r = TestRepo.create("merit-disputes-" + month, Instant.parse(from));
        String email = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.com";
        for (int i = 0; i < commits; i++) {
            r.write("src/m" + i + ".py", "def f" + i + "():\n    return " + i + "\n").commit("module " + i, name, email);
        }
        Api.ingest(r);
        long run = Api.score(Api.epoch("disputes-" + month, from, to, BigInteger.TEN));
        long contributor = given().get("/api/scoring-runs/{id}/contributors", run).then().statusCode(200)
                .extract().jsonPath().getLong("[0].contributorId");
        wallets.link(contributor, "0x" + walletByte.repeat(20));
        return new Alone(run, contributor, session("0x" + walletByte.repeat(20)));
    }

    /** Runs both calls as close to the same moment as two threads allow. */
    private static List<io.restassured.response.Response> both(java.util.concurrent.ExecutorService pool,
            java.util.concurrent.Callable<io.restassured.response.Response> a,
            java.util.concurrent.Callable<io.restassured.response.Response> b) throws Exception {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Future<io.restassured.response.Response> fa = pool.submit(() -> {
            start.await();
            return a.call();
        });
        java.util.concurrent.Future<io.restassured.response.Response> fb = pool.submit(() -> {
            start.await();
            return b.call();
        });
        return List.of(fa.get(60, java.util.concurrent.TimeUnit.SECONDS), fb.get(60, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Inject
    dev.merit.scoring.train.DatasetExporter exporter;

    private String exported(long repository, boolean corrections) {
        java.io.StringWriter out = new java.io.StringWriter();
        dev.merit.scoring.train.DatasetExporter.Result result = exporter.export(repository, "merit-dispute", "", out,
                corrections);
        assertThat(result.written()).isEqualTo(2);
        assertThat(result.corrected()).isEqualTo(corrections ? 1 : 0);
        return out.toString();
    }

    private static List<Map<String, Object>> lines(long run, long contributor) {
        return given().get("/api/scoring-runs/{id}/contributors/{c}", run, contributor).then().statusCode(200)
                .extract().jsonPath().getList("contributions");
    }

    private static Map<String, Object> line(List<Map<String, Object>> lines, String title) {
        return lines.stream().filter(l -> title.equals(l.get("title"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> factor(Map<String, Object> line, String name) {
        for (Object f : (List<?>) line.get("factors")) {
            if (name.equals(((Map<?, ?>) f).get("name"))) {
                return (Map<String, Object>) f;
            }
        }
        throw new AssertionError("no factor " + name + " in " + line);
    }

    private static String factorDetail(Map<String, Object> line, String name) {
        for (Object f : (List<?>) line.get("factors")) {
            Map<?, ?> factor = (Map<?, ?>) f;
            if (name.equals(factor.get("name"))) {
                return (String) factor.get("detail");
            }
        }
        throw new AssertionError("no factor " + name + " in " + line);
    }

    /** A signed-in session of {@code address}, as Sign-In with Ethereum leaves it (SiweTest covers the signing). */
    @Transactional
    String session(String address) {
        String token = java.util.UUID.randomUUID().toString().replace("-", "") + "0123456789abcdef0123456789abcdef";
        Panache.getEntityManager().createNativeQuery("insert into web_session (token_hash, address, created_at, expires_at) "
                        + "values (?1, ?2, ?3, ?4)").setParameter(1, CanonicalJson.sha256(token))
                .setParameter(2, address).setParameter(3, Instant.now()).setParameter(4, Instant.now().plusSeconds(3600))
                .executeUpdate();
        return token;
    }
}
