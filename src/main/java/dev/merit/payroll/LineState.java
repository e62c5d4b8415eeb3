package dev.merit.payroll;

/**
 * A payout line's state, in the one vocabulary the API, the CSV, the CLI and the dashboard use: to pay (on its way:
 * a draft, or a proposal not yet approved on chain), held (its contributor had no wallet when it went on chain; the
 * vault keeps the share for them), claimable (approved on chain, not yet transferred), paid, returned to the treasury
 * (a held share never claimed), replaced (its proposal was superseded by a newer one of the same epoch), will not be
 * paid (its proposal was withdrawn, voted down, canceled or expired, or another payout took its period; a draft whose
 * period the vault has passed, or whose last successor is such a draft), or nothing to pay. The reason says, in
 * words, why a line differs from its plain share.
 */
public record LineState(String state, String reason) {

    public static final String TO_PAY = "to pay";
    public static final String HELD = "held";
    public static final String CLAIMABLE = "claimable";
    public static final String PAID = "paid";
    public static final String RETURNED = "returned to the treasury";
    public static final String NOTHING = "nothing to pay";
    public static final String NEVER = "will not be paid";
    /**
     * Its payout was superseded by a newer one of the same epoch: paid there. Not "will not be paid": members may still
     * execute the older one while its vote stands (then it is paid, and reads so).
     */
    public static final String REPLACED = "replaced";

    /** A line of proposal {@code p} on chain (or over), as it reads now. */
    public static LineState of(PayoutLine line, PayoutProposal p) {
        return of(line, p, false);
    }

    /**
     * As {@link #of(PayoutLine, PayoutProposal)}; {@code unlinkedDraft}: the line is in a draft and its contributor
     * has no wallet today, so it would be held if the draft went on chain now (the treasurer sees who, before
     * proposing).
     */
    public static LineState of(PayoutLine line, PayoutProposal p, boolean unlinkedDraft) {
        return of(line, p, unlinkedDraft, null);
    }

    /**
     * As {@link #of(PayoutLine, PayoutProposal, boolean)}; {@code passed}: why the draft can never go on chain (the
     * vault approved pay past its epoch's start), or null.
     */
    public static LineState of(PayoutLine line, PayoutProposal p, boolean unlinkedDraft, String passed) {
        boolean approved = p.approvedAt != null;
        String never = ProposalState.neverPaid(p);
        String allocation = reason(line.status);
        if (line.amount.signum() == 0) {
            return new LineState(NOTHING, allocation);
        }
        if (line.returned) {
            return new LineState(RETURNED, "no wallet was linked in time: the held share went back to the treasury");
        }
        if (line.paidTxHash != null) {
            return new LineState(PAID, allocation);
        }
        if (passed != null) {
            return new LineState(NEVER, passed); // not "replaced": the payout that replaced it cannot pay either
        }
        if (never != null) {
            return new LineState(ProposalState.replacedByOneThatStands(p) ? REPLACED : NEVER, never);
        }
        if (line.heldKey != null) {
            return new LineState(HELD, "no wallet linked when it went on chain: the vault keeps the share until a later "
                    + "proposal releases it to the contributor's wallet");
        }
        if (unlinkedDraft) {
            // Not "proposed on chain now": a draft of an epoch still running goes on chain only once it has ended.
            return new LineState(HELD, "no wallet linked yet: if none is linked by the time this draft goes on chain, "
                    + "the vault holds the share until a later vote releases it to the wallet the contributor links");
        }
        return new LineState(approved ? CLAIMABLE : TO_PAY, allocation);
    }

    /**
     * A share held on chain whose contributor has linked a wallet since: what may release it to that wallet. "May": a
     * later vote releases it only while the vault still holds it (after enough payouts it goes back to the treasury).
     */
    public static LineState heldLinkedSince(boolean approved) {
        return new LineState(HELD, "no wallet was linked when it went on chain; one is linked since: "
                + (approved ? "" : "if this payout is executed, ") + "a later payout's vote can release the share to "
                + "it (each payout lists the held shares it releases)");
    }

    /** The allocation's outcome in words; null for a plain share. */
    static String reason(String allocation) {
        return switch (allocation == null ? "" : allocation) {
            case "CAPPED" -> "capped at the policy's maximum payout; the rest went to the others";
            case "BELOW_MINIMUM" -> "its share was below the policy's minimum payout, so it went to the others";
            // Listed because they have work in the epoch: what it counted for is zero (copies, reverted or generated work).
            case "ZERO_SCORE" -> "their work in this epoch scored 0 points: each contribution's explanation says why";
            case PayoutLine.BOT_EXCLUDED -> "a bot account: the policy pays people";
            default -> null;
        };
    }
}
