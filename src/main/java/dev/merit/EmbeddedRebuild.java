package dev.merit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the embedded database's file after an unclean stop. H2 (2.4.240) can come back from a kill -9 during the
 * commit of a large transaction with part of it in place: rows whose secondary index entries are missing or left
 * behind, some locked for good by the transaction that no longer exists (found by killing an ingest of 4,000 commits at
 * its commit: two of its rows survived H2's recovery, and deleting them timed out on their locks at every start; the
 * same defect as H2 issue 4388). What H2 recovered is exported ({@code SCRIPT}) and loaded into a new file
 * ({@code RUNSCRIPT}), which has consistent indexes and no locks; Merit's own checks then see the leftovers and remove
 * them (an unfinished ingest's batch, {@code IngestBatches}).
 *
 * <p>Safe to kill at any step: a marker file says a rebuild is due until the new file is in place, and the file is
 * swapped by renames that the next start completes ({@link #finishSwap}). The file from before is kept beside it
 * ({@value #BEFORE}) until the next rebuild. Each table's row count is compared before the swap; a difference keeps
 * the recovered file as it is, with a warning.
 */
final class EmbeddedRebuild {

    static final String MARKER = "merit.rebuild-pending";
    static final String BEFORE = "merit.before-rebuild.mv.db";
    private static final String REBUILT = "merit.rebuilt.mv.db";
    private static final String FILE = "merit.mv.db";

    private EmbeddedRebuild() {
    }

    /** A rebuild was begun and did not end: the database is to be rebuilt, however cleanly it was closed since. */
    static boolean pending(Path dir) {
        return Files.exists(dir.resolve(MARKER));
    }

    /**
     * Completes a swap a kill interrupted: the old file already moved aside, the new one not yet in place; a new file
     * beside an old one still in place is dropped (the rebuild runs again).
     */
    static void finishSwap(Path dir) throws IOException {
        Path rebuilt = dir.resolve(REBUILT);
        if (Files.exists(rebuilt)) {
            if (Files.exists(dir.resolve(FILE))) {
                Files.delete(rebuilt);
            } else {
                Files.move(rebuilt, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /**
     * Rebuilds the database {@code open} holds (this process's only connection to it, closed here) and returns a
     * connection to the rebuilt one; on any failure, a connection to the file as H2 recovered it.
     */
    static Connection rebuild(Path dir, Connection open, String url, String user, String secret) throws SQLException {
        long started = System.nanoTime();
        Path work = dir.resolve("rebuild");
        try {
            System.err.printf("Merit stopped uncleanly before: rebuilding its database file (%d MB) from what H2 "
                    + "recovered, so that nothing a commit left half in place stays locked in it...%n",
                    Files.size(dir.resolve(FILE)) / 1_000_000);
            Files.writeString(dir.resolve(MARKER), "a rebuild of " + FILE + " began and has not ended\n");
            ScratchData.deleteQuietly(work); // what an earlier rebuild left
            if (Files.exists(work)) {
                throw new IOException(work + " could not be emptied");
            }
            Files.createDirectories(work);
            String script = work.resolve("merit.sql.zip").toString().replace("'", "''");
            Map<String, Long> before = counts(open);
            try (Statement s = open.createStatement()) {
                s.execute("SCRIPT TO '" + script + "' COMPRESSION DEFLATE");
            }
            open.close(); // the last connection: H2 closes the file
            String workUrl = url.replace(dir.resolve("merit").toString(), work.resolve("merit").toString());
            try (Connection fresh = DriverManager.getConnection(workUrl, user, secret);
                 Statement s = fresh.createStatement()) {
                s.execute("RUNSCRIPT FROM '" + script + "' COMPRESSION DEFLATE");
                Map<String, Long> after = counts(fresh);
                if (!after.equals(before)) {
                    throw new IllegalStateException("the rebuilt file's row counts differ: " + before + " against "
                            + after);
                }
            }
            Files.move(work.resolve(FILE), dir.resolve(REBUILT), StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve(FILE), dir.resolve(BEFORE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            finishSwap(dir);
            EmbeddedDatabase.ownerOnly(dir.resolve(FILE), "rw-------");
            EmbeddedDatabase.ownerOnly(dir.resolve(BEFORE), "rw-------");
            Files.delete(dir.resolve(MARKER));
            ScratchData.deleteQuietly(work);
            System.err.printf("Rebuilt in %.1f s; the file from before is kept as %s.%n",
                    (System.nanoTime() - started) / 1e9, dir.resolve(BEFORE));
        } catch (IOException | SQLException | RuntimeException e) {
            System.err.println("The database file could not be rebuilt (" + e.getMessage() + "); it is used as H2 "
                    + "recovered it.");
            try {
                finishSwap(dir);
                if (!Files.exists(dir.resolve(FILE)) && Files.exists(dir.resolve(BEFORE))) {
                    Files.move(dir.resolve(BEFORE), dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE); // back
                }
                if (Files.exists(dir.resolve(FILE))) {
                    Files.deleteIfExists(dir.resolve(MARKER)); // not again at every start: it stands as recovered
                }
                ScratchData.deleteQuietly(work);
            } catch (IOException ignored) {
                // left for the next start: the marker stays, and it completes the swap or rebuilds again
            }
            if (!Files.exists(dir.resolve(FILE))) {
                throw new IllegalStateException("The database file " + dir.resolve(FILE) + " is not in place after a "
                        + "failed rebuild; the one from before is " + dir.resolve(BEFORE) + ": " + e.getMessage(), e);
            }
        }
        if (!open.isClosed()) {
            return open;
        }
        return DriverManager.getConnection(url, user, secret);
    }

    /** Every table's row count, by name. */
    private static Map<String, Long> counts(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select table_name from "
                + "information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' "
                + "order by table_name")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("select count(*) from \"public\".\"" + table.replace("\"", "\"\"")
                         + "\"")) {
                r.next();
                counts.put(table, r.getLong(1));
            }
        }
        return counts;
    }
}
