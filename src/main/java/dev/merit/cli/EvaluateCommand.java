package dev.merit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.FormulaModel;
import dev.merit.scoring.ScoringConfig;
import dev.merit.scoring.TypeFactor;
import dev.merit.scoring.classify.ClassifierHolder;
import dev.merit.scoring.classify.Devices;
import dev.merit.scoring.classify.InvalidModelException;
import dev.merit.scoring.classify.TypeClassifier;
import dev.merit.scoring.classify.TypeTrainer;
import dev.merit.scoring.train.CommitDataset;
import dev.merit.scoring.train.CommitLabels;
import dev.merit.scoring.train.Evaluation;
import dev.merit.scoring.train.HeuristicClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "evaluate", description = "Evaluate the shipped contribution-type classifier on labelled commits (JSONL, "
        + "gzip or not): labels from Conventional Commits prefixes, which the classifier does not see.")
public class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "FILE", description = "JSONL datasets")
    List<Path> data;

    @Option(names = "--min-support", defaultValue = "50", description = "Labels with fewer true examples are listed, "
            + "not averaged into macro-F1 (default ${DEFAULT-VALUE})")
    int minSupport;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: the configured one, "
            + "merit.scoring.model-dir)")
    Path model;

    @Option(names = "--predictions", paramLabel = "FILE", description = "Also write each labelled commit's prediction "
            + "to FILE, a JSON object a line (repo, sha, label, predicted, probabilities), for a closer look at the "
            + "errors")
    Path predictions;

    @Option(names = "--heuristic", description = "Evaluate formula-v1's path-and-keyword heuristic instead (the baseline)")
    boolean heuristic;

    @Spec
    CommandSpec spec;

    private final ClassifierHolder holder;
    private final ScoringConfig config;

    public EvaluateCommand(ClassifierHolder holder, ScoringConfig config) {
        this.holder = holder;
        this.config = config;
    }

    @Override
    public Integer call() throws IOException {
        DatasetFiles.requireReadable(data);
        if (minSupport < 1) {
            throw dev.merit.problem.ProblemException.invalid("--min-support is a number of examples, 1 or more; got "
                    + minSupport + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        CommitDataset.Loaded loaded = CommitDataset.read(data);
        out.printf("read %d commits, %d malformed lines%n", loaded.commits().size(), loaded.malformed());
        loaded.problems().forEach(p -> out.println("  malformed: " + p));
        Function<Evaluation.Example, Evaluation.Guess> guesses;
        String description;
        double unsureBelow = Double.NaN;
        if (heuristic) {
            HeuristicClassifier classifier = new HeuristicClassifier();
            guesses = ex -> Evaluation.Guess.certain(classifier.apply(ex));
            description = "formula-v1 type heuristic (paths and keywords)";
        } else {
            TypeClassifier classifier = model == null ? holder.require() : load(model);
            try {
                Map<CommitDataset.Commit, Evaluation.Guess> predicted = TypeTrainer.predict(classifier, loaded.commits(),
                        false);
                guesses = ex -> predicted.get(ex.commit());
                unsureBelow = classifier.calibration().unsureBelow();
                description = classifier.version() + " (sha256 " + classifier.hash() + ", " + classifier.device()
                        + ", calibration " + classifier.calibration().method()
                        + (classifier.calibration().identity() ? "" : " T=" + classifier.calibration().temperature()) + ")";
            } finally {
                if (model != null) {
                    classifier.close();
                }
            }
        }
        if (predictions != null) {
            writePredictions(loaded.commits(), guesses, predictions);
        }
        Evaluation.Result r = Evaluation.evaluate(loaded.commits(), ex -> guesses.apply(ex).type(), minSupport);
        if (r.evaluated() == 0) {
            // "accuracy=0.0000" of nothing reads as a model that is always wrong.
            throw dev.merit.problem.ProblemException.invalid("No commit with a declared type was read (" + loaded
                    .commits().size() + " commits, " + loaded.malformed() + " malformed lines): nothing to evaluate.");
        }
        Map<ContributionType, BigDecimal> weights = FormulaModel.weights(config.typeWeights());
        TypeFactor rule = TypeFactor.of(config.typeFactor());
        Evaluation.TypeWeightCosts costs = Evaluation.typeWeightCost(loaded.commits(), guesses, weights, rule);
        Evaluation.TypeWeightCosts expectedCosts = rule == TypeFactor.EXPECTED ? costs
                : Evaluation.typeWeightCost(loaded.commits(), guesses, weights, TypeFactor.EXPECTED);
        Evaluation.CalibrationCurve calibration = Evaluation.calibration(loaded.commits(), guesses);
        out.printf("model: %s; %d commits without a known prefix left out%n%n", description, r.unlabelled());
        Table repos = new Table("repository", "commits", "accuracy", "same type weight", "type factor error",
                "signed");
        r.accuracyByRepo().forEach((repo, a) -> {
            Evaluation.TypeWeightCost cost = costs.byRepository().get(repo);
            repos.row(repo, (long) a[1], fmt(a[0] / a[1]), fmt(cost.sameWeight()), fmt(cost.meanAbsoluteError()),
                    signed(cost.meanError()));
        });
        repos.print(out);
        Evaluation.TypeWeightCost pooled = costs.pooled();
        out.printf("%nIn pay, under the policy's type weights (%s):%n"
                        + "  the predicted type weighs what the declared one does: %s of the commits (accuracy %s)%n"
                        + "  type factor (%s type weight, merit.scoring.type-factor) minus the declared type's weight: "
                        + "%s on average, %s signed%n",
                weightList(weights), fmt(pooled.sameWeight()), fmt(r.accuracy()), rule.label(),
                fmt(pooled.meanAbsoluteError()), signed(pooled.meanError()));
        if (rule != TypeFactor.EXPECTED) {
            out.printf("  (with the expected type weight instead, learned-v2: %s on average, %s signed)%n",
                    fmt(expectedCosts.pooled().meanAbsoluteError()), signed(expectedCosts.pooled().meanError()));
        }
        out.println();
        Table labels = new Table("label", "support", "precision", "recall", "f1", "averaged");
        for (Evaluation.LabelScore s : r.averaged()) {
            labels.row(s.label(), s.support(), fmt(s.precision()), fmt(s.recall()), fmt(s.f1()), "yes");
        }
        for (Evaluation.LabelScore s : r.rare()) {
            labels.row(s.label(), s.support(), fmt(s.precision()), fmt(s.recall()), fmt(s.f1()), "no (rare)");
        }
        labels.print(out);
        out.println();
        printCalibration(out, calibration, unsureBelow, loaded.commits(), guesses);
        List<String> columns = new ArrayList<>();
        for (ContributionType t : ContributionType.values()) {
            columns.add(t.label());
        }
        List<String> header = new ArrayList<>(List.of("true \\ predicted"));
        header.addAll(columns);
        Table confusion = new Table(header.toArray(String[]::new));
        r.confusion().forEach((truth, row) -> {
            List<Object> cells = new ArrayList<>(List.of(truth));
            columns.forEach(c -> cells.add(row.getOrDefault(c, 0)));
            confusion.row(cells.toArray());
        });
        confusion.print(out);
        printUnlabelled(out, loaded.commits(), guesses);
        out.printf("%nevaluate n=%d accuracy=%s macro_f1=%s type_factor_error=%s ece=%s%n", r.evaluated(),
                fmt(r.accuracy()), fmt(r.macroF1()), fmt(pooled.meanAbsoluteError()), fmt(calibration.ece()));
        return 0;
    }

    /**
     * Confidence against accuracy in ten bins, the expected calibration error, and how the predictions below the
     * model's unsure threshold fared against the others.
     */
    private static void printCalibration(PrintWriter out, Evaluation.CalibrationCurve curve, double unsureBelow,
                                         List<CommitDataset.Commit> commits,
                                         Function<Evaluation.Example, Evaluation.Guess> guesses) {
        out.printf("Calibration: expected calibration error %s (10 bins; confidence = the predicted type's "
                + "probability)%n", fmt(curve.ece()));
        Table bins = new Table("confidence", "predictions", "mean confidence", "accuracy");
        for (Evaluation.Bin b : curve.bins()) {
            bins.row(String.format(Locale.ROOT, "%.1f-%.1f", b.from(), b.to()), b.count(),
                    b.count() == 0 ? "-" : fmt(b.meanConfidence()), b.count() == 0 ? "-" : fmt(b.accuracy()));
        }
        bins.print(out);
        if (!Double.isNaN(unsureBelow)) {
            int[] n = new int[2];
            int[] right = new int[2];
            for (CommitDataset.Commit c : commits) {
                CommitLabels.Labelled l = CommitLabels.of(c.message());
                if (l.label().isPresent()) {
                    Evaluation.Guess g = guesses.apply(new Evaluation.Example(l.strippedMessage(), c));
                    int k = g.confidence() < unsureBelow ? 1 : 0;
                    n[k]++;
                    right[k] += g.type() == l.label().get() ? 1 : 0;
                }
            }
            out.printf("unsure (confidence below %s, the model's threshold): %d of %d predictions (%s), accuracy %s; "
                            + "the others %s%n", fmt(unsureBelow), n[1], n[0] + n[1],
                    fmt((double) n[1] / Math.max(1, n[0] + n[1])), fmt((double) right[1] / Math.max(1, n[1])),
                    fmt((double) right[0] / Math.max(1, n[0])));
        }
        out.println();
    }

    private TypeClassifier load(Path dir) {
        try {
            return TypeClassifier.load(dir, Devices.resolve(config.device()));
        } catch (InvalidModelException e) {
            throw new ProblemException(ProblemException.Kind.UNAVAILABLE, "model-unavailable", "Scoring model unavailable", e.getMessage(), null);
        }
    }

    /**
     * What the classifier calls the commits that carry no label: for a repository that does not write Conventional
     * Commits, the only view of the model there is (no accuracy can be measured).
     */
    private static void printUnlabelled(PrintWriter out, List<CommitDataset.Commit> commits,
                                        Function<Evaluation.Example, Evaluation.Guess> guesses) {
        Map<String, Integer> byType = new TreeMap<>();
        int n = 0;
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled l = CommitLabels.of(c.message());
            if (l.label().isEmpty()) {
                Evaluation.Guess guess = guesses.apply(new Evaluation.Example(l.strippedMessage(), c));
                byType.merge(guess.type().label(), 1, Integer::sum);
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        out.printf("%nThe %d commits without a known prefix (not evaluated), as the classifier types them:%n", n);
        Table table = new Table("predicted type", "commits", "share");
        int total = n;
        byType.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> table.row(e.getKey(), e.getValue(),
                        String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / total)));
        table.print(out);
    }

    private static void writePredictions(List<CommitDataset.Commit> commits,
                                         Function<Evaluation.Example, Evaluation.Guess> guesses, Path file)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (CommitDataset.Commit c : commits) {
                CommitLabels.Labelled labelled = CommitLabels.of(c.message());
                if (labelled.label().isEmpty()) {
                    continue;
                }
                Evaluation.Guess g = guesses.apply(new Evaluation.Example(labelled.strippedMessage(), c));
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("repo", c.repo());
                line.put("sha", c.sha());
                line.put("label", labelled.label().get().label());
                line.put("predicted", g.type().label());
                Map<String, Double> probabilities = new TreeMap<>();
                g.probabilities().forEach((t, v) -> probabilities.put(t.label(), v));
                line.put("probabilities", probabilities);
                w.write(json.writeValueAsString(line));
                w.newLine();
            }
        }
    }

    /** The weights of the types a classifier predicts, e.g. "feature 1, fix 1, perf 1, refactor 0.8, ...". */
    private static String weightList(Map<ContributionType, BigDecimal> weights) {
        StringBuilder sb = new StringBuilder();
        for (ContributionType t : TypeTrainer.LABELS) {
            sb.append(sb.isEmpty() ? "" : ", ").append(t.label()).append(' ')
                    .append(weights.get(t).stripTrailingZeros().toPlainString());
        }
        return sb.toString();
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
