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
 * moved for quarkus.http.idle-timeout (5 minutes in production; 3 seconds here). A body that stops arriving is a 408
 * problem once nothing came for quarkus.http.read-timeout (a minute; 1 second here), and a body framed by a transfer
 * coding Merit does not decode is refused at once: neither waits out the timeout for a 500.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(SlowClientTest.ShortIdle.class)
class SlowClientTest {

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
                .contains("\"type\":\"/problems/request-timeout\"").contains("stopped arriving");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
    }

    @Test
    void aTransferCodingMeritDoesNotDecodeIsRefusedAtOnce() throws Exception {
        for (String coding : new String[] {"gzip", "identity", "chunked, gzip"}) {
            assertThat(exchange("POST /api/auth/siwe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                    + "\r\nTransfer-Encoding: " + coding + "\r\n\r\n{}")).as(coding).startsWith("HTTP/1.1 400")
                    .contains("\"type\":\"/problems/unsupported-transfer-encoding\"")
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
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.UTF_8).contains("}")) {
                        break; // the problem's JSON has arrived
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // what came is the answer
            }
            assertThat((System.nanoTime() - started) / 1e9).as("answered before any timeout of the test")
                    .isLessThan(9.0);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
