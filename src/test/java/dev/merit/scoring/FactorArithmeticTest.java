package dev.merit.scoring;

import dev.merit.scoring.train.CommitLabels;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Factor arithmetic: folding, the size curve, the co-author split, and a declared prefix earning nothing. */
class FactorArithmeticTest {

    @Example
    void foldSetsAddsAndMultipliesRoundingHalfEvenToSixDecimalsAndSkipsLineCounts() {
        List<Factor> factors = List.of(Factor.lines("lines_added", 40, "x"), Factor.set("size", new BigDecimal("10.0000005"), "s"),
                new Factor("bonus", Factor.Kind.SCORE, Factor.Op.ADD, new BigDecimal("0.0000015"), "b"),
                Factor.multiply("type", new BigDecimal("0.5"), "t"));
        // set 10.0000005 -> 10.000000 (half even); + 0.0000015 -> 10.000002 (10.0000015 half even); x 0.5 -> 5.000001
        assertThat(Factor.fold(factors)).isEqualByComparingTo("5.000001").hasScaleOf(6);
        assertThat(Factor.fold(List.of())).isEqualTo(new BigDecimal("0.000000"));
        assertThat(Factor.effectiveLines(List.of(Factor.lines("a", 40, ""), Factor.lines("b", -15, ""),
                Factor.set("size", BigDecimal.TEN, "")))).isEqualTo(25);
        assertThat(Factor.fold(List.of(Factor.set("a", BigDecimal.ONE, ""), Factor.set("b", new BigDecimal("2.0000025"), ""))))
                .isEqualTo(new BigDecimal("2.000002"));
    }

    @Example
    void theSizeCurveIsLinearUpTo200LinesAndLogarithmicBeyond() {
        assertThat(FormulaModel.sizePoints(0, 200)).isEqualByComparingTo("0");
        assertThat(FormulaModel.sizePoints(-5, 200)).isEqualByComparingTo("0");
        assertThat(FormulaModel.sizePoints(150, 200)).isEqualByComparingTo("150");
        assertThat(FormulaModel.sizePoints(200, 200)).isEqualByComparingTo("200");
        // 200 x (1 + ln 2) = 338.62943611198906...; 200 x (1 + ln 10) = 660.51701859880913...
        assertThat(Factor.round(FormulaModel.sizePoints(400, 200))).isEqualByComparingTo("338.629436");
        assertThat(Factor.round(FormulaModel.sizePoints(2000, 200))).isEqualByComparingTo("660.517019");
        assertThat(Factor.round(FormulaModel.sizePoints(201, 200))).isEqualByComparingTo("200.997508");
        assertThat(FormulaModel.sizeFactor(400, 200).detail())
                .isEqualTo("400 effective lines: 200 x (1 + ln(400/200)), damped beyond 200 "
                        + "(ln: the natural logarithm)");
        assertThat(FormulaModel.sizeFactor(20, 200).detail()).isEqualTo("20 effective lines, counted one point each (up to 200)");
    }

    @Property(tries = 300)
    void splittingWorkIntoCommitsGainsNothingAndOneHugeDumpIsDamped(@ForAll @LongRange(min = 201, max = 10_000_000) long lines) {
        BigDecimal points = FormulaModel.sizePoints(lines, 200);
        assertThat(points).isLessThan(BigDecimal.valueOf(lines)).isGreaterThan(BigDecimal.valueOf(200));
        assertThat(points).isLessThan(FormulaModel.sizePoints(lines + 1, 200));
    }

    @Property(tries = 300)
    void coAuthorsShareACommitEquallyAndTheirCreditsSumToItsScore(
            @ForAll @BigRange(min = "0", max = "100000") @Scale(7) BigDecimal raw, @ForAll @IntRange(min = 1, max = 12) int authors) {
        List<Factor> base = new ArrayList<>(List.of(Factor.set("size", raw, "s")));
        BigDecimal whole = Factor.fold(base);
        List<Factor> shared = Factor.shared(base, authors);
        BigDecimal each = Factor.fold(shared);
        if (authors == 1) {
            assertThat(shared).isSameAs(base);
            return;
        }
        assertThat(shared).hasSize(2).last().satisfies(f -> {
            assertThat(f.name()).isEqualTo("credit_share");
            assertThat(f.detail()).isEqualTo("shared equally by " + authors + " authors (Co-authored-by)");
        });
        // n credits of score x round6(1/n) each: they sum to the score within the share's rounding (half a millionth
        // of the score per author) and each credit's own rounding (half a millionth).
        BigDecimal sum = each.multiply(BigDecimal.valueOf(authors));
        BigDecimal tolerance = whole.multiply(new BigDecimal("0.0000005")).add(new BigDecimal("0.0000005"))
                .multiply(BigDecimal.valueOf(authors));
        assertThat(sum.subtract(whole).abs()).isLessThanOrEqualTo(tolerance);
        // Paying every co-author in full would be n times the score.
        if (whole.compareTo(BigDecimal.ONE) > 0) {
            assertThat(sum).isLessThan(whole.multiply(BigDecimal.valueOf(2)));
        }
    }

    @Example
    void aDeclaredPrefixIsStrippedBeforeTheClassifierSeesTheMessage() {
        CommitLabels.Labelled declared = CommitLabels.of("feat: add the parser");
        CommitLabels.Labelled plain = CommitLabels.of("add the parser");
        assertThat(declared.strippedMessage()).isEqualTo(plain.strippedMessage());
        assertThat(declared.label()).contains(ContributionType.FEATURE);
        assertThat(CommitLabels.of("fix(core)!: x").strippedMessage()).isEqualTo(CommitLabels.of("x").strippedMessage());
    }
}
