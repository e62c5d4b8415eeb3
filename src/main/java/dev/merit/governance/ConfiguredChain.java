package dev.merit.governance;

import dev.merit.governance.chain.DaoContracts;
import dev.merit.governance.chain.WatchedHttpService;
import dev.merit.problem.ProblemException;
import dev.merit.problem.Redaction;
import org.jboss.logging.Logger;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An existing deployment from configuration ({@code merit.chain.rpc-url} and the addresses), checked before use. */
final class ConfiguredChain {

    private static final Logger LOG = Logger.getLogger(ConfiguredChain.class);

    /** A node connected to: its client, the watch on its answers, and the DAO's contracts there. */
    record Connected(Web3j web3j, WatchedHttpService.Watch watch, String rpcUrl, DaoContracts dao) {
    }

    private ConfiguredChain() {
    }

    /** Connects, checking the chain id and that the governor and vault have code; a refusal in words, or a 503. */
    static Connected connect(ChainConfig config) {
        List<String> missing = java.util.stream.Stream.of(Map.entry("governor", config.governor()),
                Map.entry("timelock", config.timelock()), Map.entry("vault", config.vault()), Map.entry("payout-token",
                config.payoutToken()), Map.entry("governance-token", config.governanceToken()))
                .filter(e -> e.getValue().isEmpty()).map(e -> "merit.chain." + e.getKey()).toList();
        if (!missing.isEmpty()) {
            throw ProblemException.unprocessable("chain-not-configured", "Chain not configured",
                    "merit.chain.rpc-url is set, so these are needed too: " + missing + ".");
        }
        String url = config.rpcUrl().get();
        WatchedHttpService service = new WatchedHttpService(url, new WatchedHttpService.Watch());
        Web3j client = Web3j.build(service);
        try {
            long actual = client.ethChainId().send().getChainId().longValue();
            if (config.chainId().isPresent() && config.chainId().get() != actual) {
                throw ProblemException.unprocessable("chain-mismatch", "Wrong chain", "The node at "
                        + Redaction.endpoint(url) + " is chain " + actual + ", not the configured " + config.chainId().get() + ".");
            }
            DaoContracts configured = new DaoContracts(actual, config.governanceToken().get(), config.timelock().get(),
                    config.governor().get(), config.vault().get(), config.payoutToken().get());
            for (String address : List.of(configured.governor(), configured.vault())) {
                String code = client.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode();
                if (code == null || code.equals("0x")) {
                    throw ProblemException.unprocessable("chain-not-configured", "No contract there",
                            "There is no contract at " + address + " on chain " + actual + ".");
                }
            }
            LOG.infof("Connected to chain %d at %s: governor %s, vault %s", actual, Redaction.endpoint(url),
                    Keys.toChecksumAddress(configured.governor()), Keys.toChecksumAddress(configured.vault()));
            return new Connected(client, service.watch(), url, configured);
        } catch (IOException | RuntimeException e) { // a refusal above, or a node answering HTTP errors
            client.shutdown();
            if (e instanceof org.web3j.protocol.exceptions.ClientConnectionException http) { // a 429, a 502
                throw ChainService.unavailable("The chain node at " + Redaction.endpoint(url) + " answered with an "
                        + "error: " + dev.merit.problem.Clip.of(http.getMessage()) + ".");
            }
            if (e instanceof IOException io) {
                throw ChainService.unavailable(WatchedHttpService.inWords(io,
                        "The chain node at " + Redaction.endpoint(url)));
            }
            throw (RuntimeException) e;
        }
    }
}
