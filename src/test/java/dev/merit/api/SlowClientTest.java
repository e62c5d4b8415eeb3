package dev.merit.api;

import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops halfway through its headers does not hold a connection forever: it is closed once nothing has
 * moved for quarkus.http.idle-timeout (5 minutes in production; 3 seconds here). The JSON body of an API write that
 * has not come whole within quarkus.http.read-timeout of its start (a minute; 1 second here) is a 408 problem, and the
 * endpoint never runs; a body framed by a transfer coding Merit does not decode is refused at once: neither waits out
 * a timeout for a 500.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(SlowClientTest.ShortIdle.class)
class SlowClientTest {

    /**
     * Its own test application: timeouts this short would cut other tests' slower calls (an idle timeout closes a
     * connection whose response takes longer than it, not only one whose client stalls).
     */
    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A body's read times out before the idle connection is closed, as in production (60 s, 5 minutes).
            return Map.of("quarkus.http.idle-timeout", "3S", "quarkus.http.read-timeout", "1S");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aConnectionThatStopsHalfwayThroughItsHeadersIsClosed() throws Exception {
        try (Socket socket = new Socket("localhost", base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("POST /api/epochs HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
            assertThat((System.nanoTime() - started) / 1e9).isBetween(1.0, 15.0);
        }
    }

    @Test
    void aBodyThatStopsArrivingIsARequestTimeout() throws Exception {
        String answer = exchange("POST /api/auth/siwe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nContent-Length: 100\r\n\r\n{\"message\":");
        assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json")
                .contains("\"type\":\"/problems/request-timeout\"").contains("did not come whole within 1 s");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    }

    /** Refused, the request stays refused: the rest of its body, coming late, does not run the endpoint. */
    @Test
    void aWriteRefusedForItsSlowBodyIsNotMadeWhenTheRestComes() throws Exception {
        String body = "{\"name\": \"slow-1958\", \"startsAt\": \"1958-01-01T00:00:00Z\", \"endsAt\": "
                + "\"1958-02-01T00:00:00Z\", \"budgetTokens\": \"1\"}";
        try (Socket socket = new Socket("localhost", base.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/epochs HTTP/1.1\r\nHost: localhost:" + base.getPort() + "\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 20))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            byte[] head = new byte[12];
            assertThat(socket.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 408");
            try {
                out.write(body.substring(20).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (java.io.IOException closed) {
                // the server may have closed the connection already: then nothing more can come
            }
        }
        Thread.sleep(500);
        assertThat(io.restassured.RestAssured.given().get("/api/epochs").then().statusCode(200).extract().jsonPath()
                .getList("name", String.class)).doesNotContain("slow-1958");
    }

    /** A body that comes in parts, whole within the time, is read as any other. */
    @Test
    void aBodyInPartsWithinTheTimeIsRead() throws Exception {
        try (Socket socket = new Socket("localhost", base.getPort())) {
            socket.setSoTimeout(10_000);
            String body = "{\"message\": \"x\", \"signature\": \"0x00\"}";
            var out = socket.getOutputStream();
            out.write(("POST /api/auth/siwe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(300);
            out.write(body.substring(10).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 4").isNotEqualTo("HTTP/1.1 408"); // read, and refused as a sign-in
        }
    }

    /**
     * A chunk size that is not hex is the caller's mistake: the codec closes the connection at once (a 400 when the
     * server can still answer), never a 500 and no ERROR in the log.
     */
    @Test
    void aChunkSizeThatIsNotHexIsRefused() throws Exception {
        String answer = exchange("POST /api/disputes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        if (!answer.isEmpty()) {
            assertThat(answer).startsWith("HTTP/1.1 400").contains("/problems/bad-body-framing");
        }
    }

    @Test
    void aTransferCodingMeritDoesNotDecodeIsRefusedAtOnce() throws Exception {
        assertThat(exchange("POST /api/auth/siwe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n")).startsWith("HTTP/1.1 400")
                .contains("applies chunked twice");
        for (String coding : new String[] {"gzip", "identity", "chunked, gzip"}) {
            assertThat(exchange("POST /api/auth/siwe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                    + "\r\nTransfer-Encoding: " + coding + "\r\n\r\n{}")).as(coding).startsWith("HTTP/1.1 400")
                    .contains("\"type\":\"/problems/bad-transfer-encoding\"")
                    .contains("does not end with chunked");
        }
        assertThat(exchange("POST /api/auth/siwe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")).startsWith("HTTP/1.1 501")
                .contains("a coding Merit does not decode");
    }

    /** Sends {@code request} and reads the answer until the server closes or 10 s pass without a byte. */
    private String exchange(String request) throws Exception {
        try (Socket socket = new Socket("localhost", base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            boolean closed = false;
            try {
                for (int n; !closed; ) {
                    n = socket.getInputStream().read(buffer);
                    closed = n < 0;
                    if (n > 0) {
                        answer.write(buffer, 0, n);
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // what came is the answer
            }
            // Each of these refusals says "Connection: close", and closes it: the caller is not left waiting.
            assertThat(closed).as("the server closes the connection after its answer").isTrue();
            assertThat((System.nanoTime() - started) / 1e9).as("answered before any timeout of the test")
                    .isLessThan(9.0);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
