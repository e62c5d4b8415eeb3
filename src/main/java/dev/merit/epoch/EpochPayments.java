package dev.merit.epoch;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Which payout paid an epoch: the one the vault approved on chain (a period is paid once). A port: the payroll layer,
 * above, implements it, so an epoch's view can say it without this layer reading payouts.
 */
public interface EpochPayments {

    /** The payout that paid an epoch: its proposal, the scoring run it paid from, and when the vault approved it. */
    record Payment(long payoutProposalId, long scoringRunId, Instant approvedAt) {
    }

    /** The payment of each of {@code epochIds} that was paid; an unpaid epoch has no entry. One query. */
    Map<Long, Payment> paidBy(Collection<Long> epochIds);
}
