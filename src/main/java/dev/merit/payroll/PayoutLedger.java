package dev.merit.payroll;

import dev.merit.audit.IdSlices;
import dev.merit.contributor.Wallets;
import dev.merit.epoch.Epoch;
import dev.merit.ingest.LateArrivals;
import org.jboss.logging.Logger;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Payroll owns the state of its proposals and lines; what happens to them on chain is reported here by governance:
 * where each line is paid or held, the chain's word on the proposal, approval, payments, releases and returns. A
 * draft may be withdrawn; a newer proposal of an epoch supersedes the older drafts.
 */
@ApplicationScoped
public class PayoutLedger {

    private final PayrollService payroll;
    private final Wallets wallets;
    private final VaultPeriods vault;
    private final LateArrivals late;
    private final Event<LateArrivals.Approved> approvals;
    private final dev.merit.epoch.EpochService epochService;

    public PayoutLedger(PayrollService payroll, Wallets wallets, VaultPeriods vault, LateArrivals late,
                        Event<LateArrivals.Approved> approvals, dev.merit.epoch.EpochService epochService) {
        this.epochService = epochService;
        this.payroll = payroll;
        this.wallets = wallets;
        this.vault = vault;
        this.late = late;
        this.approvals = approvals;
    }

    /**
     * Why draft {@code p} can never go on chain, or null: the vault has approved pay past its epoch's start (another
     * payout of a later or overlapping period was paid first), and pays periods once and in order. A superseded
     * proposal (not approved) whose last successor is such a draft says that one cannot pay it either. Null for
     * anything else (a proposal on chain learns it from the chain: {@link #periodTaken}), and while the vault is
     * unknown.
     */
    public String draftPassed(PayoutProposal p) {
        PayoutProposal draft = p;
        if (ProposalState.SUPERSEDED.equals(p.status) && p.approvedAt == null) {
            // Replaced by a newer draft (of the same epoch) that the vault has passed: that one cannot pay it either.
            draft = ProposalState.lastSuccessor(p);
        }
        if (!ProposalState.DRAFT.equals(draft.status)) {
            return null;
        }
        java.util.Optional<Instant> until = vault.paidUntil();
        if (until.isEmpty()) {
            return null;
        }
        dev.merit.epoch.Epoch epoch = dev.merit.epoch.Epoch.findById(draft.epochId);
        if (!until.get().isAfter(epoch.startsAt)) {
            return null;
        }
        String why = ProposalState.vaultPassed(until.get(), epoch.startsAt);
        return draft == p ? why : "payout #" + draft.id + ", which replaced this one, can never go on chain: " + why;
    }

    /** The contributors of proposal {@code :proposal}'s lines, as an HQL selection. */
    static final String LINES_OF = "select l.contributorId from PayoutLine l where l.proposalId = :proposal";

    /** A line as a person reads it now: its state, and the wallet it is paid to (in a draft: would be). */
    public record Reading(LineState state, String wallet, String linkedSince) {

        Reading(LineState state, String wallet) {
            this(state, wallet, null);
        }
    }

    /**
     * How each of {@code lines} (of proposal {@code p}) reads, in order. In a draft a line's wallet is its
     * contributor's wallet today, and a line whose contributor has none reads as held: what it would be on chain. A
     * share held on chain whose contributor has linked a wallet since names that wallet apart ({@code linkedSince}; its
     * wallet stays the one it went on chain with: none) and says what may release it (it read "no wallet" until then).
     */
    public List<Reading> read(PayoutProposal p, List<PayoutLine> lines) {
        return read(p, lines, draftPassed(p));
    }

    /** As {@link #read(PayoutProposal, List)}, with {@link #draftPassed} of {@code p} already known. */
    public List<Reading> read(PayoutProposal p, List<PayoutLine> lines, String passed) {
        boolean draft = p.status.equals(ProposalState.DRAFT);
        List<Long> asked = lines.stream().filter(l -> draft || l.heldKey != null).map(l -> l.contributorId).toList();
        // Many: by the proposal, in one statement (a large payout's page would otherwise wait on 40 of 1,000 ids).
        Map<Long, String> now = asked.size() <= IdSlices.SIZE ? wallets.of(asked)
                : wallets.ofSelected(LINES_OF + (draft ? "" : " and l.heldKey is not null"), Map.of("proposal", p.id));
        return lines.stream().map(l -> {
            String wallet = draft ? now.get(l.contributorId) : l.wallet;
            LineState state = LineState.of(l, p, draft && wallet == null, passed);
            String since = draft || !state.state().equals(LineState.HELD) ? null : now.get(l.contributorId);
            return since == null ? new Reading(state, wallet)
                    : new Reading(LineState.heldLinkedSince(p.approvedAt != null), wallet, since);
        }).toList();
    }

