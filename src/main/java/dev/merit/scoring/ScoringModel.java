package dev.merit.scoring;

import java.util.Map;
import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ContributionMetrics;

import java.util.List;

/**
 * Turns one contribution into named factors. A ScoringRun is a pure function of the contributions, the policy
 * and the model: implementations must be deterministic (no clock, no randomness, StrictMath only).
 */
public interface ScoringModel {

    /**
     * @param epochLines LINES factors the epoch adds to the contribution's own line counts before its size is taken
     *                   (lines the same author undid in another commit of the epoch); empty outside a scoring run
     * @param correction the type a maintainer gave it on a dispute, or null
     */
    record Input(String kind, String title, String body, ContributionMetrics metrics, List<ChangedFile> files,
                 List<Factor> epochLines, Correction correction) {

        public Input {
            epochLines = epochLines == null ? List.of() : epochLines;
        }

        public Input(String kind, String title, String body, ContributionMetrics metrics, List<ChangedFile> files,
                     List<Factor> epochLines) {
            this(kind, title, body, metrics, files, epochLines, null);
        }

        public Input(String kind, String title, String body, ContributionMetrics metrics, List<ChangedFile> files) {
            this(kind, title, body, metrics, files, List.of());
        }
    }

    /**
     * Why the model chose its type: the probability of every type, the features that pushed most toward the chosen
     * one, and the type the author declared (a Conventional Commits prefix), which the classifier does not see.
     * {@code confidence} is the chosen type's calibrated probability; {@code unsure} says it is below the model's
     * threshold (models/MODEL_CARD.md), where the type is about as often wrong as right: "probably", and worth a
     * dispute if it is wrong.
     */
    record Explanation(String model, Map<String, Double> typeProbabilities, List<Influence> influences,
                       String declaredType, Double confidence, Boolean unsure) {

        public Explanation(String model, Map<String, Double> typeProbabilities, List<Influence> influences,
                           String declaredType) {
            this(model, typeProbabilities, influences, declaredType, null, null);
        }
    }

    record Influence(String feature, double weight) {
    }

    /**
     * A maintainer's answer to a dispute ({@link DisputeService}): the contribution is of {@code type}, whatever a
     * model would say, for the reason given.
     */
    record Correction(ContributionType type, String why) {
    }

    record Output(ContributionType type, String typeReason, List<Factor> factors, Explanation explanation) {
        public Output(ContributionType type, String typeReason, List<Factor> factors) {
            this(type, typeReason, factors, null);
        }
    }

    /** Human-readable version, e.g. "formula-v1". */
    String version();

    /** SHA-256 of everything that determines the model's output (parameters, weights files). */
    String hash();

    /** The scoring policy applied with the model (scorer, type weights, size curve), as a canonical document. */
    Map<String, Object> policy();

    Output score(Input input);

    /** Scores many contributions at once; models that batch (the learned one) override this. */
    default List<Output> scoreAll(List<Input> inputs) {
        return inputs.stream().map(this::score).toList();
    }
}
