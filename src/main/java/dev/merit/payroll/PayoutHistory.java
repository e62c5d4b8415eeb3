package dev.merit.payroll;

import dev.merit.scoring.ScoreQueries.EpochStanding;
import dev.merit.scoring.ScoreQueries.ProposalRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a contributor's history says of each epoch's pay, in the payout tables' words: the state of their line in the
 * payout listed (held reads "held", not as an amount paid), and, for an epoch no payout pays, its newest proposal and
 * why it will not pay (a vote lost is not "not put to a vote yet"). Three queries whatever the number of epochs (and
 * one per successor of a replaced payout, to say where its share is paid).
 */
public final class PayoutHistory {

    private PayoutHistory() {
    }

    public static List<EpochStanding> of(List<EpochStanding> history, long contributorId) {
        List<Long> listed = history.stream().map(EpochStanding::proposalId).filter(java.util.Objects::nonNull).toList();
        List<Long> unpaid = history.stream().filter(e -> e.proposalId() == null).map(EpochStanding::epochId).toList();
        Map<Long, PayoutProposal> proposals = new HashMap<>();
        if (!listed.isEmpty()) {
            PayoutProposal.<PayoutProposal>list("id in ?1", listed).forEach(p -> proposals.put(p.id, p));
        }
        Map<Long, PayoutLine> lines = new HashMap<>();
        if (!listed.isEmpty()) {
            PayoutLine.<PayoutLine>list("proposalId in ?1 and contributorId = ?2", listed, contributorId)
                    .forEach(l -> lines.put(l.proposalId, l));
        }
        Map<Long, PayoutProposal> newest = new HashMap<>();
        if (!unpaid.isEmpty()) {
            PayoutProposal.<PayoutProposal>list("epochId in ?1 order by id desc", unpaid)
                    .forEach(p -> newest.putIfAbsent(p.epochId, p));
        }
        return history.stream().map(e -> {
            PayoutLine line = e.proposalId() == null ? null : lines.get(e.proposalId());
            String state = line == null ? null : LineState.of(line, proposals.get(e.proposalId())).state();
            PayoutProposal latest = e.proposalId() == null ? newest.get(e.epochId()) : null;
            String paidBy = LineState.PAID.equals(state) ? line.paidTxHash : null;
            return e.with(state, paidBy, latest == null ? null
                    : new ProposalRef(latest.id, latest.status, ProposalState.neverPaid(latest),
                    ProposalState.periodTaken(latest)));
        }).toList();
    }
}
