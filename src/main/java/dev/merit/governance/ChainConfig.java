package dev.merit.governance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Chain settings ({@code merit.chain.*}). Without an RPC URL, Merit runs its own local anvil chain. */
@ConfigMapping(prefix = "merit.chain")
public interface ChainConfig {

    /** Off: Merit runs without any chain (scoring and payroll still work). */
    @WithDefault("true")
    boolean enabled();

    /** JSON-RPC URL of an existing deployment; empty means the embedded local anvil chain. */
    Optional<String> rpcUrl();

    /** Where the contracts' npm packages (and so the anvil binary) are installed by the build. */
    @WithDefault("contracts")
    String contractsDir();

    /** How often the chain is polled for proposal state, and due transactions are sent. */
    @WithDefault("2s")
    java.time.Duration pollInterval();

    /** Start the embedded chain from scratch once per process (tests). */
    @WithDefault("false")
    boolean freshState();

    /** Leaves per batch claim transaction. */
    @WithDefault("200")
    int claimBatchSize();

    /** The embedded chain's governance settings. */
    Embedded embedded();

    interface Embedded {
        /** Accounts 1..N of the public test mnemonic get votes. */
        @WithDefault("3")
        int members();

        @WithDefault("1")
        long votingDelayBlocks();

        @WithDefault("20")
        long votingPeriodBlocks();

        @WithDefault("4")
        long quorumPercent();

        @WithDefault("60")
        long timelockDelaySeconds();
    }
}
