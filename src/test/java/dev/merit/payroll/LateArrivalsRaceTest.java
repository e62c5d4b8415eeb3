package dev.merit.payroll;

import dev.merit.contributor.ActorRef;
import dev.merit.ingest.Contribution;
import dev.merit.ingest.ContributionEvent;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.ingest.Ingestor;
import dev.merit.ingest.LateArrivals;
import dev.merit.support.Api;
import dev.merit.support.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ingest and a payout's approval that overlap cannot see each other's rows: work the ingest stores dated in the
 * period being approved would be in neither the payout (its run did not read it) nor a later period. The approval checks
 * again once it has committed, which moves the rows of an ingest that committed before; the service's recheck of
 * recent arrivals moves those of one that committed later, and those a check missed. The approval is recorded as governance records it once the chain says executed
 * ({@link PayoutLedger#chainState}); the chain itself plays no part in the race.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LateArrivalsRaceTest {

    @Inject
    Ingestor ingestor;

    @Inject
    PayoutLedger ledger;

    @Inject
    LateArrivals late;

    /** A pull request a forge's webhook reports (20 lines). */
    private static ContributionEvent pullRequest(String id, String at) {
        return new ContributionEvent("race", id, "pull_request", Instant.parse(at), "race/dao", null,
                ActorRef.of("Rae Race", "rae@race.example"), List.of(), "Add guard " + id, null,
                new ContributionMetrics(20, 0, 1, 0, 0, Map.of(), 0, 0, 0, 20), List.of(), null);
    }

    /** A payout of the month from {@code start}, proposed as a draft from a run that read one history pull request. */
    private long payout(String name, String start, String end, String historyAt) {
        QuarkusTransaction.requiringNew().run(() -> ingestor.open().store(List.of(pullRequest(name + "-history", historyAt))));
        long epoch = Api.epoch(name, start, end, BigInteger.TEN.pow(19));
        Api.score(epoch);
        return Api.propose(epoch).getLong("id");
    }

    private static Contribution stored(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Contribution.<Contribution>find("source = 'race' and "
                + "externalId = ?1", id).singleResult());
    }

    private void approve(long payout) {
        ledger.chainState(payout, "EXECUTED");
    }

    @Test
    void workAnIngestCommitsAfterTheApprovalIsMovedByTheNextRecheck() throws Exception {
        long payout = payout("race-1998-01", "1998-01-01T00:00:00Z", "1998-02-01T00:00:00Z", "1998-01-05T00:00:00Z");
        CountDownLatch stored = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The ingest stores its pull request (the period is not paid yet) and stays open while the payout is approved.
        CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            ingestor.open(false, null, true).store(List.of(pullRequest("race-1998-01-late", "1998-01-15T00:00:00Z")));
            stored.countDown();
            await(release);
        }));
        assertThat(stored.await(30, TimeUnit.SECONDS)).isTrue();
        Instant approving = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> approve(payout));
        release.countDown();
        ingest.get(30, TimeUnit.SECONDS);
        // Neither saw the other: the row is still dated in the paid January, until the service's next recheck.
        assertThat(stored("race-1998-01-late").lateFrom).isNull();
        assertThat(late.recheckNow()).isPositive();

        Contribution moved = stored("race-1998-01-late");
        assertThat(moved.lateFrom).isEqualTo(Instant.parse("1998-01-15T00:00:00Z"));
        assertThat(moved.occurredAt).isAfterOrEqualTo(approving.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        Contribution read = stored("race-1998-01-history");
        assertThat(read.occurredAt).isEqualTo(Instant.parse("1998-01-05T00:00:00Z"));
        assertThat(read.lateFrom).isNull();
    }

    @Test
    void workAnIngestCommitsWhileTheApprovalIsOpenIsMovedByTheApprovalsOwnCheck() throws Exception {
        long payout = payout("race-1998-02", "1998-02-01T00:00:00Z", "1998-03-01T00:00:00Z", "1998-02-05T00:00:00Z");
        CountDownLatch approved = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The approval moves what it can see, and stays open while the ingest stores and commits its pull request.
        CompletableFuture<Void> approval = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            approve(payout);
            approved.countDown();
            await(release);
        }));
        assertThat(approved.await(30, TimeUnit.SECONDS)).isTrue();
        QuarkusTransaction.requiringNew().run(() -> ingestor.open(false, null, true)
                .store(List.of(pullRequest("race-1998-02-late", "1998-02-15T00:00:00Z"))));
        assertThat(stored("race-1998-02-late").lateFrom).isNull(); // the ingest could not see the approval
        release.countDown();
        approval.get(30, TimeUnit.SECONDS);

        Contribution moved = stored("race-1998-02-late");
        assertThat(moved.lateFrom).isEqualTo(Instant.parse("1998-02-15T00:00:00Z"));
        assertThat(moved.occurredAt).isAfter(Instant.parse("1998-03-01T00:00:00Z"));
        assertThat(stored("race-1998-02-history").lateFrom).isNull();
    }

    /**
     * Live work left dated in a paid period, whatever left it there (an ingest that committed after the approval, a check
     * that failed or never ran because the process died), is moved by the service's next recheck.
     */
    @Test
    void workACheckMissedIsMovedByTheNextRecheck() {
        long payout = payout("race-1998-03", "1998-03-01T00:00:00Z", "1998-04-01T00:00:00Z", "1998-03-05T00:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> approve(payout));
        // Live work dated in the paid March that no check moved: stored as history, then marked as arrived now; and
        // a commit of a Git ingest that ran for days and ended now (its rows are dated by their batch, days ago).
        QuarkusTransaction.requiringNew().run(() -> ingestor.open().store(List.of(
                pullRequest("race-1998-03-missed", "1998-03-15T00:00:00Z"),
                pullRequest("race-1998-03-long-ingest", "1998-03-16T00:00:00Z"))));
        QuarkusTransaction.requiringNew().run(() -> {
            var em = io.quarkus.hibernate.orm.panache.Panache.getEntityManager();
            em.createNativeQuery("update contribution set arrived_at = ?1 where source = 'race' and external_id = ?2")
                    .setParameter(1, Instant.now()).setParameter(2, "race-1998-03-missed").executeUpdate();
            long batch = ((Number) em.createNativeQuery("select nextval('ingest_batch_seq')").getSingleResult()).longValue();
            em.createNativeQuery("insert into ingest_batch (id, repository_id, state, previous_count, started_at, "
                            + "ended_at) values (?1, 0, 'done', 0, ?2, ?3)").setParameter(1, batch)
                    .setParameter(2, Instant.now().minus(java.time.Duration.ofDays(3))).setParameter(3, Instant.now())
                    .executeUpdate();
            em.createNativeQuery("update contribution set arrived_at = ?1, ingest_batch = ?2 where source = 'race' "
                            + "and external_id = ?3").setParameter(1, Instant.now().minus(java.time.Duration.ofDays(3)))
                    .setParameter(2, batch).setParameter(3, "race-1998-03-long-ingest").executeUpdate();
        });
        assertThat(stored("race-1998-03-missed").lateFrom).isNull();

        assertThat(late.recheckNow()).isGreaterThanOrEqualTo(2);
        assertThat(stored("race-1998-03-missed").lateFrom).isEqualTo(Instant.parse("1998-03-15T00:00:00Z"));
        assertThat(stored("race-1998-03-long-ingest").lateFrom).isEqualTo(Instant.parse("1998-03-16T00:00:00Z"));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
