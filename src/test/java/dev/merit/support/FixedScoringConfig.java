package dev.merit.support;

import dev.merit.scoring.ScoringConfig;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** merit.scoring.* with the service's defaults, for code that runs without Quarkus (benches, unit tests). */
public record FixedScoringConfig(String modelDir, Optional<String> modelSha256, String device) implements ScoringConfig {

    public static FixedScoringConfig defaults() {
        return new FixedScoringConfig("models/commit-type", Optional.empty(), "auto");
    }

    @Override
    public Map<String, BigDecimal> typeWeights() {
        return Map.of();
    }

    @Override
    public int linearLines() {
        return 200;
    }

    @Override
    public String model() {
        return "learned";
    }

    @Override
    public String typeFactor() {
        return "median";
    }

    @Override
    public BigDecimal ciFailureFactor() {
        return new BigDecimal("0.8");
    }

    @Override
    public BigDecimal ciSuccessFactor() {
        return BigDecimal.ONE;
    }

    @Override
    public BigDecimal repeatFactor() {
        return new BigDecimal("0.5");
    }

    @Override
    public int trivialCommentWords() {
        return 3;
    }

    @Override
    public BigDecimal declinedFactor() {
        return BigDecimal.ZERO;
    }

    @Override
    public boolean netUndoneLines() {
        return true;
    }

    @Override
    public int batchSize() {
        return 4096;
    }
}
