package dev.merit.payroll;

import java.util.Locale;

/**
 * A payout proposal's state, in the one vocabulary the API, the CLI and the dashboard use: draft, withdrawn,
 * superseded off chain; on chain, the governor's pending, active, succeeded, queued, executed, defeated, canceled,
 * expired (and superseded, by a newer payout of the same epoch). Governance reports the chain's word through
 * {@link PayoutLedger#chainState}.
 */
public final class ProposalState {

    public static final String DRAFT = "draft";
    public static final String WITHDRAWN = "withdrawn";
    public static final String SUPERSEDED = "superseded";
    public static final String EXECUTED = "executed";
    /**
     * States whose payout pays nothing more, whatever happens (a proposal whose period another took is one too): those
     * of {@link #neverPaid}. The scoring layer's history query and the dashboard keep their own copies.
     */
    public static final java.util.List<String> DEAD = java.util.List.of(WITHDRAWN, SUPERSEDED, "defeated", "canceled",
            "expired");

    /**
     * States of a proposal on chain that may still pay (unless another payout took its period): its vote about to open
     * or under way, or passed and not yet executed.
     */
    public static final java.util.List<String> LIVE = java.util.List.of("pending", "active", "succeeded", "queued");

    private ProposalState() {
    }

    /** The vocabulary's word for a governor state name (PROPOSING: sent, not mined yet, reads as pending). */
    public static String ofChain(String chainState) {
        String s = chainState.toLowerCase(Locale.ROOT);
        return s.equals("proposing") ? "pending" : s;
    }

    /** What proposal {@code p}'s state means for a person, in a sentence, with why it will not be paid when it will not. */
    public static String describe(PayoutProposal p) {
        return describe(p.status, p);
    }

    /** As {@link #describe(PayoutProposal)}, for {@code state} as read from the chain. */
    public static String describe(String state, PayoutProposal p) {
        String text = describe(state);
        if (SUPERSEDED.equals(state) && p.stillOnChain && p.approvedAt == null && !p.periodTaken) {
            // Merit follows it no more, but the governor does: passed and executed, it is the payout paid.
            return text + "; still on chain, where members may pass it and anyone may execute it (then it is the one "
                    + "paid, and the vault refuses the other)";
        }
        return periodTaken(p) ? text + "; it can no longer be paid: " + PERIOD_TAKEN : text;
    }

    /**
     * Why a draft can never go on chain: the vault approved pay up to {@code paidUntil}, after its epoch's
     * {@code start}, and pays periods once and in order.
     */
    static String vaultPassed(java.time.Instant paidUntil, java.time.Instant start) {
        return "the vault has approved pay up to " + dev.merit.problem.Moments.of(paidUntil) + ", after this epoch's start ("
                + dev.merit.problem.Moments.of(start) + "), and periods are paid once and in order";
    }

    /**
     * As {@link #describe(PayoutProposal)}, for a draft that can never go on chain, or a superseded draft whose last
     * successor is one ({@code passed}: why, from {@link PayoutLedger#draftPassed}; else null).
     */
    public static String describe(PayoutProposal p, String passed) {
        if (passed == null) {
            return describe(p);
        }
        return DRAFT.equals(p.status) ? "a draft that can never go on chain: " + passed
                : describe(p.status) + "; it will not be paid: " + passed;
    }

    /** Why a payout whose period another payout took can never be paid. */
    static final String PERIOD_TAKEN = "another proposal had the vault approve pay for its period or a later one, and "
            + "periods are paid once, in order";

    /** Another payout took {@code p}'s period on the vault before {@code p} was approved: it can never be paid. */
    public static boolean periodTaken(PayoutProposal p) {
        return p.periodTaken && p.approvedAt == null;
    }

