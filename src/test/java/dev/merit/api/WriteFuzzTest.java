package dev.merit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every write operation of the OpenAPI document, called the way an attacker or a broken client would: malformed
 * JSON, duplicate keys, each field of the documented body with a wrong type, an extreme number or string, and
 * extreme path and query parameters. Each answer is a 4xx problem+json (or a success), never a 500, never a hang.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WriteFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String GITHUB_SECRET = "test-webhook-secret-not-a-real-one";
    private static final String JIRA_SECRET = "test-jira-secret-not-a-real-one";

    private static final List<String> MALFORMED = List.of("{", "[", "{\"a\":}", "nul", "", "\"just a string\"", "[]",
            "{\"epochId\":1,\"epochId\":2}", "{\"location\":\"/tmp\",\"location\":\"/etc\"}", "\u0000",
            "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "{\"a\":1e999999}");
    private static final List<JsonNode> EXTREMES = List.of(
            NODES.textNode(""), NODES.textNode("   "), NODES.textNode("\u0000"), NODES.textNode("a\u0000b"),
            NODES.textNode("x".repeat(100_000)), NODES.textNode("../../../../etc/passwd"), NODES.textNode("/proc/self/cwd"),
            NODES.textNode("\u202e\ud83d\udca5 \uFFFF"), NODES.textNode("refs/heads/..lock"), NODES.textNode("-1"),
            NODES.textNode("9".repeat(200)), NODES.textNode("+999999999-12-31T23:59:59Z"), NODES.textNode("0x"),
            NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE),
            NODES.numberNode(new java.math.BigInteger("9".repeat(80))), NODES.numberNode(1e308), NODES.numberNode(-1e-308),
            NODES.booleanNode(true), NODES.nullNode(), NODES.arrayNode(), NODES.objectNode(),
            NODES.arrayNode().add("x").add(1));
    private static final List<String> PATH_VALUES = List.of("999999", "-1", "0", "9223372036854775807",
            "9223372036854775808", "abc", "1e3", "%00", "..%2F..");

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    private final List<String> failures = new ArrayList<>();
    private int port;
    private int calls;

    @Test
    void noWriteOperationAnswers500OrHangs() throws Exception {
        port = base.getPort();
        RestAssuredConfig timeouts = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 30_000).setParam("http.connection.timeout", 5_000));
        JsonNode openapi = JSON.readTree(given().accept("application/json").get("/q/openapi?format=json").asString());
        List<String> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (List.of("GET", "HEAD", "OPTIONS", "PARAMETERS").contains(method)) {
                    continue;
                }
                operations.add(method + " " + path.getKey());
                fuzz(timeouts, openapi, method, path.getKey(), op.getValue());
            }
        }
        // Sizes past the limits, as raw requests (a client that sends a 7 MB body would still be writing it when
        // the refusal comes): a declared 7 MB body, a 10 KB URI, 30 KB of headers. Each gets its problem.
        sized("POST /api/epochs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 7340032\r\n", 413);
        sized("POST /api/epochs?q=" + "x".repeat(10_000) + " HTTP/1.1\r\nContent-Length: 2\r\n", 414);
        sized("POST /api/epochs HTTP/1.1\r\nX-Big: " + "y".repeat(30_000) + "\r\nContent-Length: 2\r\n", 431);
        // A Host that is no host: a problem, not a page reading "500 - Internal Server Error" under status 400.
        for (String host : List.of("a:b:c", "localhost:99999999", "[::1", "exa mple.org")) {
            raw("GET /q/health/live HTTP/1.1\r\nHost: " + host + "\r\n", 400);
            raw("POST /api/epochs HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 2\r\n", 400);
        }
        // A path parameter after ';' (the router dropped it: the epoch before it was deleted), escapes that are not
        // UTF-8 (recorded as "\ufffd\ufffd" for who undid a merge): refused with a problem. (A '%' that escapes nothing
        // gets the HTTP server's own bare 400, before any handler: docs/security.md.)
        for (String uri : List.of("/api/epochs/999999;junk=x", "/api/epochs/999999;",
                "/api/contributors/merges/999999?by=%FF%FE", "/api/contributors/merges/999999?by=%C3")) {
            sized("DELETE " + uri + " HTTP/1.1\r\nContent-Length: 0\r\n", 400);
        }
        // A body without a declared length (chunked) that runs past the limit: the same problem, once it is seen.
        for (String path : List.of("/api/epochs", "/api/wallets/import")) {
            chunked(path, 9 * 1024 * 1024, 413);
        }
        // Under the limit, a chunked body reaches its endpoint like any other, whole.
        chunked("/api/epochs", 0, 201);
        assertThat(operations).hasSizeGreaterThanOrEqualTo(15);
        assertThat(calls).isGreaterThan(500);
        assertThat(failures).as(calls + " calls to " + operations.size() + " write operations").isEmpty();
    }

    private void fuzz(RestAssuredConfig config, JsonNode openapi, String method, String template, JsonNode op) {
        String path = template.replaceAll("\\{[^}]+}", "999999");
        for (String value : PATH_VALUES) {
            if (template.contains("{")) {
                send(config, method, template.replaceAll("\\{[^}]+}", value), "{}", template + " path=" + value);
            }
        }
        for (JsonNode parameter : op.path("parameters")) {
            if (parameter.path("in").asText().equals("query")) {
                for (String value : List.of("-1", "abc", "9".repeat(30), "", "x".repeat(5000), "true")) {
                    send(config, method, path + "?" + parameter.get("name").asText() + "=" + value, "{}",
                            template + " query " + parameter.get("name").asText() + "=" + value.substring(0, Math.min(20, value.length())));
                }
            }
        }
        for (String body : MALFORMED) {
            send(config, method, path, body, template + " malformed " + body.substring(0, Math.min(30, body.length())));
        }
        JsonNode schema = resolve(openapi, op.path("requestBody").path("content").path("application/json").path("schema"));
        if (schema.isMissingNode() || !schema.has("properties")) {
            return;
        }
        ObjectNode valid = example(openapi, schema);
        send(config, method, path, valid.toString(), template + " example");
        for (Iterator<String> names = schema.get("properties").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            for (JsonNode extreme : EXTREMES) {
                ObjectNode body = valid.deepCopy();
                body.set(name, extreme);
                send(config, method, path, body.toString(), template + " " + name + "=" + shorten(extreme.toString()));
            }
        }
    }

    private void send(RestAssuredConfig config, String method, String path, String body, String what) {
        calls++;
        // As bytes: REST Assured sends them as they are. Given a String with a JSON content type, it spent 2.4 s of the
        // test's own time on each deeply nested body (the server answers those in a few milliseconds).
        RequestSpecification spec = given().config(config).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8));
        spec = sourceCredentials(spec, path, body.getBytes(StandardCharsets.UTF_8));
        Response r;
        try {
            r = spec.request(method, path);
        } catch (RuntimeException e) {
            failures.add(what + ": no answer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return;
        }
        int status = r.statusCode();
        if (status >= 500 && !(status == 503 && r.header("Retry-After") != null)) {
            failures.add(what + ": " + status + " " + shorten(r.asString()));
        } else if (status >= 400 && !String.valueOf(r.contentType()).startsWith("application/problem+json")) {
            failures.add(what + ": " + status + " without a problem body (" + r.contentType() + ")");
        }
    }

    private void sized(String head, int expected) throws java.io.IOException {
        raw(head + "Host: localhost:" + port + "\r\n", expected);
    }

    private void raw(String head, int expected) throws java.io.IOException {
        calls++;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            // The refusal comes before the body is sent; read it up to the end of its JSON, whether or not the server
            // then closes the connection.
            StringBuilder received = new StringBuilder();
            byte[] chunk = new byte[4096];
            int n;
            while (!received.toString().endsWith("}") && (n = socket.getInputStream().read(chunk)) > 0) {
                received.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            }
            String answer = received.toString();
            String what = head.substring(0, Math.min(40, head.length())) + "... (" + head.length() + " bytes of head)";
            boolean problem = answer.toLowerCase().contains("application/problem+json")
                    && answer.contains("\"status\":" + expected);
            // A refusal written before the dashboard's route carries the security headers all the same.
            boolean unframed = expected == 413 && !answer.toLowerCase().contains("x-frame-options: deny");
            if (unframed || !answer.startsWith("HTTP/1.1 " + expected) || (expected >= 400) != problem
                    || (expected == 201 && !answer.contains("\"budgetTokens\":\"1\""))) {
                failures.add(what + ": " + shorten(answer.replace("\r\n", " | ")));
            }
        }
    }

    private void chunked(String path, int bytes, int expected) throws java.io.IOException {
        calls++;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] piece = new byte[64 * 1024];
            java.util.Arrays.fill(piece, (byte) ' ');
            try {
                if (bytes == 0) {
                    byte[] epoch = ("{\"name\": \"chunked-" + System.nanoTime() + "\", \"startsAt\": \"2099-01-01T00:00:00Z\", "
                            + "\"endsAt\": \"2099-02-01T00:00:00Z\", \"budgetTokens\": \"1\"}").getBytes(StandardCharsets.UTF_8);
                    for (int at = 0; at < epoch.length; at += 16) { // in pieces of 16 bytes
                        int size = Math.min(16, epoch.length - at);
                        out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.UTF_8));
                        out.write(epoch, at, size);
                        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                    }
                }
                for (int sent = 0; sent < bytes; sent += piece.length) {
                    out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.write(piece);
                    out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (java.net.SocketException closed) {
                // refused while still sending: the answer is read below
            }
            StringBuilder received = new StringBuilder();
            byte[] chunk = new byte[4096];
            int n;
            try {
                while (!received.toString().endsWith("}") && (n = socket.getInputStream().read(chunk)) > 0) {
                    received.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.net.SocketException reset) {
                // the connection was closed after the answer
            }
            String answer = received.toString();
            boolean problem = answer.toLowerCase().contains("application/problem+json")
                    && answer.contains("\"status\":" + expected);
            // A refusal written before the dashboard's route carries the security headers all the same.
            boolean unframed = expected == 413 && !answer.toLowerCase().contains("x-frame-options: deny");
            if (unframed || !answer.startsWith("HTTP/1.1 " + expected) || (expected >= 400) != problem
                    || (expected == 201 && !answer.contains("\"budgetTokens\":\"1\""))) {
                failures.add("chunked " + bytes + " bytes to " + path + ": " + shorten(answer.replace("\r\n", " | ")));
            }
        }
    }

    /** Webhooks and the CI hook check their own credentials first: the fuzz is signed, to reach their parsers. */
    private static RequestSpecification sourceCredentials(RequestSpecification spec, String path, byte[] body) {
        String delivery = UUID.randomUUID().toString();
        if (path.startsWith("/api/webhooks/github")) {
            return spec.header("X-GitHub-Event", "issues").header("X-GitHub-Delivery", delivery)
                    .header("X-Hub-Signature-256", "sha256=" + hmac(GITHUB_SECRET, body));
        }
        if (path.startsWith("/api/webhooks/gitlab")) {
            return spec.header("X-Gitlab-Event", "Issue Hook").header("X-Gitlab-Event-UUID", delivery)
                    .header("X-Gitlab-Token", "test-gitlab-token-not-a-real-one");
        }
        if (path.startsWith("/api/webhooks/jira")) {
            return spec.header("X-Atlassian-Webhook-Identifier", delivery)
                    .header("X-Hub-Signature", "sha256=" + hmac(JIRA_SECRET, body));
        }
        if (path.startsWith("/api/ci/")) {
            return spec.header("Authorization", "Bearer test-ci-token-not-a-real-one");
        }
        return spec;
    }

    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode resolve(JsonNode openapi, JsonNode schema) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            String[] parts = s.get("$ref").asText().replaceFirst("^#/", "").split("/");
            JsonNode target = openapi;
            for (String part : parts) {
                target = target.path(part);
            }
            s = target;
        }
        if (s.has("allOf") && s.get("allOf").size() == 1) {
            return resolve(openapi, s.get("allOf").get(0));
        }
        return s;
    }

    /** A body of the documented shape with plausible values: each extreme then replaces one field of it. */
    private static ObjectNode example(JsonNode openapi, JsonNode schema) {
        ObjectNode body = NODES.objectNode();
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        schema.get("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), resolve(openapi, e.getValue())));
        properties.forEach((name, p) -> {
            String type = p.path("type").asText("object");
            switch (type) {
                case "integer", "number" -> body.put(name, 1);
                case "boolean" -> body.put(name, false);
                case "array" -> body.putArray(name);
                case "string" -> body.put(name, p.path("format").asText().equals("date-time") ? "1999-01-01T00:00:00Z"
                        : p.has("examples") && p.get("examples").isArray() && !p.get("examples").isEmpty()
                        ? p.get("examples").get(0).asText() : "1");
                default -> body.putObject(name);
            }
        });
        return body;
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
