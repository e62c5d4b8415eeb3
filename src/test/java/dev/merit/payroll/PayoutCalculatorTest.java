package dev.merit.payroll;

import dev.merit.audit.CanonicalJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Amounts from inputs: square-root dampening, bots, shuffles, and the order lines are listed in. */
class PayoutCalculatorTest {

    private static final BigInteger E18 = BigInteger.TEN.pow(18);

    @Example
    void weightsAreScoresTo18DecimalsOrTheirSquareRootsWhenDamped() {
        assertThat(PayoutCalculator.weight(new BigDecimal("100"), true)).isEqualTo(BigInteger.TEN.multiply(E18));
        assertThat(PayoutCalculator.weight(new BigDecimal("100"), false)).isEqualTo(BigInteger.valueOf(100).multiply(E18));
        assertThat(PayoutCalculator.weight(new BigDecimal("2.5"), false)).isEqualTo(new BigInteger("2500000000000000000"));
        // sqrt(2) = 1.41421356237309504880..., truncated (not rounded) to 18 decimals
        assertThat(PayoutCalculator.weight(new BigDecimal("2"), true)).isEqualTo(new BigInteger("1414213562373095048"));
        // 2/3 = 0.6666...: truncated, where rounding would end in 7
        assertThat(PayoutCalculator.weight(new BigDecimal("0.6666666666666666666"), false))
                .isEqualTo(new BigInteger("666666666666666666"));
        assertThat(PayoutCalculator.weight(BigDecimal.ZERO, true)).isZero();
        assertThat(PayoutCalculator.weight(new BigDecimal("-4"), false)).isZero();
        assertThat(PayoutCalculator.weight(new BigDecimal("-4"), true)).isZero();
    }

    @Property(tries = 500)
    void dampeningIsMonotoneAndSubLinear(@ForAll @BigRange(min = "0.000001", max = "1000000000") @Scale(6) BigDecimal a,
                                        @ForAll @BigRange(min = "0.000001", max = "1000000000") @Scale(6) BigDecimal b) {
        BigDecimal low = a.min(b);
        BigDecimal high = a.max(b);
        BigInteger wLow = PayoutCalculator.weight(low, true);
        BigInteger wHigh = PayoutCalculator.weight(high, true);
        assertThat(wLow).isLessThanOrEqualTo(wHigh);
        // Sub-linear: the heavier score's weight grows by at most the ratio of the scores (exactly its square root,
        // within the truncation of one unit in the 18th decimal).
        BigDecimal ratio = high.divide(low, MathContext.DECIMAL128);
        BigDecimal weightRatio = new BigDecimal(wHigh).divide(new BigDecimal(wLow), MathContext.DECIMAL128);
        assertThat(weightRatio).isLessThanOrEqualTo(ratio.max(BigDecimal.ONE).add(new BigDecimal("1e-9")));
        if (ratio.compareTo(new BigDecimal("4")) >= 0) {
            assertThat(weightRatio).isLessThan(ratio);
        }
        // Its square is the score: w^2 <= score * 10^36 < (w + 1)^2.
        BigInteger scaled = high.movePointRight(36).toBigInteger();
        assertThat(wHigh.multiply(wHigh)).isLessThanOrEqualTo(scaled);
        assertThat(wHigh.add(BigInteger.ONE).pow(2)).isGreaterThan(scaled);
    }

    @Example
    void dampeningMovesPayFromTheHeaviestToTheOthers() {
        List<PayoutInputs.Score> scores = List.of(score("a", "whale", "81"), score("b", "minnow", "1"));
        List<PayoutCalculator.Line> plain = PayoutCalculator.compute(inputs(scores, List.of(), false, false, null));
        List<PayoutCalculator.Line> damped = PayoutCalculator.compute(inputs(scores, List.of(), true, false, null));
        // 81:1 shares 8100:100 of 8200; damped 9:1 shares 8200 as 7380:820.
        assertThat(plain).extracting(PayoutCalculator.Line::amount).containsExactly(BigInteger.valueOf(100),
                BigInteger.valueOf(8100));
        assertThat(damped).extracting(PayoutCalculator.Line::amount).containsExactly(BigInteger.valueOf(820),
                BigInteger.valueOf(7380));
    }

