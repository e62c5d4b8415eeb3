package dev.merit.scoring.train;

import dev.merit.scoring.ContributionType;
import dev.merit.scoring.TypeFactor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Accuracy, macro-F1 and the confusion matrix of a classifier on labelled commits. Labels come from the
 * Conventional Commits prefix (commits without a known one are counted and left out); the classifier sees the
 * message with the prefix removed. Macro-F1 averages the labels with at least {@code minSupport} true examples;
 * rarer ones are listed, not averaged.
 */
public final class Evaluation {

    public record LabelScore(String label, int support, int predicted, int correct, double precision, double recall,
                             double f1) {
    }

    public record Result(int evaluated, int unlabelled, double accuracy, double macroF1, List<LabelScore> averaged,
                         List<LabelScore> rare, Map<String, Map<String, Integer>> confusion,
                         Map<String, double[]> accuracyByRepo) {
    }

    /** What a classifier gets: the message without its prefix, and the commit's files. */
    public record Example(String strippedMessage, CommitDataset.Commit commit) {
    }

    /**
     * A classifier's answer for one commit: the type it predicts and its probability for each type; {@code rule}: the
     * type was decided by a rule, not by the model's probabilities (a commit that says it reverts another).
     */
    public record Guess(ContributionType type, Map<ContributionType, Double> probabilities, boolean rule) {

        public Guess(ContributionType type, Map<ContributionType, Double> probabilities) {
            this(type, probabilities, false);
        }

        /** A classifier without probabilities (the keyword heuristic): all of it on the one type. */
        public static Guess certain(ContributionType type) {
            return new Guess(type, Map.of(type, 1.0));
        }

        /** A type decided by a rule, with certainty. */
        public static Guess byRule(ContributionType type) {
            return new Guess(type, Map.of(type, 1.0), true);
        }

        /** The predicted type's probability. */
        public double confidence() {
            return probabilities.getOrDefault(type, 0.0);
        }
    }

    /**
     * What a classifier's errors cost in pay, under a policy's type weights. The learned scorer multiplies a
     * contribution's size by its type factor, made from the type probabilities ({@link TypeFactor}: the median type
     * weight, or the expected one); the type its author declared would have given that type's weight. {@code sameWeight}: the share of commits whose predicted type weighs
     * what the declared one does (by default feature and fix both weigh 1, so mistaking one for the other costs
     * nothing, while a feature taken for a chore loses 0.7 of its score). {@code meanAbsoluteError} and
     * {@code meanError}: the type factor minus the declared type's weight, averaged without and with its sign
     * (negative: the classifier underpays on average).
     */
    public record TypeWeightCost(int evaluated, double sameWeight, double meanAbsoluteError, double meanError) {
    }

    /** {@link TypeWeightCost} per repository and over all commits. */
    public record TypeWeightCosts(Map<String, TypeWeightCost> byRepository, TypeWeightCost pooled) {
    }

    private Evaluation() {
    }

    /** Ten bins of confidence (the predicted type's probability): [0, 0.1), ..., [0.9, 1]. */
    public record Bin(double from, double to, int count, double meanConfidence, double accuracy) {
    }

    /**
     * How far confidence is from accuracy: the predictions binned by confidence (10 equal-width bins), and the expected
     * calibration error, the bins' |mean confidence - accuracy| weighted by their share of the predictions.
     */
    public record CalibrationCurve(int evaluated, double ece, List<Bin> bins) {
    }

