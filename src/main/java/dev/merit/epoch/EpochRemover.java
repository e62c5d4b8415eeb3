package dev.merit.epoch;

/**
 * Deletes an epoch made by mistake, with the scoring runs made of it, while nothing others read depends on it. The
 * epoch layer does not know payouts and disputes: the payroll layer implements this.
 */
public interface EpochRemover {

    /**
     * What went with the epoch: its scoring runs, and its payout drafts that were withdrawn or replaced before any went
     * on chain (nobody voted on them and nothing was paid by them).
     */
    record Removed(long epochId, String name, int scoringRuns, java.util.List<Long> offChainDrafts) {
    }

    Removed delete(long epochId);
}
