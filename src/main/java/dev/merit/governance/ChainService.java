package dev.merit.governance;

import dev.merit.problem.Redaction;
import dev.merit.governance.contracts.MeritGovernor;
import dev.merit.governance.contracts.PayoutToken;
import dev.merit.governance.contracts.PayrollVault;
import dev.merit.security.ChainIdentity;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import dev.merit.governance.chain.WatchedHttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.governance.chain.AnvilNode;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.Deployment;
import dev.merit.governance.chain.DevAccounts;
import dev.merit.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The chain Merit talks to. Embedded default: a local anvil node started from contracts/ on a free loopback port,
 * its state kept in the data directory, with the DAO's contracts deployed by the public test accounts (deployed
 * once; a restart finds them again). Started on first use.
 */
@ApplicationScoped
public class ChainService implements ChainIdentity {

    private static final Logger LOG = Logger.getLogger(ChainService.class);
    /** Seconds a caller is asked to wait when the node does not answer. */
    static final int RETRY_AFTER = 10;
    /** The "from" of read-only calls: reads need no key. */
    public static final String READER = "0x0000000000000000000000000000000000000000";

    private final ChainConfig config;
    private final ObjectMapper json;
    private final Path chainDir;
    private AnvilNode anvil;
    private Web3j web3j;
    private volatile WatchedHttpService.Watch watch; // whether the node in use has stopped answering
    private volatile Refusal refused; // the configured node's last refusal
    private volatile boolean connecting;
    private String attachedUrl; // the other process's local chain last tried, and whether it answers
    private WatchedHttpService.Watch attachWatch;
    private static final long ASK_AGAIN_NANOS = 5_000_000_000L;
    private String rpcUrl;
    private volatile DaoContracts dao;
    private boolean wiped;
    private final dev.merit.cluster.Leadership leadership; // a command beside the server never runs a chain of its own
    private final SavedChainState saved; // its state, kept whole: anvil writes it in place

    public ChainService(ChainConfig config, ObjectMapper json, @ConfigProperty(name = "merit.data-dir") String dataDir,
                        dev.merit.cluster.Leadership leadership, SavedChainState saved) {
        this.leadership = leadership;
        this.saved = saved;
        this.config = config;
        this.json = json;
        this.chainDir = Path.of(dataDir, "chain").toAbsolutePath();
    }

    /** The deployment in use, starting the embedded chain if needed. */
    public DaoContracts dao() {
        DaoContracts connected = dao;
        if (connected != null) {
            return connected;
        }
        // Another caller is finding out whether the configured node answers now, or the follower (ensureRunning, every
        // round) has lately: a page is not queued behind it for the client's timeout, nor asks again itself.
        throwRefusedWithin(ASK_AGAIN_NANOS * 6, true);
        synchronized (this) {
            throwRefusedWithin(ASK_AGAIN_NANOS * 6, false); // it was finding out while this waited
            return connect(true);
        }
    }

    /** The configured node's refusal, with when it was (System.nanoTime()). */
    private record Refusal(ProblemException problem, long at) {
    }

    /**
     * The configured node's last refusal, while not connected, if it is at most {@code withinNanos} old or (with
     * {@code orBeingAsked}) another caller is asking the node again now; else null.
     */
    private ProblemException refusedWithin(long withinNanos, boolean orBeingAsked) {
        Refusal last = refused;
        return last != null && dao == null && ((orBeingAsked && connecting)
                || System.nanoTime() - last.at() < withinNanos) ? last.problem() : null;
    }

    private void throwRefusedWithin(long withinNanos, boolean orBeingAsked) {
        ProblemException last = refusedWithin(withinNanos, orBeingAsked);
        if (last != null) {
            throw last;
        }
    }

    /**
     * The deployment, if a chain runs already: a configured node, or the local chain another Merit process (the
     * server) runs. Never starts or deploys one: for a command that reads the vault only where it can.
     */
    public synchronized Optional<DaoContracts> daoIfRunning() {
        try {
            return Optional.ofNullable(connect(false));
        } catch (RuntimeException unreachable) { // a refusal in words, or a node answering HTTP errors
            return Optional.empty();
        }
    }