    /** Where each paid line of a proposal is paid: its contributor's wallet when it went on chain. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordWallets(long proposalId, Map<Long, String> walletByContributor) {
        for (PayoutLine line : payroll.lines(proposalId)) {
            String wallet = walletByContributor.get(line.contributorId);
            if (wallet != null && line.amount.signum() > 0) {
                line.wallet = wallet;
            }
        }
    }

    /** The lines whose shares the vault holds, by contributor: the key each is held under. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordHeld(long proposalId, Map<Long, String> keyByContributor) {
        for (PayoutLine line : payroll.lines(proposalId)) {
            String key = keyByContributor.get(line.contributorId);
            if (key != null && line.amount.signum() > 0) {
                line.heldKey = key;
            }
        }
    }

    /** The chain's word on the proposal (pending, active, ... executed), in the shared vocabulary. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void chainState(long proposalId, String chainState) {
        PayoutProposal p = payroll.get(proposalId);
        String state = ProposalState.ofChain(chainState);
        p.status = state;
        if (state.equals(ProposalState.EXECUTED) && p.approvedAt == null) {
            p.approvedAt = Instant.now();
            // The period is paid: work stored after the run it paid from can only be paid later, so it is dated now.
            Epoch epoch = Epoch.findById(p.epochId);
            int moved = late.paidWithout(epoch.startsAt, epoch.endsAt, p.scoringRunId, p.approvedAt);
            approvals.fire(new LateArrivals.Approved(epoch.startsAt, epoch.endsAt, p.scoringRunId));
            if (moved > 0) {
                Logger.getLogger(PayoutLedger.class).infof("Payout %d paid epoch '%s' without %d contributions stored "
                        + "after its run: they count from now, in the period after it", p.id, epoch.name, moved);
            }
        }
    }

    /**
     * The contributions of {@code p}'s epoch that its run did not read (stored after it), while {@code p} may still be
     * approved (a superseded proposal still on chain may be too); null once it cannot, or is. {@code periodTaken}: the
     * proposal's view already says its period is taken (on the vault, or past a draft's start).
     */
    public LateArrivals.Unread storedAfterRun(PayoutProposal p, boolean periodTaken) {
        if (!mayStillBeApproved(p, periodTaken)) {
            return null;
        }
        Epoch epoch = Epoch.findById(p.epochId);
        return late.unread(epoch.startsAt, epoch.endsAt, p.scoringRunId, epoch.includeBots);
    }

    /** The epochs a payout the vault approved has paid (as Merit recorded the approval), as a JPQL subquery. */
    private static final String APPROVED_EPOCHS =
            "(select q.epochId from PayoutProposal q where q.approvedAt is not null)";

    /**
     * Whether {@code p} may still be approved: not yet approved, its period not taken ({@code periodTaken}: as its view
     * says, on the vault or past a draft's start), and not dead, unless a superseded proposal still stands on chain.
     */
    private static boolean mayStillBeApproved(PayoutProposal p, boolean periodTaken) {
        return p.approvedAt == null && !periodTaken && (ProposalState.neverPaid(p) == null || p.stillOnChain);
    }

