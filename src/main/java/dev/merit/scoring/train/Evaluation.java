package dev.merit.scoring.train;

import dev.merit.scoring.ContributionType;

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

    private Evaluation() {
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
