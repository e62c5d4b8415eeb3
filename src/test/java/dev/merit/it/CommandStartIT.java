package dev.merit.it;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a command does at start beyond its own work, in the packaged application: it migrates a database that needs
 * it and leaves Flyway off on one that is current, runs no background schedule (nothing is logged after it has
 * answered), and the launcher's class-data warm-up runs the quick commands to their end.
 */
class CommandStartIT {

    private static final Map<String, String> ENV = Map.of("MERIT_CHAIN_ENABLED", "false");

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path data, String... args) throws Exception {
        try (PackagedApp app = PackagedApp.start(data, ENV, args)) {
            assertThat(app.process().waitFor(2, TimeUnit.MINUTES)).as("merit " + String.join(" ", args) + " ended")
                    .isTrue();
            return new Run(app.process().exitValue(), app.output());
        }
    }

    @Test
    void aCommandMigratesANewDatabaseAndStartsWithoutFlywayOnACurrentOne() throws Exception {
        Path data = TempPaths.directory("merit-command-start").resolve("data");
        Files.createDirectories(data.getParent());

        Run first = run(data, "disputes");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).as("a new database is migrated").contains("Successfully applied")
                .doesNotContain("ERROR");

        Run second = run(data, "disputes");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).as("the schema is current: no Flyway").doesNotContain("org.flywaydb")
                .doesNotContain("ERROR").contains("status");
    }

    @Test
    void aRelativeDataDirectoryIsTakenFromTheWorkingDirectory() throws Exception {
        Path root = TempPaths.directory("merit-relative-data");
        Path data = root.resolve("data"); // the working directory is its parent
        try (PackagedApp app = PackagedApp.start(data, Map.of("MERIT_CHAIN_ENABLED", "false", "MERIT_DATA_DIR",
                "dao/data"), "disputes")) {
            assertThat(app.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(app.process().exitValue()).as(app.output()).isZero();
            assertThat(app.output()).contains("Merit data: " + root.resolve("dao/data").toAbsolutePath().normalize())
                    .doesNotContain("ERROR");
        }
        assertThat(root.resolve("dao/data/merit.mv.db")).exists();
    }

    @Test
    void theClassDataWarmUpRunsTheQuickCommandsOnItsOwnDatabase() throws Exception {
        Path root = TempPaths.directory("merit-warm-up");
        Run warm = run(root.resolve("data"), "class-data-warm-up");
        assertThat(warm.exitCode()).as(warm.output()).isZero();
        assertThat(warm.output()).doesNotContain("ERROR").doesNotContain("Exception");
    }
}
