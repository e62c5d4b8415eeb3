package dev.merit.cluster;

import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Which replica leads: the one holding a PostgreSQL session-level advisory lock. Only the leader sends chain writes
 * and runs scheduled jobs; every replica serves the API and consumes Kafka in the shared group.
 *
 * <p>The lock lives as long as the leader's database session: if the leader stops, crashes or loses the database,
 * PostgreSQL ends the session and frees the lock, and the next replica to campaign (every
 * {@code merit.leader.check-interval}) takes over. The leader re-checks its session before it acts, so a leader
 * cut off from the database steps down instead of acting on a lock it may have lost.
 *
 * <p>On the embedded H2 database several processes share one data directory: the server and the commands run beside
 * it ({@code merit chain propose}, say). The one that holds an exclusive lock on the file {@code merit.leader.lock}
 * beside the database leads; the operating system frees it when that process ends, kill -9 included. So a command run
 * while the server runs stores its chain writes in the outbox and leaves the sending to the server: one sender, one
 * nonce sequence.
 */
@ApplicationScoped
@Startup
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final String url;
    private final String user;
    private final String password;
    private final long lockKey;
    private final boolean postgres;
    private final String instance;
    private final Path lockFile;
    private FileChannel lockChannel;
    private FileLock fileLock;
    private Connection session;
    private volatile boolean leader;
    private long checkedAt;

    @Inject
    public Leadership(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                      @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "") String user,
                      @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password,
                      @ConfigProperty(name = "merit.leader.lock-key", defaultValue = "7163120411117") long lockKey,
                      MeterRegistry metrics) {
        this(url, user, password, lockKey, ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
        if (metrics != null) {
            Gauge.builder("merit.leader", this, l -> l.leader ? 1 : 0)
                    .description("1 while this replica holds the leader lock (sends chain writes, runs jobs)")
                    .register(metrics);
        }
    }

    /** A replica with its own database session (tests run two against one database). */
    public Leadership(String url, String user, String password, long lockKey, String instance) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.lockKey = lockKey;
        this.postgres = url.startsWith("jdbc:postgresql:");
        this.instance = instance;
        this.lockFile = h2File(url);
    }

    public String instance() {
        return instance;
    }

    /**
     * Whether this replica leads now. A leader's session is checked at most once a second before answering, so
     * a leader that lost its session answers no.
     */
    public synchronized boolean isLeader() {
        if (!postgres) {
            return fileLeader();
        }
        if (System.nanoTime() - checkedAt > 1_000_000_000L || !leader) {
            campaign();
        }
        return leader;
    }

    @Scheduled(every = "${merit.leader.check-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCampaign() {
        campaign();
    }

    /** Keeps or seeks the lock. Returns whether this replica leads afterwards. */
    public synchronized boolean campaign() {
        if (!postgres) {
            leader = fileLeader();
            return leader;
        }
        checkedAt = System.nanoTime();
        if (leader) {
            if (alive()) {
                return true;
            }
            LOG.warnf("Replica %s lost its database session: no longer the leader", instance);
            leader = false;
            closeSession();
        }
        try {
            if (session == null || !alive()) {
                closeSession();
                session = DriverManager.getConnection(url, user, password);
                session.setAutoCommit(true);
            }
            try (PreparedStatement st = session.prepareStatement("select pg_try_advisory_lock(?)")) {
                st.setLong(1, lockKey);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    leader = rs.getBoolean(1);
                }
            }
            if (leader) {
                LOG.infof("Replica %s is the leader (advisory lock %d): it sends chain writes and runs jobs", instance, lockKey);
            }
        } catch (SQLException e) {
            LOG.warnf("Replica %s could not campaign for leadership: %s", instance, e.getMessage());
            leader = false;
            closeSession();
        }
        return leader;
    }

    /** The lock file of an embedded file database ({@code jdbc:h2:file:PATH;...}: PATH.leader.lock); else null. */
    static Path h2File(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String path = url.substring("jdbc:h2:file:".length());
        int options = path.indexOf(';');
        return Path.of((options < 0 ? path : path.substring(0, options)) + ".leader.lock");
    }

    private boolean fileLeader() {
        if (lockFile == null) {
            return true;
        }
        if (fileLock != null && fileLock.isValid()) {
            return true;
        }
        try {
            if (lockChannel == null || !lockChannel.isOpen()) {
                Files.createDirectories(lockFile.toAbsolutePath().getParent());
                lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            fileLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null; // another Merit in this JVM (a test) holds it
        } catch (IOException e) {
            LOG.warnf("Could not take the leader lock %s: %s", lockFile, e.getMessage());
            fileLock = null;
        }
        if (fileLock != null) {
            LOG.debugf("%s holds %s: it sends chain writes and runs jobs", instance, lockFile);
        }
        return fileLock != null;
    }

    /**
     * Whether another Merit process leads on this embedded database's data directory (it holds the lock file): the
     * server beside a command. It runs the local chain; the command must not start a second one on the same state.
     * False on PostgreSQL, where replicas share a configured node.
     */
    public synchronized boolean anotherProcessLeads() {
        return !postgres && lockFile != null && !fileLeader();
    }

    /** Gives the lock up (the next replica to campaign takes over) and closes the session. */
    public synchronized void resign() {
        if (lockChannel != null) {
            try {
                lockChannel.close(); // frees the file lock
            } catch (IOException e) {
                LOG.debugf("closing %s: %s", lockFile, e.getMessage());
            }
            lockChannel = null;
            fileLock = null;
        }
        if (leader && session != null) {
            try (PreparedStatement st = session.prepareStatement("select pg_advisory_unlock(?)")) {
                st.setLong(1, lockKey);
                st.execute();
            } catch (SQLException e) {
                LOG.debugf("unlock failed (the session ends anyway): %s", e.getMessage());
            }
        }
        leader = false;
        closeSession();
    }

    /** The database's process id of this replica's session (for tests that cut it off), or -1. */
    public synchronized int sessionPid() {
        if (session == null) {
            return -1;
        }
        try (PreparedStatement st = session.prepareStatement("select pg_backend_pid()"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        resign();
    }

    private boolean alive() {
        if (session == null) {
            return false;
        }
        try (PreparedStatement st = session.prepareStatement("select 1")) {
            st.setQueryTimeout(2);
            st.execute();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // already gone
            }
            session = null;
        }
    }
}
