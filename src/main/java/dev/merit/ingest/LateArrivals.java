package dev.merit.ingest;

import dev.merit.epoch.EpochPayments;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Work that reached Merit after the scoring run that paid its period: the run did not read it, and a period is paid
 * once, so it could never be paid where it is dated. Once the vault approves that payout, such work is dated at, and
 * counted from, the first moment after every paid period (its own date kept as {@code late_from}); work that arrives
 * after the approval is dated so as it is stored ({@link Ingestor}). Only work from live sources moves: history read in
 * bulk (a repository's first ingest, what a Kafka topic held when Merit's consumer group first read it) has no
 * {@code arrived_at} and keeps its dates.
 *
 * <p>An approval and an ingest that overlap cannot see each other's rows until they commit. The approval checks again
 * after its commit, which finds the rows of ingests that committed before that; rows of one that commits later, having
 * read the paid periods before the approval, are found by {@link #recheck()}, which the leader runs every minute over
 * the last hour's arrivals. (A check after every ingest's commit would find them at once, and cost a webhook request
 * a tenth of its throughput: bench/sources 364 against 332 requests a second.)
 */
@ApplicationScoped
public class LateArrivals {

    private static final Logger LOG = Logger.getLogger(LateArrivals.class);
    private static final Duration RECHECK_EVERY = Duration.ofMinutes(1);
    /** Row {@code c} has no score in the run given as %s: the run did not read it (every row it read has one). */
    private static final String NOT_READ_BY = "not exists (select 1 from contribution_score s where s.run_id = %s "
            + "and s.contribution_id = c.id)";
    /** Which approved payout's period a row is dated in, and whether its run read the row. */
    private static final String UNREAD_IN_PAID = "exists (select 1 from payout_proposal p join epoch e on e.id = "
            + "p.epoch_id where p.approved_at is not null and c.occurred_at >= e.starts_at and c.occurred_at < e.ends_at "
            + "and " + NOT_READ_BY.formatted("p.scoring_run_id") + ")";
    /** late_from is set from the row as it was: SQL reads the old values on the right of every assignment. */
    private static final String MOVE = "update contribution c set late_from = coalesce(c.late_from, c.occurred_at), "
            + "occurred_at = ?1 where c.arrived_at is not null and ";

    /** The vault approved the payout of {@code [from, to)} scored by run {@code runId} (fired inside that transaction). */
    public record Approved(Instant from, Instant to, long runId) {
    }

    private final EpochPayments payments;
    private volatile long lastRecheck;
    private volatile Instant checkedFrom;

    public LateArrivals(EpochPayments payments) {
        this.payments = payments;
    }

    /**
     * The vault approved the payout of {@code [from, to)} that run {@code runId} scored: moves the live contributions
     * dated in it that the run did not read past every paid period. Returns how many moved.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int paidWithout(Instant from, Instant to, long runId, Instant now) {
        return Panache.getEntityManager().createNativeQuery(MOVE + "c.occurred_at >= ?2 and c.occurred_at < ?3 and "
                        + NOT_READ_BY.formatted("?4"))
                .setParameter(1, destination(now.isBefore(to) ? to : now)).setParameter(2, from).setParameter(3, to)
                .setParameter(4, runId).executeUpdate();
    }

    /**
     * Moves the live contributions dated in a period paid without them that arrived from {@code since} on, or that a Git
     * ingest which ended since stored (its rows are dated by their batch of commits, however long before the commit).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int sweep(Instant since) {
        return Panache.getEntityManager().createNativeQuery(MOVE + "(c.arrived_at >= ?2 or c.ingest_batch in "
                        + "(select b.id from ingest_batch b where b.ended_at >= ?2)) and " + UNREAD_IN_PAID)
                .setParameter(1, destination(Instant.now())).setParameter(2, since).executeUpdate();
    }

    /**
     * Contributions dated in a period that a run did not read (stored after it began): {@code contributions} in all,
     * {@code history} of them read in bulk, which a payout of the period approved without them does not move.
     */
    public record Unread(long contributions, long history) {
    }

    /**
     * The contributions dated in {@code [from, to)} that run {@code runId} did not read. Unless the period pays bots
     * ({@code includeBots}), a bot's work that credits no person is left out: a payout of the period would not have
     * paid it (a dependency bot's ten pushes during a vote are not "work this payout leaves out").
     */
    public Unread unread(Instant from, Instant to, long runId, boolean includeBots) {
        Object[] row = (Object[]) Panache.getEntityManager().createNativeQuery("select count(*), "
                        + "count(*) - count(c.arrived_at) from contribution c where c.occurred_at >= ?1 "
                        + "and c.occurred_at < ?2 and " + NOT_READ_BY.formatted("?3") + " and (?4 = true or "
                        + Contribution.CREDITS_A_PERSON + ")",
                        Object[].class)
                .setParameter(1, from).setParameter(2, to).setParameter(3, runId).setParameter(4, includeBots)
                .getSingleResult();
        return new Unread(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    void afterApproval(@Observes(during = TransactionPhase.AFTER_SUCCESS) Approved approved) {
        again(() -> paidWithout(approved.from(), approved.to(), approved.runId(), Instant.now()));
    }

    /**
     * Checks again the work that arrived lately, at most once a minute (the governance poll calls it): work an ingest
     * committed after a payout of its period was approved, having read the paid periods before (an overlap), and work a
     * check after an approval missed (it failed, or never ran because the process died). It looks back to the previous
     * recheck that succeeded, with an hour's margin for webhooks still committing, and a day back after a start; a Git
     * ingest that ended since is read whole. Returns how many moved; never throws.
     */
    public int recheck() {
        long now = System.nanoTime();
        if (lastRecheck != 0 && now - lastRecheck < RECHECK_EVERY.toNanos()) {
            return 0;
        }
        lastRecheck = now;
        return recheckNow();
    }

    /** As {@link #recheck()}, whenever it was run last. */
    public int recheckNow() {
        Instant started = Instant.now();
        Instant from = checkedFrom == null ? started.minus(Duration.ofDays(1)) : checkedFrom.minus(Duration.ofHours(1));
        int moved = again(() -> sweep(from));
        if (moved >= 0) {
            checkedFrom = started; // a failed check is made up by the next one, from the same moment
        }
        return Math.max(0, moved);
    }

    /** Runs {@code check} in a transaction of its own; how many it moved, or -1 when it failed (logged). */
    private int again(java.util.function.IntSupplier check) {
        try {
            int moved = QuarkusTransaction.requiringNew().call(check::getAsInt);
            if (moved > 0) {
                LOG.infof("%d contributions stored after the run their period was paid from count from now", moved);
            }
            return moved;
        } catch (RuntimeException e) {
            // The commit stands; the rows it concerns stay where they are dated until the next recheck moves them.
            LOG.warnf(e, "Could not check for work stored after the run its period was paid from; checked again "
                    + "within a minute");
            return -1;
        }
    }

    /** The first moment from {@code t} on that no paid period covers. */
    private Instant destination(Instant t) {
        return EpochPayments.firstUnpaid(payments.paidPeriods(), t);
    }
}
