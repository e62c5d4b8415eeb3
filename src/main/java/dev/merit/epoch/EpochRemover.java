package dev.merit.epoch;

/**
 * Deletes an epoch made by mistake, with the scoring runs made of it, while nothing others read depends on it. The
 * epoch layer does not know payouts and disputes: the payroll layer implements this.
 */
public interface EpochRemover {

    /** What went with the epoch. */
    record Removed(long epochId, String name, int scoringRuns) {
    }

    Removed delete(long epochId);
}