    @Example
    void aContributorsScoresAreSummedAndBotsArePaidOnlyWhenThePolicyIncludesThem() {
        List<PayoutInputs.Score> scores = List.of(score("a", "merit:1", "2"), score("b", "merit:1", "3"),
                score("c", "merit:2", "5"));
        List<PayoutCalculator.Line> excluded = PayoutCalculator.compute(inputs(scores, List.of("merit:2"), false, false, null));
        assertThat(excluded).extracting(PayoutCalculator.Line::contributor, PayoutCalculator.Line::amount,
                        PayoutCalculator.Line::status)
                .containsExactly(net(("merit:2"), BigInteger.ZERO, PayoutLine.BOT_EXCLUDED),
                        net("merit:1", BigInteger.valueOf(8200), "PAID"));
        assertThat(excluded.get(1).score()).isEqualByComparingTo("5");
        List<PayoutCalculator.Line> included = PayoutCalculator.compute(inputs(scores, List.of("merit:2"), false, true, null));
        assertThat(included).extracting(PayoutCalculator.Line::amount).containsExactly(BigInteger.valueOf(4100),
                BigInteger.valueOf(4100));
    }

    private static org.assertj.core.groups.Tuple net(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    @Property(tries = 200)
    void shuffledInputsGiveIdenticalAmountsAndHashes(@ForAll("scoreLists") List<PayoutInputs.Score> scores,
                                                     @ForAll long seed, @ForAll boolean sqrt) {
        List<PayoutInputs.Score> shuffled = new ArrayList<>(scores);
        Collections.shuffle(shuffled, new Random(seed));
        PayoutInputs in = inputs(scores, List.of("merit:0"), sqrt, false, null);
        PayoutInputs again = inputs(shuffled, List.of("merit:0"), sqrt, false, null);
        assertThat(PayoutCalculator.ranked(PayoutCalculator.compute(again)))
                .isEqualTo(PayoutCalculator.ranked(PayoutCalculator.compute(in)));
        // Proposals hash their scores sorted (PayrollService): the same sort of either order is the same document.
        Comparator<PayoutInputs.Score> order = Comparator.comparing(PayoutInputs.Score::contribution)
                .thenComparing(PayoutInputs.Score::contributor);
        assertThat(CanonicalJson.hash(inputs(shuffled.stream().sorted(order).toList(), List.of("merit:0"), sqrt, false, null)))
                .isEqualTo(CanonicalJson.hash(inputs(scores.stream().sorted(order).toList(), List.of("merit:0"), sqrt, false, null)));
    }

    @Provide
    Arbitrary<List<PayoutInputs.Score>> scoreLists() {
        Arbitrary<PayoutInputs.Score> one = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 9), Arbitraries.strings().numeric().ofLength(6),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("5000")).ofScale(6))
                .as((who, what, s) -> new PayoutInputs.Score("git:" + what, "merit:" + who, s));
        // A contribution credits a contributor once (one row per pair in a run).
        return one.list().uniqueElements(s -> s.contribution() + " " + s.contributor()).ofMinSize(2).ofMaxSize(40).filter(l -> l.stream().anyMatch(s -> s.score().signum() > 0
                && !s.contributor().equals("merit:0")));
    }

    @Property(tries = 100)
    void linesAreRankedByAmountThenScoreThenContributor(@ForAll @IntRange(min = 2, max = 30) int n, @ForAll long seed) {
        Random random = new Random(seed);
        List<PayoutCalculator.Line> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(new PayoutCalculator.Line("merit:" + i, BigDecimal.valueOf(random.nextInt(4)),
                    BigInteger.valueOf(random.nextInt(4)), "PAID"));
        }
        List<PayoutCalculator.Line> ranked = PayoutCalculator.ranked(lines);
        assertThat(ranked).containsExactlyInAnyOrderElementsOf(lines);
        for (int i = 1; i < ranked.size(); i++) {
            PayoutCalculator.Line a = ranked.get(i - 1);
            PayoutCalculator.Line b = ranked.get(i);
            int byAmount = a.amount().compareTo(b.amount());
            int byScore = a.score().compareTo(b.score());
            assertThat(byAmount > 0 || byAmount == 0 && (byScore > 0 || byScore == 0
                    && a.contributor().compareTo(b.contributor()) < 0)).as("%s before %s", a, b).isTrue();
        }
    }

    static PayoutInputs.Score score(String contribution, String contributor, String score) {
        return new PayoutInputs.Score("git:" + contribution, contributor, new BigDecimal(score));
    }

    static PayoutInputs inputs(List<PayoutInputs.Score> scores, List<String> bots, boolean sqrt, boolean includeBots,
                               BigInteger cap) {
        return new PayoutInputs(PayoutInputs.FORMAT, new PayoutInputs.Epoch("e", Instant.EPOCH, Instant.EPOCH.plusSeconds(60)),
                BigInteger.valueOf(8200), 18, new PayoutInputs.Policy(BigInteger.ZERO, cap, sqrt, includeBots),
                new PayoutInputs.Model("m", "h", "p"), scores, bots);
    }
}