    private DaoContracts connect(boolean mayStart) {
        if (dao != null) {
            return dao;
        }
        if (!config.enabled()) {
            throw ProblemException.unprocessable("chain-disabled", "No chain",
                    "The chain is switched off (merit.chain.enabled=false).");
        }
        if (config.rpcUrl().isPresent()) {
            ConfiguredChain.Connected node;
            connecting = true;
            try {
                node = ConfiguredChain.connect(config);
            } catch (ProblemException e) {
                refused = new Refusal(e, System.nanoTime());
                throw e;
            } finally {
                connecting = false;
            }
            refused = null;
            web3j = node.web3j();
            watch = node.watch();
            rpcUrl = node.rpcUrl();
            dao = node.dao();
            return dao;
        }
        try {
            Files.createDirectories(chainDir);
            if (config.freshState() && !wiped && mayStart) {
                Files.deleteIfExists(chainDir.resolve("anvil-state.json"));
                Files.deleteIfExists(chainDir.resolve("deployment.json"));
                Files.deleteIfExists(chainDir.resolve("rpc-url"));
                wiped = true;
            }
            web3j = attachToRunning();
            if (web3j == null && !mayStart) {
                return null;
            }
            if (web3j == null && leadership.anotherProcessLeads()) { // a second node would take writes nowhere seen
                throw unavailable("Another Merit process on this data directory (the server, or a command) runs the "
                        + "local chain, and it does not answer now; a command does not start a second one.");
            }
            if (web3j == null) {
                saved.restoreIfCut();
                anvil = AnvilNode.start(Path.of(config.contractsDir()),
                        ChainDepth.anvilArgs(chainDir.resolve("anvil-state.json"), config));
                web3j = anvil.web3j();
                watch = anvil.watch();
                rpcUrl = anvil.rpcUrl();
                Files.writeString(chainDir.resolve("rpc-url"), rpcUrl);
            }
            dao = existingDeployment(web3j);
            if (dao == null && (!mayStart || anvil == null)) { // not this process's chain to deploy on
                web3j.shutdown();
                web3j = null;
                if (!mayStart) {
                    return null;
                }
                throw unavailable("The local chain another Merit process on this data directory runs has no DAO "
                        + "contracts yet: the server deploys them as it starts (about half a minute).");
            }
            if (dao == null) {
                dao = deploy(web3j);
                json.writerWithDefaultPrettyPrinter().writeValue(chainDir.resolve("deployment.json").toFile(), dao);
            }
            LOG.infof("Local chain %s (chain id %d): governor %s, timelock %s, vault %s, payout token %s, "
                            + "governance token %s", rpcUrl, dao.chainId(), Keys.toChecksumAddress(dao.governor()),
                    Keys.toChecksumAddress(dao.timelock()), Keys.toChecksumAddress(dao.vault()),
                    Keys.toChecksumAddress(dao.payoutToken()), Keys.toChecksumAddress(dao.governanceToken()));
            return dao;
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            stop();
            throw unavailable("The local chain could not be started: " + e.getMessage());
        }
    }

    /** 503 with Retry-After: the node does not answer now; Merit keeps trying by itself. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemException.Kind.UNAVAILABLE, "chain-unavailable", "Chain unavailable", detail
                + " Merit reconnects by itself; try again shortly.", Map.of("retryAfterSeconds", RETRY_AFTER));
    }

    /**
     * Brings the chain back after an outage, as the follower does on every round: a local node that stopped (killed,
     * crashed) is started again from its saved state; a configured node is connected to once it answers. Returns
     * whether the chain answers now.
     */
    public boolean ensureRunning() {
        if (refusedWithin(ASK_AGAIN_NANOS, true) != null) {
            return false; // the configured node refused: asked again every 5 s, by one caller at a time
        }
        synchronized (this) {
            if (!config.enabled() || refusedWithin(ASK_AGAIN_NANOS, true) != null) {
                return false;
            }
            if (anvil != null && !anvil.isAlive()) {
                LOG.warnf("The local chain at %s stopped; starting it again from its saved state", rpcUrl);
                stop();
            }
            try {
                connect(true); // not dao(), which keeps a refusal for pages a while: this asks again
            } catch (ProblemException e) {
                LOG.debugf("chain not back yet: %s", e.getMessage());
                return false;
            }
        }
        return answers(); // asked outside the lock: a node that does not answer holds up no page for 10 s
    }

