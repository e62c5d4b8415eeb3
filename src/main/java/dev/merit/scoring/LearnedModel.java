package dev.merit.scoring;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import dev.merit.ingest.ChangedFile;
import dev.merit.scoring.classify.ClassifierHolder;
import dev.merit.scoring.classify.CommitFeatures;
import dev.merit.scoring.classify.TypeClassifier;
import dev.merit.scoring.train.CommitLabels;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Score = size points x type factor, where the type factor comes from the classifier's probability of each type and
 * the policy's weights: the median type weight (learned-v3) or the expected type weight (learned-v2); see
 * {@link TypeFactor}. The classifier sees the message without its Conventional Commits prefix: a declared type is
 * shown next to the prediction but earns nothing by itself, so labelling a chore "feat:" does not pay.
 */
public final class LearnedModel implements ScoringModel {

    /**
     * learned-v2: as learned-v1, and a commit whose message says it reverts another ({@link GitRevert}) is a revert,
     * whatever the classifier would say (learned-v1 paid git's {@code Revert "..."} commits as the classifier typed
     * them, often as fixes). Runs record the scorer in their policy, so old runs keep their name and hash.
     */
    public static final String SCORER_EXPECTED = "learned-v2";
    /**
     * learned-v3: as learned-v2, with the median type weight as the type factor instead of the expected one (closer to
     * the true type's weight on average; {@link TypeFactor}). The scorer with {@code merit.scoring.type-factor=median},
     * the default; {@code expected} keeps learned-v2.
     */
    public static final String SCORER = "learned-v3";
    private static final int EXPLAINED_FEATURES = 5;

    private final ClassifierHolder holder;
    private final Map<ContributionType, BigDecimal> weights;
    private final int linearLines;
    private final int batchSize;
    private final Map<String, Object> policy;
    private final TypeFactor typeFactor;
    private final String scorer;

    /** The default scorer (learned-v3, median type weight). */
    public LearnedModel(ClassifierHolder holder, Map<String, BigDecimal> configuredWeights, int linearLines, int batchSize) {
        this(holder, configuredWeights, linearLines, batchSize, TypeFactor.MEDIAN);
    }

    public LearnedModel(ClassifierHolder holder, Map<String, BigDecimal> configuredWeights, int linearLines, int batchSize,
                        TypeFactor typeFactor) {
        if (linearLines <= 0) {
            throw new IllegalArgumentException("merit.scoring.linear-lines must be positive, got " + linearLines);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("merit.scoring.batch-size must be positive, got " + batchSize);
        }
        this.holder = holder;
        this.weights = FormulaModel.weights(configuredWeights);
        this.linearLines = linearLines;
        this.batchSize = batchSize;
        this.typeFactor = typeFactor;
        this.scorer = typeFactor == TypeFactor.MEDIAN ? SCORER : SCORER_EXPECTED;
        this.policy = FormulaModel.policy(scorer, weights, linearLines);
    }

    @Override
    public String version() {
        return scorer + "/" + holder.require().version();
    }

    @Override
    public String hash() {
        return holder.require().hash();
    }

    @Override
    public Map<String, Object> policy() {
        return policy;
    }

    @Override
    public Output score(Input input) {
        return scoreAll(List.of(input)).get(0);
    }

