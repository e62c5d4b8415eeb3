package dev.merit.cli;

import dev.merit.governance.ChainConfig;
import dev.merit.governance.ChainService;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.problem.ProblemException;
import io.quarkus.runtime.Quarkus;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "Run the service: REST API, dashboard, health and metrics (the default).")
public class ServeCommand implements Runnable {

    private final int port;
    private final ChainService chain;
    private final ChainConfig chainConfig;

    public ServeCommand(@ConfigProperty(name = "quarkus.http.port") int port, ChainService chain, ChainConfig chainConfig) {
        this.port = port;
        this.chain = chain;
        this.chainConfig = chainConfig;
    }

    @Override
    public void run() {
        String base = "http://localhost:" + port;
        System.out.println("Merit is running.");
        System.out.println("  Dashboard:  " + base + "/");
        System.out.println("  API docs:   " + base + "/q/swagger-ui  (OpenAPI at " + base + "/q/openapi)");
        System.out.println("  Health:     " + base + "/q/health   Metrics: " + base + "/q/metrics");
        if (chainConfig.enabled()) {
            try {
                DaoContracts dao = chain.dao();
                System.out.println("  Chain:      " + chain.rpcUrl() + " (local anvil, chain id " + dao.chainId()
                        + ", public test accounts)");
                System.out.println("    governor " + dao.governor() + "  timelock " + dao.timelock());
                System.out.println("    vault    " + dao.vault() + "  payout token " + dao.payoutToken()
                        + "  governance token " + dao.governanceToken());
            } catch (ProblemException e) {
                System.out.println("  Chain:      not started: " + e.getMessage());
            }
        }
        System.out.println("Stop with Ctrl+C.");
        Quarkus.waitForExit();
    }
}
