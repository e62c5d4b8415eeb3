package dev.merit.governance;

import dev.merit.cluster.Leadership;
import dev.merit.ingest.LateArrivals;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Follows on-chain proposals and sends due chain writes, every {@code merit.chain.poll-interval}, on the leader
 * replica only: one treasury, one writer. It also checks late work again, once a minute
 * ({@link dev.merit.ingest.LateArrivals#recheck}).
 */
@ApplicationScoped
public class GovernanceScheduler {

    private final GovernanceService governance;
    private final Leadership leadership;
    private final LateArrivals late;

    public GovernanceScheduler(GovernanceService governance, Leadership leadership, LateArrivals late) {
        this.governance = governance;
        this.leadership = leadership;
        this.late = late;
    }

    @Scheduled(every = "${merit.chain.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        follow();
    }

    /** One round if this replica leads; returns whether it ran. */
    public boolean follow() {
        if (!leadership.isLeader()) {
            return false;
        }
        late.recheck(); // at most once a minute; never throws
        governance.recover();
        governance.tick();
        return true;
    }
}
