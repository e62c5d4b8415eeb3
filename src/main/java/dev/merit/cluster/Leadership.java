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

import java.lang.management.ManagementFactory;
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
 * cut off from the database steps down instead of acting on a lock it may have lost. On the embedded H2 database
 * there is one process, and it leads.
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
            return true;
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
            leader = true;
            return true;
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

    /** Gives the lock up (the next replica to campaign takes over) and closes the session. */
    public synchronized void resign() {
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
