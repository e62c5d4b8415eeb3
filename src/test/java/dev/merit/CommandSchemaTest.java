package dev.merit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** A command leaves Flyway off only on a database that has every migration, none failed. */
class CommandSchemaTest {

    static {
        // As MeritMain does before anything opens H2 (H2 reads it once per JVM; EmbeddedDatabaseTest checks it).
        System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    @Test
    void theSchemaVersionIsTheNewestMigration() throws Exception {
        int newest;
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(CommandSchema.SCHEMA_VERSION).as("CommandSchema.SCHEMA_VERSION follows db/migration").isEqualTo(newest);
    }

    @Test
    void currentOnlyWhenEveryMigrationIsAppliedAndNoneFailed() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:command-schema;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                "sa", "")) {
            assertThat(CommandSchema.current(c)).as("a new database: no history").isFalse();
            c.createStatement().execute("create table flyway_schema_history (installed_rank int, version varchar(50), "
                    + "success boolean)");
            int last = CommandSchema.SCHEMA_VERSION;
            for (int v = 1; v < last; v++) {
                c.createStatement().execute("insert into flyway_schema_history values (" + v + ", '" + v + "', true)");
            }
            assertThat(CommandSchema.current(c)).as("one migration to go").isFalse();
            c.createStatement().execute("insert into flyway_schema_history values (" + last + ", '" + last + "', false)");
            assertThat(CommandSchema.current(c)).as("the last one failed").isFalse();
            c.createStatement().execute("update flyway_schema_history set success = true");
            assertThat(CommandSchema.current(c)).isTrue();
            c.createStatement().execute("insert into flyway_schema_history values (" + (last + 1) + ", '"
                    + (last + 1) + "', true)");
            assertThat(CommandSchema.current(c)).as("a newer Merit's database: Flyway decides").isFalse();
        }
    }
}
