package dev.merit.security;

import dev.merit.support.PostgresResource;
import dev.merit.support.TestRepo;
import dev.merit.web.SiweTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The embedded default (no maintainer token: calls from this machine are trusted) cannot be driven by a web page the
 * maintainer happens to open: not by a cross-site form or fetch (Origin, Sec-Fetch-Site), not by DNS rebinding (a
 * foreign Host that resolves to 127.0.0.1). Sign-In with Ethereum names Merit's own origin, not the request's Host.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CrossSiteTest {

    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URL base;

    @jakarta.inject.Inject
    io.vertx.core.Vertx vertx;

    private String own() {
        return "http://localhost:" + base.getPort();
    }

    private static int repositoryCount() {
        return given().get("/api/repositories").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    @Test
    void aSimpleCrossSitePostToABodilessWriteIsRefused() {
        TestRepo r = TestRepo.create("merit-cross-site", Instant.parse("1984-05-01T00:00:00Z"));
        r.write("a.txt", "one\n").commit("feat: a", "Cross Site", "cross@site.example");
        long id = given().contentType(ContentType.JSON).body(Map.of("location", r.path())).post("/api/repositories")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        // What a hostile page's <form enctype=text/plain> or fetch(no-cors) sends: a "simple" request, no preflight.
        given().contentType("text/plain").header("Origin", "http://evil.example").body("x")
                .post("/api/repositories/{id}/ingest?refresh=true", id)
                .then().statusCode(403).contentType(PROBLEM).body("type", equalTo("/problems/foreign-origin"))
                .body("detail", containsString("http://evil.example"));
        given().get("/api/repositories/{id}", id).then().statusCode(200).body("lastIngestedAt", nullValue());
        // A page of another port on this machine is another origin too.
        given().contentType(ContentType.JSON).header("Origin", "http://localhost:1").body("{}").post("/api/epochs")
                .then().statusCode(403).body("type", equalTo("/problems/foreign-origin"));
        // Without Origin, a browser's Sec-Fetch-Site still tells a cross-site request.
        given().contentType(ContentType.JSON).header("Sec-Fetch-Site", "cross-site").body("{}").post("/api/epochs")
                .then().statusCode(403).body("type", equalTo("/problems/foreign-origin"));
        given().contentType(ContentType.JSON).header("Origin", "null").body("{}").post("/api/epochs")
                .then().statusCode(403);
    }

    @Test
    void meritsOwnPagesAndProgramsMayWrite() {
        for (String origin : List.of(own(), "http://127.0.0.1:" + base.getPort(), "http://[::1]:" + base.getPort())) {
            given().contentType(ContentType.JSON).header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                    .body(Map.of("name", "own-origin-" + origin.hashCode(), "startsAt", "1984-01-01T00:00:00Z",
                            "endsAt", "1984-02-01T00:00:00Z", "budgetTokens", "1"))
                    .post("/api/epochs").then().statusCode(201);
        }
        // curl, CI and forges send neither header.
        given().contentType(ContentType.JSON).body(Map.of("name", "no-origin", "startsAt", "1984-01-01T00:00:00Z",
                "endsAt", "1984-02-01T00:00:00Z", "budgetTokens", "1")).post("/api/epochs").then().statusCode(201);
    }

    /**
     * Listening on this machine only, a page whose name was rebound to 127.0.0.1 reads nothing either: contributors'
     * e-mails, the titles of private repositories ingested here, the dashboard itself. And no page may frame Merit's.
     */
    @Test
    void aReboundPageReadsNothingAndNoPageFramesMerit() {
        for (String path : List.of("/api/contributors", "/api/overview", "/", "/q/openapi")) {
            given().header("Host", "evil.example:" + base.getPort()).get(path).then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("/problems/foreign-host")).body("detail", containsString("DNS rebinding"));
        }
        for (String path : List.of("/", "/api/overview", "/api/no-such-thing")) {
            given().get(path).then().header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", "frame-ancestors 'none'")
                    .header("X-Content-Type-Options", "nosniff");
        }
    }

    /**
     * HTTP/2 without TLS (h2c; Java's HttpClient asks for it by default) names the site in {@code :authority}, not in a
     * Host header: a program on this machine is trusted as over HTTP/1.1, and a rebound name is refused the same.
     */
    @Test
    void http2NamesTheSiteInItsAuthorityAndIsCheckedTheSame() throws Exception {
        java.net.http.HttpResponse<String> own = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(own() + "/api/epochs"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"over-http2\",\"startsAt\":"
                                + "\"1984-03-01T00:00:00Z\",\"endsAt\":\"1984-04-01T00:00:00Z\",\"budgetTokens\":\"1\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        assertThat(own.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);

        io.vertx.core.http.HttpClient h2c = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            for (String path : List.of("/api/overview", "/api/epochs")) {
                io.vertx.core.http.HttpMethod method = path.equals("/api/epochs") ? io.vertx.core.http.HttpMethod.POST
                        : io.vertx.core.http.HttpMethod.GET;
                String answer = h2c(h2c, "evil.example", method, path, request -> request.send("{}"));
                assertThat(answer).as(path).startsWith("HTTP_2 403").contains("/problems/foreign-host");
            }
            // A refusal that would close an HTTP/1.1 connection is a problem over HTTP/2 as well (HTTP/2 has no
            // Connection header; the stream ends instead).
            io.vertx.core.buffer.Buffer large = io.vertx.core.buffer.Buffer.buffer("{\"name\":\""
                    + "x".repeat(7 * 1024 * 1024) + "\"}");
            String tooLarge = h2c(h2c, "localhost", io.vertx.core.http.HttpMethod.POST, "/api/epochs",
                    request -> request.putHeader("Content-Type", "application/json")
                            .putHeader("Content-Length", String.valueOf(large.length())).send(large));
            assertThat(tooLarge).startsWith("HTTP_2 413").contains("/problems/body-too-large");
            // And a body of no declared length within the limit reaches the endpoint whole.
            String streamed = h2c(h2c, "localhost", io.vertx.core.http.HttpMethod.POST, "/api/epochs",
                    request -> request.putHeader("Content-Type", "application/json").setChunked(true)
                            .send("{\"name\":\"streamed-over-http2\",\"startsAt\":\"1984-06-01T00:00:00Z\","
                                    + "\"endsAt\":\"1984-07-01T00:00:00Z\",\"budgetTokens\":\"1\"}"));
            assertThat(streamed).startsWith("HTTP_2 201").contains("streamed-over-http2");
        } finally {
            h2c.close();
        }
    }

    /**
     * One HTTP/2 request to this Merit (connected to 127.0.0.1) that names {@code host} in its {@code :authority};
     * {@code send} writes it. Returns "version status body".
     */
    private String h2c(io.vertx.core.http.HttpClient client, String host, io.vertx.core.http.HttpMethod method,
                       String path, java.util.function.Function<io.vertx.core.http.HttpClientRequest,
            io.vertx.core.Future<io.vertx.core.http.HttpClientResponse>> send) throws Exception {
        // The chain is built on an event loop: attached from this thread, response.body() could come after the
        // body had arrived, and Vert.x then drops it and never completes (eclipse-vertx/vert.x#5904; a timeout under
        // load in CI).
        java.util.concurrent.CompletableFuture<String> answer = new java.util.concurrent.CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(started -> client.request(new io.vertx.core.http.RequestOptions()
                        .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(base.getPort(), "127.0.0.1"))
                        .setHost(host).setPort(base.getPort()).setURI(path).setMethod(method))
                .compose(send::apply)
                .compose(response -> response.body().map(body -> response.version() + " " + response.statusCode()
                        + " " + body))
                .onSuccess(answer::complete).onFailure(answer::completeExceptionally));
        return answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void dnsRebindingCannotUseLoopbackTrust() {
        int before = repositoryCount();
        for (String host : List.of("evil.example:" + base.getPort(), "evil.example", "127.0.0.1.evil.example")) {
            given().header("Host", host).contentType(ContentType.JSON).body(Map.of("location", "/proc/self/cwd"))
                    .post("/api/repositories").then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("/problems/foreign-host"))
                    .body("detail", containsString("DNS rebinding"));
        }
        assertThat(repositoryCount()).isEqualTo(before);
        // The names of this machine keep working.
        for (String host : List.of("localhost:" + base.getPort(), "127.0.0.1:" + base.getPort(), "[::1]:" + base.getPort())) {
            given().header("Host", host).contentType(ContentType.JSON).body("{}").post("/api/epochs")
                    .then().statusCode(400);
        }
    }

    @Test
    void everyWriteOperationRefusesAForeignOriginAndAForeignHost() {
        JsonPath openapi = given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        List<String> checked = new ArrayList<>();
        for (var path : paths.entrySet()) {
            for (String op : path.getValue().keySet()) {
                String method = op.toUpperCase();
                if (List.of("GET", "HEAD", "OPTIONS").contains(method) || !path.getKey().startsWith("/api/")) {
                    continue;
                }
                String where = method + " " + path.getKey();
                Response foreign = call(method, path.getKey(), given().header("Origin", "https://evil.example"));
                assertThat(foreign.statusCode()).as(where + " from a foreign page").isEqualTo(403);
                assertThat(foreign.jsonPath().getString("type")).as(where).isEqualTo("/problems/foreign-origin");
                Response rebound = call(method, path.getKey(), given().header("Host", "evil.example"));
                // Maintainers' writes are refused (403); the rest answer as they would anyway (a public or signed write, "{}").
                assertThat(rebound.statusCode()).as(where + " under a foreign Host").isIn(200, 204, 400, 401, 403, 404, 409, 422, 429);
                if (rebound.statusCode() == 403) {
                    assertThat(rebound.jsonPath().getString("type")).as(where).isIn("/problems/foreign-host", "/problems/maintainers-only");
                }
                checked.add(where);
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void signInNamesMeritsOwnOriginNotTheRequestsHost() {
        JsonPath nonce = given().post("/api/auth/nonce").then().statusCode(200).extract().jsonPath();
        assertThat(nonce.getString("domain")).isEqualTo("localhost:" + base.getPort());
        // A rebinding page signs a message for its own name and sends it with that Host: refused.
        Credentials wallet = Credentials.create("0x" + "44".repeat(32)); // a throwaway test key
        String evil = "evil.example:" + base.getPort();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String message = SiweTest.message(evil, Keys.toChecksumAddress(wallet.getAddress()), "http://" + evil, 31337,
                nonce.getString("nonce"), now, now.plusSeconds(600), null);
        // Listening on this machine only, Merit answers no request that names another host (below); a server
        // listening for others (merit.web.public-url) checks the message's domain against its own, not the Host.
        given().header("Host", evil).contentType(ContentType.JSON)
                .body(Map.of("message", message, "signature", SiweTest.sign(message, wallet))).post("/api/auth/siwe")
                .then().statusCode(403).body("type", equalTo("/problems/foreign-host"));
        given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "signature", SiweTest.sign(message, wallet))).post("/api/auth/siwe")
                .then().statusCode(401).body("type", equalTo("/problems/wrong-domain"))
                .body("detail", containsString("but this is localhost:" + base.getPort()));
    }

    private static Response call(String method, String path, RequestSpecification spec) {
        String concrete = path.replaceAll("\\{[^}]+}", "999999");
        RequestSpecification s = spec.contentType(ContentType.JSON);
        if (!method.equals("DELETE")) {
            s = s.body("{}");
        }
        return s.request(method, concrete);
    }
}