    /** Whether the node answers now (a quick eth_chainId), without starting anything. */
    public boolean answers() {
        Web3j client;
        synchronized (this) {
            client = web3j;
        }
        if (client == null) {
            return false;
        }
        try {
            client.ethChainId().send();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Since when the node in use has not answered (a call to it timed out, and none answered since); else empty. */
    public Optional<Instant> silentSince() {
        WatchedHttpService.Watch w = watch;
        return Optional.ofNullable(w == null ? null : w.silentSince());
    }

    public String rpcUrl() {
        dao(); // first outside the lock: a refusal kept for pages is said at once, not after a connect under way
        synchronized (this) {
            dao();
            return rpcUrl;
        }
    }

    public Web3j web3j() {
        dao();
        synchronized (this) {
            dao();
            return web3j;
        }
    }

    /** Whether the chain is up (without starting it, nor waiting for a start under way). */
    public boolean isStarted() {
        return dao != null;
    }

    /**
     * The account Merit signs its chain writes with: on the local chain, public test account 0; on a configured
     * deployment, the key from {@code merit.chain.signer-key-env} or {@code -file} (never logged).
     */
    public Credentials signer() {
        return config.rpcUrl().isEmpty() ? DevAccounts.account(0) : SignerKey.read(config);
    }

    @Override
    public long chainId() {
        return config.rpcUrl().isPresent() ? config.chainId().orElse(AnvilNode.CHAIN_ID) : AnvilNode.CHAIN_ID;
    }

    public ChainConfig config() {
        return config;
    }

    /** Blocks behind the head at which proposal state is read, and how deep a transaction must be to be recorded. */
    public int confirmations() {
        return ChainDepth.of(config);
    }

    /** The newest block a reorg will not take back, with {@code head} the chain's head: merit.chain.confirmations behind. */
    public BigInteger settled(BigInteger head) {
        return head.subtract(BigInteger.valueOf(Math.max(0, confirmations()))).max(BigInteger.ZERO);
    }

    /** The local node Merit started, for tests that mine blocks and move time; empty when attached. */
    public Optional<AnvilNode> localNode() {
        dao();
        synchronized (this) {
            dao();
            return Optional.ofNullable(anvil);
        }
    }

    /** A local chain another Merit process (serve) started and still runs: share it rather than start another. */
    private Web3j attachToRunning() {
        Path file = chainDir.resolve("rpc-url");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            String url = Files.readString(file).strip();
            if (!url.equals(attachedUrl)) { // one watch per node: once a try timed out, the next fails at once
                attachedUrl = url;
                attachWatch = new WatchedHttpService.Watch();
            }
            WatchedHttpService service = new WatchedHttpService(url, attachWatch);
            Web3j candidate = Web3j.build(service);
            if (candidate.ethChainId().send().getChainId().longValue() == AnvilNode.CHAIN_ID) {
                rpcUrl = url;
                watch = service.watch();
                LOG.infof("Attached to the local chain at %s", Redaction.endpoint(url));
                return candidate;
            }
            candidate.shutdown();
        } catch (Exception notRunning) {
            LOG.debugf("no running local chain at the recorded URL: %s", notRunning.getMessage());
        }
        return null;
    }

    private DaoContracts existingDeployment(Web3j web3j) throws Exception {
        Path file = chainDir.resolve("deployment.json");
        if (!Files.exists(file)) {
            return null;
        }
        DaoContracts recorded = json.readValue(file.toFile(), DaoContracts.class);
        String code = web3j.ethGetCode(recorded.vault(), DefaultBlockParameterName.LATEST).send().getCode();
        return code == null || code.equals("0x") ? null : recorded;
    }

    private DaoContracts deploy(Web3j web3j) throws Exception {
        List<Credentials> members = java.util.stream.IntStream.rangeClosed(1, config.embedded().members())
                .mapToObj(DevAccounts::account).toList();
        ChainConfig.Embedded e = config.embedded();
        Deployment.Settings defaults = Deployment.Settings.local();
        return Deployment.deploy(web3j, AnvilNode.CHAIN_ID, DevAccounts.account(0), members,
                new Deployment.Settings(e.votingDelayBlocks(), e.votingPeriodBlocks(), e.quorumPercent(),
                        e.timelockDelaySeconds(), defaults.votesPerMember(), defaults.vaultFunding(),
                        defaults.payoutDecimals()));
    }

    /** Stops the local node this process started (its state is dumped to the data directory). */
    public synchronized void stop() {
        if (anvil != null) {
            anvil.close();
            anvil = null;
            try {
                Files.deleteIfExists(chainDir.resolve("rpc-url"));
            } catch (IOException e) {
                LOG.warnf("could not remove %s: %s", chainDir.resolve("rpc-url"), e.getMessage());
            }
        } else if (web3j != null) {
            web3j.shutdown();
        }
        web3j = null;
        watch = null;
        dao = null;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    /** A read-only handle on a governor (calls need no key). */
    public MeritGovernor readGovernor(String address) {
        return MeritGovernor.load(address, web3j(),
                new ReadonlyTransactionManager(web3j(), READER), Deployment.GAS);
    }

    /** A read-only handle on a payout token (balances, decimals). */
    public PayoutToken readToken(String address) {
        return PayoutToken.load(address, web3j(), new ReadonlyTransactionManager(web3j(), READER), Deployment.GAS);
    }

    /** A read-only handle on a payroll vault. */
    public PayrollVault readVault(String address) {
        return PayrollVault.load(address, web3j(),
                new ReadonlyTransactionManager(web3j(), READER), Deployment.GAS);
    }

    /** Latest block, for status displays. */
    public BigInteger blockNumber() throws IOException {
        return web3j().ethBlockNumber().send().getBlockNumber();
    }
}
