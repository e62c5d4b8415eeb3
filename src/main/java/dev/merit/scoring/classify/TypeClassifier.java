package dev.merit.scoring.classify;

import java.io.ByteArrayInputStream;
import java.util.Locale;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.merit.scoring.ContributionType;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contribution-type classifier: a {@link HashedLinearBlock} on DJL's PyTorch engine, loaded from a model
 * directory ({@code manifest.json} + parameters) whose SHA-256 must match, and run in batches through one
 * Predictor. A row is padded to a width fixed by its own feature count ({@link #width}), never by the rest of its
 * batch, so a contribution's probabilities do not depend on what else is in its batch: same inputs, same model,
 * same bits on the CPU.
 */
public final class TypeClassifier implements AutoCloseable {

    public static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Why a feature is in an explanation: its push toward the predicted type. */
    public record Influence(String feature, double weight) {
    }

    /**
     * A prediction with its reasons: every type's probability, and the features that moved it most; its confidence (the
     * predicted type's calibrated probability) and whether that is below the model's unsure threshold.
     */
    public record Prediction(ContributionType type, Map<String, Double> probabilities, List<Influence> influences,
                             double confidence, boolean unsure) {
        public double probability(ContributionType t) {
            return probabilities.getOrDefault(t.label(), 0.0);
        }
    }

    private final ModelManifest manifest;
    private final String hash;
    private final Model model;
    private final Predictor<List<CommitFeatures.Vector>, float[][]> predictor;
    private final CommitFeatures features;
    private final List<ContributionType> labels;
    private final float[] weights;
    private final Calibration calibration;

    private TypeClassifier(ModelManifest manifest, String hash, Model model, HashedLinearBlock block,
                           WordVectors vectors) {
        this.manifest = manifest;
        this.hash = hash;
        this.model = model;
        this.features = CommitFeatures.of(manifest.features(), manifest.buckets(), vectors);
        this.labels = manifest.labels().stream().map(l -> ContributionType.valueOf(l.toUpperCase(Locale.ROOT))).toList();
        this.calibration = manifest.calibrationOrNone();
        this.weights = centered(block.weight().getArray().toFloatArray(), labels.size(), calibration.temperature());
        float[] offsets = new float[labels.size()];
        for (int c = 0; c < offsets.length; c++) {
            offsets[c] = calibration.offsets().getOrDefault(labels.get(c).label(), 0.0).floatValue();
        }
        this.predictor = model.newPredictor(new Translator(calibration, offsets));
    }

    /** Loads and verifies a model directory; any problem is an {@link InvalidModelException} that says what and where. */
    public static TypeClassifier load(Path dir, Device device) {
        Path manifestFile = dir.resolve(MANIFEST);
        byte[] manifestBytes;
        try {
            manifestBytes = Files.readAllBytes(manifestFile);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("no model at " + dir.toAbsolutePath() + ": " + MANIFEST + " is missing");
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + manifestFile.toAbsolutePath() + ": " + e.getMessage());
        }
        ModelManifest manifest;
        try {
            manifest = JSON.readValue(manifestBytes, ModelManifest.class);
        } catch (IOException e) {
            throw new InvalidModelException(manifestFile.toAbsolutePath() + " is not a model manifest: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!CommitFeatures.VERSIONS.contains(manifest.features())) {
            throw new InvalidModelException("model " + manifest.version() + " was trained on " + manifest.features()
                    + " but this Merit computes " + String.join(" and ", CommitFeatures.VERSIONS)
                    + "; retrain it with `train`");
        }
        Path params = dir.resolve(manifest.paramsFile());
        byte[] paramBytes;
        try {
            paramBytes = Files.readAllBytes(params);
        } catch (IOException e) {
            throw new InvalidModelException("model " + manifest.version() + ": cannot read its parameters "
                    + params.toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")");
        }
        String actual = sha256(paramBytes);
        if (!actual.equals(manifest.paramsSha256())) {
            throw new InvalidModelException("model " + manifest.version() + ": " + params.toAbsolutePath()
                    + " has SHA-256 " + actual + " but the manifest says " + manifest.paramsSha256()
                    + "; the file is corrupt or was replaced. Restore it, or train and publish a new version.");
        }
        WordVectors vectors = wordVectors(dir, manifest);
        HashedLinearBlock block = new HashedLinearBlock(manifest.buckets(), manifest.labels().size());
        Model model = Model.newInstance(manifest.name(), device, "PyTorch");
        try (InputStream in = new BufferedInputStream(new ByteArrayInputStream(paramBytes))) {
            model.setBlock(block);
            block.loadParameters(model.getNDManager(), new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new InvalidModelException("model " + manifest.version() + ": parameters do not load: " + e.getMessage());
        }
        try {
            return new TypeClassifier(manifest, sha256(manifestBytes), model, block, vectors);
        } catch (IllegalArgumentException e) { // features the manifest names wrongly (too few buckets for its vectors)
            model.close();
            throw new InvalidModelException("model " + manifest.version() + ": " + e.getMessage());
        }
    }

    /** features-v7's word vectors, each file checked against the manifest's SHA-256; null for earlier features. */
    private static WordVectors wordVectors(Path dir, ModelManifest manifest) {
        if (!CommitFeatures.V7.equals(manifest.features())) {
            return null;
        }
        Map<String, String> expected = manifest.wordVectors() == null ? Map.of() : manifest.wordVectors();
        try {
            Map<String, byte[]> files = WordVectors.files(dir); // read once: checked, then parsed
            Map<String, String> actuals = WordVectors.sha256s(files);
            for (String file : List.of(WordVectors.TABLE, WordVectors.VOCABULARY)) {
                String actual = actuals.get(file);
                if (!actual.equals(expected.get(file))) {
                    throw new InvalidModelException("model " + manifest.version() + ": "
                            + dir.resolve(file).toAbsolutePath() + " has SHA-256 " + actual + " but the manifest says "
                            + expected.get(file) + "; the file is corrupt or was replaced. Restore it, or train and "
                            + "publish a new version.");
                }
            }
            return WordVectors.parse(dir, files);
        } catch (IOException e) {
            throw new InvalidModelException("model " + manifest.version() + ": cannot read its word vectors in "
                    + dir.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** SHA-256 of the manifest, which holds the SHA-256 of the parameters: one hash for the whole model. */
    public String hash() {
        return hash;
    }

    public String version() {
        return manifest.version();
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    public CommitFeatures features() {
        return features;
    }

    /** How the probabilities are calibrated, and the unsure threshold. */
    public Calibration calibration() {
        return calibration;
    }

    /** Class probabilities, one row per input, in {@link ModelManifest#labels()} order. */
    public synchronized float[][] probabilities(List<CommitFeatures.Vector> batch) {
        float[][] out = new float[batch.size()][];
        if (batch.isEmpty()) {
            return out;
        }
        // One forward pass per padding width present: most contributions have a few dozen features, and padding them
        // all to 256 made the gather several times larger than the work.
        int[] tierOf = new int[batch.size()];
        int[] counts = new int[WIDTHS.length];
        for (int i = 0; i < tierOf.length; i++) {
            tierOf[i] = tier(batch.get(i).size());
            counts[tierOf[i]]++;
        }
        for (int t = 0; t < WIDTHS.length; t++) {
            if (counts[t] == 0) {
                continue;
            }
            List<CommitFeatures.Vector> rows = new ArrayList<>(counts[t]);
            int[] at = new int[counts[t]];
            for (int i = 0, k = 0; i < tierOf.length; i++) {
                if (tierOf[i] == t) {
                    rows.add(batch.get(i));
                    at[k++] = i;
                }
            }
            float[][] p;
            try {
                p = predictor.predict(rows);
            } catch (TranslateException e) {
                throw new IllegalStateException("type classifier failed on a batch of " + rows.size(), e);
            }
            for (int k = 0; k < at.length; k++) {
                out[at[k]] = p[k];
            }
        }
        return out;
    }

    /** Padding widths: a row of n features is padded to the smallest width that holds it (v7 adds up to 256). */
    private static final int[] WIDTHS = {32, 64, 128, CommitFeatures.MAX_FEATURES, 2 * CommitFeatures.MAX_FEATURES};

    private static int tier(int features) {
        int t = 0;
        while (WIDTHS[t] < features) {
            t++;
        }
        return t;
    }

    /** The padded width of a row with this many features: depends on the row alone. */
    static int width(int features) {
        return WIDTHS[tier(features)];
    }

    public List<Prediction> predict(List<CommitFeatures.Vector> batch, int explain) {
        float[][] probabilities = probabilities(batch);
        List<Prediction> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(explain(batch.get(i), probabilities[i], explain));
        }
        return out;
    }

    /**
     * The prediction for one row: the most probable type, and the {@code top} features that pushed most toward it.
     * A feature's push is its weight for the predicted type minus its mean weight over all types (softmax ignores
     * the mean), times the feature's input weight.
     */
    public Prediction explain(CommitFeatures.Vector v, float[] probabilities, int top) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        Map<String, Double> byLabel = new LinkedHashMap<>();
        // Types by probability, highest first, ties in label order (insertion sort: ten primitives, no boxing).
        int[] order = new int[probabilities.length];
        for (int c = 0; c < order.length; c++) {
            int at = c;
            while (at > 0 && probabilities[order[at - 1]] < probabilities[c]) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = c;
        }
        for (int c : order) {
            byLabel.put(labels.get(c).label(), round(probabilities[c]));
        }
        int classes = labels.size();
        // Top features by push, kept in a small sorted array: no allocation per feature.
        int[] topIndex = new int[Math.max(0, top)];
        double[] topPush = new double[topIndex.length];
        int kept = 0;
        int meaningAt = v.names().indexOf(FeaturesV7.MEANING); // features-v7: its entries are one push, at the first
        double meaning = 0;
        for (int i = meaningAt < 0 ? v.size() : meaningAt; i < v.size(); i++) {
            meaning += (double) v.weights()[i] * weights[v.buckets()[i] * classes + best];
        }
        for (int i = 0; i < (meaningAt < 0 ? v.size() : meaningAt + 1) && top > 0; i++) {
            double push = i == meaningAt ? meaning : (double) v.weights()[i] * weights[v.buckets()[i] * classes + best];
            if (push <= 0 || (kept == top && push <= topPush[kept - 1])) {
                continue;
            }
            int at = kept == top ? kept - 1 : kept++;
            while (at > 0 && topPush[at - 1] < push) {
                topPush[at] = topPush[at - 1];
                topIndex[at] = topIndex[at - 1];
                at--;
            }
            topPush[at] = push;
            topIndex[at] = i;
        }
        List<Influence> influences = new ArrayList<>(kept);
        for (int k = 0; k < kept; k++) {
            influences.add(new Influence(v.names().get(topIndex[k]), round(topPush[k])));
        }
        double confidence = round(probabilities[best]);
        return new Prediction(labels.get(best), byLabel, List.copyOf(influences), confidence,
                confidence < calibration.unsureBelow());
    }

    /**
     * Each bucket's weights minus their mean over the classes (softmax ignores that mean), divided by the calibration
     * temperature: a feature's push on the calibrated logits.
     */
    private static float[] centered(float[] w, int classes, double temperature) {
        float[] out = new float[w.length];
        for (int row = 0; row < w.length; row += classes) {
            double mean = 0;
            for (int c = 0; c < classes; c++) {
                mean += w[row + c];
            }
            mean /= classes;
            for (int c = 0; c < classes; c++) {
                out[row + c] = (float) ((w[row + c] - mean) / temperature);
            }
        }
        return out;
    }

    public List<ContributionType> labels() {
        return labels;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Rows padded with bucket 0 and weight 0 to {@code width} columns (at least the longest row). Trailing zero terms
     * do not change a row's sums, and the width depends only on the row's own size at inference, so each row is
     * computed the same way in any batch.
     */
    static NDList encode(NDManager manager, List<CommitFeatures.Vector> batch, int width) {
        int k = width;
        long[] ids = new long[batch.size() * k];
        float[] ws = new float[batch.size() * k];
        for (int r = 0; r < batch.size(); r++) {
            CommitFeatures.Vector v = batch.get(r);
            if (v.size() > k) {
                throw new IllegalArgumentException("a row of " + v.size() + " features does not fit width " + k);
            }
            for (int i = 0; i < v.size(); i++) {
                ids[r * k + i] = v.buckets()[i];
            }
            System.arraycopy(v.weights(), 0, ws, r * k, v.size());
        }
        Shape shape = new Shape(batch.size(), k);
        return new NDList(manager.create(ids, shape), manager.create(ws, shape));
    }

    private static final class Translator implements NoBatchifyTranslator<List<CommitFeatures.Vector>, float[][]> {
        private final Calibration calibration;
        private final float[] offsets;

        Translator(Calibration calibration, float[] offsets) {
            this.calibration = calibration;
            this.offsets = offsets;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, List<CommitFeatures.Vector> input) {
            int widest = 0;
            for (CommitFeatures.Vector v : input) {
                widest = Math.max(widest, v.size());
            }
            return encode(ctx.getNDManager(), input, width(widest));
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray logits = list.singletonOrThrow().toType(DataType.FLOAT32, false);
            // An uncalibrated model's logits are not divided at all: the same bits as before calibration existed.
            if (!calibration.identity()) {
                logits = logits.add(ctx.getNDManager().create(offsets)).div((float) calibration.temperature());
            }
            NDArray probabilities = logits.softmax(1);
            int rows = (int) probabilities.getShape().get(0);
            int classes = (int) probabilities.getShape().get(1);
            float[] flat = probabilities.toFloatArray();
            float[][] out = new float[rows][classes];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat, r * classes, out[r], 0, classes);
            }
            return out;
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
