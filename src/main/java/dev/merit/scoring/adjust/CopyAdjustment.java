package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies: a commit whose patch identity (its changed lines, whitespace and positions left out) is that of an earlier
 * commit of the same repository makes a change already counted (a cherry-pick, the same change applied again on a
 * branch merged back, or a history rewritten by a rebase or force-push, whose commits come back with new hashes and
 * new dates): factor 0, naming the first. The first is the one committed first (then the smaller hash), in this
 * epoch or any earlier one: a rebased January commit that reappears in February was counted in January. Commits
 * are only ever added, so a run still gives the same factors when it is run again.
 */
@ApplicationScoped
public class CopyAdjustment implements Adjustment {

    @Override
    public String rule() {
        return "copy";
    }

    @Override
    public Map<String, Object> parameters() {
        // Which originals count is part of the rule: runs before and after it compared differently.
        return Map.of("factor", "0", "originals", "earlier commits of the repository");
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        for (Object[] row : EpochRows.of(epoch, "select c.id, o.external_id from contribution c "
                + "join contribution o on o.repository_id = c.repository_id and o.patch_id = c.patch_id "
                + "and (o.occurred_at < c.occurred_at or (o.occurred_at = c.occurred_at "
                + "and o.external_id < c.external_id)) "
                + "where c.patch_id is not null and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                + "order by c.id, o.occurred_at, o.external_id")) {
            out.putIfAbsent(EpochRows.id(row[0]), factor((String) row[1]));
        }
        return out;
    }

    static Factor factor(String original) {
        return Factor.multiply("copy", BigDecimal.ZERO, "the same change as commit "
                + original.substring(0, Math.min(12, original.length())) + " (cherry-picked, applied again or rebased): counted once, there");
    }
}
