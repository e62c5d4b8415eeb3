package dev.merit.cluster;

import dev.merit.support.TempPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit on an embedded H2 file: every caller returns only after a store that began after its call (so after
 * its commit), callers that wait together share a store, and stores begin at least a gap apart.
 */
class DurableCommitsTest {

    /** The moments (nanoTime) at which each store was sent (its change to durable_store), seen by the data source. */
    private final List<Long> checkpoints = Collections.synchronizedList(new ArrayList<>());
    /** The moments at which each store took its connection (one a store). */
    private final List<Long> storesBegan = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyCallerWaitsForAStoreBegunAfterItAndCallersShareStores() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + TempPaths.directory("merit-durable-unit").resolve("db") + ";MODE=PostgreSQL");
        h2.setUser("sa");
        DurableCommits durable = new DurableCommits("jdbc:h2:file:...", watched(h2), new SimpleMeterRegistry());
        assertThat(durable.applies()).isTrue();
        try (Connection c = h2.getConnection()) {
            c.createStatement().execute("create table t (id int primary key)");
            c.createStatement().execute("create table durable_store (id int primary key, stores bigint not null)");
            c.createStatement().execute("insert into durable_store values (1, 0)");
        }
        int callers = 8, each = 10;
        List<long[]> calls = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < callers; k++) {
                int caller = k;
                done.add(pool.submit(() -> {
                    try (Connection c = h2.getConnection()) {
                        for (int i = 0; i < each; i++) {
                            c.createStatement().execute("insert into t values (" + (caller * 1000 + i) + ")");
                            long called = System.nanoTime();
                            assertThat(durable.flush()).isTrue();
                            calls.add(new long[] {called, System.nanoTime()});
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(calls).hasSize(callers * each);
        List<Long> sent = new ArrayList<>(checkpoints);
        for (long[] call : calls) {
            assertThat(sent).as("a store was sent between the call and its return")
                    .anyMatch(t -> t >= call[0] && t <= call[1]);
        }
        List<Long> began = new ArrayList<>(storesBegan);
        assertThat(began.size()).as("callers share stores").isLessThan(callers * each / 2);
        for (int i = 1; i < began.size(); i++) {
            assertThat(began.get(i) - began.get(i - 1)).as("stores begin a gap apart")
                    .isGreaterThanOrEqualTo(DurableCommits.GAP.toNanos());
        }
    }

    /**
     * What a flush returned for is in the file at that moment: a copy of the file taken then (what a kill -9 would
     * leave) holds the row committed before the flush. (Without the flush, H2 writes it about half a second later.)
     */
    @Test
    void aCopyOfTheFileTakenWhenAFlushReturnsHoldsWhatWasCommittedBeforeIt() throws Exception {
        java.nio.file.Path dir = TempPaths.directory("merit-durable-copy");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL");
        h2.setUser("sa");
        DurableCommits durable = new DurableCommits("jdbc:h2:file:...", h2, new SimpleMeterRegistry());
        try (Connection c = h2.getConnection()) {
            c.createStatement().execute("create table t (id int primary key)");
            c.createStatement().execute("create table durable_store (id int primary key, stores bigint not null)");
            c.createStatement().execute("insert into durable_store values (1, 0)");
            for (int i = 0; i < 5; i++) {
                c.createStatement().execute("insert into t values (" + i + ")");
                assertThat(durable.flush()).isTrue();
                java.nio.file.Files.copy(dir.resolve("db.mv.db"), dir.resolve("copy" + i + ".mv.db"));
                try (Connection copy = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("copy" + i)
                        + ";MODE=PostgreSQL", "sa", "");
                     java.sql.ResultSet rs = copy.createStatement().executeQuery("select count(*) from t where id = " + i)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("row " + i + " in the copy taken when its flush returned").isEqualTo(1);
                }
            }
        }
    }

    /** A store that fails (here: no row to change) is said at once: the write goes on, and a Kafka batch is read again. */
    @Test
    void aStoreThatFailsIsSaidAtOnceAndNothingWaitsForIt() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + TempPaths.directory("merit-durable-failing").resolve("db") + ";MODE=PostgreSQL");
        h2.setUser("sa");
        DurableCommits durable = new DurableCommits("jdbc:h2:file:...", h2, new SimpleMeterRegistry());
        long started = System.nanoTime();
        assertThat(durable.flush()).isFalse();
        assertThat(durable.flush()).as("and again for the next write").isFalse();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void onADatabaseThatMakesCommitsDurableItselfNothingWaits() {
        DurableCommits postgres = new DurableCommits("jdbc:postgresql://localhost/merit", null, new SimpleMeterRegistry());
        assertThat(postgres.applies()).isFalse();
        postgres.flush(); // no data source is asked
    }

    /** {@code h2}, noting when each CHECKPOINT is sent. */
    private javax.sql.DataSource watched(JdbcDataSource h2) {
        return new javax.sql.DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                storesBegan.add(System.nanoTime());
                Connection c = h2.getConnection();
                return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            Object result = method.invoke(c, args);
                            if (method.getName().equals("createStatement")) {
                                java.sql.Statement s = (java.sql.Statement) result;
                                return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                        new Class<?>[] {java.sql.Statement.class}, (p2, m2, a2) -> {
                                            if (m2.getName().startsWith("execute")
                                                    && String.valueOf(a2[0]).startsWith("update durable_store")) {
                                                checkpoints.add(System.nanoTime());
                                            }
                                            return m2.invoke(s, a2);
                                        });
                            }
                            return result;
                        });
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) {
                return null;
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
