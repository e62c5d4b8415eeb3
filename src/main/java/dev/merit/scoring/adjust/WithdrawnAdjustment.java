package dev.merit.scoring.adjust;

import dev.merit.epoch.Epoch;
import dev.merit.scoring.Factor;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** Contributions the forge reported deleted (a {@code withdraws} link to them): factor 0, naming the event. */
@ApplicationScoped
public class WithdrawnAdjustment implements Adjustment {

    @Override
    public String rule() {
        return "withdrawn";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("factor", "0");
    }

    @Override
    public Map<Long, Factor> factors(Epoch epoch) {
        Map<Long, Factor> out = new TreeMap<>();
        for (Object[] row : EpochRows.of(epoch, "select c.id, c.source, l.from_external_id "
                + "from contribution c join contribution_link l on l.source = c.source and l.to_external_id = "
                + "c.external_id and l.kind = 'withdraws' where c.occurred_at >= ?1 and c.occurred_at < ?2 order by c.id")) {
            out.put(EpochRows.id(row[0]), factor((String) row[1], (String) row[2]));
        }
        return out;
    }

    static Factor factor(String source, String event) {
        return Factor.multiply("withdrawn", BigDecimal.ZERO, "deleted on " + source + " (" + event
                + "): maintainers delete spam and abuse");
    }
}
