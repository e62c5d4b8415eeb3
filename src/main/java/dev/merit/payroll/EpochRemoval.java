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
 * Deleting an epoch made by mistake (a wrong year, a period that should not be one, a policy to make again), with the
 * scoring runs made of it, while nothing anyone else reads depends on it: no payout of it went on chain (members voted
 * on it, and it stays on record whatever the vote said), none is a draft (withdrawn first, on purpose), and no
 * contributor disputed a type in one of its runs (their dispute and its answer are theirs). Drafts withdrawn or
 * replaced before any went on chain (a preview of a running epoch, say) go with it: nobody voted on them and they paid
 * nothing, and keeping them kept the epoch, and so its policy, for good. Contributions are not touched: they belong to
 * their repositories and count in whichever epoch covers their time.
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
        List<Long> onChain = proposals.isEmpty() ? List.of() : onChain(proposals);
        // Only a draft withdrawn or replaced before it went on chain goes with its epoch; anything else stays.
        PayoutProposal voted = proposals.stream().filter(p -> onChain.contains(p.id) || p.stillOnChain
                || !(ProposalState.WITHDRAWN.equals(p.status) || ProposalState.SUPERSEDED.equals(p.status)
                || ProposalState.DRAFT.equals(p.status))).findFirst().orElse(null);
        if (voted != null) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-has-payouts", "Epoch has payouts",
                    "Epoch '" + epoch.name + "' has payout #" + voted.id + " put on chain (" + ProposalState.describe(
                            voted.status) + "): a payout members voted on, whatever the vote said, stays on record, "
                            + "and so does its epoch. An epoch no payout pays pays nothing: it is left as a record.",
                    Map.of("payoutProposalId", voted.id));
        }
        PayoutProposal draft = proposals.stream().filter(p -> ProposalState.DRAFT.equals(p.status)).findFirst()
                .orElse(null);
        if (draft != null) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-has-payouts", "Epoch has a draft",
                    "Epoch '" + epoch.name + "' has payout #" + draft.id + ", a draft: withdraw it first (`merit "
                            + "payouts withdraw " + draft.id + "`, \"Withdraw this draft\" on the payout's page, or "
                            + "DELETE /api/payout-proposals/" + draft.id + "), then delete the epoch; its withdrawn "
                            + "drafts go with it.", Map.of("payoutProposalId", draft.id));
        }
        List<Long> drafts = proposals.stream().map(p -> p.id).toList(); // withdrawn or replaced, never on chain
        List<Long> runs = ScoringRun.<ScoringRun>list("epochId", epochId).stream().map(r -> r.id).toList();
        if (!runs.isEmpty()) {
            long disputes = Dispute.count("runId in ?1", runs);
            if (disputes > 0) {
                throw new ProblemException(ProblemException.Kind.CONFLICT, "epoch-has-disputes", "Epoch has disputes",
                        "Contributors disputed " + disputes + (disputes == 1 ? " type" : " types") + " in the scoring "
                                + "of epoch '" + epoch.name + "': their disputes and the answers stay on record, and "
                                + "so does the epoch.", null);
            }
        }
        var em = Panache.getEntityManager();
        if (!drafts.isEmpty()) { // they refer to the runs they were made from: first
            em.createQuery("delete from PayoutLine l where l.proposalId in :ids").setParameter("ids", drafts)
                    .executeUpdate();
            em.createQuery("delete from PayoutProposal p where p.id in :ids").setParameter("ids", drafts)
                    .executeUpdate();
        }
        if (!runs.isEmpty()) {
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
        LOG.infof("Epoch %d '%s' deleted with %d scoring runs and off-chain drafts %s by %s (%s)", epochId, name,
                runs.size(), drafts, by, via);
        lifecycle.fire(new Lifecycle("epoch.deleted", "epoch/" + epochId, Map.of("epochId", epochId, "name", name,
                "scoringRuns", runs.size(), "offChainDrafts", drafts, "by", by, "via", via)));
        return new Removed(epochId, name, runs.size(), drafts);
    }

    /** Which of {@code proposals} went on chain (a replaced one may have: it was replaced there). */
    @SuppressWarnings("unchecked")
    private static List<Long> onChain(List<PayoutProposal> proposals) {
        return ((List<Number>) Panache.getEntityManager().createNativeQuery("select payout_proposal_id from "
                        + "chain_proposal where payout_proposal_id in (:ids)")
                .setParameter("ids", proposals.stream().map(p -> p.id).toList()).getResultList()).stream()
                .map(Number::longValue).toList();
    }
}
