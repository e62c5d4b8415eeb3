package dev.merit.scoring.graph;

import java.util.Arrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;


/**
 * Credit flowing over the contributor-contribution graph: weighted PageRank, float64, in a fixed operation order (the
 * same graph gives the same credit). Dangling nodes (no outgoing weight) share their credit evenly; iteration stops
 * when the L1 change falls below the tolerance. The fastest correct path on each device: on a GPU, DJL NDArray
 * operations (gather, cumulative sum, segment differences); on the CPU, a plain-Java kernel over the edges grouped by
 * target (bench/scoring, 1M nodes / 5M edges on 2 cores: the NDArray path took 7.9 times as long as plain Java, with
 * 2.7 GB peak). Both agree with {@link #reference} within 1e-12.
 */
public final class GraphCredit {

    /** Directed weighted edges {@code from[i] -> to[i]} over nodes 0..nodes-1. */
    public record Graph(int nodes, int[] from, int[] to, double[] weight) {
        public Graph {
            if (nodes <= 0) {
                throw new IllegalArgumentException("a graph needs at least one node");
            }
            if (from.length != to.length || from.length != weight.length) {
                throw new IllegalArgumentException("from, to and weight must have the same length");
            }
            for (int i = 0; i < from.length; i++) {
                if (from[i] < 0 || from[i] >= nodes || to[i] < 0 || to[i] >= nodes) {
                    throw new IllegalArgumentException("edge " + i + " (" + from[i] + " -> " + to[i]
                            + ") leaves the graph of " + nodes + " nodes");
                }
                if (!(weight[i] >= 0) || Double.isInfinite(weight[i])) {
                    throw new IllegalArgumentException("edge " + i + " has weight " + weight[i] + "; weights are >= 0");
                }
            }
        }
    }

    public record Result(double[] credit, int iterations, double residual, boolean converged) {
    }

    private GraphCredit() {
    }

    /** On the manager's device: NDArrays on a GPU, the plain-Java kernel on the CPU ({@link #onCpu}). */
    public static Result compute(NDManager manager, Graph g, double damping, double tolerance, int maxIterations) {
        return manager.getDevice().isGpu() ? onEngine(manager, g, damping, tolerance, maxIterations)
                : onCpu(g, damping, tolerance, maxIterations);
    }

    /** The computation as DJL NDArray operations on the manager's engine and device (the GPU path). */
    public static Result onEngine(NDManager manager, Graph g, double damping, double tolerance, int maxIterations) {
        int n = g.nodes();
        int m = g.from().length;
        double[] out = outWeights(g);
        // Edges grouped by target: each node's incoming flow is one contiguous segment, summed as a difference of
        // one cumulative sum. Dense operations only (DJL's PyTorch engine multiplies COO matrices by
        // re-sorting them each time), in a fixed order.
        // Stable counting sort by target: O(edges), input order kept within a segment.
        long[] segmentStart = new long[n];
        long[] segmentEnd = new long[n];
        for (int edge = 0; edge < m; edge++) {
            segmentEnd[g.to()[edge]]++;
        }
        long running = 0;
        for (int v = 0; v < n; v++) {
            segmentStart[v] = running;
            running += segmentEnd[v];
            segmentEnd[v] = segmentStart[v];
        }
        long[] source = new long[m];
        double[] share = new double[m];
        for (int edge = 0; edge < m; edge++) {
            int at = (int) segmentEnd[g.to()[edge]]++;
            int from = g.from()[edge];
            source[at] = from;
            share[at] = out[from] == 0 ? 0 : g.weight()[edge] / out[from];
        }
        double[] dangling = new double[n];
        for (int v = 0; v < n; v++) {
            dangling[v] = out[v] == 0 ? 1 : 0;
        }
        double[] uniform = new double[n];
        Arrays.fill(uniform, 1.0 / n);
        try (NDManager scope = manager.newSubManager()) {
            NDArray sources = scope.create(source);
            NDArray shares = scope.create(share);
            NDArray starts = scope.create(segmentStart);
            NDArray ends = scope.create(segmentEnd);
            NDArray danglingMask = scope.create(dangling);
            NDArray zero = scope.create(new double[]{0});
            NDArray credit = scope.create(uniform);
            double residual = Double.POSITIVE_INFINITY;
            int iteration = 0;
            while (iteration < maxIterations && residual >= tolerance) {
                iteration++;
                try (NDManager step = scope.newSubManager()) {
                    credit.tempAttach(step);
                    double danglingCredit = credit.mul(danglingMask).sum().getDouble();
                    NDArray cumulative = zero.concat(credit.take(sources).mul(shares).cumSum());
                    NDArray inflow = cumulative.take(ends).sub(cumulative.take(starts));
                    NDArray next = inflow.mul(damping).add((damping * danglingCredit + (1 - damping)) / n);
                    residual = next.sub(credit).abs().sum().getDouble();
                    next.attach(scope);
                    credit = next;
                }
            }
            return new Result(credit.toDoubleArray(), iteration, residual, residual < tolerance);
        }
    }

