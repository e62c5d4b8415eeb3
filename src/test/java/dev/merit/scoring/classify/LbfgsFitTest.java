package dev.merit.scoring.classify;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The full-batch L-BFGS fit of the hashed linear layer: its gradient, its optimum, and that it repeats exactly. */
class LbfgsFitTest {

    private static final int BUCKETS = 1 << 10;

    private record Problem(List<CommitFeatures.Vector> rows, int[] labels, float[] weights) {
    }

    private static Problem problem(int n) {
        TypeTrainer trainer = new TypeTrainer(options(), line -> { });
        List<TypeTrainer.Example> examples = trainer.examples(TypeClassifierTest.synthetic(n));
        int[] labels = new int[examples.size()];
        float[] weights = new float[examples.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = TypeTrainer.LABELS.indexOf(examples.get(i).label());
            weights[i] = 1 + (i % 3); // uneven weights: scaled to a mean of 1 inside
        }
        return new Problem(examples.stream().map(TypeTrainer.Example::vector).toList(), labels, weights);
    }

    private static TypeTrainer.Options options() {
        TypeTrainer.Options d = TypeTrainer.Options.defaults(Device.cpu());
        return new TypeTrainer.Options(BUCKETS, 1, 32, "lbfgs", 1f, d.classWeightPower(), d.repositoryPower(),
                d.correctionWeight(), d.seed(), Device.cpu(), 1e-3f, 200);
    }

    @Test
    void theGradientIsTheLossesSlope() {
        Problem p = problem(300);
        LbfgsFit fit = new LbfgsFit(p.rows(), p.labels(), p.weights(), BUCKETS, 10, 1e-3);
        int dim = BUCKETS * 10 + 10;
        double[] x = new double[dim];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < dim; i++) {
            x[i] = random.nextGaussian() * 0.3;
        }
        double[] g = new double[dim];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            fit.evaluate(x, g, pool);
            // Coordinates that data touch (the features of the first rows) and a bias.
            List<Integer> coordinates = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                int bucket = p.rows().get(k).buckets()[0];
                coordinates.add(bucket * 10 + p.labels()[k]);
                coordinates.add(bucket * 10 + (p.labels()[k] + 1) % 10);
            }
            coordinates.add(BUCKETS * 10 + 2);
            double[] moved = new double[dim];
            for (int at : coordinates) {
                double h = 1e-6;
                x[at] += h;
                double up = fit.evaluate(x, moved, pool);
                x[at] -= 2 * h;
                double down = fit.evaluate(x, moved, pool);
                x[at] += h;
                assertThat(g[at]).as("d loss / d x[%d]", at).isCloseTo((up - down) / (2 * h),
                        org.assertj.core.data.Offset.offset(1e-6));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSearchReachesThePenalisedOptimum() {
        Problem p = problem(600);
        LbfgsFit fit = new LbfgsFit(p.rows(), p.labels(), p.weights(), BUCKETS, 10, 1e-3);
        List<String> log = new ArrayList<>();
        LbfgsFit.Result r = fit.fit(500, log::add);
        assertThat(r.losses().get(r.losses().size() - 1)).isLessThan(r.losses().get(0) * 0.5);
        for (int i = 1; i < r.losses().size(); i++) {
            assertThat(r.losses().get(i)).as("loss never rises, step %d", i).isLessThanOrEqualTo(r.losses().get(i - 1));
        }
        double[] x = new double[BUCKETS * 10 + 10];
        System.arraycopy(r.weight(), 0, x, 0, r.weight().length);
        System.arraycopy(r.bias(), 0, x, r.weight().length, 10);
        double[] g = new double[x.length];
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            fit.evaluate(x, g, pool);
        } finally {
            pool.shutdownNow();
        }
        double norm = 0;
        for (double v : g) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).as("gradient norm at the end").isLessThan(1e-4);
        assertThat(log.get(log.size() - 1)).startsWith("L-BFGS: ");
    }

    @Test
    void sameDataGiveTheSameModelBitForBitAndItLearnsItsData(@TempDir Path dir) throws IOException {
        TypeTrainer trainer = new TypeTrainer(options(), line -> { });
        List<TypeTrainer.Example> examples = trainer.examples(TypeClassifierTest.synthetic(900));
        ModelManifest a = trainer.train(examples, dir.resolve("a"), null, Map.of(), Map.of());
        ModelManifest b = new TypeTrainer(options(), line -> { }).train(examples, dir.resolve("b"), null, Map.of(), Map.of());
        assertThat(b.paramsSha256()).isEqualTo(a.paramsSha256());
        assertThat(a.training()).containsEntry("optimizer", "lbfgs").containsKeys("l2", "iterations", "finalLoss")
                .doesNotContainKey("learningRate");
        try (TypeClassifier classifier = TypeClassifier.load(dir.resolve("a"), Device.cpu())) {
            List<TypeClassifier.Prediction> p = classifier.predict(examples.stream().map(TypeTrainer.Example::vector).toList(), 3);
            long correct = 0;
            for (int i = 0; i < p.size(); i++) {
                correct += p.get(i).type() == examples.get(i).label() ? 1 : 0;
            }
            assertThat((double) correct / p.size()).as("training accuracy").isGreaterThan(0.6);
            assertThat(p.get(0).influences()).isNotEmpty();
        }
    }

    @Test
    void settingsOutsideTheirRangeAreRefused() {
        TypeTrainer.Options d = TypeTrainer.Options.defaults(Device.cpu());
        assertThatThrownBy(() -> new TypeTrainer.Options(BUCKETS, 1, 32, "lbfgs", 1f, 0.5f, 0.5f, 5f, 7, Device.cpu(),
                0f, 10)).hasMessageContaining("l2");
        assertThatThrownBy(() -> new TypeTrainer.Options(BUCKETS, 1, 32, "lbfgs", 1f, 0.5f, 0.5f, 5f, 7, Device.cpu(),
                1e-5f, 0)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new TypeTrainer.Options(BUCKETS, 1, 32, "newton", 1f, 0.5f, 0.5f, 5f, 7, Device.cpu()))
                .hasMessageContaining("lbfgs, sgd or adagrad");
        assertThat(d.l2()).isEqualTo(TypeTrainer.Options.DEFAULT_L2);
    }
}
