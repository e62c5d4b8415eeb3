package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import dev.merit.scoring.ScoringConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CI outcomes as a quality signal: a git commit that a CI run was for (its head commit) gets the failure factor if
 * any run on it failed, else the success factor. The runs and their conclusions are named in the detail.
 */
@ApplicationScoped
public class CiAdjustment implements Adjustment {

    private final ScoringConfig config;

    public CiAdjustment(ScoringConfig config) {
        this.config = config;
    }

    @Override
    public String rule() {
        return "ci";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("failureFactor", config.ciFailureFactor().toPlainString(),
                "successFactor", config.ciSuccessFactor().toPlainString());
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, List<String>> failed = new TreeMap<>();
        Map<Long, List<String>> passed = new TreeMap<>();
        for (Object[] row : EpochRows.of(epoch, "select c.id, r.conclusion, r.external_id "
                + "from contribution c join ci_result r on r.head_sha = c.external_id where c.source = 'git' and "
                + "c.occurred_at >= ?1 and c.occurred_at < ?2 order by c.id, r.external_id")) {
            String conclusion = (String) row[1];
            (failure(conclusion) ? failed : passed).computeIfAbsent(EpochRows.id(row[0]), k -> new ArrayList<>())
                    .add(row[2] + " " + conclusion);
        }
        Map<Long, Factor> out = new TreeMap<>();
        passed.forEach((id, runs) -> out.put(id, Factor.multiply("ci", config.ciSuccessFactor(), "CI passed: " + runs)));
        failed.forEach((id, runs) -> out.put(id, Factor.multiply("ci", config.ciFailureFactor(), "CI failed: " + runs)));
        return out;
    }

    static boolean failure(String conclusion) {
        return conclusion.equals("failure") || conclusion.equals("failed") || conclusion.equals("timed_out");
    }
}
