package dev.merit.governance;

import dev.merit.cluster.Leadership;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Follows on-chain proposals and sends due chain writes, every {@code merit.chain.poll-interval}, on the leader
 * replica only: one treasury, one writer.
 */
@ApplicationScoped
public class GovernanceScheduler {

    private final GovernanceService governance;
    private final Leadership leadership;

    public GovernanceScheduler(GovernanceService governance, Leadership leadership) {
        this.governance = governance;
        this.leadership = leadership;
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
        governance.recover();
        governance.tick();
        return true;
    }
}
