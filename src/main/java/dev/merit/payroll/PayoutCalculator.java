package dev.merit.payroll;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Amounts from inputs: a pure function, used to propose and again to verify. */
public final class PayoutCalculator {

    /** Weights are taken to 18 decimals; square roots to 40 significant digits first. */
    private static final int WEIGHT_SCALE = 18;
    private static final MathContext SQRT = new MathContext(40, RoundingMode.HALF_EVEN);

    public record Line(String contributor, BigDecimal score, BigInteger amount, String status) {
    }

    private PayoutCalculator() {
    }

    public static List<Line> compute(PayoutInputs in) {
        TreeMap<String, BigDecimal> totals = new TreeMap<>();
        for (PayoutInputs.Score s : in.scores()) {
            totals.merge(s.contributor(), s.score(), BigDecimal::add);
        }
        Set<String> bots = new HashSet<>(in.bots());
        List<Allocation.Claimant> claimants = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        totals.forEach((contributor, score) -> {
            if (bots.contains(contributor) && !in.policy().includeBots()) {
                lines.add(new Line(contributor, score, BigInteger.ZERO, PayoutLine.BOT_EXCLUDED));
            } else {
                claimants.add(new Allocation.Claimant(contributor, weight(score, in.policy().sqrtDampening())));
            }
        });
        List<Allocation.Share> shares = Allocation.allocate(claimants, in.budget(), in.policy().minPayout(),
                in.policy().cap(), in.tokenDecimals());
        for (Allocation.Share share : shares) {
            lines.add(new Line(share.key(), totals.get(share.key()), share.amount(), share.outcome().name()));
        }
        return lines;
    }

    /** Lines as a proposal lists them: largest amount first, then highest score, then by contributor. */
    public static List<Line> ranked(List<Line> lines) {
        List<Line> ranked = new ArrayList<>(lines);
        ranked.sort(Comparator.comparing(Line::amount).reversed()
                .thenComparing(Comparator.comparing(Line::score).reversed())
                .thenComparing(Line::contributor));
        return ranked;
    }

    static BigInteger weight(BigDecimal score, boolean sqrt) {
        if (score.signum() <= 0) {
            return BigInteger.ZERO;
        }
        BigDecimal w = sqrt ? score.sqrt(SQRT) : score;
        return w.setScale(WEIGHT_SCALE, RoundingMode.DOWN).unscaledValue();
    }
}
