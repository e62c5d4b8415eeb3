package dev.merit.bench;

import ai.djl.ndarray.NDManager;
import dev.merit.scoring.graph.GraphCredit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Graph credit on 1,000,000 nodes and 5,000,000 weighted edges: DJL NDArray (PyTorch, CPU here) against the same
 * computation on plain Java arrays in the same run; time and the process's peak resident memory added by it.
 * The batched/single classifier figures wait for the learned model (issue 4) and print as n/a.
 */
public final class ScoringBench {

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int edges = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        Random random = new Random(11);
        int[] from = new int[edges];
        int[] to = new int[edges];
        double[] weight = new double[edges];
        for (int e = 0; e < edges; e++) {
            // Skewed targets, like real graphs: a few contributions collect many links.
            from[e] = random.nextInt(nodes);
            to[e] = (int) Math.min(nodes - 1, Math.abs(random.nextGaussian()) * nodes / 6);
            weight[e] = 1 + random.nextInt(3);
        }
        GraphCredit.Graph graph = new GraphCredit.Graph(nodes, from, to, weight);
        try (NDManager manager = NDManager.newBaseManager()) {
            // Warm the engine on a small graph so the measurement is of the computation, not native loading.
            GraphCredit.compute(manager, new GraphCredit.Graph(2, new int[]{0}, new int[]{1}, new double[]{1}), 0.85, 1e-8, 5);
            long rssBefore = rssKb("VmRSS");
            long t0 = System.nanoTime();
            GraphCredit.Result ndarray = GraphCredit.compute(manager, graph, 0.85, 1e-8, 100);
            double graphS = (System.nanoTime() - t0) / 1e9;
            long peakMb = Math.max(0, rssKb("VmHWM") - rssBefore) / 1024;

            t0 = System.nanoTime();
            GraphCredit.Result plain = GraphCredit.reference(graph, 0.85, 1e-8, 100);
            double plainS = (System.nanoTime() - t0) / 1e9;
            double maxDiff = 0;
            for (int v = 0; v < nodes; v++) {
                maxDiff = Math.max(maxDiff, Math.abs(ndarray.credit()[v] - plain.credit()[v]));
            }
            System.out.printf(Locale.ROOT, "graph nodes=%d edges=%d iterations=%d residual=%.2e converged=%s%n", nodes,
                    edges, ndarray.iterations(), ndarray.residual(), ndarray.converged());
            System.out.printf(Locale.ROOT, "graph ndarray_s=%.2f plain_java_s=%.2f ratio=%.2f max_abs_diff=%.1e "
                    + "peak_rss_added_mb=%d%n", graphS, plainS, graphS / plainS, maxDiff, peakMb);
            System.out.println("classifier: not measured yet (the learned model comes with issue 4)");
            System.out.printf(Locale.ROOT, "scoring batched_per_s=n/a single_per_s=n/a graph_s=%.2f graph_peak_mb=%d%n",
                    graphS, peakMb);
        }
    }

    private static long rssKb(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
