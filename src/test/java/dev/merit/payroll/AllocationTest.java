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
    void sameInputsGiveTheSameAmounts(@ForAll("cases") Case c) {
        try {
            assertThat(Allocation.allocate(c.claimants(), c.budget(), c.minimum(), c.cap()))
                    .isEqualTo(Allocation.allocate(List.copyOf(c.claimants()), c.budget(), c.minimum(), c.cap()));
        } catch (ProblemException ignored) {
            // infeasible cases are covered above
        }
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
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("whale", BigInteger.valueOf(97)),
                new Allocation.Claimant("x", BigInteger.ONE), new Allocation.Claimant("y", BigInteger.ONE),
                new Allocation.Claimant("z", BigInteger.ONE)), BigInteger.valueOf(100), BigInteger.valueOf(30), BigInteger.valueOf(40));
        assertThat(shares).extracting(Allocation.Share::amount).containsExactly(BigInteger.valueOf(40),
                BigInteger.valueOf(30), BigInteger.valueOf(30), BigInteger.ZERO);
        assertThat(shares.get(3).outcome()).isEqualTo(Allocation.Outcome.BELOW_MINIMUM);
    }

    @Example
    void aCapThatCannotAbsorbTheBudgetIsRefused() {
        assertThatThrownBy(() -> Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ONE),
                new Allocation.Claimant("b", BigInteger.ONE)), BigInteger.valueOf(100), BigInteger.ZERO, BigInteger.valueOf(40)))
                .isInstanceOf(ProblemException.class).hasMessageContaining("cap of 40 for 2 payable contributors");
    }

    @Example
    void zeroScoresGetNothing() {
        List<Allocation.Share> shares = Allocation.allocate(List.of(new Allocation.Claimant("a", BigInteger.ZERO),
                new Allocation.Claimant("b", BigInteger.TWO)), BigInteger.valueOf(7), BigInteger.ZERO, null);
        assertThat(shares).extracting(Allocation.Share::amount).containsExactly(BigInteger.ZERO, BigInteger.valueOf(7));
        assertThat(shares.get(0).outcome()).isEqualTo(Allocation.Outcome.ZERO_SCORE);
    }
}
