package dev.merit.governance;

import dev.merit.audit.IdSlices;
import dev.merit.payroll.ApprovalTimes;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The execution blocks' times the follower recorded ({@link ChainProposal#executedAt}), for the payroll layer's views. */
@ApplicationScoped
public class ChainApprovalTimes implements ApprovalTimes {

    @Override
    public Map<Long, Instant> onChain(Collection<Long> payoutProposalIds) {
        Map<Long, Instant> out = new HashMap<>();
        if (payoutProposalIds.isEmpty()) {
            return out;
        }
        for (Object[] row : IdSlices.list(payoutProposalIds, slice -> ChainProposal.getEntityManager()
                .createQuery("select cp.payoutProposalId, cp.executedAt from ChainProposal cp where cp.payoutProposalId "
                        + "in :ids and cp.executedAt is not null", Object[].class).setParameter("ids", slice)
                .getResultList())) {
            out.put((Long) row[0], (Instant) row[1]);
        }
        return out;
    }
}
