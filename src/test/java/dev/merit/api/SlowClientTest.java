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
 * moved for quarkus.http.idle-timeout (5 minutes in production; 2 seconds here).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(SlowClientTest.ShortIdle.class)
class SlowClientTest {

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "2S");
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
}
