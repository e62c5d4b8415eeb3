package dev.merit.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One named step of a score. LINES factors are whole line counts that sum to the effective lines. SCORE factors
 * fold, in order, into the score: SET starts it, MULTIPLY and ADD apply, each result rounded half-even to
 * {@link #SCALE} decimals. Anyone can recompute a score from its factors with {@link #fold}.
 */
public record Factor(String name, Kind kind, Op op, BigDecimal value, String detail) {

    public enum Kind { LINES, SCORE }

    public enum Op { SET, ADD, MULTIPLY }

    public static final int SCALE = 6;

    public static Factor lines(String name, long lines, String detail) {
        return new Factor(name, Kind.LINES, Op.ADD, BigDecimal.valueOf(lines), detail);
    }

    public static Factor set(String name, BigDecimal value, String detail) {
        return new Factor(name, Kind.SCORE, Op.SET, round(value), detail);
    }

    public static Factor multiply(String name, BigDecimal value, String detail) {
        return new Factor(name, Kind.SCORE, Op.MULTIPLY, round(value), detail);
    }

    public static BigDecimal round(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** The score these factors make. */
    public static BigDecimal fold(List<Factor> factors) {
        BigDecimal score = round(BigDecimal.ZERO);
        for (Factor f : factors) {
            if (f.kind() != Kind.SCORE) {
                continue;
            }
            score = switch (f.op()) {
                case SET -> round(f.value());
                case ADD -> round(score.add(f.value()));
                case MULTIPLY -> round(score.multiply(f.value()));
            };
        }
        return score;
    }

    /**
     * The factors of one of {@code credits} co-authors' credit: a contribution with several authors is shared equally,
     * each credit multiplied by 1/n (to 20 significant digits, then to {@link #SCALE} decimals as every factor is).
     */
    public static List<Factor> shared(List<Factor> factors, int credits) {
        if (credits <= 1) {
            return factors;
        }
        List<Factor> shared = new ArrayList<>(factors);
        shared.add(multiply("credit_share", BigDecimal.ONE.divide(BigDecimal.valueOf(credits),
                new MathContext(20, RoundingMode.HALF_EVEN)), "shared equally by " + credits + " authors (Co-authored-by)"));
        return shared;
    }

    /** The effective lines these factors account for. */
    public static long effectiveLines(List<Factor> factors) {
        return factors.stream().filter(f -> f.kind() == Kind.LINES)
                .mapToLong(f -> f.value().longValueExact()).sum();
    }
}
