package dev.merit.governance;

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
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chain Merit talks to. Embedded default: a local anvil node started from contracts/ on a free loopback port,
 * its state kept in the data directory, with the DAO's contracts deployed by the public test accounts (deployed
 * once; a restart finds them again). Started on first use.
 */
@ApplicationScoped
public class ChainService {

    private static final Logger LOG = Logger.getLogger(ChainService.class);

    private final ChainConfig config;
    private final ObjectMapper json;
    private final Path chainDir;
    private AnvilNode anvil;
    private DaoContracts dao;

    public ChainService(ChainConfig config, ObjectMapper json, @ConfigProperty(name = "merit.data-dir") String dataDir) {
        this.config = config;
        this.json = json;
        this.chainDir = Path.of(dataDir, "chain").toAbsolutePath();
    }

    /** The deployment in use, starting the embedded chain if needed. */
    public synchronized DaoContracts dao() {
        if (dao != null) {
            return dao;
        }
        if (!config.enabled()) {
            throw ProblemException.unprocessable("chain-disabled", "No chain",
                    "The chain is switched off (merit.chain.enabled=false).");
        }
        if (config.rpcUrl().isPresent()) {
            throw ProblemException.unprocessable("chain-not-configured", "Chain not configured",
                    "Connecting to an existing deployment (merit.chain.rpc-url) is not available yet; "
                            + "unset it to use the embedded local chain.");
        }
        try {
            Files.createDirectories(chainDir);
            anvil = AnvilNode.start(Path.of(config.contractsDir()), "--state", chainDir.resolve("anvil-state.json").toString(),
                    "--state-interval", "5");
            dao = existingDeployment(anvil.web3j());
            if (dao == null) {
                dao = deploy(anvil.web3j());
                json.writerWithDefaultPrettyPrinter().writeValue(chainDir.resolve("deployment.json").toFile(), dao);
            }
            LOG.infof("Local chain %s (chain id %d): governor %s, timelock %s, vault %s, payout token %s, "
                            + "governance token %s", anvil.rpcUrl(), dao.chainId(), dao.governor(), dao.timelock(),
                    dao.vault(), dao.payoutToken(), dao.governanceToken());
            return dao;
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            stop();
            throw ProblemException.unprocessable("chain-unavailable", "Chain unavailable",
                    "The local chain could not be started: " + e.getMessage());
        }
    }

    public synchronized String rpcUrl() {
        dao();
        return anvil.rpcUrl();
    }

    public synchronized Web3j web3j() {
        dao();
        return anvil.web3j();
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
        List<Credentials> members = new ArrayList<>();
        for (int i = 1; i <= config.embedded().members(); i++) {
            members.add(DevAccounts.account(i));
        }
        ChainConfig.Embedded e = config.embedded();
        Deployment.Settings defaults = Deployment.Settings.local();
        return Deployment.deploy(web3j, AnvilNode.CHAIN_ID, DevAccounts.account(0), members,
                new Deployment.Settings(e.votingDelayBlocks(), e.votingPeriodBlocks(), e.quorumPercent(),
                        e.timelockDelaySeconds(), defaults.votesPerMember(), defaults.vaultFunding(),
                        defaults.payoutDecimals()));
    }

    synchronized void stop() {
        if (anvil != null) {
            anvil.close();
            anvil = null;
        }
        dao = null;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    /** Latest block, for status displays. */
    public BigInteger blockNumber() throws java.io.IOException {
        return web3j().ethBlockNumber().send().getBlockNumber();
    }
}