    /** The calibration of a classifier's guesses on the labelled commits (those without a known prefix are left out). */
    public static CalibrationCurve calibration(List<CommitDataset.Commit> commits, Function<Example, Guess> classifier) {
        List<double[]> points = new ArrayList<>();
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled labelled = CommitLabels.of(c.message());
            if (labelled.label().isEmpty()) {
                continue;
            }
            Guess guess = classifier.apply(new Example(labelled.strippedMessage(), c));
            points.add(new double[]{guess.confidence(), guess.type() == labelled.label().get() ? 1 : 0});
        }
        return calibration(points);
    }

    /** The calibration curve of (confidence, 1 if right else 0) pairs. */
    public static CalibrationCurve calibration(List<double[]> points) {
        int[] count = new int[10];
        double[] confidence = new double[10];
        double[] right = new double[10];
        for (double[] p : points) {
            int bin = Math.min(9, Math.max(0, (int) (p[0] * 10)));
            count[bin]++;
            confidence[bin] += p[0];
            right[bin] += p[1];
        }
        double ece = 0;
        List<Bin> bins = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            if (count[b] > 0) {
                ece += Math.abs(confidence[b] - right[b]) / points.size();
            }
            bins.add(new Bin(b / 10.0, (b + 1) / 10.0, count[b], count[b] == 0 ? 0 : confidence[b] / count[b],
                    count[b] == 0 ? 0 : right[b] / count[b]));
        }
        return new CalibrationCurve(points.size(), ece, bins);
    }

    /** As {@link #typeWeightCost(List, Function, Map, TypeFactor)} with the expected type weight (learned-v2). */
    public static TypeWeightCosts typeWeightCost(List<CommitDataset.Commit> commits, Function<Example, Guess> classifier,
                                                 Map<ContributionType, BigDecimal> weights) {
        return typeWeightCost(commits, classifier, weights, TypeFactor.EXPECTED);
    }

    /**
     * The cost in pay of a classifier's guesses on the labelled commits (those without a known prefix are left out),
     * the type factor made from its probabilities by {@code rule}, as the scorer makes it.
     */
    public static TypeWeightCosts typeWeightCost(List<CommitDataset.Commit> commits, Function<Example, Guess> classifier,
                                                 Map<ContributionType, BigDecimal> weights, TypeFactor rule) {
        Map<String, double[]> byRepo = new TreeMap<>();
        double[] all = new double[4];
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled labelled = CommitLabels.of(c.message());
            if (labelled.label().isEmpty()) {
                continue;
            }
            double declared = weights.get(labelled.label().get()).doubleValue();
            Guess guess = classifier.apply(new Example(labelled.strippedMessage(), c));
            double expected = rule.ofDoubles(guess.probabilities(), weights);
            boolean same = weights.get(guess.type()).compareTo(weights.get(labelled.label().get())) == 0;
            for (double[] sums : List.of(all, byRepo.computeIfAbsent(c.repo(), k -> new double[4]))) {
                sums[0]++;
                sums[1] += same ? 1 : 0;
                sums[2] += Math.abs(expected - declared);
                sums[3] += expected - declared;
            }
        }
        Map<String, TypeWeightCost> repos = new TreeMap<>();
        byRepo.forEach((repo, sums) -> repos.put(repo, cost(sums)));
        return new TypeWeightCosts(repos, cost(all));
    }

    private static TypeWeightCost cost(double[] sums) {
        double n = Math.max(1, sums[0]);
        return new TypeWeightCost((int) sums[0], sums[1] / n, sums[2] / n, sums[3] / n);
    }

    public static Result evaluate(List<CommitDataset.Commit> commits, Function<Example, ContributionType> classifier,
                                  int minSupport) {
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        Map<String, double[]> byRepo = new TreeMap<>();
        int evaluated = 0;
        int unlabelled = 0;
        int correct = 0;
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled labelled = CommitLabels.of(c.message());
            if (labelled.label().isEmpty()) {
                unlabelled++;
                continue;
            }
            String truth = labelled.label().get().label();
            String predicted = classifier.apply(new Example(labelled.strippedMessage(), c)).label();
            confusion.computeIfAbsent(truth, k -> new TreeMap<>()).merge(predicted, 1, Integer::sum);
            double[] repo = byRepo.computeIfAbsent(c.repo(), k -> new double[2]);
            repo[1]++;
            evaluated++;
            if (truth.equals(predicted)) {
                correct++;
                repo[0]++;
            }
        }
        Map<String, Integer> predictedCounts = new TreeMap<>();
        confusion.values().forEach(row -> row.forEach((p, n) -> predictedCounts.merge(p, n, Integer::sum)));
        List<LabelScore> averaged = new ArrayList<>();
        List<LabelScore> rare = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> row : confusion.entrySet()) {
            String label = row.getKey();
            int support = row.getValue().values().stream().mapToInt(Integer::intValue).sum();
            int tp = row.getValue().getOrDefault(label, 0);
            int predicted = predictedCounts.getOrDefault(label, 0);
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            LabelScore score = new LabelScore(label, support, predicted, tp, precision, recall, f1);
            (support >= minSupport ? averaged : rare).add(score);
        }
        double macroF1 = averaged.stream().mapToDouble(LabelScore::f1).average().orElse(0);
        return new Result(evaluated, unlabelled, evaluated == 0 ? 0 : (double) correct / evaluated, macroF1, averaged,
                rare, confusion, byRepo);
    }
}
