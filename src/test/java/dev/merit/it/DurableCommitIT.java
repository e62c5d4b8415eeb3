package dev.merit.it;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the embedded server has answered for is on disk: a write it acknowledged survives a kill -9 that comes right
 * after the answer. (H2 keeps commits in memory for about half a second before it writes them, so a kill in that time
 * lost writes that had been answered 201: of five, runs kept one, one, four and none; answers now wait for the store,
 * DurableCommits.)
 */
class DurableCommitIT {

    @Test
    void everyAnsweredWriteOutlivesAKill9RightAfterIt() throws Exception {
        Path data = TempPaths.directory("merit-durable").resolve("data");
        Files.createDirectories(data.getParent());
        int port = PackagedApp.freePort();
        Map<String, String> env = Map.of("PORT", String.valueOf(port), "MERIT_CHAIN_ENABLED", "false");
        HttpClient http = HttpClient.newHttpClient();
        List<String> answered = new ArrayList<>();
        try (PackagedApp serve = PackagedApp.start(data, env, "serve")) {
            assertThat(serve.awaitOutput(o -> o.contains("Dashboard:"), Duration.ofMinutes(3))).as(serve.output())
                    .isTrue();
            for (int i = 1; i <= 5; i++) {
                String name = "durable-" + i;
                String body = "{\"name\":\"" + name + "\",\"startsAt\":\"2050-0" + i + "-01T00:00:00Z\",\"endsAt\":\"2050-0"
                        + (i + 1) + "-01T00:00:00Z\",\"budgetTokens\":\"100\"}";
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/epochs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                answered.add(name);
            }
            serve.kill9(); // at once: no time for a writer that waits
        }
        assertThat(epochs(data)).as("every epoch answered 201 before the kill").containsAll(answered);
    }

    private static List<String> epochs(Path data) throws Exception {
        String secret = Files.readString(data.resolve("db-secret")).strip();
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("merit")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "merit", secret);
             ResultSet rs = c.createStatement().executeQuery("select name from epoch order by name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
