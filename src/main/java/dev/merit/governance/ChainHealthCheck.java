package dev.merit.governance;

import dev.merit.problem.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness reports the chain: down while a node Merit uses does not answer (proposals cannot be followed, votes not
 * relayed). The embedded chain, not started yet, is ready to start on first use.
 */
@Readiness
@ApplicationScoped
public class ChainHealthCheck implements HealthCheck {

    private final ChainService chain;

    public ChainHealthCheck(ChainService chain) {
        this.chain = chain;
    }

    @Override
    public HealthCheckResponse call() {
        if (!chain.config().enabled()) {
            return HealthCheckResponse.named("chain").up().withData("chain", "off").build();
        }
        if (!chain.isStarted()) {
            if (chain.config().rpcUrl().isEmpty()) {
                return HealthCheckResponse.named("chain").up().withData("chain", "local, started on first use").build();
            }
            if (!chain.ensureRunning()) {
                return HealthCheckResponse.named("chain").down().withData("reason", "the node at "
                        + Redaction.endpoint(chain.config().rpcUrl().get()) + " does not answer; Merit reconnects by itself").build();
            }
        }
        java.util.Optional<java.time.Instant> silent = chain.silentSince();
        if (silent.isPresent()) { // said at once: the node watch asks it every 5 s
            return HealthCheckResponse.named("chain").down().withData("reason", "the node at "
                    + Redaction.endpoint(chain.rpcUrl()) + " has not answered since " + silent.get()
                    + "; Merit reconnects by itself").build();
        }
        return chain.answers()
                ? HealthCheckResponse.named("chain").up().withData("rpc", Redaction.endpoint(chain.rpcUrl())).build()
                : HealthCheckResponse.named("chain").down().withData("reason", "the node at " + Redaction.endpoint(chain.rpcUrl())
                + " does not answer; Merit reconnects by itself").build();
    }
}
