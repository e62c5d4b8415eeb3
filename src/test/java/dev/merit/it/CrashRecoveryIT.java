package dev.merit.it;

import dev.merit.support.GeneratedHistory;
import dev.merit.support.TempPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 at any moment of a large ingest (the packaged application, a real Git history of thousands of commits):
 * Merit starts again every time, and the repository holds all of that ingest or none of it, never a part.
 */
class CrashRecoveryIT {

    private static final Map<String, String> ENV = Map.of("MERIT_CHAIN_ENABLED", "false");
    /**
     * Thousands, so that each moment is a window a kill can hit; 2,000 since session 32 (4,000 before: every ingest here
     * runs five times over, and the suite must stay under 15 minutes on CI's two cores).
     */
    private static final int COMMITS = 2000;
    private static Path history;
    private static long fullCount;
    private static Path complete;

    @BeforeAll
    static void historyAndAFullIngest() throws Exception {
        Path root = TempPaths.directory("merit-crash");
        history = GeneratedHistory.create(root.resolve("history"), COMMITS, 7);
        Path data = root.resolve("complete").resolve("data");
        Files.createDirectories(data.getParent());
        assertThat(PackagedApp.run(data, ENV, Duration.ofMinutes(5), "ingest", history.toString())).isZero();
        complete = data;
        fullCount = contributions(data);
        assertThat(fullCount).isEqualTo(COMMITS);
    }

    @Test
    void killedEarlyInTheIngest() throws Exception {
        // The ingest run again after a kill is checked after the kill as it commits, and after an ingest left
        // unfinished on disk (each costs a full ingest, and the suite must stay under 15 minutes on CI).
        assertKilledAndRecovered("early", app -> awaitProgress(app, COMMITS / 4), false);
    }

    @Test
    void killedInTheMiddleOfTheIngest() throws Exception {
        assertKilledAndRecovered("middle", app -> awaitProgress(app, COMMITS / 2), false);
    }

    @Test
    void killedAsTheIngestCommits() throws Exception {
        // "Ingested ..." is logged as the last thing before the transaction commits.
        assertKilledAndRecovered("commit",
                app -> app.awaitOutput(o -> o.contains("Ingested history"), Duration.ofMinutes(5)), true);
    }

    /**
     * What a kill during the commit can leave on H2, made deterministic: the contributions on disk, the ingest's batch
     * still open. The next start removes that ingest whole and the repository reads it again.
     */
    @Test
    void anIngestLeftUnfinishedOnDiskIsRemovedAtTheNextStart() throws Exception {
        Path data = dataOf("unfinished");
        try (var files = Files.walk(complete)) { // the complete ingest's data, copied (no process has it open)
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = data.resolve(complete.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        try (Connection c = connect(data)) {
            assertThat(c.createStatement().executeUpdate("update ingest_batch set state = 'open', ended_at = null"))
                    .isEqualTo(1);
        }
        assertThat(contributions(data)).isEqualTo(fullCount);
        assertThat(PackagedApp.run(data, ENV, Duration.ofMinutes(3), "authors")).isZero();
        assertThat(contributions(data)).as("nothing of an unfinished ingest").isZero();
        assertThat(PackagedApp.run(data, ENV, Duration.ofMinutes(5), "ingest", history.toString())).isZero();
        assertThat(contributions(data)).isEqualTo(fullCount);
    }

    interface Moment {
        boolean await(PackagedApp app) throws Exception;
    }

    private Path dataOf(String moment) throws Exception {
        Path data = TempPaths.directory("merit-crash-" + moment).resolve("data");
        Files.createDirectories(data.getParent());
        return data;
    }

    private void assertKilledAndRecovered(String moment, Moment when, boolean ingestAgain) throws Exception {
        Path data = dataOf(moment);
        try (PackagedApp ingest = PackagedApp.start(data, ENV, "ingest", history.toString())) {
            assertThat(when.await(ingest)).as(moment + " reached before the ingest ended:\n" + ingest.output()).isTrue();
            ingest.kill9();
        }
        // Starts again (the rolled-back remains are recovered first, however long that takes), and nothing partial.
        assertThat(PackagedApp.run(data, ENV, Duration.ofMinutes(3), "authors")).as("restart after kill -9 " + moment)
                .isZero();
        long after = contributions(data);
        if (moment.equals("commit")) {
            // What survived, said when it fails: which batch a leftover row belongs to, and that batch's state.
            assertThat(after).as("all or nothing; left: " + (after == 0 || after == fullCount ? "" : leftovers(data)))
                    .isIn(0L, fullCount);
        } else {
            assertThat(after).as("nothing of an ingest killed " + moment + "; left: " + leftovers(data)).isZero();
        }
        if (!ingestAgain) {
            return;
        }
        // And the ingest, run again, completes.
        assertThat(PackagedApp.run(data, ENV, Duration.ofMinutes(5), "ingest", history.toString())).isZero();
        assertThat(contributions(data)).isEqualTo(fullCount);
    }

    /**
     * The ingest has logged reading {@code commits} commits, and goes on (the progress line is printed as each tenth of the
     * commits is handed to the open transaction; a fast machine reads 4000 commits in 3 s, so the database file's
     * size, which H2 grows in steps, is no clock to kill by).
     */
    private static boolean awaitProgress(PackagedApp app, int commits) throws Exception {
        Pattern line = Pattern.compile("Ingesting history: (\\d+) of");
        return app.awaitOutput(o -> o.contains("Ingested history")
                        || line.matcher(o).results().anyMatch(m -> Integer.parseInt(m.group(1)) >= commits),
                Duration.ofMinutes(5))
                && !app.output().contains("Ingested history");
    }

    private static Connection connect(Path data) throws Exception {
        String secret = Files.readString(data.resolve("db-secret")).strip();
        String url = "jdbc:h2:file:" + data.resolve("merit")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
        return DriverManager.getConnection(url, "merit", secret);
    }

    /** What survived, for a failure's message: the contributions (up to 5) with their batch, and every batch. */
    private static String leftovers(Path data) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(data)) {
            try (ResultSet rs = c.createStatement().executeQuery("select id, external_id, ingest_batch, occurred_at "
                    + "from contribution where source = 'git' order by id limit 5")) {
                while (rs.next()) {
                    out.append("contribution ").append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(" batch ")
                            .append(rs.getObject(3)).append(" at ").append(rs.getString(4)).append("; ");
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("select id, state, removed from ingest_batch order by id")) {
                while (rs.next()) {
                    out.append("batch ").append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(" removed ")
                            .append(rs.getObject(3)).append("; ");
                }
            }
        }
        return out.toString();
    }

    private static long contributions(Path data) throws Exception {
        try (Connection c = connect(data);
             ResultSet rs = c.createStatement().executeQuery("select count(*) from contribution where source = 'git'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
