package dev.merit.scoring;

import dev.merit.events.Lifecycle;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.Session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For tests: the isolation level of the transaction each scoring run finished in, read inside that transaction when
 * it fires {@code scoring-run.finished}.
 */
@ApplicationScoped
public class IsolationProbe {

    static final Map<Long, Integer> LEVEL_BY_RUN = new ConcurrentHashMap<>();

    void finished(@Observes Lifecycle event) {
        if ("scoring-run.finished".equals(event.type())) {
            long run = ((Number) event.data().get("runId")).longValue();
            Panache.getEntityManager().unwrap(Session.class)
                    .doWork(c -> LEVEL_BY_RUN.put(run, c.getTransactionIsolation()));
        }
    }
}
