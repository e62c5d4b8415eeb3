package dev.merit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A command's schema: Flyway runs only when the database lacks a migration. The server migrates at every start
 * ({@code quarkus.flyway.migrate-at-start}); a command (MeritMain turns that off and sets {@link #CHECK}) first asks
 * the schema history, since starting Flyway to learn that nothing is to do is a quarter of a second of a command that
 * should take two or three.
 */
@ApplicationScoped
public class CommandSchema {

    /** Set by MeritMain for a command when nobody configured {@code quarkus.flyway.migrate-at-start}. */
    static final String CHECK = "merit.command.migrate-when-behind";

    /**
     * The newest schema version of Merit's migrations ({@code db/migration/V<n>__*.sql}); CommandSchemaTest holds it
     * to the files.
     */
    static final int SCHEMA_VERSION = 40;

    void migrateWhenBehind(@Observes @Priority(1) StartupEvent started, AgroalDataSource db, Instance<Flyway> flyway)
            throws SQLException {
        if (!Boolean.getBoolean(CHECK)) {
            return;
        }
        boolean current;
        try (Connection c = db.getConnection()) {
            current = current(c);
        }
        if (!current) {
            flyway.get().migrate();
        }
    }

    /**
     * Whether the database has every migration up to {@link #SCHEMA_VERSION} and no failed one. A database without a
     * history, with a version this Merit does not know, or with a newer one is not current: Flyway decides.
     */
    static boolean current(Connection c) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version, success from flyway_schema_history where version is not null")) {
            int newest = 0;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                newest = Math.max(newest, Integer.parseInt(rs.getString(1)));
            }
            return newest == SCHEMA_VERSION;
        } catch (SQLException | NumberFormatException noHistoryOrAnotherScheme) {
            return false;
        }
    }
}
