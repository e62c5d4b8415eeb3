package dev.merit.payroll;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * When the vault approved payouts, by the chain's own clock: the time of the block that executed each. A payout's
 * {@code approvedAt} is when Merit recorded the execution, which is later when Merit was stopped meanwhile. A port:
 * the governance layer, above, reads the blocks.
 */
public interface ApprovalTimes {

    /** The execution block's time of each of these payouts whose execution was found on chain; the others absent. */
    Map<Long, Instant> onChain(Collection<Long> payoutProposalIds);
}
