package dev.merit.scoring.graph;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.Map;

/** Graph credit settings ({@code merit.scoring.graph.*}); all of them are part of the policy hash. */
@ConfigMapping(prefix = "merit.scoring.graph")
public interface GraphConfig {

    /** Whether scores get a graph factor at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Weight of each kind of link. {@code builds-on}: a later contribution by other people changed a file this one
     * changed (git). Other kinds (reviews, issues closed) come with their sources.
     */
    Map<String, BigDecimal> edgeWeights();

    /** How far graph credit moves a score: factor = 1 + influence x (credit / average credit - 1). */
    @WithDefault("0.25")
    BigDecimal influence();

    /** Lowest and highest graph factor. */
    @WithDefault("0.5")
    BigDecimal floor();

    @WithDefault("2.0")
    BigDecimal cap();

    /** PageRank damping: the share of credit that follows links (the rest is spread evenly). */
    @WithDefault("0.85")
    double damping();

    /** Iteration stops when the L1 change of the credit vector is below this. */
    @WithDefault("1e-12")
    double tolerance();

    @WithDefault("200")
    int maxIterations();
}
