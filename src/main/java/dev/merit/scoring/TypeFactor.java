package dev.merit.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the learned scorer turns the classifier's type probabilities into the {@code type} factor.
 * <ul>
 * <li>{@code median} (scorer learned-v3): the median type weight, the largest policy weight w such that the
 * probability that the contribution's type weighs w or more is at least one half. It is the factor that is least far,
 * on average, from the weight of the contribution's true type when the probabilities are calibrated (the median
 * minimises the mean absolute error). Leave one repository out over Merit's training repositories it lands 0.11
 * from the declared type's weight on average, against 0.15 for the expected weight (models/MODEL_CARD.md).</li>
 * <li>{@code expected} (learned-v2): the expected type weight, each type's weight times its probability, summed. A
 * contribution the model is unsure about gets a blend, so it is rarely paid exactly what its type weighs.</li>
 * </ul>
 */
public enum TypeFactor {
    MEDIAN, EXPECTED;

    /** The one-half the median needs, as an exact decimal. */
    private static final BigDecimal HALF = new BigDecimal("0.5");

    public static TypeFactor of(String setting) {
        String s = setting == null ? "" : setting.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "median" -> MEDIAN;
            case "expected" -> EXPECTED;
            default -> throw new IllegalArgumentException("merit.scoring.type-factor must be median or expected, got '"
                    + setting + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The factor for exact probabilities (decimals; the classifier's, rounded to millionths) and policy weights. Ties
     * among equal weights do not matter: only weights are compared.
     */
    public BigDecimal of(Map<ContributionType, BigDecimal> probabilities, Map<ContributionType, BigDecimal> weights) {
        if (this == EXPECTED) {
            BigDecimal expected = BigDecimal.ZERO;
            for (Map.Entry<ContributionType, BigDecimal> e : probabilities.entrySet()) {
                expected = expected.add(e.getValue().multiply(weights.get(e.getKey())));
            }
            return expected;
        }
        List<Map.Entry<ContributionType, BigDecimal>> byWeight = new ArrayList<>(probabilities.entrySet());
        byWeight.sort((a, b) -> weights.get(b.getKey()).compareTo(weights.get(a.getKey())));
        BigDecimal atLeast = BigDecimal.ZERO;
        for (Map.Entry<ContributionType, BigDecimal> e : byWeight) {
            atLeast = atLeast.add(e.getValue());
            if (atLeast.compareTo(HALF) >= 0) {
                return weights.get(e.getKey());
            }
        }
        // Probabilities that add up to less than one half (not from a softmax): the lowest weight offered.
        return byWeight.isEmpty() ? BigDecimal.ZERO : weights.get(byWeight.get(byWeight.size() - 1).getKey());
    }

    /** As {@link #of(Map, Map)} for probabilities as doubles (evaluation): each taken to millionths, as the scorer does. */
    public double ofDoubles(Map<ContributionType, Double> probabilities, Map<ContributionType, BigDecimal> weights) {
        Map<ContributionType, BigDecimal> exact = new java.util.EnumMap<>(ContributionType.class);
        probabilities.forEach((t, p) -> exact.put(t, BigDecimal.valueOf(Math.round(p * 1e6), Factor.SCALE)));
        return of(exact, weights).doubleValue();
    }
}
