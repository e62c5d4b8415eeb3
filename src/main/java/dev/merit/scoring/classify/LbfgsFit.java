package dev.merit.scoring.classify;

import dev.merit.audit.Progress;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Fits the hashed linear layer ({@link HashedLinearBlock}: logits = sum_k x_k W[bucket_k] + b) by full-batch L-BFGS on
 * the weighted softmax cross-entropy plus an L2 penalty on W (not on b):
 * <pre>  f(W, b) = (1 / n) sum_i w_i (logsumexp(z_i) - z_i[y_i]) + (l2 / 2) |W|^2</pre>
 * with the example weights scaled to a mean of 1, so {@code l2} means the same on any amount of data.
 * <p>
 * Why not SGD: stochastic steps from zero stop after a fixed number of passes, and what they have learnt then depends
 * on how often each word was seen. The penalised optimum is a property of the data alone: every word is weighed by
 * the evidence for it across all repositories, and the penalty, not the stopping point, keeps a word seen in one
 * repository from speaking for every project (measured in the model card).
 * <p>
 * Exact and repeatable: the arithmetic is in double precision, examples are summed in {@link #CHUNKS} fixed chunks
 * whose gradients are added in chunk order, so the same data and settings give the same parameters bit for bit
 * whatever the number of cores (threads only decide which chunk is computed when).
 */
final class LbfgsFit {

    /** The parameters found: W as buckets x classes (row-major) and b, and how the search went. */
    record Result(double[] weight, double[] bias, int iterations, double loss, List<Double> losses) {
    }

    /** Fixed, so that the order of every sum is the same on any machine. */
    static final int CHUNKS = 16;
    private static final int HISTORY = 10;
    private static final Logger LOG = Logger.getLogger(LbfgsFit.class);

    private final List<CommitFeatures.Vector> rows;
    private final int[] labels;
    private final double[] weights;
    private final int buckets;
    private final int classes;
    private final double l2;
    private final int dim;

    /**
     * @param weights each example's weight (scaled here to a mean of 1)
     */
    LbfgsFit(List<CommitFeatures.Vector> rows, int[] labels, float[] weights, int buckets, int classes, double l2) {
        if (rows.isEmpty() || rows.size() != labels.length || labels.length != weights.length) {
            throw new IllegalArgumentException("one label and one weight per example, and at least one example");
        }
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be positive, got " + l2);
        }
        this.rows = rows;
        this.labels = labels;
        this.buckets = buckets;
        this.classes = classes;
        this.l2 = l2;
        this.dim = buckets * classes + classes;
        double sum = 0;
        for (float w : weights) {
            sum += w;
        }
        this.weights = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            this.weights[i] = weights[i] * weights.length / sum;
        }
    }

    /**
     * Runs L-BFGS (two-loop recursion, the last {@link #HISTORY} steps, backtracking line search with the Armijo
     * condition) from zero for at most {@code maxIterations} steps, or until the loss stops falling (a relative change
     * under 1e-10 in a step) or the gradient vanishes.
     */
    Result fit(int maxIterations, Consumer<String> log) {
        int threads = Math.max(1, Math.min(CHUNKS, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "merit-lbfgs");
            t.setDaemon(true);
            return t;
        });
        try {
            return search(maxIterations, log, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private Result search(int maxIterations, Consumer<String> log, ExecutorService pool) {
        double[] x = new double[dim];
        double[] g = new double[dim];
        double f = evaluate(x, g, pool);
        List<Double> losses = new ArrayList<>();
        losses.add(f);
        double[][] s = new double[HISTORY][];
        double[][] y = new double[HISTORY][];
        double[] rho = new double[HISTORY];
        int stored = 0;
        int newest = -1;
        double[] direction = new double[dim];
        double[] xNew = new double[dim];
        double[] gNew = new double[dim];
        double[] alpha = new double[HISTORY];
        // The next curvature pair is written here, and enters the history only if it is kept: a rejected pair must not
        // overwrite the oldest one while that one still counts.
        double[] sNext = new double[dim];
        double[] yNext = new double[dim];
        Progress progress = Progress.start(LOG, "Fitting (at most " + maxIterations + " L-BFGS steps over "
                + rows.size() + " commits)", "steps", maxIterations);
        int iteration = 0;
        while (iteration < maxIterations) {
            double gNorm = norm(g);
            if (gNorm < 1e-9) {
                break;
            }
            // Two-loop recursion: direction = -H g.
            System.arraycopy(g, 0, direction, 0, dim);
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(newest - k, HISTORY);
                alpha[j] = rho[j] * dot(s[j], direction);
                axpy(-alpha[j], y[j], direction);
            }
            double scale = stored == 0 ? 1 / Math.max(gNorm, 1e-12) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            for (int i = 0; i < dim; i++) {
                direction[i] *= scale;
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(newest - k, HISTORY);
                double beta = rho[j] * dot(y[j], direction);
                axpy(alpha[j] - beta, s[j], direction);
            }
            for (int i = 0; i < dim; i++) {
                direction[i] = -direction[i];
            }
            double slope = dot(g, direction);
            if (slope >= 0) { // not a descent direction (rounding): start the memory again along -g
                stored = 0;
                for (int i = 0; i < dim; i++) {
                    direction[i] = -g[i] / Math.max(gNorm, 1e-12);
                }
                slope = dot(g, direction);
            }
            double step = 1;
            double fNew = Double.NaN;
            for (int tries = 0; tries < 40; tries++) {
                for (int i = 0; i < dim; i++) {
                    xNew[i] = x[i] + step * direction[i];
                }
                fNew = evaluate(xNew, gNew, pool);
                if (fNew <= f + 1e-4 * step * slope) {
                    break;
                }
                step *= 0.5;
            }
            if (!(fNew <= f + 1e-4 * step * slope)) {
                break; // no step lowers the loss: as good as this search gets
            }
            for (int i = 0; i < dim; i++) {
                sNext[i] = xNew[i] - x[i];
                yNext[i] = gNew[i] - g[i];
            }
            double sy = dot(sNext, yNext);
            if (sy > 1e-12) { // keep the curvature pair only when it says the loss curves up (always, in theory)
                int next = (newest + 1) % HISTORY;
                double[] oldS = s[next];
                double[] oldY = y[next];
                s[next] = sNext;
                y[next] = yNext;
                sNext = oldS == null ? new double[dim] : oldS;
                yNext = oldY == null ? new double[dim] : oldY;
                rho[next] = 1 / sy;
                newest = next;
                stored = Math.min(HISTORY, stored + 1);
            }
            double[] t = x;
            x = xNew;
            xNew = t;
            t = g;
            g = gNew;
            gNew = t;
            double previous = f;
            f = fNew;
            losses.add(f);
            iteration++;
            progress.advance(1);
            if (iteration % 25 == 0) {
                log.accept(String.format(Locale.ROOT, "step %d/%d: loss %.6f", iteration, maxIterations, f));
            }
            if (previous - f <= 1e-10 * Math.max(1, Math.abs(f))) {
                break;
            }
        }
        progress.finish();
        log.accept(String.format(Locale.ROOT, "L-BFGS: %d steps, loss %.6f", iteration, f));
        double[] weight = new double[buckets * classes];
        double[] bias = new double[classes];
        System.arraycopy(x, 0, weight, 0, weight.length);
        System.arraycopy(x, weight.length, bias, 0, classes);
        return new Result(weight, bias, iteration, f, losses);
    }

    /** The loss at {@code x}, its gradient written into {@code grad}. */
    double evaluate(double[] x, double[] grad, ExecutorService pool) {
        int n = rows.size();
        List<Future<double[]>> parts = new ArrayList<>(CHUNKS);
        double[] chunkLoss = new double[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            int from = (int) ((long) n * c / CHUNKS);
            int to = (int) ((long) n * (c + 1) / CHUNKS);
            int chunk = c;
            parts.add(pool.submit(() -> chunk(x, from, to, chunkLoss, chunk)));
        }
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        try {
            for (int c = 0; c < CHUNKS; c++) {
                double[] part = parts.get(c).get();
                for (int i = 0; i < dim; i++) {
                    grad[i] += part[i];
                }
                loss += chunkLoss[c];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("training failed: " + e.getCause(), e.getCause());
        }
        double penalty = 0;
        int w = buckets * classes;
        for (int i = 0; i < dim; i++) {
            grad[i] /= n;
        }
        for (int i = 0; i < w; i++) {
            penalty += x[i] * x[i];
            grad[i] += l2 * x[i];
        }
        return loss / n + 0.5 * l2 * penalty;
    }

    /** One chunk's summed weighted loss (into {@code losses[chunk]}) and gradient (returned, not yet divided by n). */
    private double[] chunk(double[] x, int from, int to, double[] losses, int chunk) {
        double[] grad = new double[dim];
        double[] z = new double[classes];
        int biasAt = buckets * classes;
        double loss = 0;
        for (int i = from; i < to; i++) {
            CommitFeatures.Vector v = rows.get(i);
            int[] ids = v.buckets();
            float[] xs = v.weights();
            System.arraycopy(x, biasAt, z, 0, classes);
            for (int k = 0; k < ids.length; k++) {
                int at = ids[k] * classes;
                double xk = xs[k];
                for (int c = 0; c < classes; c++) {
                    z[c] += xk * x[at + c];
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double value : z) {
                max = Math.max(max, value);
            }
            int label = labels[i];
            double own = z[label] - max;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            double wi = weights[i];
            loss += wi * (Math.log(sum) - own);
            for (int c = 0; c < classes; c++) {
                z[c] = wi * (z[c] / sum - (c == label ? 1 : 0));
            }
            for (int k = 0; k < ids.length; k++) {
                int at = ids[k] * classes;
                double xk = xs[k];
                for (int c = 0; c < classes; c++) {
                    grad[at + c] += xk * z[c];
                }
            }
            for (int c = 0; c < classes; c++) {
                grad[biasAt + c] += z[c];
            }
        }
        losses[chunk] = loss;
        return grad;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
