package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import dev.merit.scoring.ScoringConfig;
import dev.merit.scoring.TrivialComments;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Comments that are reactions ({@link TrivialComments}): factor 0, with the comment quoted in the reason. Closing or
 * resolving an issue is recorded as a comment without text that closes it: an action, never a reaction.
 */
@ApplicationScoped
public class TrivialCommentAdjustment implements Adjustment {

    private final ScoringConfig config;

    public TrivialCommentAdjustment(ScoringConfig config) {
        this.config = config;
    }

    @Override
    public String rule() {
        return "trivial";
    }

    @Override
    public Map<String, Object> parameters() {
        return config.trivialCommentWords() <= 0 ? Map.of("enabled", false) : Map.of("enabled", true, "factor", "0",
                "minimumWords", config.trivialCommentWords(), "stockPhrases", new TreeSet<>(TrivialComments.STOCK_PHRASES));
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        if (config.trivialCommentWords() <= 0) {
            return out;
        }
        for (Object[] row : EpochRows.of(epoch, "select c.id, c.body from contribution c "
                + "where c.kind = 'comment' and c.occurred_at >= ?1 and c.occurred_at < ?2 and not exists ("
                + "select 1 from contribution_link l where l.source = c.source and l.from_external_id = c.external_id "
                + "and l.kind = 'closes') order by c.id")) {
            TrivialComments.why((String) row[1], config.trivialCommentWords()).ifPresent(why ->
                    out.put(EpochRows.id(row[0]), Factor.multiply("trivial", BigDecimal.ZERO, why)));
        }
        return out;
    }
}
