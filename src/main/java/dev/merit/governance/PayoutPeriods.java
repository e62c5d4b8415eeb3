package dev.merit.governance;

import java.util.Locale;
import dev.merit.epoch.Epoch;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.payroll.PayoutProposal;
import dev.merit.payroll.ProposalState;
import dev.merit.problem.Moments;
import dev.merit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * At most one payout of any stretch of time: before a payout goes on chain, no other epoch's payout whose period
 * overlaps it may be on chain (live or paid), the same epoch must not be paid already, and the vault must not have
 * approved pay past the period's start (a proposal Merit did not make, or another Merit instance). A re-scored
 * epoch's new payout supersedes its earlier one: Merit stops following the old one, and the vault's period rule
 * lets at most one of them pay.
 */
@ApplicationScoped
public class PayoutPeriods {

    private static final Logger LOG = Logger.getLogger(PayoutPeriods.class);
    /** On-chain states that can never pay: they neither block nor need superseding. */
    private static final List<String> DEAD = List.of(ChainProposal.State.CANCELED.name(),
            ChainProposal.State.DEFEATED.name(), ChainProposal.State.EXPIRED.name(),
            ChainProposal.State.SUPERSEDED.name());

    private final EntityManager em;
    private final dev.merit.payroll.PayoutLedger ledger;
    private final jakarta.enterprise.event.Event<dev.merit.events.Lifecycle> lifecycle;

    public PayoutPeriods(EntityManager em, dev.merit.payroll.PayoutLedger ledger,
                         jakarta.enterprise.event.Event<dev.merit.events.Lifecycle> lifecycle) {
        this.em = em;
        this.ledger = ledger;
        this.lifecycle = lifecycle;
    }

