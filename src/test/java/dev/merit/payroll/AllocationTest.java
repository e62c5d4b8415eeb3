package dev.merit.payroll;

import dev.merit.problem.ProblemException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocationTest {

    record Case(List<Allocation.Claimant> claimants, BigInteger budget, BigInteger minimum, BigInteger cap) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<BigInteger>> weights = Arbitraries.bigIntegers().between(BigInteger.ZERO,
                BigInteger.TEN.pow(24)).list().ofMinSize(1).ofMaxSize(60);
        Arbitrary<BigInteger> budget = Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.TEN.pow(30));
        Arbitrary<Integer> minPermille = Arbitraries.integers().between(0, 300);
        Arbitrary<Integer> capPermille = Arbitraries.integers().between(0, 1200);
        return Combinators.combine(weights, budget, minPermille, capPermille).as((w, b, minP, capP) -> {
            List<Allocation.Claimant> claimants = new ArrayList<>();
            for (int i = 0; i < w.size(); i++) {
                claimants.add(new Allocation.Claimant("c" + i, w.get(i)));
            }
            BigInteger minimum = b.multiply(BigInteger.valueOf(minP)).divide(BigInteger.valueOf(1000L * w.size()));
            BigInteger cap = capP == 0 ? null : b.multiply(BigInteger.valueOf(capP)).divide(BigInteger.valueOf(1000))
                    .max(minimum).max(BigInteger.ONE);
            return new Case(claimants, b, minimum, cap);
        });
    }

    @Property(tries = 1500)
    void amountsSumExactlyToTheBudgetAndRespectCapAndMinimum(@ForAll("cases") Case c) {
        List<Allocation.Share> shares;
        try {
            shares = Allocation.allocate(c.claimants(), c.budget(), c.minimum(), c.cap());
        } catch (ProblemException infeasible) {
            assertThat(infeasible.status()).isEqualTo(422);
            // Only when it really is impossible: nobody payable, or the cap cannot absorb the budget.
            long payable = c.claimants().stream().filter(x -> x.weight().signum() > 0).count();
            boolean capTooLow = c.cap() != null
                    && c.cap().multiply(BigInteger.valueOf(payable)).compareTo(c.budget()) < 0;
            // Without a minimum, only "nobody payable" or a cap too low for everyone can make it infeasible.
            if (c.minimum().signum() == 0) {
                assertThat(payable == 0 || capTooLow).isTrue();
            }
            return;
        }
        assertThat(shares).hasSize(c.claimants().size());
        BigInteger sum = shares.stream().map(Allocation.Share::amount).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(sum).isEqualTo(c.budget());
        for (Allocation.Share s : shares) {
            assertThat(s.amount().signum()).isGreaterThanOrEqualTo(0);
            if (c.cap() != null) {
                assertThat(s.amount()).isLessThanOrEqualTo(c.cap());
            }
            if (s.amount().signum() > 0) {
                assertThat(s.amount()).isGreaterThanOrEqualTo(c.minimum());
            }
        }
    }

    @Property(tries = 300)
    void shuffledInputsGiveTheSameAmounts(@ForAll("cases") Case c, @ForAll long seed) {
        List<Allocation.Claimant> shuffled = new ArrayList<>(c.claimants());
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        Map<String, Allocation.Share> first;
        try {
            first = byKey(Allocation.allocate(c.claimants(), c.budget(), c.minimum(), c.cap()));
        } catch (ProblemException refused) {
            assertThatThrownBy(() -> Allocation.allocate(shuffled, c.budget(), c.minimum(), c.cap()))
                    .isInstanceOf(ProblemException.class).hasMessage(refused.getMessage());
            return;
        }
        List<Allocation.Share> again = Allocation.allocate(shuffled, c.budget(), c.minimum(), c.cap());
        assertThat(again).extracting(Allocation.Share::key).containsExactlyElementsOf(
                shuffled.stream().map(Allocation.Claimant::key).toList());
        assertThat(byKey(again)).isEqualTo(first);
    }

    private static Map<String, Allocation.Share> byKey(List<Allocation.Share> shares) {
        Map<String, Allocation.Share> out = new java.util.TreeMap<>();
        shares.forEach(s -> out.put(s.key(), s));
        return out;
    }

    /**
     * An allocation is feasible when, for some k, the k heaviest claimants' shares in proportion to their weights, the
     * excess over the cap shared among the others (water-filling, exact fractions), all reach the minimum and the cap
     * can hold the budget, k never cutting between two equal weights. The allocation refuses exactly the infeasible
     * cases: every refusal is infeasible and every feasible case is paid, to exactly the largest such k.
     */
    @Property(tries = 1500)
    void infeasibleMinimumsAreRefusedAndFeasibleOnesNeverAre(@ForAll("cases") Case c) {
        List<Allocation.Claimant> payable = c.claimants().stream().filter(x -> x.weight().signum() > 0)
                .sorted(java.util.Comparator.comparing(Allocation.Claimant::weight).reversed()
                        .thenComparing(Allocation.Claimant::key)).toList();
        int largest = 0;
        for (int k = payable.size(); k >= 1 && largest == 0; k--) {
            // Equal weights are kept or left out together: no cut between two of them.
            boolean splitsATie = k < payable.size() && payable.get(k - 1).weight().equals(payable.get(k).weight());
            if (!splitsATie && feasible(payable.subList(0, k), c.budget(), c.minimum(), c.cap())) {
                largest = k;
            }
        }
        List<Allocation.Share> shares;
        try {
            shares = Allocation.allocate(c.claimants(), c.budget(), c.minimum(), c.cap());
        } catch (ProblemException refused) {
            assertThat(refused.status()).isEqualTo(422);
            assertThat(largest).as("refused, though the %d heaviest could be paid", largest).isZero();
            return;
        }
        assertThat(largest).as("paid, though infeasible").isPositive();
        assertThat(shares.stream().filter(s -> s.amount().signum() > 0).count()).isLessThanOrEqualTo(largest);
        assertThat(shares.stream().filter(s -> s.outcome() == Allocation.Outcome.PAID
                || s.outcome() == Allocation.Outcome.CAPPED).count()).isEqualTo(largest);
    }

    /** Water-filling in exact fractions (numerators over a common denominator): the oracle's own arithmetic. */
    private static boolean feasible(List<Allocation.Claimant> kept, BigInteger budget, BigInteger minimum, BigInteger cap) {
        if (cap != null && cap.multiply(BigInteger.valueOf(kept.size())).compareTo(budget) < 0) {
            return false;
        }
        List<Allocation.Claimant> open = new ArrayList<>(kept);
        BigInteger rest = budget;
        boolean changed = true;
        while (changed && cap != null) {
            changed = false;
            BigInteger weight = open.stream().map(Allocation.Claimant::weight).reduce(BigInteger.ZERO, BigInteger::add);
            BigInteger r = rest;
            List<Allocation.Claimant> over = open.stream()
                    .filter(x -> r.multiply(x.weight()).compareTo(cap.multiply(weight)) > 0).toList();
            open.removeAll(over);
            rest = rest.subtract(cap.multiply(BigInteger.valueOf(over.size())));
            changed = !over.isEmpty();
        }
        BigInteger weight = open.stream().map(Allocation.Claimant::weight).reduce(BigInteger.ZERO, BigInteger::add);
        for (Allocation.Claimant x : open) {
            if (rest.multiply(x.weight()).compareTo(minimum.multiply(weight)) < 0) {
                return false;
            }
        }
        return open.size() == kept.size() || cap.compareTo(minimum) >= 0;
    }

    @Example
    void largestRemainderBreaksTiesByKey() {
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("b", BigInteger.ONE),
                new Allocation.Claimant("a", BigInteger.ONE), new Allocation.Claimant("c", BigInteger.ONE)),
                BigInteger.valueOf(10), BigInteger.ZERO, null);
        assertThat(shares).extracting(Allocation.Share::amount)
                .containsExactly(BigInteger.valueOf(3), BigInteger.valueOf(4), BigInteger.valueOf(3));
    }

    @Example
    void excessOverTheCapGoesToTheOthers() {
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("whale", BigInteger.valueOf(97)),
                new Allocation.Claimant("x", BigInteger.ONE), new Allocation.Claimant("y", BigInteger.ONE),
                new Allocation.Claimant("z", BigInteger.ONE)), BigInteger.valueOf(100), BigInteger.ZERO, BigInteger.valueOf(40));
        assertThat(shares).extracting(Allocation.Share::amount).containsExactly(BigInteger.valueOf(40),
                BigInteger.valueOf(20), BigInteger.valueOf(20), BigInteger.valueOf(20));
        assertThat(shares.get(0).outcome()).isEqualTo(Allocation.Outcome.CAPPED);
    }

    @Example
    void contributorsBelowTheMinimumAreDroppedLightestFirst() {
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("whale", BigInteger.valueOf(96)),
                new Allocation.Claimant("x", BigInteger.valueOf(3)), new Allocation.Claimant("z", BigInteger.ONE)),
                BigInteger.valueOf(100), BigInteger.valueOf(3), null);
        assertThat(shares).extracting(Allocation.Share::amount).containsExactly(BigInteger.valueOf(97),
                BigInteger.valueOf(3), BigInteger.ZERO);
        assertThat(shares.get(2).outcome()).isEqualTo(Allocation.Outcome.BELOW_MINIMUM);
    }

    /**
     * Equal work, equal pay: contributors of the same weight below the minimum go together. One at a time, the order
     * of their keys chose who was left out (of x, y and z, z), and the others were paid: here x 208 and y, z nothing.
     */
    @Example
    void equalContributorsBelowTheMinimumAreDroppedTogether() {
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("whale", BigInteger.valueOf(94)),
                new Allocation.Claimant("x", BigInteger.TWO), new Allocation.Claimant("y", BigInteger.TWO),
                new Allocation.Claimant("z", BigInteger.TWO)), BigInteger.valueOf(10_000), BigInteger.valueOf(205), null);
        assertThat(shares).extracting(Allocation.Share::amount).containsExactly(BigInteger.valueOf(10_000),
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);
        assertThat(shares.subList(1, 4)).extracting(Allocation.Share::outcome).containsOnly(Allocation.Outcome.BELOW_MINIMUM);
        // Three equals who cannot all reach the minimum: refused, rather than two paid and one not.
        assertThatThrownBy(() -> Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ONE),
                new Allocation.Claimant("b", BigInteger.ONE), new Allocation.Claimant("c", BigInteger.ONE)),
                BigInteger.valueOf(100), BigInteger.valueOf(40), null)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("no contributor's share of the budget");
    }

    @Example
    void aCapThatCannotAbsorbTheBudgetIsRefused() {
        assertThatThrownBy(() -> Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ONE),
                new Allocation.Claimant("b", BigInteger.ONE)), BigInteger.valueOf(100), BigInteger.ZERO, BigInteger.valueOf(40)))
                .isInstanceOf(ProblemException.class).hasMessageContaining("cap of 40 base units for 2 payable contributors");
    }

    @Example
    void zeroScoresGetNothing() {
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ZERO),
                new Allocation.Claimant("b", BigInteger.TWO)), BigInteger.valueOf(7), BigInteger.ZERO, null);
        assertThat(shares).extracting(Allocation.Share::amount).containsExactly(BigInteger.ZERO, BigInteger.valueOf(7));
        assertThat(shares.get(0).outcome()).isEqualTo(Allocation.Outcome.ZERO_SCORE);
    }

    private static List<BigInteger> amounts(List<Allocation.Share> shares) {
        return shares.stream().map(Allocation.Share::amount).toList();
    }

    @Example
    void boundariesAreExact() {
        BigInteger two = BigInteger.TWO;
        // A share exactly at the minimum is paid.
        assertThat(amounts(Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ONE),
                new Allocation.Claimant("b", BigInteger.ONE)), BigInteger.TEN, BigInteger.valueOf(5), null)))
                .containsExactly(BigInteger.valueOf(5), BigInteger.valueOf(5));
        // A share exactly at the cap is paid, not capped.
        List<Allocation.Share> atCap = Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.valueOf(3)),
                new Allocation.Claimant("b", BigInteger.ONE)), BigInteger.valueOf(4), BigInteger.ZERO, BigInteger.valueOf(3));
        assertThat(atCap).extracting(Allocation.Share::outcome).containsExactly(Allocation.Outcome.PAID, Allocation.Outcome.PAID);
        // A zero budget is refused.
        assertThatThrownBy(() -> Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ONE)), BigInteger.ZERO,
                BigInteger.ZERO, null)).isInstanceOf(ProblemException.class).hasMessage("budget must be positive, got 0");
        // The unit left over goes to the largest remainder (the lighter one here: 2/3 against 4/3), not the heaviest.
        assertThat(amounts(Allocation.allocate(List.of(new Allocation.Claimant("a", two), new Allocation.Claimant("b",
                BigInteger.ONE)), two, BigInteger.ZERO, null))).containsExactly(BigInteger.ONE, BigInteger.ONE);
        // Equal remainders go by key, whatever the weights: "a" (weight 1) before "b" (weight 3).
        assertThat(amounts(Allocation.allocate(List.of(new Allocation.Claimant("b", BigInteger.valueOf(3)),
                new Allocation.Claimant("a", BigInteger.ONE)), two, BigInteger.ZERO, null)))
                .containsExactly(BigInteger.ONE, BigInteger.ONE);
    }
}
