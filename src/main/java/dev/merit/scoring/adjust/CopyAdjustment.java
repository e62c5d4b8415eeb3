package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies: a commit whose patch identity (its changed lines, whitespace and positions left out) is that of another
 * commit of the same repository makes a change already counted (a cherry-pick, the same change applied again on a
 * branch merged back, or a history rewritten by a rebase or force-push, whose commits come back with new hashes and
 * new dates): factor 0, naming the one counted. The one counted is the one that reached the branch in an earlier
 * epoch (a rebased January commit that reappears in February was counted in January; a fix cherry-picked onto the
 * branch in January is not paid again when its maintenance branch is merged in February), else, among the epoch's
 * own, the one committed first (then the smaller hash), so within an epoch the original is paid and not its
 * cherry-pick. Commits are only ever added. One can still reach an epoch that has ended, dated by itself (a fast-forward
 * after the epoch was scored), until a payout of it is approved, which moves it to the first moment no paid period
 * covers ({@link dev.merit.ingest.LateArrivals}); so a run of an ended epoch gives the same factors again unless such
 * work came in meanwhile, which the payout's page then counts as stored after its run.
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
        return Map.of("factor", "0", "originals", "commits of the repository that reached the branch in an earlier "
                + "epoch, or were committed earlier in this one");
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        // A commit's own date orders the epoch's commits (commits one merge brought share the merge's occurred_at).
        String written = "coalesce(%1$s.committed_at, %1$s.occurred_at)";
        String o = written.formatted("o");
        String c = written.formatted("c");
        for (Object[] row : EpochRows.of(epoch, "select c.id, o.external_id from contribution c "
                + "join contribution o on o.repository_id = c.repository_id and o.patch_id = c.patch_id "
                + "and (o.occurred_at < ?1 or (o.occurred_at < ?2 and (" + o + " < " + c + " or (" + o + " = " + c
                + " and o.external_id < c.external_id)))) "
                + "where c.patch_id is not null and c.occurred_at >= ?1 and c.occurred_at < ?2 "
                + "order by c.id, case when o.occurred_at < ?1 then 0 else 1 end, " + o + ", o.external_id")) {
            out.putIfAbsent(EpochRows.id(row[0]), factor((String) row[1]));
        }
        return out;
    }

    static Factor factor(String original) {
        return Factor.multiply("copy", BigDecimal.ZERO, "the same change as commit "
                + original.substring(0, Math.min(12, original.length())) + " (cherry-picked, applied again or rebased): counted once, there");
    }
}