    /**
     * Checks that {@code payout} may go on chain, inside the caller's transaction, and marks the epoch's earlier
     * live proposals superseded. Proposals are serialised on one guard row, so two requests cannot both pass. Returns
     * what the vault has approved pay up to, as read here (seconds; 0 before any approval).
     */
    public BigInteger claim(PayoutProposal payout, Epoch epoch, PayrollVault vault, boolean replace)
            throws IOException {
        em.createNativeQuery("select id from payout_period_guard where id = 1 for update").getResultList();
        // Periods are a vault's: a payout from another vault (another deployment) is another treasury's.
        List<ChainProposal> live = ChainProposal.list("state not in ?1 and lower(vault) = ?2", DEAD,
                vault.getContractAddress().toLowerCase(Locale.ROOT));
        for (ChainProposal cp : live) {
            PayoutProposal other = PayoutProposal.findById(cp.payoutProposalId);
            Epoch otherEpoch = Epoch.findById(other.epochId);
            if (!epoch.overlaps(otherEpoch) || proposeFailed(cp)) {
                continue;
            }
            boolean sameEpoch = otherEpoch.id.equals(epoch.id);
            if (cp.state().equals(ChainProposal.State.EXECUTED)) {
                throw conflict("period-already-paid", "Period already paid", epoch, otherEpoch, other, cp,
                        " was executed on chain: that period is paid. At most one payout of any period is ever paid.");
            }
            if (!sameEpoch) {
                throw conflict("period-already-proposed", "Period already proposed", epoch, otherEpoch, other, cp,
                        " is on chain (" + cp.state.toLowerCase() + "). At most one payout of any period may be on "
                                + "chain: let it be defeated or expire, or propose the payout of that epoch instead.");
            }
        }
        BigInteger approvedUntil = GovernanceService.call(() -> vault.approvedUntil().send());
        if (approvedUntil.compareTo(BigInteger.valueOf(epoch.startsAt.getEpochSecond())) > 0) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "period-already-approved", "Period already approved",
                    "The vault has approved pay up to " + Moments.of(Instant.ofEpochSecond(approvedUntil.longValue()))
                            + ", after the start of epoch '" + epoch.name + "' (" + Moments.of(epoch.startsAt) + "). Periods are "
                            + "paid in order and never twice: this epoch can no longer be paid from this vault.",
                    Map.of("approvedUntil", Instant.ofEpochSecond(approvedUntil.longValue()).toString()));
        }
        for (ChainProposal cp : live) {
            PayoutProposal other = PayoutProposal.findById(cp.payoutProposalId);
            // After the vault's check: a period it approved already is said as such, not as a vote to replace.
            if (other.epochId.equals(epoch.id) && !replace && !proposeFailed(cp)) {
                // A newer draft of the epoch does not silently restart a vote members are casting.
                throw conflict("vote-under-way", "A payout of this epoch is on chain", epoch, epoch, other, cp,
                        " is on chain (" + dev.merit.payroll.ProposalState.describe(dev.merit.payroll.ProposalState
                                .ofChain(cp.state)) + "). Putting payout #" + payout.id + " there replaces it: "
                                + "members vote again, on #" + payout.id + ", and the votes cast on #" + other.id
                                + " count for nothing (it stays on chain until its vote ends, and if it passes and is "
                                + "executed first, it is the one paid)." + (payout.contentHash.equals(other.contentHash)
                                ? " #" + payout.id + " pays exactly what #" + other.id + " does (the same content "
                                + "hash): replacing it would only start the vote again." : "")
                                + " To replace it, say so: \"replace\": true (the CLI's --replace).");
            }
        }
        for (ChainProposal cp : live) {
            PayoutProposal other = PayoutProposal.findById(cp.payoutProposalId);
            if (other.epochId.equals(epoch.id)) {
                supersede(cp, payout);
            }
        }
        return approvedUntil;
    }

    /**
     * A period is paid once it is over. The vault approves a payout's whole period, once: work done after the payout
     * went on chain but before the period's end would never be paid, and no later period could be paid before that
     * end (an end typed as 2062 instead of 2026 would stop the vault for decades). Refused (409 period-not-over) while
     * {@code now} is before the epoch's end.
     */
    static void requireEnded(Epoch epoch, Instant now) {
        if (now.isBefore(epoch.endsAt)) {
            throw new ProblemException(ProblemException.Kind.CONFLICT, "period-not-over", "Period not over",
                    "Epoch '" + epoch.name + "' runs until " + Moments.of(epoch.endsAt) + ": its payout goes on chain once it has "
                            + "ended. The vault approves a period once, so work done between now and then would never be "
                            + "paid, and no later period could be paid before " + Moments.of(epoch.endsAt) + ".",
                    Map.of("endsAt", epoch.endsAt.toString()));
        }
    }

    /**
     * Refused (409 closes-unpaid-work) unless asked for ({@code closeUnpaid}): a payout whose approval would leave
     * work no payout has paid unpaid for good, people's contributions dated after what the vault has paid up to
     * ({@code approvedUntil}, as {@link #claim} read it in this transaction) and before {@code epoch} (the vault pays
     * periods once and in order). Closing that time
     * is the DAO's decision, taken knowingly (one that starts paying from this epoch, or chose not to pay an earlier
     * one); the refusal says how much work, of when, and which earlier epochs could pay it if paid first. Closed as
     * asked, the decision is recorded: a {@code proposal.closes-unpaid} event (who, how much, of when) in the same
     * transaction, and a log line once it commits; what it closes is returned, for the proposal to record and say
     * (null when it closes nothing).
     */
    Closing requireKnowinglyClosed(PayoutProposal payout, Epoch epoch, BigInteger approvedUntil, boolean closeUnpaid) {
        dev.merit.payroll.PayoutLedger.Closes closes = ledger.closes(payout, false, 5, approvedUntil.signum() == 0
                ? java.util.Optional.empty()
                : java.util.Optional.of(Instant.ofEpochSecond(approvedUntil.longValueExact())));
        if (closes == null || closes.contributionsBefore() == 0) {
            return null;
        }
        long n = closes.contributionsBefore();
        long earlier = closes.count() - closes.sharingTime();
        if (closeUnpaid) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("payoutProposalId", payout.id);
            data.put("contributionsBefore", n);
            data.put("unpaidSince", closes.unpaidSince() == null ? "" : closes.unpaidSince().toString());
            data.put("unpaidUntil", closes.unpaidUntil().toString());
            data.put("earlierEpochsClosed", earlier);
            data.put("by", dev.merit.security.MaintainerCall.nameOr("maintainer"));
            data.put("via", dev.merit.security.MaintainerCall.proof());
            lifecycle.fire(new dev.merit.events.Lifecycle(CLOSES_UNPAID, "proposal/" + payout.id, data));
            return new Closing(n, closes.unpaidSince(), closes.unpaidUntil(),
                    dev.merit.security.MaintainerCall.nameOr("a maintainer"));
        }
        // Oldest first, the order they would be paid in; an epoch not scored has no payout to approve yet.
        List<String> named = new java.util.ArrayList<>(closes.latest().stream().filter(e -> !e.sharesTime())
                .map(e -> "'" + e.name() + "' (" + e.scoredInWords() + (e.contributors() == null
                        ? ": score it and draft its payout" : e.payoutProposalId() == null ? "; no payout drafted yet"
                        : "; payout #" + e.payoutProposalId() + ", " + e.payoutState()) + ")").toList());
        java.util.Collections.reverse(named);
        long unnamed = earlier - named.size();
        // Work in no epoch at all: no payout of an existing epoch pays it, whichever is approved first.
        Object[] gap = (Object[]) em.createNativeQuery("select count(*), min(c.occurred_at), max(c.occurred_at) from "
                        + "contribution c where c.occurred_at >= ?1 and c.occurred_at < ?2 and "
                        + dev.merit.ingest.Contribution.CREDITS_A_PERSON + " and not exists (select 1 from epoch e "
                        + "where e.starts_at <= c.occurred_at and e.ends_at > c.occurred_at)")
                .setParameter(1, closes.unpaidSince() == null ? Instant.EPOCH : closes.unpaidSince())
                .setParameter(2, closes.unpaidUntil()).getSingleResult();
        long uncovered = ((Number) gap[0]).longValue();
        // All of it in no epoch: the earlier epochs (if any) hold none of it, so paying them first pays none of it.
        String inNoEpoch = uncovered == 0 ? "" : (uncovered == n ? "No epoch covers that time ("
                : uncovered + (uncovered == 1 ? " of them is" : " of them are") + " dated in no epoch (")
                + Moments.period(dev.merit.audit.SqlValues.instant(gap[1]), dev.merit.audit.SqlValues.instant(gap[2]))
                + "): to pay " + (uncovered == 1 ? "it" : "them") + ", make an epoch of that time (merit payroll "
                + "--epoch FROM..TO --budget TOKENS) and approve its payout first" + (uncovered < n ? " too" : "");
        String pay = uncovered == n ? inNoEpoch : earlier == 0 ? "To pay it, approve a payout covering that time first"
                : named.isEmpty() ? "To pay it, approve payouts of the " + (earlier == 1 ? "earlier epoch"
                : earlier + " earlier epochs") + " no payout has paid first, oldest first (its page names them)"
                : earlier == 1 ? "To pay it, approve a payout of the earlier epoch " + named.get(0) + " first"
                : "To pay it, approve a payout of each earlier epoch first, oldest first: " + (unnamed > 0 ? unnamed
                + (unnamed == 1 ? " older one, then " : " older ones, then ") : "") + String.join(", ", named);
        if (uncovered > 0 && uncovered < n) {
            pay += ". " + inNoEpoch;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("contributionsBefore", n);
        fields.put("unpaidUntil", closes.unpaidUntil().toString());
        if (closes.unpaidSince() != null) {
            fields.put("unpaidSince", closes.unpaidSince().toString());
        }
        fields.put("earlierEpochsClosed", earlier);
        throw new ProblemException(ProblemException.Kind.CONFLICT, "closes-unpaid-work", "It would close unpaid work",
                "Once payout #" + payout.id + " is approved, " + n + (n == 1 ? " contribution" : " contributions")
                        + " dated " + (closes.unpaidSince() == null ? "before " : "between "
                        + Moments.of(closes.unpaidSince()) + " (what the vault has paid up to) and ")
                        + Moments.of(closes.unpaidUntil()) + " (the start of '" + epoch.name + "'), which no payout "
                        + "has paid, can never be paid: the vault pays periods once and in order. "
                        + pay
                        + "; to close that time knowingly (a DAO that starts paying from this epoch, say), ask again "
                        + "with \"closeUnpaid\": true (the CLI's --close-unpaid). Nothing was sent.", fields);
    }

    /**
     * What a payout put on chain closed of unpaid work, as asked: {@code contributions} people's contributions no
     * payout had paid, dated from {@code since} (null: from the start) to {@code until} (its epoch's start), closing
     * asked by {@code by}. Recorded on its chain proposal, and said in the description members vote on.
     */
    record Closing(long contributions, Instant since, Instant until, String by) {

        /**
         * Records {@code closing} (null: nothing closed) on {@code cp}, and returns {@code description} with what it
         * closes said at its end: the words members vote on.
         */
        static String record(Closing closing, ChainProposal cp, String description) {
            if (closing == null) {
                return description;
            }
            cp.closedUnpaid = closing.contributions();
            cp.closedUnpaidSince = closing.since();
            cp.closedUnpaidUntil = closing.until();
            cp.closedUnpaidBy = closing.by().length() <= 200 ? closing.by() : closing.by().substring(0, 200);
            long n = closing.contributions();
            return description + " Closes for good " + n + (n == 1 ? " contribution" : " contributions") + " dated "
                    + (closing.since() == null ? "before " : "from " + Moments.of(closing.since()) + " to ")
                    + Moments.of(closing.until()) + " that no payout has paid: once this is approved, the vault never "
                    + "pays that time (it pays periods once and in order).";
        }
    }

    /** The event of a payout put on chain closing unpaid work as asked. */
    static final String CLOSES_UNPAID = "proposal.closes-unpaid";

    /** The decision in the log, once its transaction committed (a refusal further on records nothing). */
    void logClosing(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                    dev.merit.events.Lifecycle event) {
        if (CLOSES_UNPAID.equals(event.type())) {
            LOG.infof("Payout #%s put on chain closing %s unpaid contributions dated before %s, as %s asked (%s)",
                    event.data().get("payoutProposalId"), event.data().get("contributionsBefore"),
                    event.data().get("unpaidUntil"), event.data().get("by"), event.data().get("via"));
        }
    }

    /**
     * What to do with a payout already on chain, asked to go there again: a vote that ended without paying needs a
     * new draft of its epoch; a replaced one has its successor; one under way, nothing but wait.
     */
    static String afterItsVote(PayoutProposal p) {
        if (ProposalState.SUPERSEDED.equals(p.status) && p.supersededBy != null) {
            return " Payout proposal " + p.supersededBy + " replaced it: that one is the payout of its epoch now.";
        }
        if (ProposalState.DEAD.contains(p.status)) {
            return " Its vote is over (" + ProposalState.describe(p.status) + "): to pay its epoch, make a new "
                    + "draft of it (merit payroll --epoch '" + Epoch.<Epoch>findById(p.epochId).name + "', or POST "
                    + "/api/payout-proposals) and put that one on chain.";
        }
        return " It is " + ProposalState.describe(p.status) + " (merit chain status " + p.id + ").";
    }

    private void supersede(ChainProposal old, PayoutProposal by) {
        LOG.infof("Payout proposal %d supersedes %d on chain (governor proposal %s was %s)", by.id,
                old.payoutProposalId, old.onchainId, old.state);
        old.state = ChainProposal.State.SUPERSEDED.name();
        old.supersededBy = by.id;
        ledger.supersede(old.payoutProposalId, by.id);
        old.updatedAt = Instant.now();
        ChainTx.update("status = ?1, lastError = ?2, updatedAt = ?3 where chainProposalId = ?4 and status = ?5",
                ChainTx.Status.FAILED.name(), "superseded by payout proposal " + by.id + ": not sent", Instant.now(),
                old.id, ChainTx.Status.PENDING.name());
    }

    /** A proposal whose PROPOSE failed for good never reached the chain: it neither pays nor blocks. */
    public static boolean proposeFailed(ChainProposal cp) {
        return cp.state().equals(ChainProposal.State.PROPOSING) && ChainTx.count(
                "chainProposalId = ?1 and kind = ?2 and status = ?3", cp.id, ChainTx.Kind.PROPOSE.name(),
                ChainTx.Status.FAILED.name()) > 0;
    }

    private static ProblemException conflict(String type, String title, Epoch epoch, Epoch otherEpoch,
                                             PayoutProposal other, ChainProposal cp, String what) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("conflictingEpochId", otherEpoch.id);
        extensions.put("conflictingEpoch", otherEpoch.name);
        extensions.put("conflictingPayoutProposalId", other.id);
        extensions.put("conflictingState", cp.state);
        String whose = otherEpoch.id.equals(epoch.id) ? "This epoch's payout proposal " + other.id
                : "Epoch '" + epoch.name + "' (" + Moments.period(epoch.startsAt, epoch.endsAt)
                + ") overlaps epoch '" + otherEpoch.name + "' (" + Moments.period(otherEpoch.startsAt, otherEpoch.endsAt)
                + "), whose payout proposal "
                + other.id;
        return new ProblemException(ProblemException.Kind.CONFLICT, type, title, whose + " (governor proposal " + cp.onchainId + ")" + what,
                extensions);
    }
}
