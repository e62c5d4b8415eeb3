package dev.merit.payroll;

import dev.merit.problem.ProblemException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares a budget among claimants in proportion to integer weights, exactly: amounts are whole base units that
 * sum to the budget. Nobody gets more than the cap (the excess is shared among the others); anyone whose share
 * would fall below the minimum is dropped, lightest first, and the budget is re-shared. Remainders go by the
 * largest-remainder method, ties broken by key, so the result depends only on the inputs.
 */
public final class Allocation {

    public record Claimant(String key, BigInteger weight) {
    }

    public enum Outcome { PAID, CAPPED, BELOW_MINIMUM, ZERO_SCORE }

    public record Share(String key, BigInteger amount, Outcome outcome) {
    }

    private Allocation() {
    }

    /**
     * @param cap null for no cap
     * @throws ProblemException (422) when no allocation satisfies the cap and minimum together
     */
    public static List<Share> allocate(List<Claimant> claimants, BigInteger budget, BigInteger minimum, BigInteger cap) {
        return allocate(claimants, budget, minimum, cap, -1);
    }

    /**
     * As {@link #allocate(List, BigInteger, BigInteger, BigInteger)}; a refusal names amounts in tokens of
     * {@code decimals} decimals, as a person set them (in base units when {@code decimals} is negative).
     */
    public static List<Share> allocate(List<Claimant> claimants, BigInteger budget, BigInteger minimum, BigInteger cap,
                                       int decimals) {
        java.util.function.Function<BigInteger, String> amount = x -> decimals < 0 ? x + " base units"
                : dev.merit.audit.TokenAmounts.words(x, decimals);
        if (budget.signum() <= 0) {
            throw ProblemException.invalid("budget must be positive, got " + budget);
        }
        Comparator<Claimant> heaviestFirst = Comparator.comparing(Claimant::weight).reversed()
                .thenComparing(Claimant::key);
        List<Claimant> active = new ArrayList<>();
        Map<String, Share> result = new HashMap<>();
        for (Claimant c : claimants) {
            if (c.weight().signum() <= 0) {
                result.put(c.key(), new Share(c.key(), BigInteger.ZERO, Outcome.ZERO_SCORE));
            } else {
                active.add(c);
            }
        }
        active.sort(heaviestFirst);
        if (active.isEmpty()) {
            throw ProblemException.unprocessable("nobody-payable", "Nobody can be paid",
                    "No payable contributor has a positive score (bots are excluded unless the policy includes them).");
        }
        while (true) {
            if (active.isEmpty()) {
                throw ProblemException.unprocessable("policy-infeasible", "Nobody can be paid",
                        "With a minimum payout of " + amount.apply(minimum) + ", no contributor's share of the budget ("
                                + amount.apply(budget) + ") reaches the minimum. Lower the minimum or raise the budget.");
            }
            if (cap != null && cap.multiply(BigInteger.valueOf(active.size())).compareTo(budget) < 0) {
                throw ProblemException.unprocessable("policy-infeasible", "Cap too low",
                        "A cap of " + amount.apply(cap) + " for " + active.size() + " payable contributor"
                                + (active.size() == 1 ? "" : "s") + " distributes at most "
                                + amount.apply(cap.multiply(BigInteger.valueOf(active.size()))) + ", less than the budget ("
                                + amount.apply(budget) + "). Raise the cap, lower the minimum, or lower the budget.");
            }
            int capped = cappedCount(active, budget, cap);
            BigInteger rest = cap == null ? budget : budget.subtract(cap.multiply(BigInteger.valueOf(capped)));
            BigInteger restWeight = sum(active.subList(capped, active.size()));
            Claimant lightest = active.get(active.size() - 1);
            boolean lightestBelowMinimum = capped < active.size()
                    && rest.multiply(lightest.weight()).compareTo(minimum.multiply(restWeight)) < 0;
            if (lightestBelowMinimum) {
                // Everyone of the lightest weight goes together: equal work gets equal pay. (One at a time, the order
                // of their keys chose who of three equals was left out, and the other two were paid.)
                while (!active.isEmpty() && active.get(active.size() - 1).weight().compareTo(lightest.weight()) == 0) {
                    Claimant out = active.remove(active.size() - 1);
                    result.put(out.key(), new Share(out.key(), BigInteger.ZERO, Outcome.BELOW_MINIMUM));
                }
                continue;
            }
            distribute(active, capped, rest, restWeight, cap, result);
            break;
        }
        List<Share> ordered = new ArrayList<>(claimants.size());
        for (Claimant c : claimants) {
            ordered.add(result.get(c.key()));
        }
        return ordered;
    }

    /** How many of the heaviest claimants hit the cap: each is capped while its share would exceed it. */
    private static int cappedCount(List<Claimant> heaviestFirst, BigInteger budget, BigInteger cap) {
        if (cap == null) {
            return 0;
        }
        BigInteger restWeight = sum(heaviestFirst);
        BigInteger rest = budget;
        int capped = 0;
        while (capped < heaviestFirst.size()) {
            BigInteger w = heaviestFirst.get(capped).weight();
            // share = rest * w / restWeight > cap  <=>  rest * w > cap * restWeight
            if (rest.multiply(w).compareTo(cap.multiply(restWeight)) <= 0) {
                break;
            }
            rest = rest.subtract(cap);
            restWeight = restWeight.subtract(w);
            capped++;
        }
        return capped;
    }

    private static void distribute(List<Claimant> active, int capped, BigInteger rest, BigInteger restWeight,
                                   BigInteger cap, Map<String, Share> result) {
        for (int i = 0; i < capped; i++) {
            result.put(active.get(i).key(), new Share(active.get(i).key(), cap, Outcome.CAPPED));
        }
        List<Claimant> uncapped = active.subList(capped, active.size());
        if (uncapped.isEmpty()) {
            return;
        }
        BigInteger[] floors = new BigInteger[uncapped.size()];
        BigInteger[] remainders = new BigInteger[uncapped.size()];
        BigInteger left = rest;
        for (int i = 0; i < uncapped.size(); i++) {
            BigInteger[] qr = rest.multiply(uncapped.get(i).weight()).divideAndRemainder(restWeight);
            floors[i] = qr[0];
            remainders[i] = qr[1];
            left = left.subtract(qr[0]);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < uncapped.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer, BigInteger>comparing(i -> remainders[i]).reversed()
                .thenComparing(i -> uncapped.get(i).key()));
        int extra = left.intValueExact();
        for (int j = 0; j < extra; j++) {
            floors[order.get(j)] = floors[order.get(j)].add(BigInteger.ONE);
        }
        for (int i = 0; i < uncapped.size(); i++) {
            result.put(uncapped.get(i).key(), new Share(uncapped.get(i).key(), floors[i], Outcome.PAID));
        }
    }

    private static BigInteger sum(List<Claimant> claimants) {
        BigInteger total = BigInteger.ZERO;
        for (Claimant c : claimants) {
            total = total.add(c.weight());
        }
        return total;
    }
}
