package dev.merit.scoring.classify;

import dev.merit.audit.Progress;
import org.jboss.logging.Logger;
import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Locale;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.merit.scoring.ContributionType;
import dev.merit.scoring.train.CommitDataset;
import dev.merit.scoring.train.CommitLabels;
import dev.merit.scoring.train.Evaluation;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Trains the contribution-type classifier with DJL's Trainer on the PyTorch engine: softmax cross-entropy, SGD,
 * fixed seed, labels from Conventional Commits prefixes (the prefix removed from the input). Evaluates
 * leave-one-repository-out: for each repository, a model trained on all the others is scored on it.
 */
public final class TypeTrainer {

    /** Training settings; part of the manifest, so a model says how it was made. */
    public record Options(int buckets, int epochs, int batchSize, String optimizer, float learningRate,
                          float classWeightPower, int seed, Device device) {
        public Options {
            if (!optimizer.equals("sgd") && !optimizer.equals("adagrad")) {
                throw new IllegalArgumentException("optimizer must be sgd or adagrad, got '" + optimizer + "'");
            }
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs, batch size and learning rate must be positive");
            }
            if (!(classWeightPower >= 0 && classWeightPower <= 1)) {
                throw new IllegalArgumentException("class weight power must be between 0 and 1");
            }
        }