    /** Nodes per chunk of {@link #onCpu}: fixed, so the sums come out the same whatever the number of threads. */
    private static final int CHUNK = 1 << 14;

    /**
     * The computation on the CPU: edges grouped by target (a stable counting sort, so each node's inflow is one
     * contiguous run summed in input order), each edge's share of its source's out-weight computed once, and the
     * nodes worked in fixed chunks on all cores, residual and dangling credit added up chunk by chunk in order: the
     * same bits on any number of cores.
     */
    public static Result onCpu(Graph g, double damping, double tolerance, int maxIterations) {
        int n = g.nodes();
        int m = g.from().length;
        double[] out = outWeights(g);
        int[] start = new int[n + 1];
        for (int edge = 0; edge < m; edge++) {
            start[g.to()[edge] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            start[v + 1] += start[v];
        }
        int[] fill = java.util.Arrays.copyOf(start, n);
        int[] source = new int[m];
        double[] share = new double[m];
        for (int edge = 0; edge < m; edge++) {
            int at = fill[g.to()[edge]]++;
            int from = g.from()[edge];
            source[at] = from;
            share[at] = out[from] == 0 ? 0 : g.weight()[edge] / out[from];
        }
        fill = null;
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        double[] credit = new double[n];
        double[] next = new double[n];
        java.util.Arrays.fill(credit, 1.0 / n);
        double residual = Double.POSITIVE_INFINITY;
        int iteration = 0;
        while (iteration < maxIterations && residual >= tolerance) {
            iteration++;
            double[] current = credit;
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
                double sum = 0;
                for (int v = c * CHUNK, end = Math.min(n, v + CHUNK); v < end; v++) {
                    if (out[v] == 0) {
                        sum += current[v];
                    }
                }
                partial[c] = sum;
            });
            double danglingCredit = 0;
            for (double p : partial) {
                danglingCredit += p;
            }
            double base = (damping * danglingCredit + (1 - damping)) / n;
            double[] target = next;
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
                double change = 0;
                for (int v = c * CHUNK, end = Math.min(n, v + CHUNK); v < end; v++) {
                    double inflow = 0;
                    for (int k = start[v], stop = start[v + 1]; k < stop; k++) {
                        inflow += current[source[k]] * share[k];
                    }
                    double value = inflow * damping + base;
                    target[v] = value;
                    change += Math.abs(value - current[v]);
                }
                partial[c] = change;
            });
            residual = 0;
            for (double p : partial) {
                residual += p;
            }
            next = credit;
            credit = target;
        }
        return new Result(credit, iteration, residual, residual < tolerance);
    }

    /** The same computation on plain arrays, edge by edge: the reference both paths are checked and benchmarked against. */
    public static Result reference(Graph g, double damping, double tolerance, int maxIterations) {
        int n = g.nodes();
        double[] out = outWeights(g);
        double[] credit = new double[n];
        Arrays.fill(credit, 1.0 / n);
        double residual = Double.POSITIVE_INFINITY;
        int iteration = 0;
        while (iteration < maxIterations && residual >= tolerance) {
            iteration++;
            double danglingCredit = 0;
            for (int v = 0; v < n; v++) {
                if (out[v] == 0) {
                    danglingCredit += credit[v];
                }
            }
            double base = (damping * danglingCredit + (1 - damping)) / n;
            double[] next = new double[n];
            for (int e = 0; e < g.from().length; e++) {
                int from = g.from()[e];
                if (out[from] > 0) {
                    next[g.to()[e]] += credit[from] * g.weight()[e] / out[from];
                }
            }
            residual = 0;
            for (int v = 0; v < n; v++) {
                next[v] = next[v] * damping + base;
                residual += Math.abs(next[v] - credit[v]);
            }
            credit = next;
        }
        return new Result(credit, iteration, residual, residual < tolerance);
    }

    private static double[] outWeights(Graph g) {
        double[] out = new double[g.nodes()];
        for (int e = 0; e < g.from().length; e++) {
            out[g.from()[e]] += g.weight()[e];
        }
        return out;
    }
}
