package dev.merit.scoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** Scoring settings ({@code merit.scoring.*}). Changing any policy setting changes the policy hash of later runs. */
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

    /** {@code learned} (the type classifier in {@link #modelDir()}) or {@code formula} (formula-v1's heuristic). */
    @WithDefault("learned")
    String model();

    /**
     * How the classifier's type probabilities become the type factor: {@code median} (scorer learned-v3, the median
     * type weight, closest to the true type's weight on average) or {@code expected} (learned-v2, the expected type
     * weight). See {@link TypeFactor}.
     */
    @WithDefault("median")
    String typeFactor();

    /** Directory of the type classifier: manifest.json and its parameters file. */
    @WithDefault("models/commit-type")
    String modelDir();

    /** If set, the model's hash must equal this (pin the version a DAO voted for). */
    Optional<String> modelSha256();

    /** auto (GPU when present, else CPU), cpu, gpu or gpu:N. */
    @WithDefault("auto")
    String device();

    /**
     * Factor for a commit on which CI (GitHub workflow_run / check_suite, GitLab pipeline) failed; commits where it
     * passed get {@link #ciSuccessFactor()}. Commits without a CI result get no CI factor.
     */
    @WithDefault("0.8")
    BigDecimal ciFailureFactor();

    @WithDefault("1.0")
    BigDecimal ciSuccessFactor();

    /**
     * Factor per repeat of the same kind of activity by the same person on the same target in one epoch: the second
     * review of one pull request counts this much, the third its square, and so on (on GitHub, replies in a review
     * thread can arrive as reviews of their own). 1 turns it off.
     */
    @WithDefault("0.5")
    BigDecimal repeatFactor();

    /**
     * Comments with fewer words of their own than this (quotes, mentions, links and emoji left out), or that are a
     * stock phrase ("thank you", "same here", "any update"), are reactions, not contributions: factor 0. 0 pays every
     * comment its points.
     */
    @WithDefault("3")
    int trivialCommentWords();

    /**
     * Factor for an issue or pull request the forge declined: an issue closed as not planned or as a duplicate (GitHub;
     * Jira resolutions such as Won't Do, Duplicate, Cannot Reproduce), a pull request or merge request closed without
     * merge. Opening such issues and pull requests in numbers was the cheap way to be paid once reactions were not. 1
     * pays them like any other; reopening, completing or merging takes the verdict back.
     */
    @WithDefault("0")
    BigDecimal declinedFactor();

    /**
     * Whether lines a contributor adds and removes again, or removes and adds back, in different commits of one epoch
     * are paid in neither commit (as lines moved within one commit are not paid). false pays each commit's lines as
     * they are, so writing code and deleting it again pays twice.
     */
    @WithDefault("true")
    boolean netUndoneLines();

    /**
     * Contributions per classifier batch. Larger batches spread the engine call and the fork/join of feature work
     * over more contributions (bench/scoring on 2 cores, same code: medians 44,000-54,000 contributions/s at 1024,
     * 64,000-103,000/s at 4096).
     */
    @WithDefault("4096")
    int batchSize();
}
