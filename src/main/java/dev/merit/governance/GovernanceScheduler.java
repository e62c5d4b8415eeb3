package dev.merit.governance;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Follows on-chain proposals and sends due chain writes, every {@code merit.chain.poll-interval}. */
@ApplicationScoped
public class GovernanceScheduler {

    private final GovernanceService governance;

    public GovernanceScheduler(GovernanceService governance) {
        this.governance = governance;
    }

    @Scheduled(every = "${merit.chain.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void follow() {
        governance.tick();
    }
}
