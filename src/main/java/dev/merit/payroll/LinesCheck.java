package dev.merit.payroll;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** A proposal's stored lines against the lines recomputed from its inputs: each difference named. */
final class LinesCheck {

    private LinesCheck() {
    }

    /** Stored lines against the lines recomputed from the inputs (ranked), field by field, and both sums. */
    static void compare(List<PayoutLine> storedLines, List<PayoutCalculator.Line> ranked, BigInteger inputsBudget,
                             BigInteger storedBudget, LongFunction<String> name, List<String> out) {
        Map<Long, PayoutLine> stored = new HashMap<>();
        BigInteger storedSum = BigInteger.ZERO;
        for (PayoutLine line : storedLines) {
            stored.put(line.contributorId, line);
            storedSum = storedSum.add(line.amount);
        }
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < ranked.size(); i++) {
            PayoutCalculator.Line line = ranked.get(i);
            long id = PayoutInputs.contributorId(line.contributor());
            // Named only when it differs: a name is a read of its contributor, and a payout has tens of thousands.
            java.util.function.Supplier<String> who = () -> "line of " + name.apply(id);
            PayoutLine have = stored.remove(id);
            sum = sum.add(line.amount());
            if (have == null) {
                out.add(who.get() + ": not stored, recomputed amount " + line.amount());
                continue;
            }
            if (!line.amount().equals(have.amount)) {
                out.add(who.get() + ": amount stored " + have.amount + ", recomputed " + line.amount());
            }
            if (have.score == null || line.score().compareTo(have.score) != 0) {
                out.add(who.get() + ": score stored " + (have.score == null ? "none" : have.score.toPlainString())
                        + ", recomputed " + line.score().toPlainString());
            }
            if (!line.status().equals(have.status)) {
                out.add(who.get() + ": status stored " + words(have.status) + ", recomputed " + words(line.status()));
            }
            if (have.rank != i + 1) {
                out.add(who.get() + ": rank stored " + have.rank + ", recomputed " + (i + 1));
            }
        }
        stored.values().stream().sorted(Comparator.comparing((PayoutLine l) -> l.rank))
                .forEach(l -> out.add("line of " + name.apply(l.contributorId) + ": stored amount " + l.amount
                        + ", not in the inputs"));
        if (!sum.equals(inputsBudget)) {
            out.add("recomputed amounts sum to " + sum + ", not the budget " + inputsBudget);
        }
        if (!storedSum.equals(storedBudget)) {
            out.add("stored amounts sum to " + storedSum + ", not the budget " + storedBudget);
        }
    }

    /** A line's allocation in the words a treasurer reads (the stored codes are the database's, not a person's). */
    static String words(String status) {
        return switch (status == null ? "" : status) {
            case "PAID" -> "'a plain share'";
            case "CAPPED" -> "'capped at the maximum payout'";
            case "BELOW_MINIMUM" -> "'below the minimum payout'";
            case "ZERO_SCORE" -> "'scored 0 points'";
            case PayoutLine.BOT_EXCLUDED -> "'a bot account, not paid'";
            default -> status == null ? "none" : "'" + status + "' (not a status Merit writes)";
        };
    }
}