    /** An epoch that no payout has paid and that approving a payout would close. */
    public record Closed(long epochId, String name, Instant startsAt, Instant endsAt,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(type =
                                 org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)
                         java.math.BigInteger budgetBaseUnits, int tokenDecimals,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "It shares time "
                                 + "with the payout's epoch: of the two, only one can ever be paid (approving it first "
                                 + "closes this payout's epoch instead); otherwise it ends before, and a payout of it "
                                 + "approved first can still be paid") boolean sharesTime,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "How many "
                                 + "contributors its latest scoring run scored: the people its closing leaves unpaid "
                                 + "for its time; absent while it is not scored") Integer contributors,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "While it is not "
                                 + "scored: the contributions dated in it (none: its closing leaves no work unpaid); "
                                 + "absent once scored") Long contributions,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Its payout that "
                                 + "could still pay it, drafted or on chain (the latest; absent when none is): "
                                 + "approved before this one, it pays its time") Long payoutProposalId,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "That payout's "
                                 + "state in words (\"a draft: not on chain yet\", \"on chain, members are voting\")")
                         String payoutState) {
        /** "3 contributors scored", "not scored yet, 12 contributions", "no contributions". */
        public String scoredInWords() {
            if (contributors != null) {
                return contributors + (contributors == 1 ? " contributor" : " contributors") + " scored";
            }
            return contributions == null || contributions > 0 ? "not scored yet" + (contributions == null ? ""
                    : ", " + contributions + (contributions == 1 ? " contribution" : " contributions"))
                    : "no contributions";
        }
    }

    /**
     * How many epochs approving a payout would close, how many of them share time with its epoch, and the latest of
     * them (at most the limit asked for).
     */
    public record Closes(long count, long sharingTime, List<Closed> latest,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "How many "
                                 + "contributions are dated before the payout's epoch and after what the vault has "
                                 + "paid up to (unpaidSince): work its approval leaves no payout able to pay, covered "
                                 + "by a closed epoch or by none") long contributionsBefore,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description =
                                 "The end of the time the vault has paid (or Merit recorded it approved); null when "
                                 + "nothing has been paid yet") Instant unpaidSince,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "The start of the "
                                 + "payout's epoch: where contributionsBefore ends") Instant unpaidUntil) {
    }

    /**
     * The other epochs beginning before {@code p}'s ends that no payout has paid, which no payout could pay once
     * {@code p} is approved: the vault approves periods once and in order, so its approval of {@code p} leaves only
     * time after {@code p}'s epoch to pay. Those that share time with {@code p}'s epoch (an epoch of the same year, a
     * month inside it) are closed by it as well, and close it if approved first. Epochs already closed (beginning
     * before what the vault, or Merit's record of what it approved, has paid up to) are not counted. Given while
     * {@code p} may still be approved, as {@link #storedAfterRun}; null otherwise. The latest first (the one just
     * before {@code p}'s is the likeliest to matter), at most {@code limit} of them.
     */
    public Closes closes(PayoutProposal p, boolean periodTaken, int limit) {
        return closes(p, periodTaken, limit, vault.paidUntil());
    }

    /**
     * As {@link #closes(PayoutProposal, boolean, int)}, with what the vault has approved pay up to as the caller has
     * just read it (putting a payout on chain reads it in its transaction, not from a page views' cache).
     */
    public Closes closes(PayoutProposal p, boolean periodTaken, int limit, java.util.Optional<Instant> vaultPaidUntil) {
        if (!mayStillBeApproved(p, periodTaken)) {
            return null;
        }
        Epoch epoch = Epoch.findById(p.epochId);
        Instant recorded = Epoch.getEntityManager().createQuery("select max(e.endsAt) from Epoch e where e.id in "
                + APPROVED_EPOCHS, Instant.class).getSingleResult();
        Instant open = vaultPaidUntil.filter(v -> recorded == null || v.isAfter(recorded))
                .orElse(recorded == null ? Instant.EPOCH : recorded);
        String unpaid = "startsAt < ?1 and startsAt >= ?2 and id <> ?3 and id not in " + APPROVED_EPOCHS;
        long count = Epoch.count(unpaid, epoch.endsAt, open, epoch.id);
        long sharing = count == 0 ? 0 : Epoch.count(unpaid + " and endsAt > ?4", epoch.endsAt, open, epoch.id,
                epoch.startsAt);
        List<Epoch> latest = count == 0 ? List.of() : Epoch.<Epoch>find(unpaid + " order by startsAt desc, id desc",
                epoch.endsAt, open, epoch.id).page(0, limit).list();
        // All work dated between what is paid and this epoch's start: what its approval leaves unpaid for good.
        // Work no payout would pay anyway is not counted as lost: a bot's, unless an epoch that pays bots covers it.
        long before = open.isBefore(epoch.startsAt) ? ((Number) Epoch.getEntityManager().createNativeQuery(
                "select count(*) from contribution c where c.occurred_at >= ?1 and c.occurred_at < ?2 and ("
                        + dev.merit.ingest.Contribution.CREDITS_A_PERSON + " or exists (select 1 from epoch b where "
                        + "b.include_bots = true and b.starts_at <= c.occurred_at and b.ends_at > c.occurred_at))")
                .setParameter(1, open).setParameter(2, epoch.startsAt).getSingleResult()).longValue() : 0;
        // Who it leaves unpaid, as its latest scoring counted them: one read per epoch named (at most the limit).
        return new Closes(count, sharing, latest.stream().map(e -> {
            Integer scored = dev.merit.scoring.ScoringRun.<dev.merit.scoring.ScoringRun>find(
                    "epochId = ?1 order by createdAt desc, id desc", e.id).firstResultOptional()
                    .map(r -> r.contributorCount).orElse(null);
            PayoutProposal live = PayoutProposal.<PayoutProposal>find("epochId = ?1 and status not in ?2 and "
                    + "periodTaken = false order by id desc", e.id, ProposalState.DEAD).firstResult();
            return new Closed(e.id, e.name, e.startsAt, e.endsAt, e.budget, e.tokenDecimals,
                    e.endsAt.isAfter(epoch.startsAt), scored, scored != null ? null
                    : epochService.contributionsBetween(e.startsAt, e.endsAt), live == null ? null : live.id,
                    live == null ? null : ProposalState.describe(live));
        }).toList(), before, open.equals(Instant.EPOCH) ? null : open, epoch.startsAt);
    }

    /**
     * Another payout took the period of {@code proposalId} on the vault: it can never be paid, and its lines say so.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void periodTaken(long proposalId) {
        payroll.get(proposalId).periodTaken = true;
    }

    /** The lines of {@code proposalId} paid to {@code wallet} were paid by transaction {@code txHash} (once). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markPaid(long proposalId, String wallet, String txHash) {
        PayoutLine.update("paidTxHash = ?1 where proposalId = ?2 and lower(wallet) = ?3 and paidTxHash is null",
                txHash, proposalId, wallet.toLowerCase(Locale.ROOT));
    }

    /** Held lines released to their contributors' wallets by an executed proposal (transaction {@code txHash}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markReleased(Map<Long, String> walletByLine, String txHash) {
        walletByLine.forEach((lineId, wallet) -> PayoutLine.update(
                "wallet = ?1, paidTxHash = ?2 where id = ?3 and paidTxHash is null", wallet, txHash, lineId));
    }

    /** The held lines of these proposals that were never released went back to the treasury. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markReturned(Collection<Long> proposalIds) {
        if (!proposalIds.isEmpty()) {
            PayoutLine.update("returned = true where proposalId in :ids and heldKey is not null and paidTxHash is null",
                    Parameters.with("ids", proposalIds));
        }
    }

    /** Held lines of approved proposals, not released or returned: what a later proposal may release. */
    public List<PayoutLine> heldOutstanding() {
        return PayoutLine.list("heldKey is not null and paidTxHash is null and returned = false and proposalId in "
                + "(select p.id from PayoutProposal p where p.approvedAt is not null) order by proposalId, rank");
    }

    /**
     * An older payout proposal of the epoch was replaced on chain by {@code by}. It stays on chain until
     * {@link #offChain}: the DAO may still pass and execute it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void supersede(long proposalId, long by) {
        PayoutProposal p = payroll.get(proposalId);
        p.status = ProposalState.SUPERSEDED;
        p.supersededBy = by;
        p.stillOnChain = true;
    }

    /** A superseded proposal's state on chain can no longer change (defeated, canceled, expired, executed, never proposed). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void offChain(long proposalId) {
        payroll.get(proposalId).stillOnChain = false;
    }

    /** Withdraws a draft: it will not be paid. Proposals on chain are decided by the DAO's vote, not withdrawn. */
    @Transactional
    public PayoutProposal withdraw(long proposalId) {
        PayoutProposal p = payroll.get(proposalId);
        // Locked: of withdrawals (and a propose) at the same moment one goes through; the others read its result.
        PayoutProposal.getEntityManager().refresh(p, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (!p.status.equals(ProposalState.DRAFT)) {
            throw new dev.merit.problem.ProblemException(dev.merit.problem.ProblemException.Kind.CONFLICT,
                    "not-a-draft", "Not a draft", "Payout proposal " + proposalId + " is " + p.status + " ("
                    + ProposalState.describe(p.status) + "): only drafts are withdrawn; the DAO's vote decides the rest.",
                    Map.of("state", p.status));
        }
        p.status = ProposalState.WITHDRAWN;
        p.withdrawnAt = Instant.now();
        return p;
    }
}