    /**
     * Why the unpaid lines of {@code p} will never be paid (in words), or null while they may be: withdrawn, replaced,
     * voted down, canceled, expired, or its period taken by another payout. An approved proposal's lines are paid or
     * claimable, whatever happened next.
     */
    static String neverPaid(PayoutProposal p) {
        if (p.approvedAt != null) {
            return null;
        }
        if (p.periodTaken) {
            return PERIOD_TAKEN;
        }
        return switch (p.status) {
            case WITHDRAWN -> "the draft was withdrawn";
            case SUPERSEDED -> replaced(p);
            case "defeated" -> DEFEATED;
            case "canceled" -> "the proposal was canceled";
            case "expired" -> "the proposal expired before it was executed";
            default -> null;
        };
    }

    /** OpenZeppelin's Governor defeats a proposal short of quorum as well as one voted down. */
    static final String DEFEATED = "the vote did not pass: too few votes for its quorum, or not more for than against";

    /** Why a superseded payout's lines are not paid by it: where the share is paid instead, if anywhere. */
    private static String replaced(PayoutProposal p) {
        PayoutProposal last = lastSuccessor(p);
        if (last == p) {
            return "a newer payout of the same epoch replaced this one: the share is paid there";
        }
        if (WITHDRAWN.equals(last.status)) {
            return "payout #" + last.id + ", which replaced this one, was withdrawn: nothing pays this epoch until a new "
                    + "payout of it is proposed";
        }
        // A successor still marked superseded ends a broken chain (a cycle): no reason is read from it, in circles.
        String lastNever = SUPERSEDED.equals(last.status) ? null : neverPaid(last);
        if (lastNever != null) {
            if (p.stillOnChain) {
                // Its own governor proposal still stands: members may pass it, and executed it pays (the vault's
                // period is free, since the successor did not take it).
                return "payout #" + last.id + ", which replaced this one, will not be paid (" + lastNever + "); this one "
                        + "is still on chain: it pays only if members pass it and it is executed there (Merit relays no "
                        + "vote for it)";
            }
            return "payout #" + last.id + ", which replaced this one, will not be paid either (" + lastNever + ")";
        }
        return "payout #" + last.id + " of the same epoch replaced this one: the share is paid there";
    }

    /** The payout that replaced {@code p} in the end (following newer ones that replaced it in turn); {@code p} if none. */
    static PayoutProposal lastSuccessor(PayoutProposal p) {
        PayoutProposal last = p;
        for (int i = 0; i < 1000 && last.supersededBy != null; i++) {
            PayoutProposal next = PayoutProposal.findById(last.supersededBy);
            if (next == null) {
                break;
            }
            last = next;
        }
        return last;
    }

    /**
     * A superseded payout whose share a newer payout may still pay (read "replaced"), or that may still pay it itself
     * (its governor proposal still stands on chain), rather than one that nothing pays now: the payout that replaced
     * it in the end was withdrawn as a draft, or will not be paid itself (defeated, canceled, expired, its period
     * taken), and its own vote is over.
     */
    static boolean replacedByOneThatStands(PayoutProposal p) {
        if (!SUPERSEDED.equals(p.status)) {
            return false;
        }
        PayoutProposal last = lastSuccessor(p);
        return last == p || SUPERSEDED.equals(last.status) || neverPaid(last) == null || p.stillOnChain;
    }

    /** What the state means for a person, in a sentence. */
    public static String describe(String state) {
        return switch (state) {
            case DRAFT -> "a draft: not on chain yet";
            case WITHDRAWN -> "withdrawn: it will not be paid";
            case SUPERSEDED -> "superseded by a newer payout of the same epoch";
            // Also a proposal whose transaction is not mined yet (PROPOSING reads pending): true of both.
            case "pending" -> "proposed to the governor, voting has not started"; // a comma: stateWords keeps it whole
            case "active" -> "on chain, members are voting";
            case "succeeded" -> "voted through; waiting to be queued in the timelock";
            case "queued" -> "queued in the timelock; executes when its delay has passed";
            case EXECUTED -> "executed: the DAO approved it; contributors with a wallet are paid or can claim their "
                    + "share, and the vault holds the others' shares until they link one";
            case "defeated" -> "defeated: the vote did not pass, so it will not be paid";
            case "canceled" -> "canceled: it will not be paid";
            case "expired" -> "expired before it was executed: it will not be paid";
            default -> state;
        };
    }
}
