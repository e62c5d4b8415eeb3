package dev.merit.cluster;

import dev.merit.governance.GovernanceScheduler;
import dev.merit.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas against one PostgreSQL and one chain: this service (replica A, whose scheduler follows the chain) and
 * a second elector with its own database session (replica B). Exactly one leads; when the leader stops, or its
 * database session is cut as if it crashed, the other takes over, and only the leader's scheduler acts.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LeadershipTest {

    @Inject
    Leadership a;

    @Inject
    GovernanceScheduler scheduler;

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private Leadership replicaB() {
        return new Leadership(config("quarkus.datasource.jdbc.url"), config("quarkus.datasource.username"),
                config("quarkus.datasource.password"), 7163120411117L, "replica-b");
    }

    @Test
    void oneLeaderAtATimeAndATakeOverWhenTheLeaderStops() throws Exception {
        Leadership b = replicaB();
        try {
            assertThat(a.campaign()).isTrue();
            assertThat(b.campaign()).isFalse();
            assertThat(a.isLeader()).isTrue();
            assertThat(b.isLeader()).isFalse();
            assertThat(scheduler.follow()).as("the leader follows the chain").isTrue();

            // The leader stops: B takes over at its next campaign; A, asking again, does not lead.
            a.resign();
            assertThat(b.campaign()).isTrue();
            assertThat(a.campaign()).isFalse();
            assertThat(scheduler.follow()).as("a follower sends nothing").isFalse();

            // B crashes: its database session is cut. PostgreSQL frees the lock; A takes over; B notices and steps down.
            int pid = b.sessionPid();
            assertThat(pid).isPositive();
            try (Connection admin = DriverManager.getConnection(config("quarkus.datasource.jdbc.url"),
                    config("quarkus.datasource.username"), config("quarkus.datasource.password"));
                 PreparedStatement kill = admin.prepareStatement("select pg_terminate_backend(?)")) {
                kill.setInt(1, pid);
                kill.execute();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!a.campaign() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(a.isLeader()).isTrue();
            assertThat(b.campaign()).isFalse();
            assertThat(scheduler.follow()).isTrue();
        } finally {
            b.resign();
        }
    }
}
