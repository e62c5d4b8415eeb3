package dev.merit.scoring;

import dev.merit.audit.CanonicalJson;
import dev.merit.ingest.ContributionMetrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The transparent first model: score = size points x type weight. Size points are the effective lines up to
 * {@code linearLines}, and {@code linearLines * (1 + ln(lines / linearLines))} beyond, so splitting ordinary
 * work into many commits gains nothing while a single huge dump is damped.
 */
public final class FormulaModel implements ScoringModel {

    public static final String VERSION = "formula-v1";

    private final Map<ContributionType, BigDecimal> weights;
    private final int linearLines;
    private final String hash;
    private final Map<String, Object> policy;

    public FormulaModel(Map<String, BigDecimal> configuredWeights, int linearLines) {
        if (linearLines <= 0) {
            throw new IllegalArgumentException("merit.scoring.linear-lines must be positive, got " + linearLines);
        }
        this.weights = weights(configuredWeights);
        this.linearLines = linearLines;
        Map<String, Object> params = new TreeMap<>();
        params.put("model", VERSION);
        params.put("linearLines", linearLines);
        params.put("scale", Factor.SCALE);
        Map<String, BigDecimal> w = new TreeMap<>();
        weights.forEach((k, v) -> w.put(k.label(), v));
        params.put("typeWeights", w);
        this.hash = CanonicalJson.hash(params);
        this.policy = policy(VERSION, weights, linearLines);
    }

    /** The policy document: which scorer, type weights, size curve. */
    static Map<String, Object> policy(String scorer, Map<ContributionType, BigDecimal> weights, int linearLines) {
        Map<String, Object> policy = new TreeMap<>();
        policy.put("scorer", scorer);
        policy.put("linearLines", linearLines);
        policy.put("scale", Factor.SCALE);
        Map<String, BigDecimal> w = new TreeMap<>();
        weights.forEach((k, v) -> w.put(k.label(), v));
        policy.put("typeWeights", w);
        return policy;
    }

    /** Configured type weights, validated: every key names a type, none negative; missing ones default. */
    public static Map<ContributionType, BigDecimal> weights(Map<String, BigDecimal> configuredWeights) {
        Map<ContributionType, BigDecimal> weights = new EnumMap<>(ContributionType.class);
        for (ContributionType type : ContributionType.values()) {
            BigDecimal w = configuredWeights.getOrDefault(type.label(), type.defaultWeight());
            if (w.signum() < 0) {
                throw new IllegalArgumentException("merit.scoring.type-weights." + type.label() + " cannot be negative");
            }
            weights.put(type, Factor.round(w));
        }
        for (String key : configuredWeights.keySet()) {
            boolean known = false;
            for (ContributionType t : ContributionType.values()) {
                known |= t.label().equals(key);
            }
            if (!known) {
                throw new IllegalArgumentException("merit.scoring.type-weights." + key + " names no contribution type");
            }
        }
        return weights;
    }

    @Override
    public Map<String, Object> policy() {
        return policy;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String hash() {
        return hash;
    }

    public BigDecimal weight(ContributionType type) {
        return weights.get(type);
    }

    @Override
    public Output score(Input input) {
        TypeHeuristic.Guess guess = input.correction() != null && ContributionType.ofKind(input.kind()).isEmpty()
                ? new TypeHeuristic.Guess(input.correction().type(), input.correction().why())
                : TypeHeuristic.classify(input.kind(), input.title(), input.files());
        List<Factor> factors = lineFactors(input);
        long effective = Factor.effectiveLines(factors);
        factors.add(sizeFactor(effective, linearLines));
        factors.add(Factor.multiply("type", weights.get(guess.type()),
                guess.type().label() + " (" + guess.reason() + ")"));
        return new Output(guess.type(), guess.reason(), factors);
    }

    /** The contribution's line factors ({@link #lineFactors(ContributionMetrics)}), then the epoch's. */
    static List<Factor> lineFactors(Input input) {
        List<Factor> factors = lineFactors(input.metrics());
        factors.addAll(input.epochLines());
        return factors;
    }

    /** Why lines of each kind of file not counted are not work (a category alone read "lockfile files"). */
    private static final Map<String, String> NOT_WORK = Map.of(
            "lockfile", "lock files are written by package managers, not by hand",
            "generated", "generated files are written by tools, not by hand",
            "vendored", "vendored files are copies of other projects' code",
            "minified", "minified files are built from sources counted elsewhere");

    static List<Factor> lineFactors(ContributionMetrics m) {
        List<Factor> factors = new ArrayList<>();
        factors.add(Factor.lines("lines_added", m.linesAdded(), "lines added"));
        factors.add(Factor.lines("lines_deleted", m.linesDeleted(), "lines deleted"));
        new TreeMap<>(m.excluded()).forEach((category, lines) ->
                factors.add(Factor.lines("excluded_" + category, -lines, NOT_WORK.getOrDefault(category,
                        category + " files are not hand-written work"))));
        if (m.whitespaceLines() > 0) {
            factors.add(Factor.lines("whitespace", -m.whitespaceLines(),
                    "blank lines, whitespace-only changes and reformatted code (re-wrapped, re-quoted)"));
        }
        if (m.movedLines() > 0) {
            factors.add(Factor.lines("moved", -m.movedLines(),
                    "lines moved unchanged (counted on both the deleted and the added side)"));
        }
        if (m.repeatedLines() > 0) {
            factors.add(Factor.lines("repeated", -m.repeatedLines(), "the same replacement made again in this commit "
                    + "(search and replace, a rename): the first of each kind is work, the others are not"));
        }
        long check = factors.stream().mapToLong(f -> f.value().longValueExact()).sum();
        if (check != m.effectiveLines() && m.linesAdded() + m.linesDeleted() > 0) {
            throw new IllegalStateException("metrics do not add up: factors give " + check + ", metrics say "
                    + m.effectiveLines());
        }
        if (m.linesAdded() + m.linesDeleted() == 0 && m.effectiveLines() > 0) {
            // Sources without diffs (reviews, issues) state an effective size directly.
            factors.add(Factor.lines("source_size", m.effectiveLines(), "size assigned by the source"));
        }
        return factors;
    }

    static Factor sizeFactor(long effective, int linearLines) {
        return Factor.set("size", sizePoints(effective, linearLines), sizeDetail(effective, linearLines));
    }

    static BigDecimal sizePoints(long effective, int linearLines) {
        if (effective <= linearLines) {
            return BigDecimal.valueOf(Math.max(0, effective));
        }
        double points = linearLines * (1 + StrictMath.log((double) effective / linearLines));
        return new BigDecimal(points);
    }

    private static String sizeDetail(long effective, int linearLines) {
        if (effective <= linearLines) {
            return effective + " effective lines, counted one point each (up to " + linearLines + ")";
        }
        // "ln" named: a contributor checking the figure on a calculator needs the natural logarithm, not log10.
        return effective + " effective lines: " + linearLines + " x (1 + ln(" + effective + "/" + linearLines
                + ")), damped beyond " + linearLines + " (ln: the natural logarithm)";
    }
}
