package dev.merit.web;

import dev.merit.security.Access;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every operation of the OpenAPI document and checks who may call it, with a maintainer token configured
 * (as in production) and no loopback exception: maintainers' writes refuse anonymous callers (401) and signed-in
 * contributors (403) and accept the token; source endpoints check their own secrets; reads are public. Maintainers
 * may also present an OIDC access token of the configured identity provider (a key generated for the test).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(AccessControlTest.Secured.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AccessControlTest {

    static final String TOKEN = "test-maintainer-token-not-a-real-one";

    static final String ISSUER = "https://idp.test/realms/dao";
    static final String PUBLIC_URL = "https://dao.example";
    /** The identity provider's signing key (generated for this test run) and a key nobody trusts. */
    static final java.security.KeyPair IDP = rsa();
    static final java.security.KeyPair STRANGER = rsa();

    static java.security.KeyPair rsa() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                    .encodeToString(IDP.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
            Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                    // The hook is an organisation's: only these repositories' events count.
                    "merit.webhooks.repositories", "codertocat/hello-world, dao-org/*"));
            overrides.putAll(Map.of("merit.auth.maintainer-token", TOKEN, "merit.auth.loopback-without-token", "false",
                    "merit.auth.oidc.public-key", pem, "merit.auth.oidc.issuer", ISSUER, "merit.auth.oidc.audience", "merit",
                    "merit.auth.oidc.groups-path", "realm_access/roles", "merit.webhooks.per-minute", "40",
                    // Served behind a proxy that ends TLS (the tests reach it over plain HTTP).
                    "merit.web.public-url", PUBLIC_URL,
                    "merit.auth.maintainer-wallets", Keys.toChecksumAddress(MAINTAINER_WALLET.getAddress()).toLowerCase()
                            + ", 0x000000000000000000000000000000000000bEEF"));
            return overrides;
        }
    }

    /** A maintainer's wallet (a throwaway test key), on the maintainer list of this profile. */
    static final Credentials MAINTAINER_WALLET = Credentials.create("0x" + "44".repeat(32));

    @Test
    @org.junit.jupiter.api.Order(2)
    void aWalletOnTheMaintainerListActsAsAMaintainerOnceSignedIn() {
        String maintainer = signedInCookie(MAINTAINER_WALLET);
        given().cookie(AuthResource.COOKIE, maintainer).get("/api/auth/session").then().statusCode(200)
                .body("maintainer", org.hamcrest.Matchers.is(true));
        // Admitted past access control: the dispute does not exist (404), which only a maintainer gets to learn.
        given().cookie(AuthResource.COOKIE, maintainer).contentType(ContentType.JSON).body("{\"answer\": \"no\"}")
                .post("/api/disputes/999999/reject").then().statusCode(404);
        // Any other signed-in wallet is a contributor: refused.
        String contributor = signedInCookie();
        given().cookie(AuthResource.COOKIE, contributor).get("/api/auth/session").then().statusCode(200)
                .body("maintainer", org.hamcrest.Matchers.is(false));
        given().cookie(AuthResource.COOKIE, contributor).contentType(ContentType.JSON).body("{\"answer\": \"no\"}")
                .post("/api/disputes/999999/reject").then().statusCode(403);
        // The list is of wallets proven by a signature: naming one without signing in is nothing.
        given().header("X-Wallet", MAINTAINER_WALLET.getAddress()).contentType(ContentType.JSON).body("{}")
                .post("/api/disputes/999999/reject").then().statusCode(401);
    }


    /**
     * A decision records how its maintainer proved it, whatever name they typed: the shared token, an identity
     * provider's user, or a maintainer's wallet; with no name given, the signed-in user's or wallet's.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void everyDecisionRecordsHowItsMaintainerProvedIt() {
        long id = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            dev.merit.contributor.Contributor c = new dev.merit.contributor.Contributor();
            c.displayName = "Proof Pat";
            c.createdAt = Instant.now();
            c.persist();
            return c.id;
        });
        java.util.function.BiFunction<RequestSpecification, Map<String, Object>, JsonPath> mark = (call, body) ->
                call.contentType(ContentType.JSON).body(body).put("/api/contributors/{id}/bot", id).then()
                        .statusCode(200).extract().jsonPath();
        JsonPath byToken = mark.apply(given().header("Authorization", "Bearer " + TOKEN), Map.of("bot", true, "by", "the treasurer"));
        assertThat(byToken.getString("mark.markedBy")).isEqualTo("the treasurer");
        assertThat(byToken.getString("mark.markedVia")).isEqualTo("with the maintainer token");
        JsonPath byOidc = mark.apply(given().header("Authorization", "Bearer "
                + jwt(ISSUER, java.util.Set.of("merit-maintainers"), 300, IDP.getPrivate())), Map.of("bot", false));
        assertThat(byOidc.getString("mark.markedBy")).isEqualTo("maintainer@dao.example");
        assertThat(byOidc.getString("mark.markedVia")).isEqualTo("signed in as maintainer@dao.example (" + ISSUER + ")");
        JsonPath byWallet = mark.apply(given().cookie(AuthResource.COOKIE, signedInCookie(MAINTAINER_WALLET)),
                Map.of("bot", true, "by", "someone else entirely"));
        String wallet = Keys.toChecksumAddress(MAINTAINER_WALLET.getAddress());
        assertThat(byWallet.getString("mark.markedBy")).isEqualTo("someone else entirely");
        assertThat(byWallet.getString("mark.markedVia")).isEqualToIgnoringCase("signed in with the maintainer wallet " + wallet);
        assertThat(given().get("/api/contributors/bots").then().statusCode(200).extract().jsonPath()
                .getList("marks.findAll { it.contributorId == " + id + " }.markedVia", String.class))
                .hasSize(3).allSatisfy(via -> assertThat(via).isNotBlank());
    }

    /**
     * Contributors' e-mail addresses are a maintainer's to read: anyone else (a visitor, a signed-in contributor, a bad
     * token) sees them shortened, in the directory, a contributor's page, the bot review and the merges, and finds one
     * only by the whole address, never a character at a time. A contributor signed in with their own wallet reads their
     * own whole.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void eMailAddressesAreWholeForMaintainersOnly() {
        long[] ids = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            dev.merit.contributor.Contributor quiet = new dev.merit.contributor.Contributor();
            quiet.displayName = "Quiet Pat";
            quiet.createdAt = Instant.now();
            quiet.bot = true; // counted as a bot, which today's rule reads as a person: on the review list
            quiet.persist();
            dev.merit.contributor.Identity.of(quiet.id, dev.merit.contributor.Identity.Kind.GIT_EMAIL,
                    "priv.acy@private.example", dev.merit.contributor.Identity.LinkedBy.COMMIT).persist();
            dev.merit.contributor.Identity.of(quiet.id, dev.merit.contributor.Identity.Kind.FORGE_LOGIN,
                    "github:quiet-pat", dev.merit.contributor.Identity.LinkedBy.COMMIT).persist();
            return new long[]{quiet.id};
        });
        long id = ids[0];
        String whole = "priv.acy@private.example";
        String shortened = "p…@private.example";
        java.util.function.Function<RequestSpecification, List<String>> handles = call -> call
                .get("/api/contributors/{id}", id).then().statusCode(200).extract().jsonPath()
                .getList("identities.handle", String.class);
        java.util.function.BiFunction<RequestSpecification, String, List<Integer>> found = (call, q) -> call
                .queryParam("q", q).get("/api/contributors").then().statusCode(200).extract().jsonPath()
                .getList("id", Integer.class);
        java.util.function.Function<RequestSpecification, String> review = call -> call.get("/api/contributors/bots")
                .then().statusCode(200).extract().jsonPath()
                .getString("review.find { it.contributorId == " + id + " }.why");

        RequestSpecification maintainer = given().header("Authorization", "Bearer " + TOKEN);
        assertThat(handles.apply(maintainer)).containsExactly(whole, "github:quiet-pat");
        assertThat(found.apply(given().header("Authorization", "Bearer " + TOKEN), "acy@priv")).contains((int) id);
        assertThat(review.apply(given().header("Authorization", "Bearer " + TOKEN))).contains(whole);
        assertThat(handles.apply(given().cookie(AuthResource.COOKIE, signedInCookie(MAINTAINER_WALLET))))
                .containsExactly(whole, "github:quiet-pat");

        for (var reader : Map.<String, java.util.function.Supplier<RequestSpecification>>of(
                "a visitor", () -> given(),
                "a signed-in contributor", () -> given().cookie(AuthResource.COOKIE, signedInCookie()),
                "a bad token", () -> given().header("Authorization", "Bearer not-the-token")).entrySet()) {
            assertThat(handles.apply(reader.getValue().get())).as(reader.getKey())
                    .containsExactly(shortened, "github:quiet-pat");
            assertThat(review.apply(reader.getValue().get())).as(reader.getKey()).contains(shortened)
                    .doesNotContain(whole);
            assertThat(found.apply(reader.getValue().get(), "acy@priv")).as(reader.getKey()).doesNotContain((int) id);
            assertThat(found.apply(reader.getValue().get(), "PRIV.ACY@private.example ")).as(reader.getKey())
                    .contains((int) id);
            assertThat(found.apply(reader.getValue().get(), "quiet-pat")).as(reader.getKey()).contains((int) id);
            // A '%' or '_' is itself, not a pattern: '%' listed everyone, "quiet_pat" found quiet-pat.
            assertThat(found.apply(reader.getValue().get(), "quiet_pat")).as(reader.getKey()).doesNotContain((int) id);
            assertThat(found.apply(reader.getValue().get(), "%")).as(reader.getKey()).doesNotContain((int) id);
            assertThat(reader.getValue().get().get("/api/contributors").then().statusCode(200).extract().asString())
                    .as(reader.getKey()).doesNotContain(whole);
        }

        // Who decided is on the record for all to read, and so are their addresses only for maintainers: an identity
        // provider's user is often named by theirs.
        given().header("Authorization", "Bearer " + jwt(ISSUER, java.util.Set.of("merit-maintainers"), 300,
                IDP.getPrivate())).contentType(ContentType.JSON).body(Map.of("bot", false))
                .put("/api/contributors/{id}/bot", id).then().statusCode(200);
        JsonPath asVisitor = given().get("/api/contributors/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(asVisitor.getString("botMark.markedBy")).isEqualTo("m…@dao.example");
        assertThat(asVisitor.getString("botMark.markedVia"))
                .isEqualTo("signed in as m…@dao.example (" + ISSUER + ")");
        assertThat(given().get("/api/contributors/bots").then().statusCode(200).extract().asString())
                .doesNotContain("maintainer@dao.example").contains("m…@dao.example");
        assertThat(given().header("Authorization", "Bearer " + TOKEN).get("/api/contributors/{id}", id).then()
                .statusCode(200).extract().jsonPath().getString("botMark.markedBy"))
                .isEqualTo("maintainer@dao.example");

        // A contributor signed in with the wallet Merit pays them to reads their own addresses whole; who marked them
        // (a maintainer's address) stays shortened, as for anyone else.
        Credentials pats = Credentials.create("0x" + "5c".repeat(32)); // a throwaway test key
        wallets.link(id, pats.getAddress());
        RequestSpecification pat = given().cookie(AuthResource.COOKIE, signedInCookie(pats));
        JsonPath own = pat.get("/api/contributors/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(own.getList("identities.handle", String.class)).contains(whole, "github:quiet-pat");
        assertThat(own.getString("botMark.markedBy")).isEqualTo("m…@dao.example");
        assertThat(given().cookie(AuthResource.COOKIE, signedInCookie(pats)).queryParam("q", "quiet-pat")
                .get("/api/contributors").then().statusCode(200).extract().asString()).contains(whole);
        assertThat(handles.apply(given().cookie(AuthResource.COOKIE, signedInCookie()))).contains(shortened)
                .doesNotContain(whole);
        // Nobody else's: another contributor's address stays shortened to Pat, on their page and in the directory.
        long other = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            dev.merit.contributor.Contributor olga = new dev.merit.contributor.Contributor();
            olga.displayName = "Olga Other";
            olga.createdAt = Instant.now();
            olga.persist();
            dev.merit.contributor.Identity.of(olga.id, dev.merit.contributor.Identity.Kind.GIT_EMAIL,
                    "olga.other@private.example", dev.merit.contributor.Identity.LinkedBy.COMMIT).persist();
            return olga.id;
        });
        assertThat(given().cookie(AuthResource.COOKIE, signedInCookie(pats)).get("/api/contributors/{id}", other).then()
                .statusCode(200).extract().jsonPath().getList("identities.handle", String.class))
                .containsExactly("o…@private.example");
        assertThat(given().cookie(AuthResource.COOKIE, signedInCookie(pats)).queryParam("q", "Olga Other")
                .get("/api/contributors").then().statusCode(200).extract().asString())
                .doesNotContain("olga.other@private.example");
    }

    /**
     * A search by an e-mail address answers whether that address is a contributor's: others than maintainers make at
     * most 30 a minute (the last test of the class: it spends this client address's allowance).
     */
    @Test
    @org.junit.jupiter.api.Order(99)
    void searchesByAnAddressAreLimitedForOthersThanMaintainers() {
        int refused = 0;
        // Until the first refusal: the bucket refills one search every 2 s, so a slow machine needs more than 30.
        for (int i = 0; i < 200 && refused == 0; i++) {
            Response r = given().queryParam("q", "guess" + i + "@private.example").get("/api/contributors");
            if (r.statusCode() == 429) {
                refused++;
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.jsonPath().getString("type")).isEqualTo("/problems/rate-limited");
                assertThat(r.jsonPath().getString("detail")).contains("search by e-mail address")
                        .contains("30 a minute");
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).isOne();
        // A name, and a maintainer, are not limited.
        given().queryParam("q", "quiet").get("/api/contributors").then().statusCode(200);
        given().header("Authorization", "Bearer " + TOKEN).queryParam("q", "guess@private.example")
                .get("/api/contributors").then().statusCode(200);
    }

    private static String jwt(String issuer, java.util.Set<String> roles, long expiresInSeconds, java.security.PrivateKey key) {
        return jwt(issuer, "merit", roles, expiresInSeconds, key);
    }

    private static String jwt(String issuer, String audience, java.util.Set<String> roles, long expiresInSeconds,
                              java.security.PrivateKey key) {
        return io.smallrye.jwt.build.Jwt.issuer(issuer).audience(audience).subject("maintainer@dao.example").upn("maintainer@dao.example")
                .claim("realm_access", Map.of("roles", roles))
                .issuedAt(Instant.now().minusSeconds(600)).expiresAt(Instant.now().plusSeconds(expiresInSeconds))
                .jws().keyId("test").sign(key);
    }

    /** Last: it spends this address's webhook allowance, which the walk needs. */
    @Test
    @org.junit.jupiter.api.Order(3)
    void webhookDeliveriesFromOneAddressAreRateLimitedWithARetryTime() {
        Response last = null;
        for (int i = 0; i < 60 && (last == null || last.statusCode() != 429); i++) {
            last = given().contentType(ContentType.JSON).header("X-GitHub-Event", "ping").body("{}")
                    .post("/api/webhooks/github");
            assertThat(last.statusCode()).isIn(401, 429); // unsigned: refused either way, never stored
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.contentType()).startsWith("application/problem+json");
        // One Retry-After, the limiter's: the time until this address may deliver again, as the detail says.
        assertThat(last.headers().getValues("Retry-After")).singleElement()
                .isEqualTo(String.valueOf(last.jsonPath().getLong("retryAfterSeconds")));
        assertThat(last.jsonPath().getString("detail")).contains("at most 40 a minute");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void oidcBearerTokensOfTheIdentityProviderMakeMaintainersWhenTheyCarryTheRole() {
        java.util.function.Function<String, Response> epoch = bearer -> given().header("Authorization", "Bearer " + bearer)
                .contentType(ContentType.JSON).body("{}").post("/api/epochs");
        java.util.Set<String> maintainer = java.util.Set.of("merit-maintainers", "offline_access");
        assertThat(epoch.apply(jwt(ISSUER, maintainer, 300, IDP.getPrivate())).statusCode())
                .as("a maintainer's token passes (the empty body is then a 400)").isEqualTo(400);
        Response member = epoch.apply(jwt(ISSUER, java.util.Set.of("member"), 300, IDP.getPrivate()));
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(member.jsonPath().getString("detail")).contains("not in the group 'merit-maintainers'");
        assertThat(epoch.apply(jwt(ISSUER, maintainer, 300, STRANGER.getPrivate())).statusCode()).as("forged").isEqualTo(401);
        assertThat(epoch.apply(jwt("https://evil.example", maintainer, 300, IDP.getPrivate())).statusCode()).as("issuer").isEqualTo(401);
        assertThat(epoch.apply(jwt(ISSUER, maintainer, -300, IDP.getPrivate())).statusCode()).as("expired").isEqualTo(401);
        assertThat(epoch.apply(jwt(ISSUER, "the-wiki", maintainer, 300, IDP.getPrivate())).statusCode())
                .as("issued to another application of the same provider").isEqualTo(401);
    }

    /** The decision for every write; a new write endpoint fails this test until it is added here. */
    private static final Map<String, Access.Role> WRITES = Map.ofEntries(
            Map.entry("POST /api/repositories", Access.Role.MAINTAINER),
            Map.entry("POST /api/repositories/{id}/ingest", Access.Role.MAINTAINER),
            Map.entry("POST /api/epochs", Access.Role.MAINTAINER),
            Map.entry("DELETE /api/epochs/{id}", Access.Role.MAINTAINER),
            Map.entry("POST /api/scoring-runs", Access.Role.MAINTAINER),
            Map.entry("POST /api/payout-proposals", Access.Role.MAINTAINER),
            Map.entry("DELETE /api/payout-proposals/{id}", Access.Role.MAINTAINER),
            Map.entry("POST /api/chain/proposals", Access.Role.MAINTAINER),
            Map.entry("POST /api/contributors/merges", Access.Role.MAINTAINER),
            Map.entry("DELETE /api/contributors/merges/{mergeId}", Access.Role.MAINTAINER),
            Map.entry("PUT /api/contributors/{id}/bot", Access.Role.MAINTAINER),
            Map.entry("POST /api/wallets/import", Access.Role.MAINTAINER),
            Map.entry("POST /api/chain/proposals/{payoutProposalId}/votes", Access.Role.PUBLIC),
            Map.entry("POST /api/auth/nonce", Access.Role.PUBLIC),
            Map.entry("POST /api/auth/siwe", Access.Role.PUBLIC),
            Map.entry("DELETE /api/auth/session", Access.Role.PUBLIC),
            Map.entry("POST /api/webhooks/github", Access.Role.SOURCE),
            Map.entry("POST /api/webhooks/gitlab", Access.Role.SOURCE),
            Map.entry("POST /api/webhooks/jira", Access.Role.SOURCE),
            Map.entry("POST /api/ci/changes", Access.Role.CI),
            Map.entry("POST /api/disputes", Access.Role.CONTRIBUTOR),
            Map.entry("POST /api/disputes/{id}/accept", Access.Role.MAINTAINER),
            Map.entry("POST /api/disputes/{id}/reject", Access.Role.MAINTAINER));
    private static final Map<String, Access.Role> READS = Map.of("GET /api/auth/session", Access.Role.CONTRIBUTOR,
            "GET /api/contributors/merge-suggestions", Access.Role.MAINTAINER,
            "GET /api/repositories/{id}/authors", Access.Role.MAINTAINER,
            "GET /api/ingest-jobs", Access.Role.MAINTAINER, "GET /api/ingest-jobs/{jobId}", Access.Role.MAINTAINER);

    @TestHTTPResource("/")
    URL base;

    private String signedInCookie() {
        return signedInCookie(Credentials.create("0x" + "33".repeat(32))); // a throwaway test key
    }

    @jakarta.inject.Inject
    dev.merit.contributor.Wallets wallets;

    /**
     * A maintainer whose wallet is also a contributor's does not answer that contributor's disputes (they would ask and
     * grant); another maintainer does.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void aMaintainerDoesNotAnswerTheirOwnDispute() {
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-own-dispute", Instant.parse("1979-02-01T00:00:00Z"));
        r.write("src/own.py", "def own():\n    return 1\n").commit("own helper", "Mae Tainer", "mae@own.example");
        // Ola's commit, co-written with Mae: its type sets Mae's pay too.
        r.write("src/pair.py", "def pair():\n    return 2\n").commit("pair helper\n\nCo-authored-by: Mae Tainer "
                + "<mae@own.example>", "Ola Other", "ola@own.example");
        RequestSpecification asToken = given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
        long repo = asToken.body(Map.of("location", r.path())).post("/api/repositories").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        given().header("Authorization", "Bearer " + TOKEN).post("/api/repositories/{id}/ingest", repo).then().statusCode(200);
        // A clone on Merit's own machine is a maintainer's to read: a visitor learns the project, not the server's
        // paths.
        given().header("Authorization", "Bearer " + TOKEN).get("/api/repositories/{id}", repo).then().statusCode(200)
                .body("location", org.hamcrest.Matchers.equalTo(r.path()));
        given().get("/api/repositories/{id}", repo).then().statusCode(200)
                .body("location", org.hamcrest.Matchers.nullValue()).body("name", org.hamcrest.Matchers.notNullValue());
        given().get("/api/repositories").then().statusCode(200)
                .body("location", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(r.path())));
        long epoch = given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("name", "own-1979-02", "startsAt", "1979-02-01T00:00:00Z", "endsAt", "1979-03-01T00:00:00Z",
                        "budgetTokens", "1")).post("/api/epochs").then().statusCode(201).extract().jsonPath().getLong("id");
        long run = given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("epochId", epoch)).post("/api/scoring-runs").then().statusCode(201).extract().jsonPath().getLong("id");
        long mae = given().queryParam("q", "mae@own.example").get("/api/contributors").then().statusCode(200).extract()
                .jsonPath().getLong("[0].id");
        long ola = given().queryParam("q", "ola@own.example").get("/api/contributors").then().statusCode(200).extract()
                .jsonPath().getLong("[0].id");
        wallets.link(mae, MAINTAINER_WALLET.getAddress());
        String cookie = signedInCookie(MAINTAINER_WALLET);
        long contribution = given().get("/api/scoring-runs/{id}/contributors/{c}", run, mae).then().statusCode(200)
                .extract().jsonPath().getList("contributions.findAll { it.title == 'own helper' }.contributionId", Long.class)
                .get(0);
        long dispute = given().cookie(AuthResource.COOKIE, cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", run, "contributionId", contribution, "claimedType", "docs", "reason", "It is docs."))
                .post("/api/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().cookie(AuthResource.COOKIE, cookie).contentType(ContentType.JSON).body(Map.of("answer", "Granted."))
                .post("/api/disputes/{id}/accept", dispute).then().statusCode(403).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/own-dispute"));
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("answer", "It is code.")).post("/api/disputes/{id}/reject", dispute).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("rejected"));

        // Ola disputes the commit she wrote with Mae: Mae does not answer it either.
        org.web3j.crypto.Credentials olas = org.web3j.crypto.Credentials.create("0x" + "7a".repeat(32)); // a throwaway test key
        wallets.link(ola, olas.getAddress());
        long pair = given().get("/api/scoring-runs/{id}/contributors/{c}", run, ola).then().statusCode(200).extract()
                .jsonPath().getLong("contributions[0].contributionId");
        long shared = given().cookie(AuthResource.COOKIE, signedInCookie(olas)).contentType(ContentType.JSON)
                .body(Map.of("runId", run, "contributionId", pair, "claimedType", "feature", "reason", "A new helper."))
                .post("/api/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().cookie(AuthResource.COOKIE, cookie).contentType(ContentType.JSON).body(Map.of("answer", "Granted."))
                .post("/api/disputes/{id}/accept", shared).then().statusCode(403).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/own-dispute"))
                .body("detail", org.hamcrest.Matchers.containsString("credited to you too"));
        // Nor does Mae open a dispute of her own on it meanwhile: one open dispute per contribution, whoever opened it.
        given().cookie(AuthResource.COOKIE, cookie).contentType(ContentType.JSON)
                .body(Map.of("runId", run, "contributionId", pair, "claimedType", "docs", "reason", "Mostly docs."))
                .post("/api/disputes").then().statusCode(409).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("opened by a co-author"));
    }

    /**
     * An organisation's hook sends every repository's events: with merit.webhooks.repositories set, a repository it
     * does not name (a sandbox a member created to farm points) is answered 202 and nothing of it is stored.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void anOrganisationsHookCountsOnlyTheNamedRepositories() {
        com.fasterxml.jackson.databind.node.ObjectNode named = dev.merit.ingest.webhook.GitHubWebhookTest.example("issues", "opened");
        ((com.fasterxml.jackson.databind.node.ObjectNode) named.get("issue")).put("number", 9901);
        dev.merit.ingest.webhook.GitHubWebhookTest.post("issues", named).statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("stored"));
        com.fasterxml.jackson.databind.node.ObjectNode sandbox = dev.merit.ingest.webhook.GitHubWebhookTest.example("issues", "opened");
        ((com.fasterxml.jackson.databind.node.ObjectNode) sandbox.get("repository")).put("full_name", "dao-member/farm")
                .put("id", 990_201);
        ((com.fasterxml.jackson.databind.node.ObjectNode) sandbox.get("issue")).put("number", 9902);
        dev.merit.ingest.webhook.GitHubWebhookTest.post("issues", sandbox).statusCode(202)
                .body("outcome", org.hamcrest.Matchers.equalTo("ignored"))
                .body("detail", org.hamcrest.Matchers.containsString("'dao-member/farm' is not one of merit.webhooks.repositories"));
        com.fasterxml.jackson.databind.node.ObjectNode group = dev.merit.ingest.webhook.GitHubWebhookTest.example("issues", "opened");
        ((com.fasterxml.jackson.databind.node.ObjectNode) group.get("repository")).put("full_name", "DAO-org/treasury")
                .put("id", 990_202);
        ((com.fasterxml.jackson.databind.node.ObjectNode) group.get("issue")).put("number", 9903);
        dev.merit.ingest.webhook.GitHubWebhookTest.post("issues", group).statusCode(200);
        assertThat(dev.merit.ingest.webhook.WebhookResource.matches("dao-org/*", "dao-org-evil/x")).isFalse();
        assertThat(dev.merit.ingest.webhook.WebhookResource.matches("dao-org/*", "dao-org/")).isFalse();
        assertThat(dev.merit.ingest.webhook.WebhookResource.matches("group/*", "group/sub/project")).isTrue();
    }

    /**
     * Behind a proxy that ends TLS, the session cookie is Secure because the public address is https, even though the
     * request reached Merit over plain HTTP: a browser never sends it back over an unencrypted connection.
     */
    @Test
    void theSessionCookieIsSecureWhenThePublicAddressIsHttps() {
        io.restassured.http.Cookie cookie = signIn(Credentials.create("0x" + "55".repeat(32))).detailedCookie(AuthResource.COOKIE);
        assertThat(cookie.isSecured()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
    }

    private String signedInCookie(Credentials wallet) {
        return signIn(wallet).cookie(AuthResource.COOKIE);
    }

    private Response signIn(Credentials wallet) {
        String host = java.net.URI.create(PUBLIC_URL).getHost(); // the public address's: the domain people sign for
        String nonce = given().post("/api/auth/nonce").then().statusCode(200).extract().jsonPath().getString("nonce");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String message = SiweTest.message(host, Keys.toChecksumAddress(wallet.getAddress()), PUBLIC_URL,
                31337, nonce, now, now.plusSeconds(600), null);
        return given().contentType(ContentType.JSON).body(Map.of("message", message, "signature", SiweTest.sign(message, wallet)))
                .post("/api/auth/siwe").then().statusCode(200).extract().response();
    }

    private static Response call(String method, String path, RequestSpecification spec) {
        String concrete = path.replaceAll("\\{[^}]+}", "999999");
        RequestSpecification s = spec.contentType(ContentType.JSON);
        if (!method.equals("GET") && !method.equals("DELETE")) {
            s = s.body("{}");
        }
        return s.request(method, concrete);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everyOperationAdmitsExactlyItsRole() {
        JsonPath openapi = given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        String cookie = signedInCookie();
        List<String> checked = new ArrayList<>();
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (String op : path.getValue().keySet()) {
                String method = op.toUpperCase();
                String where = method + " " + path.getKey();
                Access.Role role = method.equals("GET") ? READS.getOrDefault(where, Access.Role.PUBLIC) : WRITES.get(where);
                assertThat(role).as(where + " needs an access decision in this test").isNotNull();
                Response anonymous = call(method, path.getKey(), given());
                switch (role) {
                    case MAINTAINER -> {
                        assertThat(anonymous.statusCode()).as(where + " anonymous").isEqualTo(401);
                        assertThat(anonymous.contentType()).startsWith("application/problem+json");
                        assertThat(anonymous.jsonPath().getString("type")).isEqualTo("/problems/maintainers-only");
                        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
                        assertThat(call(method, path.getKey(), given().cookie(AuthResource.COOKIE, cookie)).statusCode())
                                .as(where + " signed-in contributor").isEqualTo(403);
                        Response wrong = call(method, path.getKey(), given().header("Authorization", "Bearer not-the-token"));
                        assertThat(wrong.statusCode()).as(where + " wrong token").isEqualTo(401);
                        assertThat(wrong.jsonPath().getString("type")).isEqualTo("/problems/bad-credentials");
                        assertThat(call(method, path.getKey(), given().header("Authorization", "Bearer " + TOKEN)).statusCode())
                                .as(where + " maintainer").isNotIn(401, 403);
                    }
                    case SOURCE, CI -> {
                        // No maintainer token needed; the endpoint's own per-source secret is, and it is missing.
                        assertThat(anonymous.statusCode()).as(where + " without its source secret").isEqualTo(401);
                        assertThat(anonymous.jsonPath().getString("type")).isNotEqualTo("/problems/maintainers-only");
                    }
                    case CONTRIBUTOR -> {
                        assertThat(anonymous.statusCode()).as(where + " anonymous").isEqualTo(401);
                        // Admitted: a read answers, a write goes on to check its body ("{}" here: 400).
                        assertThat(call(method, path.getKey(), given().cookie(AuthResource.COOKIE, cookie)).statusCode())
                                .as(where + " signed in").isEqualTo(method.equals("GET") ? 200 : 400);
                    }
                    case PUBLIC -> assertThat(anonymous.statusCode()).as(where + " anonymous").isNotIn(401, 403);
                }
                checked.add(where);
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(30).containsAll(WRITES.keySet());
    }
}
