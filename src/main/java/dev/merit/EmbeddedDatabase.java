package dev.merit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * The embedded H2 database's hardening, before Quarkus opens it. Its helper TCP port (AUTO_SERVER, so that the CLI
 * can share the file with a running server) listens on loopback only; the data directory is the owner's alone
 * (0700); the password is a per-installation secret in {@code db-secret} (0600), not the well-known "merit".
 * A data directory from before keeps working: its password is changed to a new secret on first start.
 */
final class EmbeddedDatabase {

    static final String USER = "merit";
    static final String LEGACY_PASSWORD = "merit";
    static final String SECRET_FILE = "db-secret";

    private EmbeddedDatabase() {
    }

    /** The data directory, absolute: {@code merit.data-dir} ({@code MERIT_DATA_DIR}), else ./data. */
    static Path dataDir(UnaryOperator<String> lookup) {
        String dataDir = lookup.apply("merit.data-dir");
        return Path.of(dataDir == null ? "data" : dataDir).toAbsolutePath();
    }

    /**
     * Prepares the data directory and sets {@code quarkus.datasource.password}, unless the database or its password
     * is configured elsewhere ({@code lookup} reads system properties, then the environment).
     */
    static void prepare(UnaryOperator<String> lookup) {
        prepare(lookup, false);
    }

    /**
     * As {@link #prepare(UnaryOperator)}; {@code aside} (a command) opens a cleanly closed database on another thread
     * while Quarkus starts: a third of a second the command need not wait for, since the connection pool's first
     * connection comes a second later and waits for that opening (H2 opens a database once per process). A database
     * whose lock file is there (a crash left it, or a server holds it) is opened first, as the server always does,
     * so that a long recovery never meets the pool's time limit.
     */
    static void prepare(UnaryOperator<String> lookup, boolean aside) {
        if (lookup.apply("quarkus.datasource.jdbc.url") != null || lookup.apply("quarkus.datasource.password") != null) {
            return;
        }
        Path dir = dataDir(lookup);
        System.setProperty("h2.bindAddress", "127.0.0.1");
        try {
            EmbeddedRebuild.finishSwap(dir); // before anything opens the file: a missing one would be made anew, empty
        } catch (IOException e) {
            throw new UncheckedIOException("cannot complete the rebuild of the database in " + dir, e);
        }
        String secret = secret(dir);
        if (aside && !leftOpen(dir) && !EmbeddedRebuild.pending(dir)) {
            Thread opening = new Thread(() -> {
                try {
                    open(dir, secret);
                } catch (IllegalStateException e) {
                    System.err.println(e.getMessage()); // the pool's own attempt fails next and stops the command
                }
            }, "merit-database-open");
            opening.setDaemon(true);
            opening.start();
        } else {
            open(dir, secret);
        }
        System.setProperty("quarkus.datasource.password", secret);
    }

    /**
     * Opens the database once before Quarkus does. After an unclean stop (kill -9, power loss) H2 rolls back what
     * was not committed when it opens the file, which can take longer than a connection pool waits (an ingest of
     * 14,000 commits: over 5 s); here it may take what it takes, and says so.
     */
    private static Connection held;

    static void open(Path dir, String secret) {
        boolean unclean = leftOpen(dir) || EmbeddedRebuild.pending(dir);
        long started = System.nanoTime();
        try {
            Connection c = DriverManager.getConnection(url(dir), USER, secret);
            c.isValid(1);
            // Kept open while Merit runs: the database stays open, so the connection pool's first connection does not
            // open the file a second time (half a second of a command's start-up).
            held = c;
        } catch (SQLException e) {
            throw new IllegalStateException("The database in " + dir + " cannot be opened: " + e.getMessage(), e);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        // The lock file is also there while a running server holds the database: a command beside it connects to
        // that server (AUTO_SERVER), which recovers nothing, however long connecting took.
        if (unclean && !throughAnotherProcess(held)) {
            if (ms > 1000) {
                System.err.printf("Merit stopped uncleanly before; the database in %s was recovered in %.1f s "
                        + "(what was not committed was rolled back).%n", dir, ms / 1000.0);
            }
            try {
                held = EmbeddedRebuild.rebuild(dir, held, url(dir), USER, secret);
            } catch (SQLException e) {
                throw new IllegalStateException("The database in " + dir + " cannot be opened after its rebuild: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Whether the connection reached the database through the process that holds it open (H2's AUTO_SERVER). */
    private static boolean throughAnotherProcess(Connection c) {
        try {
            return c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionRemote;
        } catch (SQLException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** H2's lock file is there: a process has the database open, or one that had it stopped without closing it. */
    private static boolean leftOpen(Path dir) {
        return Files.exists(dir.resolve("merit.lock.db"));
    }

    /** The URL application.properties gives Quarkus, so that both open the file with the same settings. */
    static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("merit")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
    }

    /** The directory's password, made (and the database's changed to it) when there is none yet. */
    static String secret(Path dir) {
        try {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
            ignoredByGit(dir);
            Path file = dir.resolve(SECRET_FILE);
            if (Files.exists(file)) {
                ownerOnly(file, "rw-------");
                return Files.readString(file).strip();
            }
            Path pending = dir.resolve(SECRET_FILE + ".new");
            String secret = Files.exists(pending) ? Files.readString(pending).strip() : newSecret();
            if (!Files.exists(pending)) {
                Files.writeString(pending, secret);
                ownerOnly(pending, "rw-------");
            }
            if (Files.exists(dir.resolve("merit.mv.db"))) {
                migrate(dir, secret);
            }
            Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith("merit.")).toList()) {
                    ownerOnly(p, "rw-------");
                }
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dir, e);
        }
    }

    /**
     * The data directory tells Git to leave it alone: ./data of a working directory inside a clone (a command run in
     * the repository it ingests) would otherwise show the database and its secret as files to commit.
     */
    private static void ignoredByGit(Path dir) throws IOException {
        Path ignore = dir.resolve(".gitignore");
        if (!Files.exists(ignore)) {
            Files.writeString(ignore, "# Merit's database, its secret and its local chain: never committed.\n*\n");
        }
    }

    /** An existing database still has the old well-known password (or already the pending one, after a crash). */
    private static void migrate(Path dir, String secret) {
        String url = url(dir);
        try (Connection c = DriverManager.getConnection(url, USER, LEGACY_PASSWORD);
             PreparedStatement s = c.prepareStatement("ALTER USER " + USER + " SET PASSWORD ?")) {
            s.setString(1, secret);
            s.execute();
        } catch (SQLException legacyRefused) {
            try (Connection c = DriverManager.getConnection(url, USER, secret)) {
                c.isValid(1); // changed before a crash: the pending secret is the password already
            } catch (SQLException e) {
                throw new IllegalStateException("The database in " + dir + " accepts neither its old password nor "
                        + "the new one in " + SECRET_FILE + ".new: " + e.getMessage(), e);
            }
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory already keeps others out.
        }
    }
}
