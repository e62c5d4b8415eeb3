package dev.merit.scoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The scoring model in use; configuration errors stop start-up with the offending key named. */
@ApplicationScoped
public class ModelProducer {

    @Produces
    @ApplicationScoped
    ScoringModel model(ScoringConfig config) {
        return new FormulaModel(config.typeWeights(), config.linearLines());
    }
}
