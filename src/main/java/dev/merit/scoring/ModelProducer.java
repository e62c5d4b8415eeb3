package dev.merit.scoring;

import dev.merit.scoring.classify.ClassifierHolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The scoring model in use; configuration errors stop start-up with the offending key named. */
@ApplicationScoped
public class ModelProducer {

    @Produces
    @ApplicationScoped
    ScoringModel model(ScoringConfig config, ClassifierHolder classifier) {
        return switch (config.model()) {
            case "formula" -> new FormulaModel(config.typeWeights(), config.linearLines());
            case "learned" -> new LearnedModel(classifier, config.typeWeights(), config.linearLines(), config.batchSize(),
                    TypeFactor.of(config.typeFactor()));
            default -> throw new IllegalArgumentException("merit.scoring.model must be learned or formula, got '"
                    + config.model() + "'");
        };
    }
}