        /**
         * Plain SGD on mean batch loss: common features learn fast, words seen in one repository barely move, which
         * is what carries over to unseen repositories (Adagrad gives rare words full steps and overfits them).
         */
        public static Options defaults(Device device) {
            return new Options(1 << 16, 8, 32, "sgd", 1.0f, 0.5f, 7, device);
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("engine", "PyTorch (DJL Trainer)");
            m.put("block", "HashedLinearBlock");
            m.put("loss", "softmax cross-entropy");
            m.put("optimizer", optimizer);
            m.put("learningRate", learningRate);
            m.put("classWeights", "(N / (C x n_class))^" + classWeightPower);
            m.put("epochs", epochs);
            m.put("batchSize", batchSize);
            m.put("seed", seed);
            return m;
        }
    }

    /** One labelled example. */
    public record Example(String repo, ContributionType label, CommitFeatures.Vector vector, CommitDataset.Commit commit) {
    }

    /** Leave-one-repository-out results: one evaluation per held-out repository, and all of them pooled. */
    public record CrossValidation(Map<String, Evaluation.Result> byRepository, Evaluation.Result pooled,
                                  Map<CommitDataset.Commit, Evaluation.Guess> predictions) {
    }

    public static final List<ContributionType> LABELS = List.of(ContributionType.FEATURE, ContributionType.FIX,
            ContributionType.DOCS, ContributionType.TEST, ContributionType.REFACTOR, ContributionType.PERF,
            ContributionType.BUILD, ContributionType.CHORE, ContributionType.STYLE, ContributionType.REVERT);

    private final Options options;
    private final CommitFeatures features;
    private final Consumer<String> log;

    public TypeTrainer(Options options, Consumer<String> log) {
        this.options = options;
        this.features = new CommitFeatures(options.buckets());
        this.log = log;
    }

    /** The labelled commits, featurized; unlabelled ones are skipped (the caller counts them). */
    public List<Example> examples(List<CommitDataset.Commit> commits) {
        List<Example> out = new ArrayList<>();
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled labelled = CommitLabels.of(c.message());
            if (labelled.label().isEmpty() || !LABELS.contains(labelled.label().get())) {
                continue;
            }
            out.add(new Example(c.repo(), labelled.label().get(), features.vector(labelled.strippedMessage(), files(c)), c));
        }
        return out;
    }

    public static List<CommitFeatures.FileChange> files(CommitDataset.Commit c) {
        return c.files().stream().map(f -> new CommitFeatures.FileChange(f.path(), f.added(), f.deleted())).toList();
    }

    /**
     * Trains on the examples and writes a model directory (manifest + parameters); returns the manifest. Without a
     * version, the model is named after its parameters' hash, so different weights can never share a version.
     */
    public ModelManifest train(List<Example> examples, Path dir, String version, Map<String, Object> data,
                               Map<String, Object> evaluation) throws IOException {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no labelled commits to train on");
        }
        Engine.getInstance().setRandomSeed(options.seed());
        HashedLinearBlock block = new HashedLinearBlock(options.buckets(), LABELS.size());
        try (Model model = Model.newInstance("commit-type", options.device(), "PyTorch")) {
            model.setBlock(block);
            List<Double> losses = new ArrayList<>();
            DefaultTrainingConfig config = new DefaultTrainingConfig(new WeightedSoftmaxLoss())
                    .optInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT)
                    .optOptimizer(options.optimizer().equals("sgd")
                            ? Optimizer.sgd().setLearningRateTracker(Tracker.fixed(options.learningRate())).build()
                            : new DenseAdagrad(options.learningRate()))
                    .optDevices(new Device[]{options.device()});
            try (Trainer trainer = model.newTrainer(config); NDManager manager = model.getNDManager().newSubManager()) {
                Shape shape = new Shape(options.batchSize(), CommitFeatures.MAX_FEATURES);
                trainer.initialize(shape, shape);
                skipSignedGradientCheck(trainer);
                ArrayDataset dataset = dataset(manager, examples);
                Progress progress = Progress.start(Logger.getLogger(TypeTrainer.class), "Training on "
                        + examples.size() + " commits", "epochs", options.epochs());
                for (int epoch = 0; epoch < options.epochs(); epoch++) {
                    double sum = 0;
                    int batches = 0;
                    for (Batch batch : trainer.iterateDataset(dataset)) {
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(batch.getData(), batch.getLabels());
                            NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                            collector.backward(loss);
                            sum += loss.getFloat();
                        }
                        trainer.step();
                        batch.close();
                        batches++;
                    }
                    losses.add(sum / Math.max(1, batches));
                    log.accept(String.format(Locale.ROOT, "epoch %d/%d: %d batches, mean loss %.4f",
                            epoch + 1, options.epochs(), batches, sum / Math.max(1, batches)));
                    progress.advance(1);
                }
                progress.finish();
            } catch (TranslateException e) {
                throw new IllegalStateException("training failed", e);
            }
            Map<String, Object> training = new LinkedHashMap<>(options.describe());
            training.put("examples", examples.size());
            training.put("epochLoss", losses.stream().map(l -> Math.round(l * 1e4) / 1e4).toList());
            return write(block, dir, version, training, data, evaluation);
        }
    }

    /**
     * DJL's Trainer refuses its first step when the signed sum of all gradients is exactly 0, meant to catch a loss
     * that was never back-propagated. For a softmax layer that sum is 0 by construction (each example's gradient over
     * the classes adds up to 0), so the check passes only when float rounding leaves a residue: on some datasets
     * training failed at step 1 with "Gradient values are all zeros". The loss here is always back-propagated (see
     * {@link #train}), so the check is marked done. Without the field (another DJL version) the check stays.
     */
    private static void skipSignedGradientCheck(Trainer trainer) {
        try {
            Field checked = Trainer.class.getDeclaredField("gradientsChecked");
            checked.setAccessible(true);
            checked.setBoolean(trainer, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Keep DJL's check; training still works whenever rounding leaves a non-zero sum.
        }
    }

    private ModelManifest write(HashedLinearBlock block, Path dir, String version, Map<String, Object> training,
                                Map<String, Object> data,
                                Map<String, Object> evaluation) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        byte[] params = bytes.toByteArray();
        String sha = TypeClassifier.sha256(params);
        if (version == null) {
            version = "commit-type-" + sha.substring(0, 12);
        }
        String paramsFile = version + ".params";
        Files.createDirectories(dir);
        Files.write(dir.resolve(paramsFile), params);
        ModelManifest manifest = new ModelManifest("commit-type", version, CommitFeatures.VERSION, options.buckets(),
                LABELS.stream().map(ContributionType::label).toList(), paramsFile, sha,
                training, data, evaluation);
        TypeClassifier.json().writeValue(dir.resolve(TypeClassifier.MANIFEST).toFile(), manifest);
        return manifest;
    }

    private ArrayDataset dataset(NDManager manager, List<Example> examples) {
        NDList encoded = TypeClassifier.encode(manager, examples.stream().map(Example::vector).toList(),
                CommitFeatures.MAX_FEATURES);
        long[] labels = new long[examples.size()];
        int[] counts = new int[LABELS.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = LABELS.indexOf(examples.get(i).label());
            counts[(int) labels[i]]++;
        }
        int present = 0;
        for (int c : counts) {
            present += c > 0 ? 1 : 0;
        }
        float[] weights = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            weights[i] = (float) Math.pow((double) labels.length / (present * counts[(int) labels[i]]),
                    options.classWeightPower());
        }
        NDArray y = manager.create(labels);
        NDArray w = manager.create(weights);
        return new ArrayDataset.Builder().setData(encoded.get(0), encoded.get(1)).optLabels(y, w)
                .setSampling(options.batchSize(), true).build();
    }

    /**
     * The classifier's type and probabilities for each labelled commit (prefix stripped, as in training), in batches
     * of 1024; commits without a known label are left out, as evaluation leaves them out.
     */
    public static Map<CommitDataset.Commit, Evaluation.Guess> predict(TypeClassifier classifier,
                                                                       List<CommitDataset.Commit> commits) {
        return predict(classifier, commits, true);
    }

    /** As {@link #predict(TypeClassifier, List)}; with {@code labelledOnly} false, commits without a label too. */
    public static Map<CommitDataset.Commit, Evaluation.Guess> predict(TypeClassifier classifier,
                                                                       List<CommitDataset.Commit> commits,
                                                                       boolean labelledOnly) {
        List<CommitDataset.Commit> chosen = new ArrayList<>();
        List<CommitFeatures.Vector> vectors = new ArrayList<>();
        for (CommitDataset.Commit c : commits) {
            CommitLabels.Labelled l = CommitLabels.of(c.message());
            if (l.label().isPresent() || !labelledOnly) {
                chosen.add(c);
                vectors.add(classifier.features().vector(l.strippedMessage(), files(c)));
            }
        }
        Map<CommitDataset.Commit, Evaluation.Guess> predicted = new IdentityHashMap<>();
        for (int from = 0; from < chosen.size(); from += 1024) {
            int to = Math.min(chosen.size(), from + 1024);
            List<TypeClassifier.Prediction> p = classifier.predict(vectors.subList(from, to), 0);
            for (int i = from; i < to; i++) {
                TypeClassifier.Prediction prediction = p.get(i - from);
                Map<ContributionType, Double> probabilities = new EnumMap<>(ContributionType.class);
                prediction.probabilities().forEach((label, probability) ->
                        probabilities.put(ContributionType.ofLabel(label), probability));
                predicted.put(chosen.get(i), new Evaluation.Guess(prediction.type(), probabilities));
            }
        }
        return predicted;
    }

    /** For each repository: train on the others, evaluate on it. Also pools the held-out predictions. */
    public CrossValidation leaveOneRepositoryOut(List<Example> all, Path work) throws IOException {
        TreeSet<String> repos = new TreeSet<>();
        all.forEach(e -> repos.add(e.repo()));
        if (repos.size() < 2) {
            throw new IllegalArgumentException("leave-one-repository-out needs at least 2 repositories, the data has "
                    + repos.size());
        }
        Map<CommitDataset.Commit, Evaluation.Guess> predicted = new IdentityHashMap<>();
        Map<String, Evaluation.Result> byRepo = new TreeMap<>();
        for (String held : repos) {
            List<Example> train = all.stream().filter(e -> !e.repo().equals(held)).toList();
            List<Example> test = all.stream().filter(e -> e.repo().equals(held)).toList();
            log.accept("fold " + held + ": training on " + train.size() + ", testing on " + test.size());
            Map<CommitDataset.Commit, Evaluation.Guess> fold = trainAndPredict(train, test, work.resolve("fold-" + safe(held)));
            predicted.putAll(fold);
            Evaluation.Result result = Evaluation.evaluate(test.stream().map(Example::commit).toList(),
                    ex -> fold.get(ex.commit()).type(), 50);
            log.accept(String.format("fold %s: accuracy %.4f macro-F1 %.4f", held, result.accuracy(), result.macroF1()));
            byRepo.put(held, result);
        }
        Evaluation.Result pooled = Evaluation.evaluate(all.stream().map(Example::commit).toList(),
                ex -> predicted.get(ex.commit()).type(), 50);
        return new CrossValidation(byRepo, pooled, predicted);
    }

    /** One repository's newest commits scored by a model that never saw the repository, and by one that saw its past. */
    public record OwnHistory(int olderCommits, Evaluation.Result othersOnly, Evaluation.Result withOwnHistory) {
    }

    /**
     * What a DAO gets by retraining on its own history: for each repository, its newest {@code share} of labelled
     * commits (by author time) are scored by a model trained on the other repositories only, and by one trained on
     * the other repositories plus this repository's older commits. Forward in time, as adoption would be.
     */
    public Map<String, OwnHistory> ownHistory(List<Example> all, double share, Path work) throws IOException {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("the newest share must be between 0 and 1, got " + share);
        }
        TreeSet<String> repos = new TreeSet<>();
        all.forEach(e -> repos.add(e.repo()));
        Map<String, OwnHistory> out = new TreeMap<>();
        for (String repo : repos) {
            List<Example> own = new ArrayList<>(all.stream().filter(e -> e.repo().equals(repo)).toList());
            own.sort(Comparator.comparingLong(e -> e.commit().time()));
            int cut = (int) Math.round(own.size() * (1 - share));
            List<Example> older = own.subList(0, cut);
            List<Example> newest = own.subList(cut, own.size());
            List<Example> others = all.stream().filter(e -> !e.repo().equals(repo)).toList();
            if (newest.isEmpty() || others.isEmpty()) {
                continue;
            }
            List<CommitDataset.Commit> test = newest.stream().map(Example::commit).toList();
            log.accept("own history " + repo + ": newest " + newest.size() + " commits; others only, then others + "
                    + older.size() + " older commits of its own");
            Map<CommitDataset.Commit, Evaluation.Guess> without = trainAndPredict(others, newest, work.resolve("others-" + safe(repo)));
            List<Example> with = new ArrayList<>(others);
            with.addAll(older);
            Map<CommitDataset.Commit, Evaluation.Guess> withOwn = trainAndPredict(with, newest, work.resolve("own-" + safe(repo)));
            OwnHistory result = new OwnHistory(older.size(), Evaluation.evaluate(test, ex -> without.get(ex.commit()).type(), 50),
                    Evaluation.evaluate(test, ex -> withOwn.get(ex.commit()).type(), 50));
            log.accept(String.format(Locale.ROOT, "own history %s: accuracy %.4f -> %.4f, macro-F1 %.4f -> %.4f",
                    repo, result.othersOnly().accuracy(), result.withOwnHistory().accuracy(),
                    result.othersOnly().macroF1(), result.withOwnHistory().macroF1()));
            out.put(repo, result);
        }
        return out;
    }

    private Map<CommitDataset.Commit, Evaluation.Guess> trainAndPredict(List<Example> train, List<Example> test, Path dir)
            throws IOException {
        train(train, dir, "fold", Map.of(), Map.of());
        try (TypeClassifier classifier = TypeClassifier.load(dir, options.device())) {
            return predict(classifier, test.stream().map(Example::commit).toList());
        }
    }

    private static String safe(String repo) {
        return repo.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
