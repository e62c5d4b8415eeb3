package dev.merit.cli;

import dev.merit.problem.ProblemException;
import dev.merit.scoring.ContributionType;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "evaluate", description = "Evaluate the contribution-type classifier on labelled commits (JSONL, gzip "
        + "or not): labels from Conventional Commits prefixes, which the classifier does not see.")
public class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "FILE", description = "JSONL datasets")
    List<Path> data;

    @Option(names = "--min-support", defaultValue = "50", description = "Labels with fewer true examples are listed, "
            + "not averaged into macro-F1 (default ${DEFAULT-VALUE})")
    int minSupport;

    @Spec
    CommandSpec spec;

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
        Evaluation.Result r = Evaluation.evaluate(loaded.commits(), new HeuristicClassifier(), minSupport);
        out.printf("model: formula-v1 type heuristic (paths and keywords); %d commits without a known prefix left out%n%n",
                r.unlabelled());
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

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
