package dev.merit.payroll;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares a proposal's stored inputs with the records they were taken from (the epoch, the scoring run and its
 * scores, the proposal's own budget), field by field, so a changed input is named rather than only changing the hash.
 */
final class InputsCheck {

    private InputsCheck() {
    }

    /**
     * @param stored   the inputs as stored with the proposal
     * @param expected the inputs rebuilt from the records
     * @param runId    the scoring run, named in the sentences
     */
    static void compare(PayoutInputs stored, PayoutInputs expected, long runId, List<String> out) {
        same(out, "format", stored.format(), expected.format(), "the format");
        same(out, "epoch", stored.epoch(), expected.epoch(), "the epoch record");
        same(out, "budget", stored.budget(), expected.budget(), "the proposal");
        same(out, "token decimals", stored.tokenDecimals(), expected.tokenDecimals(), "the epoch record");
        PayoutInputs.Policy s = stored.policy();
        PayoutInputs.Policy e = expected.policy();
        if (s == null || e == null) {
            same(out, "policy", s, e, "the epoch record");
        } else {
            same(out, "policy minPayout", s.minPayout(), e.minPayout(), "the epoch record");
            same(out, "policy cap", s.cap(), e.cap(), "the epoch record");
            same(out, "policy sqrtDampening", s.sqrtDampening(), e.sqrtDampening(), "the epoch record");
            same(out, "policy includeBots", s.includeBots(), e.includeBots(), "the epoch record");
        }
        String run = "scoring run " + runId;
        if (stored.model() == null || expected.model() == null) {
            same(out, "model", stored.model(), expected.model(), run);
        } else {
            same(out, "model version", stored.model().version(), expected.model().version(), run);
            same(out, "model hash", stored.model().hash(), expected.model().hash(), run);
            same(out, "scoring policy hash", stored.model().policyHash(), expected.model().policyHash(), run);
        }
        scores(stored.scores(), expected.scores(), run, out);
        same(out, "bots", stored.bots(), expected.bots(), run);
    }

    private static void scores(List<PayoutInputs.Score> stored, List<PayoutInputs.Score> expected, String run,
                               List<String> out) {
        Map<String, BigDecimal> want = byKey(expected);
        Map<String, BigDecimal> have = byKey(stored == null ? List.of() : stored);
        have.forEach((key, score) -> {
            BigDecimal recorded = want.remove(key);
            if (recorded == null) {
                out.add("score of " + key + ": inputs " + score.toPlainString() + ", not in " + run);
            } else if (recorded.compareTo(score) != 0) {
                out.add("score of " + key + ": inputs " + score.toPlainString() + ", " + run + " "
                        + recorded.toPlainString());
            }
        });
        want.forEach((key, score) -> out.add("score of " + key + ": missing from the inputs, " + run + " "
                + score.toPlainString()));
    }

    /** "contribution for contributor" to score; a contribution credited twice to one contributor is summed. */
    private static Map<String, BigDecimal> byKey(List<PayoutInputs.Score> scores) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (PayoutInputs.Score s : scores) {
            out.merge(s.contribution() + " for " + s.contributor(), s.score(), BigDecimal::add);
        }
        return out;
    }

    private static void same(List<String> out, String what, Object inputs, Object record, String recordName) {
        if (!Objects.equals(inputs, record)) {
            out.add(what + ": inputs " + text(inputs) + ", " + recordName + " " + text(record));
        }
    }

    private static String text(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
    }
}
