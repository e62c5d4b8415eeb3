package dev.merit.cluster;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * What Merit has answered for is in the database's file, not only in its memory. The embedded H2 database writes
 * commits to its file in the background, about half a second after them (its {@code WRITE_DELAY}), so a kill -9 in
 * that time took writes Merit had already answered 201, a webhook delivery the forge will not send again among them.
 *
 * <p>{@link #flush()} returns once a store of the database's file that began after the caller's commit has ended: an
 * answer to a write waits for it (group commit). Callers that wait together share one store, and stores begin at least
 * {@link #GAP} apart, so that a burst of writes does not grow the file: H2 reuses a file's space as its background
 * writer does, a few stores a second. (Measured at 300 commits a second for four minutes: a store every 200 ms kept the
 * file at 65-81 MB against 45-67 MB with H2's writer alone; every 50 ms, 150-170 MB; after every commit, 344 MB and
 * growing.) A write waits at most one gap and a store when writes come in bursts, a store alone when they do not.
 *
 * <p>PostgreSQL makes every commit durable itself: there, and on any other database, this does nothing.
 */
@ApplicationScoped
public class DurableCommits {

    private static final Logger LOG = Logger.getLogger(DurableCommits.class);
    /** The least time between the starts of two stores. */
    static final Duration GAP = Duration.ofMillis(200);
    /** A caller waits no longer than this; H2's own writer stores its commit within half a second anyway. */
    private static final Duration WAIT_AT_MOST = Duration.ofSeconds(10);

    private final boolean embedded;
    private final javax.sql.DataSource data;
    private final Counter stores;
    private final Object lock = new Object();
    /** Callers so far, each numbered; the callers up to {@code stored} are on disk. */
    private long asked;
    private long stored;
    private boolean storing;
    private long lastStart = System.nanoTime() - GAP.toNanos();

    @Inject
    public DurableCommits(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url, AgroalDataSource data,
                          MeterRegistry metrics) {
        this(url, (javax.sql.DataSource) data, metrics);
    }

    /** On any data source (tests: an H2 file of their own). */
    DurableCommits(String url, javax.sql.DataSource data, MeterRegistry metrics) {
        this.embedded = url.startsWith("jdbc:h2:file:");
        this.data = data;
        this.stores = Counter.builder("merit.db.stores").description("Stores of the embedded database's file that "
                + "answers to writes waited for (group commit)").register(metrics);
    }

    /** Whether writes wait for the file: the embedded database. */
    public boolean applies() {
        return embedded;
    }

    /**
     * Returns once every commit made before the call is in the database's file (at once where the database itself
     * makes commits durable). A store that fails is logged: the commit stands, and H2's writer stores it later.
     */
    public void flush() {
        if (!embedded) {
            return;
        }
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        long mine;
        synchronized (lock) {
            mine = ++asked;
        }
        try {
            while (true) {
                synchronized (lock) {
                    while (stored < mine && storing) { // a store is under way, begun before this call or not: wait
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            LOG.warnf("A write waited %s for the embedded database's file, and goes on", WAIT_AT_MOST);
                            return;
                        }
                        lock.wait(Math.max(1, left / 1_000_000));
                    }
                    if (stored >= mine) {
                        return;
                    }
                    storing = true; // this caller stores, for itself and every caller before the store begins
                }
                if (!store()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One store, at least {@link #GAP} after the last began; covers every caller numbered before it begins. */
    private boolean store() throws InterruptedException {
        long covers = 0;
        boolean ok = false;
        try {
            long wait = lastStart + GAP.toNanos() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
                synchronized (lock) {
                    covers = asked;
                }
                lastStart = System.nanoTime();
                s.execute("CHECKPOINT"); // H2: store what is committed, now
            }
            stores.increment();
            ok = true;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Could not store the embedded database's file at once (%s); H2 stores it within half a second",
                    e.getMessage());
        } finally {
            synchronized (lock) {
                storing = false;
                if (ok) {
                    stored = Math.max(stored, covers);
                }
                lock.notifyAll();
            }
        }
        return ok;
    }
}
