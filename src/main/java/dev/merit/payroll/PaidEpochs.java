package dev.merit.payroll;

import dev.merit.epoch.EpochPayments;
import dev.merit.audit.SqlValues;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The payouts the vault approved, by epoch: what paid each (the epoch layer's port). */
@ApplicationScoped
public class PaidEpochs implements EpochPayments {

    @Override
    public Map<Long, Payment> paidBy(Collection<Long> epochIds) {
        Map<Long, Payment> paid = new HashMap<>();
        if (epochIds.isEmpty()) {
            return paid;
        }
        // Approved: the vault's approval as Merit recorded it (approvedAt). A period is paid once, so there is one per
        // epoch; the first approved stands if the data ever says otherwise.
        // A long list of epochs reads every approved payout (one per paid epoch) rather than a list of ids that long.
        boolean few = epochIds.size() <= 500;
        List<PayoutProposal> approved = few
                ? PayoutProposal.list("approvedAt is not null and epochId in ?1 order by approvedAt, id", epochIds)
                : PayoutProposal.list("approvedAt is not null order by approvedAt, id");
        List<PayoutProposal> paying = new java.util.ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (PayoutProposal p : approved) {
            if ((few || epochIds.contains(p.epochId)) && seen.add(p.epochId)) {
                paying.add(p);
            }
        }
        // When each paid run was made, in one query.
        Map<Long, java.time.Instant> scoredAt = new java.util.HashMap<>();
        if (!paying.isEmpty()) {
            dev.merit.scoring.ScoringRun.<dev.merit.scoring.ScoringRun>list("id in ?1", paying.stream()
                    .map(p -> p.scoringRunId).toList()).forEach(r -> scoredAt.put(r.id, r.createdAt));
        }
        for (PayoutProposal p : paying) {
            paid.put(p.epochId, new Payment(p.id, p.scoringRunId, p.approvedAt, scoredAt.get(p.scoringRunId)));
        }
        return paid;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<PaidPeriod> paidPeriods() {
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("select distinct e.starts_at, e.ends_at "
                + "from payout_proposal p join epoch e on e.id = p.epoch_id where p.approved_at is not null "
                + "order by e.starts_at, e.ends_at", Object[].class).getResultList();
        return rows.stream().map(r -> new PaidPeriod(SqlValues.instant(r[0]), SqlValues.instant(r[1]))).toList();
    }
}
