package dev.merit.cli;

import dev.merit.security.SiteOrigin;
import dev.merit.governance.ChainConfig;
import dev.merit.governance.ChainService;
import dev.merit.governance.chain.DaoContracts;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoringConfig;
import dev.merit.scoring.classify.ClassifierHolder;
import dev.merit.scoring.classify.TypeClassifier;
import io.quarkus.runtime.Quarkus;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;

import java.nio.file.Path;

@Command(name = "serve", description = "Run the service: REST API, dashboard, health and metrics (the default).")
public class ServeCommand implements Runnable {

    private final int port;
    private final ChainService chain;
    private final ChainConfig chainConfig;
    private final ClassifierHolder classifier;
    private final ScoringConfig scoring;

    private final SiteOrigin site;

    private final String dataDir;

    public ServeCommand(@ConfigProperty(name = "quarkus.http.port") int port, ChainService chain, ChainConfig chainConfig,
                        ClassifierHolder classifier, ScoringConfig scoring, SiteOrigin site,
                        @ConfigProperty(name = "merit.data-dir") String dataDir) {
        this.dataDir = dataDir;
        this.port = port;
        this.site = site;
        this.classifier = classifier;
        this.scoring = scoring;
        this.chain = chain;
        this.chainConfig = chainConfig;
    }

    @Override
    public void run() {
        String base = site.origin(port);
        System.out.println("Merit is running.");
        System.out.println("  Dashboard:  " + base + "/");
        System.out.println("  API docs:   " + base + "/q/swagger-ui  (OpenAPI at " + base + "/q/openapi)");
        System.out.println("  Health:     " + base + "/q/health   Metrics: " + base + "/q/metrics");
        System.out.println("  Data:       " + Path.of(dataDir).toAbsolutePath().normalize());
        if (scoring.model().equals("learned")) {
            String failure = classifier.load();
            if (failure == null) {
                TypeClassifier c = classifier.require();
                System.out.println("  Model:      " + c.version() + " on " + c.device() + " (sha256 " + c.hash() + ")");
            } else {
                System.out.println("  Model:      NOT LOADED, scoring refused: " + failure);
            }
        } else {
            System.out.println("  Model:      formula-v1 (merit.scoring.model=formula)");
        }
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
