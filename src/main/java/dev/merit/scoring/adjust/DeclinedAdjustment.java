package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import dev.merit.scoring.ScoringConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issues and pull requests the forge's last word declined (closed as not planned or duplicate, with a declining
 * label, pull requests closed without merge; until reopened): {@code merit.scoring.declined-factor}, naming who
 * declined it and how. The verdicts are in the run's input record whatever the factor, so the input hash covers them.
 */
@ApplicationScoped
public class DeclinedAdjustment implements Adjustment {

    private final ScoringConfig config;

    public DeclinedAdjustment(ScoringConfig config) {
        this.config = config;
    }

    @Override
    public String rule() {
        return "declined";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("factor", config.declinedFactor().stripTrailingZeros().toPlainString());
    }

    /** The epoch's declined contributions, with the forge's word (who, and why) and the source. */
    public Map<Long, String> declined(Epoch epoch) {
        Map<Long, String> out = new TreeMap<>();
        for (Object[] row : EpochRows.of(epoch, "select c.id, c.source, s.reason "
                + "from contribution c join contribution_state s on s.source = c.source and s.external_id = "
                + "c.external_id where s.declined = true and c.occurred_at >= ?1 and c.occurred_at < ?2 order by c.id")) {
            out.put(EpochRows.id(row[0]), row[2] + " (" + row[1] + ")");
        }
        return out;
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        if (config.declinedFactor().compareTo(BigDecimal.ONE) != 0) {
            declined(epoch).forEach((id, why) -> out.put(id, Factor.multiply("declined", config.declinedFactor(), why)));
        }
        return out;
    }
}
