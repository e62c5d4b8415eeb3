package dev.merit.epoch;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which payout paid an epoch: the one the vault approved on chain (a period is paid once). A port: the payroll layer,
 * above, implements it, so an epoch's view can say it without this layer reading payouts.
 */
public interface EpochPayments {

    /** The payout that paid an epoch: its proposal, the scoring run it paid from, and when the vault approved it. */
    /** {@code scoredAt}: when the run it paid was made (a correction answered after it is not in it). */
    record Payment(long payoutProposalId, long scoringRunId, Instant approvedAt, Instant scoredAt) {
    }

    /** The payment of each of {@code epochIds} that was paid; an unpaid epoch has no entry. One query. */
    Map<Long, Payment> paidBy(Collection<Long> epochIds);

    /** A stretch of time a payout the vault approved paid: its epoch's {@code [startsAt, endsAt)}. */
    record PaidPeriod(Instant startsAt, Instant endsAt) {
        public boolean covers(Instant t) {
            return !t.isBefore(startsAt) && t.isBefore(endsAt);
        }
    }

    /** Every stretch of time a payout the vault approved paid, oldest first. One query. */
    List<PaidPeriod> paidPeriods();

    /** The first moment from {@code t} on that no period of {@code paid} covers: where late work is counted. */
    static Instant firstUnpaid(List<PaidPeriod> paid, Instant t) {
        Instant at = t;
        for (boolean moved = true; moved; ) {
            moved = false;
            for (PaidPeriod p : paid) {
                if (p.covers(at)) {
                    at = p.endsAt();
                    moved = true;
                }
            }
        }
        return at;
    }
}
