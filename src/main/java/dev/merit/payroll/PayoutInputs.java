package dev.merit.payroll;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * Everything a proposal's amounts derive from, as hashed: serialised with {@link dev.merit.audit.CanonicalJson},
 * its SHA-256 is the proposal's content hash. Contributors appear as "merit:ID", never by e-mail.
 */
public record PayoutInputs(String format, Epoch epoch, BigInteger budget, int tokenDecimals, Policy policy,
                           Model model, List<Score> scores, List<String> bots) {

    public static final String FORMAT = "merit.payout-inputs.v1";

    public record Epoch(String name, Instant startsAt, Instant endsAt) {
    }

    public record Policy(BigInteger minPayout, BigInteger cap, boolean sqrtDampening, boolean includeBots) {
    }

    public record Model(String version, String hash, String policyHash) {
    }

    /** One credited contribution: "source:externalId", the contributor, and the score they got for it. */
    public record Score(String contribution, String contributor, BigDecimal score) {
    }

    private static final String KEY_PREFIX = "merit:";

    public static String contributorKey(long contributorId) {
        return KEY_PREFIX + contributorId;
    }

    public static long contributorId(String key) {
        return Long.parseLong(key.substring(KEY_PREFIX.length()));
    }
}