    @Override
    public List<Output> scoreAll(List<Input> inputs) {
        TypeClassifier classifier = holder.require();
        List<Output> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<Input> slice = inputs.subList(from, Math.min(inputs.size(), from + batchSize));
            Output[] outputs = new Output[slice.size()];
            // Merges, reviews, issues and comments are what their source says they are: no classifier work for them.
            List<Integer> classified = new ArrayList<>(slice.size());
            for (int i = 0; i < slice.size(); i++) {
                Input in = slice.get(i);
                Optional<ContributionType> own = ContributionType.ofKind(in.kind());
                Optional<String> revert = own.isPresent() ? Optional.empty()
                        : GitRevert.of(in.title(), in.body());
                if (in.correction() != null && own.isEmpty()) {
                    // A maintainer's answer to a dispute: the type, without asking the model.
                    outputs[i] = typed(in, in.correction().type(), in.correction().why(), in.correction().why());
                } else if (own.isPresent()) {
                    outputs[i] = ownType(in, own.get());
                } else if (revert.isPresent()) {
                    // A revert's lines undo work, they are not new work: the revert weight, without asking the model.
                    outputs[i] = typed(in, ContributionType.REVERT, "revert (" + revert.get() + ")",
                            "revert: " + revert.get());
                } else {
                    classified.add(i);
                }
            }
            // Features and factors are per contribution and independent: computed on all cores, kept in input order.
            CommitFeatures.Vector[] vectors = new CommitFeatures.Vector[classified.size()];
            String[] declared = new String[classified.size()];
            IntStream.range(0, classified.size()).parallel().forEach(k -> {
                Input in = slice.get(classified.get(k));
                CommitLabels.Labelled labelled = CommitLabels.of(message(in));
                declared[k] = labelled.label().map(ContributionType::label).orElse(null);
                vectors[k] = classifier.features().vector(labelled.strippedMessage(), files(in.files()));
            });
            long inferenceStart = System.nanoTime();
            float[][] probabilities = classifier.probabilities(Arrays.asList(vectors));
            Metrics.timer("merit.model.inference", "model", classifier.version())
                    .record(System.nanoTime() - inferenceStart, TimeUnit.NANOSECONDS);
            DistributionSummary.builder("merit.model.batch.size")
                    .description("Contributions per classifier batch").tag("model", classifier.version())
                    .register(Metrics.globalRegistry).record(vectors.length);
            IntStream.range(0, classified.size()).parallel().forEach(k -> outputs[classified.get(k)] =
                    output(slice.get(classified.get(k)), classifier.explain(vectors[k], probabilities[k], EXPLAINED_FEATURES),
                            declared[k], classifier.version()));
            out.addAll(Arrays.asList(outputs));
        }
        return out;
    }

    /** The whole commit message when the source has it (git: subject and body), else the title. */
    private static String message(Input in) {
        return in.body() != null && !in.body().isBlank() ? in.body() : (in.title() == null ? "" : in.title());
    }

    private Output ownType(Input input, ContributionType type) {
        String why = type == ContributionType.MERGE ? "merge commit (its changes are credited to the merged commits)"
                : type.label() + " (from the source)";
        return typed(input, type, why, type == ContributionType.MERGE ? "merge commit" : "from the source");
    }

    /** Size points times the policy's weight of a type known without the classifier (no explanation to give). */
    private Output typed(Input input, ContributionType type, String factorDetail, String reason) {
        List<Factor> factors = FormulaModel.lineFactors(input);
        factors.add(FormulaModel.sizeFactor(Factor.effectiveLines(factors), linearLines));
        factors.add(Factor.multiply("type", weights.get(type), factorDetail));
        return new Output(type, reason, factors, null);
    }

    private Output output(Input input, TypeClassifier.Prediction p, String declared, String modelVersion) {
        List<Factor> factors = FormulaModel.lineFactors(input);
        factors.add(FormulaModel.sizeFactor(Factor.effectiveLines(factors), linearLines));
        Map<ContributionType, BigDecimal> probabilities = new java.util.EnumMap<>(ContributionType.class);
        for (Map.Entry<String, Double> e : p.probabilities().entrySet()) {
            // Probabilities are already rounded to millionths; as an exact decimal: round(p x 10^6) / 10^6.
            probabilities.put(ContributionType.ofLabel(e.getKey()), BigDecimal.valueOf(Math.round(e.getValue() * 1e6),
                    Factor.SCALE));
        }
        BigDecimal factor = typeFactor.of(probabilities, weights);
        boolean median = typeFactor == TypeFactor.MEDIAN;
        StringBuilder detail = new StringBuilder(median ? "median type weight: " : "expected type weight:");
        if (median) {
            detail.append(TypeFactor.median(probabilities, weights, factor, p.type()));
            if (p.unsure()) {
                detail.append("; unsure: ").append(p.type().label()).append(" at ")
                        .append(Math.round(p.confidence() * 100)).append('%');
            }
        } else {
            int shown = 0;
            for (Map.Entry<String, Double> e : p.probabilities().entrySet()) {
                ContributionType type = ContributionType.ofLabel(e.getKey());
                if (shown++ < 3) {
                    detail.append(shown == 1 ? " " : " + ").append(e.getKey()).append(' ')
                            .append(probabilities.get(type).stripTrailingZeros().toPlainString()).append(" x ")
                            .append(weights.get(type).stripTrailingZeros().toPlainString());
                }
            }
            if (shown > 3) {
                detail.append(" + ").append(shown - 3).append(" less likely types");
            }
        }
        detail.append(" (").append(modelVersion).append(")");
        factors.add(Factor.multiply("type", factor, detail.toString()));
        List<Influence> influences = p.influences().stream().map(f -> new Influence(f.feature(), f.weight())).toList();
        String reason = "classifier " + modelVersion + ": " + p.type().label() + " "
                + Math.round(p.probability(p.type()) * 100) + "%";
        return new Output(p.type(), reason, factors, new Explanation(modelVersion, p.probabilities(), influences, declared,
                p.confidence(), p.unsure()));
    }

    private static List<CommitFeatures.FileChange> files(List<ChangedFile> files) {
        return files.stream().map(f -> new CommitFeatures.FileChange(f.path, f.linesAdded, f.linesDeleted)).toList();
    }
}
