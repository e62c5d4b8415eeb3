package dev.merit.governance;

import java.math.BigDecimal;
import java.time.Duration;
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

    /** Chain id the RPC must report (existing deployment). */
    Optional<Long> chainId();

    /** Addresses of an existing deployment. */
    Optional<String> governor();

    Optional<String> timelock();

    Optional<String> vault();

    Optional<String> payoutToken();

    Optional<String> governanceToken();

    /** Name of the environment variable holding Merit's signer key (hex), for an existing deployment. */
    @WithDefault("MERIT_SIGNER_KEY")
    String signerKeyEnv();

    /** Or a file holding it (e.g. a mounted secret). The key is never logged. */
    Optional<String> signerKeyFile();

    /**
     * Blocks behind the head at which proposal state is read, and how deep a transaction must be before Merit records
     * it. Unset: 0 on a configured node; on the local chain mining by itself, enough blocks for its state to have been
     * saved since ({@link ChainService#confirmations()}).
     */
    Optional<Integer> confirmations();

    /** Where the contracts' npm packages (and so the anvil binary) are installed by the build. */
    @WithDefault("contracts")
    String contractsDir();

    /** How often the chain is polled for proposal state, and due transactions are sent. */
    @WithDefault("2s")
    Duration pollInterval();

    /** Start the embedded chain from scratch once per process (tests). */
    @WithDefault("false")
    boolean freshState();

    /**
     * The most Merit pays per gas, in gwei: the EIP-1559 max fee (or the legacy gas price). While the chain asks more,
     * writes wait, and say so; a stuck transaction's replacement is not priced above it either.
     */
    @WithDefault("200")
    BigDecimal maxFeeGwei();

    /**
     * Seconds per block assumed when the chain's own recent blocks cannot tell (a chain that mines only when a
     * transaction arrives): deadlines in blocks are shown as estimated clock times with it. Ethereum mainnet: 12.
     */
    @WithDefault("12")
    int secondsPerBlock();

    /** A sent transaction not mined after this long is sent again with the same nonce and fees raised 12.5%. */
    @WithDefault("3m")
    Duration replaceAfter();

    /** The most gas one transaction may be given: Ethereum's per-transaction cap since Fusaka (EIP-7825). */
    @WithDefault("16777216")
    long maxGas();

    /** How long a send waits for its receipt before the next poll takes the transaction up again. */
    @WithDefault("30s")
    Duration receiptWait();

    /** Leaves per batch claim transaction. */
    @WithDefault("200")
    int claimBatchSize();

    /**
     * Lets a payout go on chain before its epoch has ended (tests that pay future years; never a DAO's setting: the
     * rest of the period could then never be paid).
     */
    @WithDefault("false")
    boolean payUnendedPeriods();

    /**
     * Blocks per log search (eth_getLogs). Hosted nodes cap a search's range (500 to 10,000 blocks is common); a
     * range the node still refuses is halved until it answers.
     */
    @WithDefault("2000")
    int logBlockRange();

    /** The embedded chain's governance settings. */
    Embedded embedded();

    interface Embedded {
        /** Accounts 1..N of the public test mnemonic get votes. */
        @WithDefault("3")
        int members();

        /**
         * Seconds between blocks the embedded chain mines by itself (anvil's interval mining; a transaction waits for
         * the next block), so votes open, close and queue without anything else being sent, and a block's depth
         * measures its age. 0: blocks only when a transaction arrives (tests mine by hand).
         */
        @WithDefault("2")
        int blockTime();

        /** Blocks from proposal to the start of the vote. */
        @WithDefault("1")
        long votingDelayBlocks();

        /** Blocks the vote stays open: 90 blocks of 2 s are 3 minutes, time for members to vote in the demo. */
        @WithDefault("90")
        long votingPeriodBlocks();

        @WithDefault("4")
        long quorumPercent();

        @WithDefault("60")
        long timelockDelaySeconds();
    }
}
