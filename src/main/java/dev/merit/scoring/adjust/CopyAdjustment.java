package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies: a commit whose patch identity (its changed lines, whitespace and positions left out) is that of an earlier
 * commit of the same repository in the epoch makes a change already paid for (a cherry-pick, or the same change
 * applied again on a branch merged back): factor 0, naming the first. The first is the one committed first (then
 * the smaller hash). Only the epoch's own commits are compared, so a run stays a function of its epoch's inputs.
 */
@ApplicationScoped
public class CopyAdjustment implements Adjustment {

    @Override
    public String rule() {
        return "copy";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("factor", "0");
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        for (Object[] row : EpochRows.of(epoch, "select c.id, o.external_id from contribution c "
                + "join contribution o on o.repository_id = c.repository_id and o.patch_id = c.patch_id "
                + "and (o.occurred_at < c.occurred_at or (o.occurred_at = c.occurred_at "
                + "and o.external_id < c.external_id)) "
                + "where c.patch_id is not null and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                + "and o.occurred_at >= ?1 order by c.id, o.occurred_at, o.external_id")) {
            out.putIfAbsent(EpochRows.id(row[0]), factor((String) row[1]));
        }
        return out;
    }

    static Factor factor(String original) {
        return Factor.multiply("copy", BigDecimal.ZERO, "the same change as commit "
                + original.substring(0, Math.min(12, original.length())) + " (cherry-picked or applied again): paid once, there");
    }
}
