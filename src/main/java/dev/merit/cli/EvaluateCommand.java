package dev.merit.cli;

import dev.merit.problem.ProblemException;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.ScoringConfig;
import dev.merit.scoring.classify.ClassifierHolder;
import dev.merit.scoring.classify.Devices;
import dev.merit.scoring.classify.InvalidModelException;
import dev.merit.scoring.classify.TypeClassifier;
import dev.merit.scoring.classify.TypeTrainer;
import dev.merit.scoring.train.CommitDataset;
import dev.merit.scoring.train.Evaluation;
import dev.merit.scoring.train.HeuristicClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
        for (Path p : data) {
            if (!Files.isReadable(p)) {
                throw ProblemException.invalid("Cannot read " + p + ".");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        CommitDataset.Loaded loaded = CommitDataset.read(data);
        out.printf("read %d commits, %d malformed lines%n", loaded.commits().size(), loaded.malformed());
        loaded.problems().forEach(p -> out.println("  malformed: " + p));
        Evaluation.Result r;
        String description;
        if (heuristic) {
            r = Evaluation.evaluate(loaded.commits(), new HeuristicClassifier(), minSupport);
            description = "formula-v1 type heuristic (paths and keywords)";
        } else {
            TypeClassifier classifier = model == null ? holder.require() : load(model);
            try {
                Map<CommitDataset.Commit, ContributionType> predicted = TypeTrainer.predictTypes(classifier, loaded.commits());
                r = Evaluation.evaluate(loaded.commits(), ex -> predicted.get(ex.commit()), minSupport);
                description = classifier.version() + " (sha256 " + classifier.hash() + ", " + classifier.device() + ")";
            } finally {
                if (model != null) {
                    classifier.close();
                }
            }
        }
        out.printf("model: %s; %d commits without a known prefix left out%n%n", description, r.unlabelled());
        Table repos = new Table("repository", "commits", "accuracy");
        r.accuracyByRepo().forEach((repo, a) -> repos.row(repo, (long) a[1], fmt(a[0] / a[1])));
        repos.print(out);
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
        out.printf("%nevaluate n=%d accuracy=%s macro_f1=%s%n", r.evaluated(), fmt(r.accuracy()), fmt(r.macroF1()));
        return 0;
    }

    private TypeClassifier load(Path dir) {
        try {
            return TypeClassifier.load(dir, Devices.resolve(config.device()));
        } catch (InvalidModelException e) {
            throw new ProblemException(503, "model-unavailable", "Scoring model unavailable", e.getMessage(), null);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
