package dev.merit.scoring;

import dev.merit.support.PostgresResource;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A scoring run's transaction reads one snapshot: what another transaction commits meanwhile is not half in it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OneSnapshotTest {

    private static long contributors() {
        return ((Number) Panache.getEntityManager().createNativeQuery("select count(*) from contributor")
                .getSingleResult()).longValue();
    }

    private static void addContributor() {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(
                        "insert into contributor (id, display_name, bot, created_at) values (?1, 'Snapshot Reader', false, "
                                + "current_timestamp)")
                .setParameter(1, 900_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L)).executeUpdate());
    }

    @Test
    void aRowCommittedDuringTheTransactionIsNotSeenByIt() {
        long[] seen = new long[3];
        QuarkusTransaction.requiringNew().run(() -> {
            OneSnapshot.forThisTransaction();
            seen[0] = contributors();
            addContributor(); // another transaction, committed while this one is open
            seen[1] = contributors();
        });
        QuarkusTransaction.requiringNew().run(() -> seen[2] = contributors());
        assertThat(seen[1]).isEqualTo(seen[0]);
        assertThat(seen[2]).isEqualTo(seen[0] + 1);

        // Without it (the default), the same transaction sees the other's row: what the snapshot is for.
        long[] plain = new long[2];
        QuarkusTransaction.requiringNew().run(() -> {
            plain[0] = contributors();
            addContributor();
            plain[1] = contributors();
        });
        assertThat(plain[1]).isEqualTo(plain[0] + 1);
    }

    @Test
    void aRunStartedFromTheApiReadsOneSnapshot() {
        dev.merit.support.TestRepo r = dev.merit.support.TestRepo.create("merit-snapshot",
                java.time.Instant.parse("1995-06-01T00:00:00Z"));
        r.write("a.py", "x = 1\n").commit("feat: a", "Ann Snapshot", "ann.snapshot@example.com");
        dev.merit.support.Api.ingest(r);
        long epoch = dev.merit.support.Api.epoch("snapshot-1995-06", "1995-06-01T00:00:00Z", "1995-07-01T00:00:00Z",
                java.math.BigInteger.TEN.pow(18));
        long run = dev.merit.support.Api.score(epoch);
        assertThat(IsolationProbe.LEVEL_BY_RUN.get(run)).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
    }

    private static int backend() {
        return ((Number) Panache.getEntityManager().createNativeQuery("select pg_backend_pid()").getSingleResult())
                .intValue();
    }

    @Test
    void theConnectionGoesBackToThePoolAtItsOwnLevel() {
        int[] pid = new int[2];
        QuarkusTransaction.requiringNew().run(() -> {
            OneSnapshot.forThisTransaction();
            pid[0] = backend();
        });
        AtomicInteger level = new AtomicInteger();
        QuarkusTransaction.requiringNew().run(() -> {
            pid[1] = backend();
            Panache.getEntityManager().unwrap(Session.class).doWork(c -> level.set(c.getTransactionIsolation()));
        });
        // The same server process: the very connection the snapshot used (the pool keeps one per thread), now reset.
        org.junit.jupiter.api.Assumptions.assumeTrue(pid[0] == pid[1], "the pool handed out another connection");
        assertThat(level.get()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
    }
}
