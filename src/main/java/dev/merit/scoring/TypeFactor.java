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

    /**
     * The median type weight {@code factor} in words a contributor can check against the probabilities: the types by
     * weight, heaviest first, with what each weight's types add up to, until they reach even odds; "types weighing 1
     * have 41.7% (feature 17.8%, fix 12.8%, perf 11.2%), under even odds; with those weighing 0.8 (refactor 4.4%, test
     * 4%), 50.1%: even odds or better at 0.8; most likely docs 32.8% (weight 0.6)". Percentages are rounded to a
     * tenth, a sum near one half to a ten-thousandth (so that 49.99% does not read as 50%).
     */
    public static String median(Map<ContributionType, BigDecimal> probabilities,
                                Map<ContributionType, BigDecimal> weights, BigDecimal factor,
                                ContributionType likeliest) {
        List<Map.Entry<ContributionType, BigDecimal>> byWeight = new ArrayList<>(probabilities.entrySet());
        byWeight.sort((a, b) -> {
            int w = weights.get(b.getKey()).compareTo(weights.get(a.getKey()));
            return w != 0 ? w : b.getValue().compareTo(a.getValue());
        });
        StringBuilder out = new StringBuilder();
        BigDecimal atLeast = BigDecimal.ZERO;
        boolean first = true;
        int i = 0;
        while (i < byWeight.size()) {
            BigDecimal weight = weights.get(byWeight.get(i).getKey());
            List<String> types = new ArrayList<>();
            for (; i < byWeight.size() && weights.get(byWeight.get(i).getKey()).compareTo(weight) == 0; i++) {
                BigDecimal p = byWeight.get(i).getValue();
                atLeast = atLeast.add(p);
                if (share(p).signum() > 0) {
                    types.add(byWeight.get(i).getKey().label() + " " + share(p).toPlainString() + "%");
                }
            }
            String w = weight.stripTrailingZeros().toPlainString();
            String listed = types.isEmpty() ? "" : " (" + String.join(", ", types) + ")";
            String sum = sum(atLeast);
            out.append(first ? "types weighing " + w + " have " + sum + listed
                    : "; with those weighing " + w + listed + ", " + sum);
            if (weight.compareTo(factor) <= 0) {
                break;
            }
            out.append(first ? ", under even odds" : "");
            first = false;
        }
        out.append(atLeast.compareTo(HALF) >= 0 ? ": even odds or better at "
                : ": short of even odds together (probabilities that do not add up to 1), so the lowest weight, ")
                .append(factor.stripTrailingZeros().toPlainString());
        // The likeliest as the prediction names it (the same type the page calls "most likely", ties included).
        if (likeliest != null && probabilities.containsKey(likeliest) && weights.get(likeliest).compareTo(factor) < 0) {
            out.append("; most likely ").append(likeliest.label()).append(' ')
                    .append(share(probabilities.get(likeliest)).toPlainString()).append("% (weight ")
                    .append(weights.get(likeliest).stripTrailingZeros().toPlainString()).append(')');
        }
        return out.toString();
    }

    /** A probability as a percentage to a tenth ("17.8"; "4" for 4.0). */
    private static BigDecimal share(BigDecimal p) {
        return p.movePointRight(2).setScale(1, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    /** A sum of probabilities as a percentage: to a tenth, or further where a tenth would hide its side of 50%. */
    private static String sum(BigDecimal p) {
        BigDecimal tenth = share(p);
        boolean hides = tenth.compareTo(BigDecimal.valueOf(50)) == 0 && p.compareTo(HALF) != 0;
        return (hides ? p.movePointRight(2).stripTrailingZeros() : tenth).toPlainString() + "%";
    }

    /** As {@link #of(Map, Map)} for probabilities as doubles (evaluation): each taken to millionths, as the scorer does. */
    public double ofDoubles(Map<ContributionType, Double> probabilities, Map<ContributionType, BigDecimal> weights) {
        Map<ContributionType, BigDecimal> exact = new java.util.EnumMap<>(ContributionType.class);
        probabilities.forEach((t, p) -> exact.put(t, BigDecimal.valueOf(Math.round(p * 1e6), Factor.SCALE)));
        return of(exact, weights).doubleValue();
    }
}
