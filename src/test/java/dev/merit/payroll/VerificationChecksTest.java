package dev.merit.payroll;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sentences verification is made of: each stored field against its recomputed or recorded value. */
class VerificationChecksTest {

    private static PayoutLine line(long id, String amount, String score, String status, int rank) {
        PayoutLine l = new PayoutLine();
        l.contributorId = id;
        l.amount = new BigInteger(amount);
        l.score = new BigDecimal(score);
        l.status = status;
        l.rank = rank;
        return l;
    }

    private static List<PayoutCalculator.Line> recomputed() {
        return List.of(new PayoutCalculator.Line("merit:1", new BigDecimal("3"), BigInteger.valueOf(60), "PAID"),
                new PayoutCalculator.Line("merit:2", new BigDecimal("2"), BigInteger.valueOf(40), "PAID"));
    }

    private static List<String> compare(List<PayoutLine> stored, String storedBudget) {
        List<String> out = new ArrayList<>();
        LinesCheck.compare(stored, recomputed(), BigInteger.valueOf(100), new BigInteger(storedBudget),
                id -> "C" + id, out);
        return out;
    }

    @Test
    void matchingLinesHaveNothingToSay() {
        assertThat(compare(List.of(line(1, "60", "3.000000", "PAID", 1), line(2, "40", "2", "PAID", 2)), "100")).isEmpty();
    }

    @Test
    void eachFieldThatDiffersIsNamed() {
        assertThat(compare(List.of(line(1, "61", "3", "PAID", 1), line(2, "39", "2", "PAID", 2)), "100"))
                .containsExactly("line of C1: amount stored 61, recomputed 60", "line of C2: amount stored 39, recomputed 40");
        assertThat(compare(List.of(line(1, "60", "3.5", "PAID", 1), line(2, "40", "2", "CAPPED", 2)), "100"))
                .containsExactly("line of C1: score stored 3.5, recomputed 3",
                        "line of C2: status stored 'capped at the maximum payout', recomputed 'a plain share'");
        assertThat(compare(List.of(line(1, "60", "3", "PAID", 2), line(2, "40", "2", "PAID", 1)), "100"))
                .containsExactly("line of C1: rank stored 2, recomputed 1", "line of C2: rank stored 1, recomputed 2");
    }

    @Test
    void missingExtraLinesAndSumsAreNamed() {
        assertThat(compare(List.of(line(1, "60", "3", "PAID", 1), line(3, "40", "2", "PAID", 2)), "100"))
                .containsExactly("line of C2: not stored, recomputed amount 40", "line of C3: stored amount 40, not in the inputs");
        assertThat(compare(List.of(line(1, "60", "3", "PAID", 1), line(2, "40", "2", "PAID", 2), line(9, "0", "0", "PAID", 3),
                line(8, "0", "0", "PAID", 4)), "100")).as("extra lines by rank")
                .containsExactly("line of C9: stored amount 0, not in the inputs", "line of C8: stored amount 0, not in the inputs");
        assertThat(compare(List.of(line(1, "60", "3", "PAID", 1), line(2, "40", "2", "PAID", 2)), "101"))
                .containsExactly("stored amounts sum to 100, not the budget 101");
        List<String> out = new ArrayList<>();
        LinesCheck.compare(List.of(line(1, "60", "3", "PAID", 1), line(2, "40", "2", "PAID", 2)), recomputed(),
                BigInteger.valueOf(99), BigInteger.valueOf(100), id -> "C" + id, out);
        assertThat(out).containsExactly("recomputed amounts sum to 100, not the budget 99");
    }

    private static PayoutInputs inputs(BigInteger budget, PayoutInputs.Policy policy, PayoutInputs.Model model,
                                       List<PayoutInputs.Score> scores) {
        return new PayoutInputs(PayoutInputs.FORMAT, new PayoutInputs.Epoch("e", Instant.EPOCH, Instant.EPOCH.plusSeconds(9)),
                budget, 18, policy, model, scores, List.of());
    }

    private static final PayoutInputs.Policy POLICY = new PayoutInputs.Policy(BigInteger.ONE, null, true, false);
    private static final PayoutInputs.Model MODEL = new PayoutInputs.Model("v", "hash", "policy");
    private static final List<PayoutInputs.Score> SCORES = List.of(
            new PayoutInputs.Score("git:a", "merit:1", new BigDecimal("1.500000")),
            new PayoutInputs.Score("git:b", "merit:2", new BigDecimal("2")));

    @Test
    void inputsAgainstTheirRecordsNameEachField() {
        PayoutInputs recorded = inputs(BigInteger.TEN, POLICY, MODEL, SCORES);
        List<String> out = new ArrayList<>();
        InputsCheck.compare(inputs(BigInteger.TEN, POLICY, MODEL, List.of(
                new PayoutInputs.Score("git:a", "merit:1", new BigDecimal("1.5")),
                new PayoutInputs.Score("git:b", "merit:2", new BigDecimal("2")))), recorded, 7, out);
        assertThat(out).as("equal scores at another scale").isEmpty();

        InputsCheck.compare(new PayoutInputs("other", new PayoutInputs.Epoch("f", Instant.EPOCH, Instant.EPOCH),
                BigInteger.TWO, 6, new PayoutInputs.Policy(BigInteger.TWO, BigInteger.TEN, false, true),
                new PayoutInputs.Model("w", "forged", "p2"), List.of(
                new PayoutInputs.Score("git:a", "merit:1", new BigDecimal("9")),
                new PayoutInputs.Score("git:c", "merit:2", new BigDecimal("2"))), List.of()), recorded, 7, out);
        assertThat(out).containsExactly(
                "format: inputs other, the format merit.payout-inputs.v1",
                "epoch: inputs Epoch[name=f, startsAt=1970-01-01T00:00:00Z, endsAt=1970-01-01T00:00:00Z], the epoch record "
                        + "Epoch[name=e, startsAt=1970-01-01T00:00:00Z, endsAt=1970-01-01T00:00:09Z]",
                "budget: inputs 2, the proposal 10",
                "token decimals: inputs 6, the epoch record 18",
                "policy minPayout: inputs 2, the epoch record 1",
                "policy cap: inputs 10, the epoch record null",
                "policy sqrtDampening: inputs false, the epoch record true",
                "policy includeBots: inputs true, the epoch record false",
                "model version: inputs w, scoring run 7 v",
                "model hash: inputs forged, scoring run 7 hash",
                "scoring policy hash: inputs p2, scoring run 7 policy",
                "score of git:a for merit:1: inputs 9, scoring run 7 1.500000",
                "score of git:c for merit:2: inputs 2, not in scoring run 7",
                "score of git:b for merit:2: missing from the inputs, scoring run 7 2");
    }

    @Test
    void missingPolicyOrModelIsNamed() {
        List<String> out = new ArrayList<>();
        InputsCheck.compare(inputs(BigInteger.TEN, null, null, null), inputs(BigInteger.TEN, POLICY, MODEL, List.of()), 3, out);
        assertThat(out).containsExactly("policy: inputs null, the epoch record " + POLICY,
                "model: inputs null, scoring run 3 " + MODEL);
    }
}
