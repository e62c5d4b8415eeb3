package dev.merit.governance;

/** The pace of blocks that times on chain (a vote's deadline) are estimated with. */
final class BlockPace {

    private BlockPace() {
    }

    /**
     * The seconds per block to estimate times with: {@code measured} over the last 64 blocks when it is plausible,
     * else {@code fallback} (the embedded chain's block time, or merit.chain.seconds-per-block). The embedded chain
     * mines at least once per block time, faster with transactions; a pace much slower than that is a time it was
     * stopped (Merit restarted), which would put every deadline hours late until 64 new blocks pass.
     */
    static double of(double measured, double fallback, boolean embedded) {
        if (!(measured > 0.2 && measured < 600)) {
            return fallback;
        }
        return embedded && measured > fallback * 1.5 ? fallback : measured;
    }
}
