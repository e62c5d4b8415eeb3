package dev.merit.scoring;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The type factor from type probabilities: the median type weight (learned-v3) or the expected one (learned-v2). */
class TypeFactorTest {

    private static final Map<ContributionType, BigDecimal> WEIGHTS = FormulaModel.weights(Map.of());

    private static Map<ContributionType, BigDecimal> p(Object... typeAndProbability) {
        Map<ContributionType, BigDecimal> out = new EnumMap<>(ContributionType.class);
        for (int i = 0; i < typeAndProbability.length; i += 2) {
            out.put((ContributionType) typeAndProbability[i], new BigDecimal((String) typeAndProbability[i + 1]));
        }
        return out;
    }

    @Test
    void theMedianIsTheLargestWeightWithEvenOddsOfBeingReached() {
        // feature and fix both weigh 1: 0.3 + 0.25 = 0.55 >= 0.5, so 1, though chore is the likeliest single type.
        assertThat(TypeFactor.MEDIAN.of(p(ContributionType.FEATURE, "0.3", ContributionType.FIX, "0.25",
                ContributionType.CHORE, "0.45"), WEIGHTS)).isEqualByComparingTo("1");
        // 0.45 on weight 1 is not enough: docs (0.6) brings it to 0.6.
        assertThat(TypeFactor.MEDIAN.of(p(ContributionType.FIX, "0.45", ContributionType.DOCS, "0.1",
                ContributionType.CHORE, "0.45"), WEIGHTS)).isEqualByComparingTo("0.6");
        // Exactly one half counts.
        assertThat(TypeFactor.MEDIAN.of(p(ContributionType.FIX, "0.5", ContributionType.CHORE, "0.5"), WEIGHTS))
                .isEqualByComparingTo("1");
        assertThat(TypeFactor.MEDIAN.of(p(ContributionType.FIX, "0.499999", ContributionType.CHORE, "0.500001"), WEIGHTS))
                .isEqualByComparingTo("0.3");
        // The expected weight blends: 0.5 x 1 + 0.5 x 0.3.
        assertThat(TypeFactor.EXPECTED.of(p(ContributionType.FIX, "0.5", ContributionType.CHORE, "0.5"), WEIGHTS))
                .isEqualByComparingTo("0.65");
    }

    /** The detail a contributor reads: every number needed to find the factor again, the heaviest types first. */
    @Test
    void theMedianIsExplainedByWhatEachWeightsTypesAddUpTo() {
        var unsure = p(ContributionType.DOCS, "0.328", ContributionType.FEATURE, "0.178", ContributionType.FIX, "0.128",
                ContributionType.PERF, "0.112", ContributionType.REFACTOR, "0.044", ContributionType.TEST, "0.04",
                ContributionType.BUILD, "0.07", ContributionType.CHORE, "0.06", ContributionType.STYLE, "0.03",
                ContributionType.REVERT, "0.01");
        BigDecimal factor = TypeFactor.MEDIAN.of(unsure, WEIGHTS);
        assertThat(factor).isEqualByComparingTo("0.8");
        assertThat(TypeFactor.median(unsure, WEIGHTS, factor, ContributionType.DOCS)).isEqualTo("types weighing 1 "
                + "have 41.8% (feature 17.8%, fix 12.8%, perf 11.2%), under even odds; with those weighing 0.8 "
                + "(refactor 4.4%, test 4%), 50.2%: even odds or better at 0.8; most likely docs 32.8% (weight 0.6)");
        // Probabilities short of one half (not from a softmax) say so, with the lowest weight they fall back on.
        var lacking = p(ContributionType.FIX, "0.2", ContributionType.DOCS, "0.1");
        assertThat(TypeFactor.median(lacking, WEIGHTS, TypeFactor.MEDIAN.of(lacking, WEIGHTS), ContributionType.FIX))
                .isEqualTo("types weighing 1 have 20% (fix 20%), under even odds; with those weighing 0.6 (docs 10%), "
                        + "30%: short of even odds together (probabilities that do not add up to 1), so the lowest "
                        + "weight, 0.6");
        // Sure of one type: its weight's types alone, and the likeliest is among them.
        var sure = p(ContributionType.FIX, "0.77", ContributionType.FEATURE, "0.061", ContributionType.CHORE, "0.169");
        assertThat(TypeFactor.median(sure, WEIGHTS, TypeFactor.MEDIAN.of(sure, WEIGHTS), ContributionType.FIX))
                .isEqualTo("types weighing 1 have 83.1% (fix 77%, feature 6.1%): even odds or better at 1");
        // Three weights down to the one that reaches a half, by a hair: the sum keeps its side of 50%.
        var close = p(ContributionType.FIX, "0.3", ContributionType.TEST, "0.1", ContributionType.DOCS, "0.09996",
                ContributionType.CHORE, "0.50004");
        assertThat(TypeFactor.median(close, WEIGHTS, TypeFactor.MEDIAN.of(close, WEIGHTS),
                ContributionType.CHORE)).isEqualTo("types "
                + "weighing 1 have 30% (fix 30%), under even odds; with those weighing 0.8 (test 10%), 40%; with those "
                + "weighing 0.6 (docs 10%), 49.996%; with those weighing 0.3 (chore 50%), 100%: even odds or better at "
                + "0.3");
    }

    @Test
    void theSettingNamesTheRule() {
        assertThat(TypeFactor.of(" Median ")).isEqualTo(TypeFactor.MEDIAN);
        assertThat(TypeFactor.of("expected")).isEqualTo(TypeFactor.EXPECTED);
        assertThatThrownBy(() -> TypeFactor.of("mean")).hasMessageContaining("merit.scoring.type-factor");
        assertThat(TypeFactor.MEDIAN.ofDoubles(Map.of(ContributionType.DOCS, 0.7, ContributionType.CHORE, 0.3), WEIGHTS))
                .isEqualTo(0.6);
    }

    @Test
    void theMedianReadsTypesByWeightNotByTheirOrderAndFallsBackToTheLowestWeight() {
        // review (0.8) is declared after revert (0.1): by weight, review's half is reached first.
        assertThat(TypeFactor.MEDIAN.of(p(ContributionType.REVERT, "0.5", ContributionType.REVIEW, "0.5"), WEIGHTS))
                .isEqualByComparingTo("0.8");
        // Probabilities short of one half (not from a softmax): the lowest weight offered.
        assertThat(TypeFactor.MEDIAN.of(p(ContributionType.FIX, "0.2", ContributionType.DOCS, "0.1"), WEIGHTS))
                .isEqualByComparingTo("0.6");
        assertThat(TypeFactor.MEDIAN.of(p(), WEIGHTS)).isEqualByComparingTo("0");
        assertThat(TypeFactor.MEDIAN.label()).isEqualTo("median");
        assertThat(TypeFactor.EXPECTED.label()).isEqualTo("expected");
    }
}
