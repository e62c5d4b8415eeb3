package dev.merit.cli;

import java.io.OutputStream;
import java.util.Comparator;
import dev.merit.problem.ProblemException;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.FormulaModel;
import dev.merit.scoring.ScoringConfig;
import dev.merit.scoring.TypeFactor;
import dev.merit.scoring.classify.Calibration;
import dev.merit.scoring.classify.CalibrationFit;
import dev.merit.scoring.classify.Devices;
import dev.merit.scoring.classify.ModelManifest;
import dev.merit.scoring.classify.RepositoryFolds;
import dev.merit.scoring.classify.TypeClassifier;
import dev.merit.scoring.classify.TypeTrainer;
import dev.merit.scoring.train.CommitDataset;
import dev.merit.scoring.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "train", description = "Train the contribution-type classifier (DJL, PyTorch engine) on labelled "
        + "commits (JSONL from export-dataset, gzip or not), report leave-one-repository-out accuracy and macro-F1, and "
        + "write a new model directory (manifest.json with SHA-256, parameters).")
public class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "FILE", description = "JSONL datasets")
    List<Path> data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New model directory (must not hold a model)")
    Path out;

    @Option(names = "--version", paramLabel = "NAME", description = "Model version (default: commit-type-<params hash>)")
    String version;

    @Option(names = "--epochs", defaultValue = "8", description = "sgd, adagrad: passes over the data (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--optimizer", defaultValue = "lbfgs", description = "lbfgs (the L2-penalised optimum, full batch; "
            + "--l2, --iterations), sgd (what models up to v2.1 used; --epochs, --batch-size, --learning-rate) or adagrad "
            + "(default ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--l2", defaultValue = "1e-5", description = "lbfgs: L2 penalty on the feature weights "
            + "(default ${DEFAULT-VALUE})")
    float l2;

    @Option(names = "--iterations", defaultValue = "300", description = "lbfgs: at most this many steps "
            + "(default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--learning-rate", defaultValue = "8.0", description = "sgd, adagrad: learning rate (default ${DEFAULT-VALUE})")
    float learningRate;

    @Option(names = "--class-weight-power", defaultValue = "0.5", description = "Weight examples by "
            + "(N / (C x n_class))^power: 0 = plain, 1 = fully balanced (default ${DEFAULT-VALUE})")
    float classWeightPower;

    @Option(names = "--repository-weight-power", defaultValue = "0.5", description = "Weight each repository's commits "
            + "by (n_repo / mean n_repo)^(power - 1): 1 = every commit alike, 0 = every repository alike "
            + "(default ${DEFAULT-VALUE})")
    float repositoryPower;

    @Option(names = "--correction-weight", defaultValue = "5", description = "Weight of a commit whose label is a "
            + "maintainer's correction on a dispute (the \"correction\" field of export-dataset --corrections), against 1 "
            + "for an author's own prefix (default ${DEFAULT-VALUE})")
    float correctionWeight;

    @Option(names = "--recall-floor", defaultValue = "0.4", description = "Calibration lifts every type with at least "
            + "50 held-out examples to this leave-one-repository-out recall with a logit offset; 0 = no offsets "
            + "(default ${DEFAULT-VALUE})")
    double recallFloor;

    @Option(names = "--max-per-repository", defaultValue = "0", description = "Train on at most the newest N labelled "
            + "commits of each repository; 0 = all (default ${DEFAULT-VALUE})")
    int maxPerRepository;

    @Option(names = "--batch-size", defaultValue = "256", description = "sgd, adagrad: examples per step (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--buckets", defaultValue = "65536", description = "Hash buckets of the feature layer, a power of "
            + "two from 1024 to 1048576 (default ${DEFAULT-VALUE}); the model holds buckets x 10 weights")
    int buckets;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--no-cross-validation", description = "Skip the leave-one-repository-out evaluation")
    boolean skipCrossValidation;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "0", description = "Cross-validate by repository in K "
            + "groups of repositories of about equal size, each scored by a model trained on the other groups: K "
            + "models instead of one per repository (0 = leave one repository out; default ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--own-history", paramLabel = "SHARE", defaultValue = "0", description = "Also measure what "
            + "retraining on a repository's own history gives: its newest SHARE of commits (e.g. 0.2) scored by a model "
            + "trained on the other repositories, and by one that also saw its older commits (default: off)")
    double ownHistory;

    @Option(names = "--word-vectors", paramLabel = "DIR", description = "Add the subject's meaning by the pretrained "
            + "word vectors in DIR (word-vectors.bin and vocab.txt, e.g. models/word-vectors): features-v7; the "
            + "model directory gets a copy of them (default: features-v6, no word vectors)")
    java.nio.file.Path wordVectors;

    @Spec
    CommandSpec spec;

    private final ScoringConfig config;

    public TrainCommand(ScoringConfig config) {
        this.config = config;
    }

    static void checkBuckets(int buckets) {
        if (buckets < 1024 || buckets > (1 << 20) || Integer.bitCount(buckets) != 1) {
            throw ProblemException.invalid("--buckets is a power of two from 1024 to 1048576, got " + buckets + ".");
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        DatasetFiles.requireReadable(data);
        // Checked before training (hours for leave-one-repository-out), not when the model is written.
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw ProblemException.invalid(out + " is a file; --out names a new model directory.");
        }
        if (Files.exists(out.resolve(TypeClassifier.MANIFEST))) {
            throw ProblemException.invalid(out + " already holds a model; a new model goes to a new directory "
                    + "(models are versions, never replaced in place).");
        }
        if (folds < 0 || folds == 1) {
            throw ProblemException.invalid("--folds is the number of groups of repositories to hold out in turn: 0 "
                    + "(one per repository) or at least 2, got " + folds + ".");
        }
        if (ownHistory != 0 && !(ownHistory > 0 && ownHistory < 1)) {
            throw ProblemException.invalid("--own-history is the newest share of each repository's commits, between 0 "
                    + "and 1 (e.g. 0.2), got " + ownHistory + ".");
        }
        checkBuckets(buckets);
        TypeTrainer.Options options;
        try {
            options = new TypeTrainer.Options(buckets, epochs, batchSize, optimizer, learningRate, classWeightPower,
                    repositoryPower, correctionWeight, seed, Devices.resolve(device), l2, iterations);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage());
        }
        TypeTrainer trainer;
        try {
            trainer = new TypeTrainer(options, wordVectors, line -> {
                w.println(line);
                w.flush();
            });
        } catch (java.io.UncheckedIOException e) {
            throw ProblemException.invalid(e.getMessage() + ".");
        }
        CommitDataset.Loaded loaded = CommitDataset.read(data);
        w.printf("read %d commits, %d malformed lines (skipped)%n", loaded.commits().size(), loaded.malformed());
        loaded.problems().forEach(p -> w.println("  malformed: " + p));
        List<TypeTrainer.Example> examples = trainer.examples(loaded.commits());
        if (maxPerRepository > 0) {
            examples = TypeTrainer.newest(examples, maxPerRepository);
        }
        w.printf("%d labelled commits, %d without a known Conventional Commits prefix left out; device %s%n",
                examples.size(), loaded.commits().size() - examples.size(), options.device());
        Map<String, Object> evaluation = new LinkedHashMap<>();
        String summary = "";
        Calibration[] calibration = {null};
        if (!skipCrossValidation || ownHistory > 0) {
            Path work = Files.createTempDirectory("merit-train");
            try {
                if (ownHistory > 0) {
                    reportOwnHistory(trainer, examples, work, w, evaluation);
                }
                if (!skipCrossValidation) {
                    summary = reportCrossValidation(trainer, examples, folds, work, w, evaluation,
                            FormulaModel.weights(config.typeWeights()), TypeFactor.of(config.typeFactor()), calibration, recallFloor);
                }
            } finally {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        for (Path p : data) {
            dataInfo.put(p.getFileName().toString(), sha256(p));
        }
        dataInfo.put("commits", loaded.commits().size());
        dataInfo.put("labelled", examples.size());
        dataInfo.put("malformed", loaded.malformed());
        if (maxPerRepository > 0) {
            dataInfo.put("maxPerRepository", maxPerRepository);
        }
        Map<String, Integer> byRepository = new TreeMap<>();
        examples.forEach(e -> byRepository.merge(e.repo(), 1, Integer::sum));
        dataInfo.put("repositories", byRepository);
        w.println("training on all " + examples.size() + " labelled commits");
        long corrected = examples.stream().filter(e -> e.commit().corrected()).count();
        if (corrected > 0) {
            w.printf("%d commits carry a maintainer's correction (weighted %s)%n", corrected, correctionWeight);
            dataInfo.put("corrections", corrected);
        }
        ModelManifest manifest = trainer.train(examples, out, version, dataInfo, evaluation, calibration[0]);
        byte[] manifestBytes = Files.readAllBytes(out.resolve(TypeClassifier.MANIFEST));
        String hash = TypeClassifier.sha256(manifestBytes);
        w.printf("wrote %s (%s, %s)%n", out.toAbsolutePath(), manifest.version(), manifest.paramsFile());
        w.printf("use it: merit.scoring.model-dir=%s (model hash %s)%n", out, hash);
        w.printf("train n=%d%s model=%s%n", examples.size(), summary, hash);
        return 0;
    }

    /** Each repository's newest commits scored without and with its older history in training: a table, and the manifest. */
    private void reportOwnHistory(TypeTrainer trainer, List<TypeTrainer.Example> examples, Path work, PrintWriter w,
                                  Map<String, Object> evaluation) throws IOException {
        Map<String, RepositoryFolds.OwnHistory> own = trainer.ownHistory(examples, ownHistory, work);
        w.println();
        Table table = new Table("repository", "newest commits", "others only: accuracy", "macro-F1",
                "+ own older commits: accuracy", "macro-F1");
        Map<String, Object> rows = new LinkedHashMap<>();
        own.forEach((repo, r) -> {
            table.row(repo, r.withOwnHistory().evaluated(), fmt(r.othersOnly().accuracy()), macroF1(r.othersOnly()),
                    fmt(r.withOwnHistory().accuracy()), macroF1(r.withOwnHistory()));
            rows.put(repo, ordered("olderCommits", r.olderCommits(), "othersOnly", describe(r.othersOnly()),
                    "withOwnHistory", describe(r.withOwnHistory())));
        });
        table.print(w);
        double before = own.values().stream().mapToDouble(r -> r.othersOnly().accuracy()).average().orElse(0);
        double after = own.values().stream().mapToDouble(r -> r.withOwnHistory().accuracy()).average().orElse(0);
        double beforeF1 = meanMacroF1(own.values().stream().map(RepositoryFolds.OwnHistory::othersOnly));
        double afterF1 = meanMacroF1(own.values().stream().map(RepositoryFolds.OwnHistory::withOwnHistory));
        w.printf("mean on the newest commits: accuracy %s -> %s, macro-F1 %s -> %s%n%n", fmt(before), fmt(after),
                fmt(beforeF1), fmt(afterF1));
        evaluation.put("ownHistory", ordered("newestShare", ownHistory, "repositories", rows,
                "meanAccuracy", ordered("othersOnly", round(before), "withOwnHistory", round(after)),
                "meanMacroF1", ordered("othersOnly", round(beforeF1), "withOwnHistory", round(afterF1))));
    }

    /**
     * Leave-one-repository-out: a table (accuracy, macro-F1, what the errors cost in pay, calibration error), each
     * label's recall, the calibration fitted on the held-out predictions, the manifest's evaluation, and the summary
     * for the last line.
     */
    private static String reportCrossValidation(TypeTrainer trainer, List<TypeTrainer.Example> examples, int groups,
                                                Path work, PrintWriter w, Map<String, Object> evaluation,
                                                Map<ContributionType, BigDecimal> weights, TypeFactor rule,
                                                Calibration[] calibration, double recallFloor) throws IOException {
        RepositoryFolds.CrossValidation cv = trainer.crossValidate(examples, groups, work);
        CalibrationFit.Fitted fitted = CalibrationFit.fit(CalibrationFit.points(cv, examples), recallFloor);
        calibration[0] = fitted.calibration();
        // Scored as the shipped model will be: probabilities calibrated with the temperature fitted on the other
        // repositories only (so no repository's own predictions tune its calibration), the type factor by the rule.
        Map<CommitDataset.Commit, Evaluation.Guess> calibrated = CalibrationFit.heldOutCalibrated(cv, examples,
                recallFloor);
        List<CommitDataset.Commit> commits = examples.stream().map(TypeTrainer.Example::commit).toList();
        Evaluation.TypeWeightCosts costs = Evaluation.typeWeightCost(commits, ex -> calibrated.get(ex.commit()),
                weights, rule);
        Map<String, Evaluation.CalibrationCurve> eceByRepo = new TreeMap<>();
        cv.byRepository().keySet().forEach(repo -> eceByRepo.put(repo, Evaluation.calibration(
                commits.stream().filter(c -> c.repo().equals(repo)).toList(), ex -> calibrated.get(ex.commit()))));
        Evaluation.CalibrationCurve pooledCurve = Evaluation.calibration(commits, ex -> calibrated.get(ex.commit()));
        w.println();
        Table table = new Table("held-out repository", "commits", "accuracy", "macro-F1", "labels averaged",
                "same type weight", "type factor error", "ECE");
        Map<String, Object> folds = new LinkedHashMap<>();
        cv.byRepository().forEach((repo, r) -> {
            Evaluation.TypeWeightCost cost = costs.byRepository().get(repo);
            table.row(repo, r.evaluated(), fmt(r.accuracy()), macroF1(r), r.averaged().size(), fmt(cost.sameWeight()),
                    fmt(cost.meanAbsoluteError()), fmt(eceByRepo.get(repo).ece()));
            Map<String, Object> fold = describe(r);
            fold.put("typeFactorError", round(cost.meanAbsoluteError()));
            fold.put("ece", round(eceByRepo.get(repo).ece()));
            folds.put(repo, fold);
        });
        table.row("pooled", cv.pooled().evaluated(), fmt(cv.pooled().accuracy()), macroF1(cv.pooled()),
                cv.pooled().averaged().size(), fmt(costs.pooled().sameWeight()), fmt(costs.pooled().meanAbsoluteError()),
                fmt(pooledCurve.ece()));
        table.print(w);
        double meanAccuracy = cv.byRepository().values().stream().mapToDouble(Evaluation.Result::accuracy).average().orElse(0);
        // as in the own-history report: a held-out repository with no label of 50 examples has no macro-F1 to average
        double meanF1 = meanMacroF1(cv.byRepository().values().stream());
        double meanSameWeight = costs.byRepository().values().stream()
                .mapToDouble(Evaluation.TypeWeightCost::sameWeight).average().orElse(0);
        double meanCost = costs.byRepository().values().stream()
                .mapToDouble(Evaluation.TypeWeightCost::meanAbsoluteError).average().orElse(0);
        w.printf("mean over held-out repositories: accuracy %s, macro-F1 %s, same type weight %s, type factor error %s "
                + "(%s type weight)%n", fmt(meanAccuracy), fmt(meanF1), fmt(meanSameWeight), fmt(meanCost), rule.label());
        Map<String, Object> recall = new LinkedHashMap<>();
        StringBuilder recalls = new StringBuilder("recall by label, pooled:");
        for (Evaluation.LabelScore s : concat(cv.pooled().averaged(), cv.pooled().rare())) {
            recall.put(s.label(), ordered("support", s.support(), "precision", round(s.precision()),
                    "recall", round(s.recall())));
            recalls.append(' ').append(s.label()).append(' ').append(fmt(s.recall())).append(" (").append(s.support())
                    .append(')');
        }
        w.println(recalls);
        w.printf("calibration: type offsets %s, temperature %s, fitted on the held-out predictions; expected calibration "
                        + "error %s before, %s after (%s with each repository's calibration fitted on the others); unsure "
                        + "below %s (%s of the predictions)%n%n", fitted.calibration().offsets(),
                fitted.calibration().temperature(), fmt(fitted.eceBefore()),
                fmt(fitted.eceAfter()), fmt(fitted.eceHeldOut()), fitted.calibration().unsureBelow(),
                fitted.calibration().fit().get("unsureShare"));
        evaluation.put("method", (cv.leaveOneRepositoryOut() ? "leave-one-repository-out"
                : "by repository in " + cv.folds() + " groups (each repository scored by a model trained on the other groups)")
                + "; macro-F1 over labels with >= 50 true examples; type factor "
                + "error with the " + rule.label() + " type weight; ECE (10 bins) with each repository's temperature "
                + "fitted on the other repositories");
        evaluation.put("folds", folds);
        Map<String, Object> pooled = describe(cv.pooled());
        pooled.put("typeFactorError", round(costs.pooled().meanAbsoluteError()));
        pooled.put("ece", round(pooledCurve.ece()));
        pooled.put("labels", recall);
        evaluation.put("pooled", pooled);
        evaluation.put("meanAccuracy", round(meanAccuracy));
        evaluation.put("meanMacroF1", round(meanF1));
        evaluation.put("meanTypeFactorError", round(meanCost));
        // Named for what was measured: leave-one-repository-out, or cross-validation in K groups (fewer training
        // repositories per model, so lower figures that must not be read as leave-one-repository-out ones).
        String p = cv.leaveOneRepositoryOut() ? " loro_" : " cv" + cv.folds() + "_";
        return p + "accuracy=" + fmt(meanAccuracy) + p + "macro_f1=" + fmt(meanF1) + p + "type_factor_error="
                + fmt(costs.pooled().meanAbsoluteError()) + p + "ece=" + fmt(pooledCurve.ece());
    }

    private static List<Evaluation.LabelScore> concat(List<Evaluation.LabelScore> a, List<Evaluation.LabelScore> b) {
        List<Evaluation.LabelScore> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        out.sort(java.util.Comparator.comparing(Evaluation.LabelScore::label));
        return out;
    }

    /** Mean macro-F1 over the results where some label has enough examples to be averaged (others have none). */
    private static double meanMacroF1(Stream<Evaluation.Result> results) {
        return results.filter(r -> !r.averaged().isEmpty()).mapToDouble(Evaluation.Result::macroF1).average().orElse(0);
    }

    private static Map<String, Object> describe(Evaluation.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commits", r.evaluated());
        m.put("accuracy", round(r.accuracy()));
        m.put("macroF1", round(r.macroF1()));
        Map<String, Object> labels = new LinkedHashMap<>();
        for (Evaluation.LabelScore s : r.averaged()) {
            labels.put(s.label(), ordered("support", s.support(), "f1", round(s.f1())));
        }
        m.put("averagedLabels", labels);
        m.put("rareLabels", r.rare().stream().map(s -> s.label() + " (" + s.support() + ")").toList());
        return m;
    }

    /**
     * A map that keeps the given order. The manifest's hash is the model's identity, so its JSON must come out the same
     * on every run: {@code Map.of} iterates in an order that changes from one JVM start to the next.
     */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Macro-F1, or "-" when no label has the 50 true examples it takes to be averaged. */
    private static String macroF1(Evaluation.Result r) {
        return r.averaged().isEmpty() ? "-" : fmt(r.macroF1());
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return "sha256:" + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
