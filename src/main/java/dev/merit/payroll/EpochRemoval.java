package dev.merit.payroll;

import dev.merit.epoch.Epoch;
import dev.merit.epoch.EpochRemover;
import dev.merit.epoch.EpochService;
import dev.merit.events.Lifecycle;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.Dispute;
import dev.merit.scoring.ScoringRun;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;

/**
 * Deleting an epoch made by mistake (a wrong year, a period that should not be one), with the scoring runs made of
 * it, while nothing anyone else reads depends on it: no payout was ever proposed of it (a proposal, even withdrawn, is
 * part of the record members and the chain read) and no contributor disputed a type in one of its runs (their
 * dispute and its answer are theirs). Contributions are not touched: they belong to their repositories and count in
 * whichever epoch covers their time.
 */
@ApplicationScoped
public class EpochRemoval implements EpochRemover {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EpochRemoval.class);

    private final EpochService epochs;
    private final Event<Lifecycle> lifecycle;

    public EpochRemoval(EpochService epochs, Event<Lifecycle> lifecycle) {
        this.epochs = epochs;
        this.lifecycle = lifecycle;
    }

    @Override
    @Transactional
    public Removed delete(long epochId) {
        // The row locked FOR UPDATE, the strongest lock, taken first: it waits for every writer that refers to the
        // epoch (a proposal's lock; on PostgreSQL also the key-share lock a scoring run's or dispute's insert holds
        // until it commits), and then sees what they wrote. Hibernate's PESSIMISTIC_WRITE is FOR NO KEY UPDATE on
        // PostgreSQL, which passed a running scoring's key-share lock, waited at the delete, and deadlocked with the
        // scoring's own hold at its end.
        if (Panache.getEntityManager().createNativeQuery("select id from epoch where id = ?1 for update")
                .setParameter(1, epochId).getResultList().isEmpty()) {
            throw dev.merit.problem.ProblemException.notFound("epoch", epochId);
        }
        Epoch epoch = epochs.get(epochId);
        Panache.getEntityManager().refresh(epoch);
        List<PayoutProposal> proposals = PayoutProposal.list("epochId = ?1 order by id", epochId);
        PayoutProposal paid = proposals.stream().filter(p -> p.approvedAt != null).findFirst().orElse(null);
        if (paid != null) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-has-payouts", "Epoch has payouts",
                    "Epoch '" + epoch.name + "' was paid by payout #" + paid.id + ": a paid epoch stays on record.",
                    Map.of("payoutProposalId", paid.id));
        }
        if (!proposals.isEmpty()) {
            PayoutProposal first = proposals.get(0);
            PayoutProposal draft = proposals.stream().filter(p -> ProposalState.DRAFT.equals(p.status)).findFirst()
                    .orElse(null);
            throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-has-payouts", "Epoch has payouts",
                    "Epoch '" + epoch.name + "' has " + proposals.size() + (proposals.size() == 1 ? " payout proposal"
                            : " payout proposals") + " (the first: payout #" + first.id + "): a payout, even withdrawn "
                            + "or voted down, stays on record, and so does its epoch. An epoch no payout pays pays "
                            + "nothing" + (draft == null ? ": it is left as a record." : ": withdraw its drafts "
                            + "(`merit payouts withdraw " + draft.id + "`, \"Withdraw this draft\" on the payout's "
                            + "page, or DELETE /api/payout-proposals/" + draft.id + "), and it is left as a record."),
                    Map.of("payoutProposalId", first.id));
        }
        List<Long> runs = ScoringRun.<ScoringRun>list("epochId", epochId).stream().map(r -> r.id).toList();
        if (!runs.isEmpty()) {
            long disputes = Dispute.count("runId in ?1", runs);
            if (disputes > 0) {
                throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-has-disputes", "Epoch has disputes",
                        "Contributors disputed " + disputes + (disputes == 1 ? " type" : " types") + " in the scoring "
                                + "of epoch '" + epoch.name + "': their disputes and the answers stay on record, and "
                                + "so does the epoch.", null);
            }
            var em = Panache.getEntityManager();
            em.createQuery("delete from ContributionScore s where s.runId in :runs").setParameter("runs", runs)
                    .executeUpdate();
            em.createQuery("delete from ContributorScore s where s.runId in :runs").setParameter("runs", runs)
                    .executeUpdate();
            em.createQuery("delete from ScoringRun r where r.id in :runs").setParameter("runs", runs).executeUpdate();
        }
        String name = epoch.name;
        epoch.delete();
        // Who deleted it, as merges and bot marks record it: the event is the record of an epoch that is gone.
        String by = dev.merit.security.MaintainerCall.nameOr("maintainer");
        String via = dev.merit.security.MaintainerCall.proof();
        LOG.infof("Epoch %d '%s' deleted with %d scoring runs by %s (%s)", epochId, name, runs.size(), by, via);
        lifecycle.fire(new Lifecycle("epoch.deleted", "epoch/" + epochId, Map.of("epochId", epochId, "name", name,
                "scoringRuns", runs.size(), "by", by, "via", via)));
        return new Removed(epochId, name, runs.size());
    }
}
