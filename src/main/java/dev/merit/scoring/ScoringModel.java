package dev.merit.scoring;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ContributionMetrics;

import java.util.List;

/**
 * Turns one contribution into named factors. A ScoringRun is a pure function of the contributions, the policy
 * and the model: implementations must be deterministic (no clock, no randomness, StrictMath only).
 */
public interface ScoringModel {

    record Input(String kind, String title, String body, ContributionMetrics metrics, List<ChangedFile> files) {
    }

    record Output(ContributionType type, String typeReason, List<Factor> factors) {
    }

    /** Human-readable version, e.g. "formula-v1". */
    String version();

    /** SHA-256 of everything that determines the model's output (parameters, weights files). */
    String hash();

    Output score(Input input);
}
