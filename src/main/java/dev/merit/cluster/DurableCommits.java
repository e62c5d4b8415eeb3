package dev.merit.cluster;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What Merit has answered for is in the database's file, not only in its memory. The embedded H2 database writes
 * commits to its file in the background, about half a second after them (its {@code WRITE_DELAY}), so a kill -9 in
 * that time took writes Merit had already answered 201, a webhook delivery the forge will not send again among them.
 *
 * <p>{@link #flush()} returns once a store of the database's file that began after the caller's commit has ended: an
 * answer to a write waits for it (group commit). Callers that wait together share one store, and this process begins
 * its stores at least {@link #GAP} apart, so that a burst of writes does not grow the file: H2's store is append-only
 * and reuses space after its retention time. (Measured at 300 commits a second for four minutes: a store every 200 ms
 * kept the file at 65-81 MB against 45-67 MB with H2's writer alone; every 100 ms, 112 MB and growing; every 50 ms,
 * 150-170 MB.) A caller waits until {@link #GAP} after the last store began, then for its own store.
 *
 * <p>A store is a change to a one-row table ({@code durable_store}), then what {@code CHECKPOINT} does. The change makes
 * sure the store has something to write, so that it does not return at once while a store of H2's own writer, begun
 * before it and holding the caller's commit, is still on its way to the file (H2 writes those on threads of its own;
 * a store queues behind them). H2 skips a store when one of its own began meanwhile: in this process Merit asks
 * H2's store directly, which says whether it stored, and tries again; through the process that holds the file (a
 * CLI beside the server) it sends {@code CHECKPOINT} twice, which is as good as it gets from there: a store that H2
 * begins itself when much is unsaved can still make both return early. Stores run on a thread of their own, which
 * only the end of the process could interrupt (an interrupted H2 store returns before its chunk is written, and counts
 * as failed here); a caller waits at most {@link #WAIT_AT_MOST}.
 *
 * <p>PostgreSQL makes every commit durable itself: there, and on any database but an H2 file, this does nothing.
 */
@ApplicationScoped
public class DurableCommits {

    private static final Logger LOG = Logger.getLogger(DurableCommits.class);
    /** The least time between the starts of two stores of this process. */
    static final Duration GAP = Duration.ofMillis(200);
    /** A caller waits no longer than this; H2's own writer stores its commit within half a second anyway. */
    private static final Duration WAIT_AT_MOST = Duration.ofSeconds(10);

    private final boolean embedded;
    private final javax.sql.DataSource data;
    private final Counter stores;
    private final ExecutorService storer;
    private final Object lock = new Object();
    /** Callers so far, each numbered; the callers up to {@code stored} are on disk, those up to {@code failed} not. */
    private long asked;
    private long stored;
    private long failed;
    private boolean storing;
    private long lastStart = System.nanoTime() - GAP.toNanos();
    private long lastWarning;

    @Inject
    public DurableCommits(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url, AgroalDataSource data,
                          MeterRegistry metrics) {
        this(url, (javax.sql.DataSource) data, metrics);
    }

    /** On any data source (tests: an H2 file of their own). */
    DurableCommits(String url, javax.sql.DataSource data, MeterRegistry metrics) {
        this.embedded = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        this.data = data;
        this.stores = Counter.builder("merit.db.stores").description("Stores of the embedded database's file that "
                + "answers to writes waited for (group commit)").register(metrics);
        this.storer = embedded ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "merit-durable-store");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Lets a store under way end (an interrupted H2 store would return before its chunk is written). */
    @PreDestroy
    void stop() {
        if (storer != null) {
            storer.shutdown();
            try {
                storer.awaitTermination(WAIT_AT_MOST.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether writes wait for the file: an H2 database in a file. */
    public boolean applies() {
        return embedded;
    }

    /**
     * Returns once every commit made before the call is in the database's file: true then (and at once where the
     * database itself makes commits durable); false when that could not be done in time, or the store failed (logged;
     * the commit stands, and H2's writer stores it within half a second if the process lives).
     */
    public boolean flush() {
        if (!embedded) {
            return true;
        }
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        synchronized (lock) {
            long mine = ++asked;
            try {
                while (stored < mine) {
                    if (failed >= mine) {
                        return false;
                    }
                    if (!storing) { // a store that began before this call does not cover it: the next one does
                        try {
                            storer.execute(this::store);
                        } catch (java.util.concurrent.RejectedExecutionException stopping) {
                            return false; // the process is stopping: H2 stores everything as it closes
                        }
                        storing = true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        warn("A write waited " + WAIT_AT_MOST.toSeconds() + " s for the database's file and goes on");
                        return false;
                    }
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** One store, begun at least {@link #GAP} after the last; covers every caller numbered before it begins. */
    private void store() {
        long covers = 0;
        boolean ok = false;
        try {
            long wait = lastStart + GAP.toNanos() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep((wait + 999_999) / 1_000_000);
            }
            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                synchronized (lock) {
                    covers = asked;
                }
                lastStart = System.nanoTime();
                org.h2.mvstore.MVStore local = inThisProcess(c);
                for (int attempt = 1; ; attempt++) {
                    s.executeUpdate("update durable_store set stores = stores + 1 where id = 1");
                    if (local == null) { // through the process that holds the file (AUTO_SERVER): no word back
                        s.execute("CHECKPOINT");
                        if (attempt == 2) {
                            break;
                        }
                    } else if (local.commit() >= 0) { // what CHECKPOINT does, saying whether it stored
                        if (Thread.interrupted()) { // H2 returned before writing the chunk
                            throw new InterruptedException("stopped while storing");
                        }
                        break;
                    } else if (attempt == 5) {
                        throw new IllegalStateException("H2 began a store of its own each time, five times");
                    }
                }
            }
            stores.increment();
            ok = true;
        } catch (SQLException | RuntimeException e) {
            warn("Could not store the database's file at once (" + e.getMessage() + "); H2 stores it within half a "
                    + "second");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        } finally {
            synchronized (lock) {
                storing = false;
                if (ok) {
                    stored = Math.max(stored, covers);
                } else {
                    failed = Math.max(failed, covers == 0 ? asked : covers);
                }
                lock.notifyAll();
            }
        }
    }

    /** The store of the H2 database this process holds open, or null when the connection goes through another. */
    private static org.h2.mvstore.MVStore inThisProcess(Connection c) throws SQLException {
        return c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local
                ? local.getDatabase().getStore().getMvStore() : null;
    }

    /** Logged at most once a minute: a store that keeps failing would otherwise log every write. */
    private void warn(String message) {
        long now = System.nanoTime();
        synchronized (lock) {
            if (lastWarning != 0 && now - lastWarning < Duration.ofMinutes(1).toNanos()) {
                return;
            }
            lastWarning = now;
        }
        LOG.warn(message);
    }
}
