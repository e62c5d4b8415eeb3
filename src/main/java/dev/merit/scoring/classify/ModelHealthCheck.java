package dev.merit.scoring.classify;

import dev.merit.problem.ProblemException;
import dev.merit.scoring.ScoringConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness reports the scoring model: its version and hash, or why it was refused. */
@Readiness
@ApplicationScoped
public class ModelHealthCheck implements HealthCheck {

    private final ClassifierHolder holder;
    private final ScoringConfig config;

    public ModelHealthCheck(ClassifierHolder holder, ScoringConfig config) {
        this.holder = holder;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.model().equals("learned")) {
            return HealthCheckResponse.named("scoring-model").up().withData("model", config.model()).build();
        }
        try {
            TypeClassifier c = holder.require();
            return HealthCheckResponse.named("scoring-model").up().withData("version", c.version())
                    .withData("sha256", c.hash()).withData("device", c.device().toString()).build();
        } catch (ProblemException e) {
            return HealthCheckResponse.named("scoring-model").down().withData("reason", e.getMessage()).build();
        }
    }
}
