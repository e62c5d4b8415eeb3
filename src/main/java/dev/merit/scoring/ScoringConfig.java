package dev.merit.scoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.Map;

/** Scoring settings ({@code merit.scoring.*}). Changing any of them changes the model hash of later runs. */
@ConfigMapping(prefix = "merit.scoring")
public interface ScoringConfig {

    /**
     * Weight per contribution type, e.g. {@code merit.scoring.type-weights.docs=0.6}. Types missing here
     * use the built-in weight.
     */
    Map<String, BigDecimal> typeWeights();

    /** Effective lines up to this count fully; beyond it each doubling of size adds {@code linearLines * ln 2}. */
    @WithDefault("200")
    int linearLines();
}
