package dev.merit.governance;

import java.util.List;

/**
 * How deep a transaction must be before Merit records it (a step confirmed, a line paid), and the depth at which
 * proposal state is read: {@code merit.chain.confirmations}; unset, 0 on a configured node, and on the local chain
 * mining a block every {@code merit.chain.embedded.block-time} seconds, blocks enough for {@link #SAVED_WITHIN_SECONDS}
 * seconds. Anvil saves its state every {@link #STATE_INTERVAL_SECONDS}: a node killed and started again from it has
 * lost the blocks since, and a step Merit had recorded from them (executed, a line paid) would stand for good while
 * the chain never did it. (One block a transaction, without interval mining: a depth is then no age, and 0 stays.)
 */
final class ChainDepth {

    /** How often the local chain saves its state to the data directory. */
    static final int STATE_INTERVAL_SECONDS = 1;
    /** Time after which a block of the local chain is in its saved state: a save, its writing, and a margin. */
    static final int SAVED_WITHIN_SECONDS = 3 * STATE_INTERVAL_SECONDS;

    private ChainDepth() {
    }

    /** Anvil's arguments for the local chain: its state saved to {@code state}, and mining by itself if set to. */
    static String[] anvilArgs(java.nio.file.Path state, ChainConfig config) {
        List<String> args = new java.util.ArrayList<>(List.of("--state", state.toString(), "--state-interval",
                String.valueOf(STATE_INTERVAL_SECONDS)));
        if (config.embedded().blockTime() > 0) {
            args.addAll(List.of("--block-time", String.valueOf(config.embedded().blockTime())));
        }
        return args.toArray(String[]::new);
    }

    static int of(ChainConfig config) {
        int blockTime = config.embedded().blockTime();
        return config.confirmations().orElse(config.rpcUrl().isEmpty() && blockTime > 0
                ? 1 + (SAVED_WITHIN_SECONDS + blockTime - 1) / blockTime : 0);
    }
}
