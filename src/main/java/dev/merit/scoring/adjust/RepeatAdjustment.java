package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import dev.merit.scoring.ScoringConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Repeated activity: reviews of one pull request, or comments on one issue or pull request, by the same person in
 * the epoch, in time order. The first counts in full, the n-th gets {@code repeatFactor^(n-1)}, so however many
 * there are they add up to less than {@code 1 / (1 - repeatFactor)} times one (twice, by default).
 */
@ApplicationScoped
public class RepeatAdjustment implements Adjustment {

    private final ScoringConfig config;

    public RepeatAdjustment(ScoringConfig config) {
        this.config = config;
    }

    @Override
    public String rule() {
        return "repeat";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("factor", config.repeatFactor().stripTrailingZeros().toPlainString());
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        if (config.repeatFactor().compareTo(BigDecimal.ONE) >= 0) {
            return out;
        }
        String group = null;
        int n = 0;
        for (Object[] row : EpochRows.of(epoch, "select c.id, cc.contributor_id, l.kind, "
                + "l.to_external_id, c.source from contribution c join contribution_link l on l.source = c.source and "
                + "l.from_external_id = c.external_id join contribution_credit cc on cc.contribution_id = c.id "
                + "where l.kind in ('reviews', 'comments-on') and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                + "order by c.source, l.kind, l.to_external_id, cc.contributor_id, c.occurred_at, c.external_id")) {
            String key = row[4] + "\u0000" + row[1] + "\u0000" + row[2] + "\u0000" + row[3];
            n = key.equals(group) ? n + 1 : 0;
            group = key;
            if (n > 0) {
                out.merge(EpochRows.id(row[0]), factor(config.repeatFactor(), n, row[2].equals("reviews"), (String) row[3]),
                        (a, b) -> a.value().compareTo(b.value()) <= 0 ? a : b);
            }
        }
        return out;
    }

    /** The factor of the activity with {@code before} earlier ones on the same target by the same person. */
    static Factor factor(BigDecimal repeatFactor, int before, boolean review, String target) {
        return Factor.multiply("repeat", repeatFactor.pow(before).setScale(Factor.SCALE, RoundingMode.HALF_EVEN),
                ordinal(before + 1) + " " + (review ? "review of " : "comment on ") + target
                        + " by the same person in this epoch: x" + repeatFactor.stripTrailingZeros().toPlainString()
                        + " for each one before it");
    }

    static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
