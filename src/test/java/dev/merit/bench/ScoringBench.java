package dev.merit.bench;

import ai.djl.ndarray.NDManager;
import dev.merit.scoring.graph.GraphCredit;

import dev.merit.ingest.ChangedFile;
import dev.merit.ingest.ContributionMetrics;
import dev.merit.scoring.Factor;
import dev.merit.scoring.LearnedModel;
import dev.merit.support.FixedScoringConfig;
import dev.merit.scoring.ScoringModel;
import dev.merit.scoring.classify.ClassifierHolder;
import dev.merit.scoring.train.CommitDataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Graph credit on 1,000,000 nodes and 5,000,000 weighted edges: the path scoring takes on this device (the plain-Java
 * kernel on a CPU, NDArrays on a GPU) against the reference computation on plain Java arrays in the same run; time and
 * the process's peak resident memory added by it ({@code -Dbench.ndarray=true} also times the NDArray path on a CPU).
 * Then the learned scorer's throughput on distinct real commits, batched (cold: first pass in the JVM; warm: median of
 * later passes) and one contribution at a time, and the model's size on disk.
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
            // Warm the engine and the JIT on a small graph so the measurement is of the computation, not loading.
            GraphCredit.Graph warm = new GraphCredit.Graph(2, new int[]{0}, new int[]{1}, new double[]{1});
            GraphCredit.compute(manager, warm, 0.85, 1e-8, 5);
            GraphCredit.reference(warm, 0.85, 1e-8, 5);
            long rssBefore = rssKb("VmRSS");
            long t0 = System.nanoTime();
            // What scoring runs: the fastest correct path on this device (the plain-Java kernel on a CPU).
            GraphCredit.Result graphResult = GraphCredit.compute(manager, graph, 0.85, 1e-8, 100);
            double graphS = (System.nanoTime() - t0) / 1e9;
            long peakMb = Math.max(0, rssKb("VmHWM") - rssBefore) / 1024;

            t0 = System.nanoTime();
            GraphCredit.Result plain = GraphCredit.reference(graph, 0.85, 1e-8, 100);
            double plainS = (System.nanoTime() - t0) / 1e9;
            double maxDiff = 0;
            for (int v = 0; v < nodes; v++) {
                maxDiff = Math.max(maxDiff, Math.abs(graphResult.credit()[v] - plain.credit()[v]));
            }
            System.out.printf(Locale.ROOT, "graph nodes=%d edges=%d device=%s iterations=%d residual=%.2e converged=%s%n",
                    nodes, edges, manager.getDevice(), graphResult.iterations(), graphResult.residual(),
                    graphResult.converged());
            String ndarray = "";
            if (Boolean.getBoolean("bench.ndarray") || manager.getDevice().isGpu()) {
                // The NDArray path on this device too, for comparison (after the peak was taken).
                t0 = System.nanoTime();
                GraphCredit.Result nd = GraphCredit.onEngine(manager, graph, 0.85, 1e-8, 100);
                double ndS = (System.nanoTime() - t0) / 1e9;
                double ndDiff = 0;
                for (int v = 0; v < nodes; v++) {
                    ndDiff = Math.max(ndDiff, Math.abs(nd.credit()[v] - plain.credit()[v]));
                }
                ndarray = String.format(Locale.ROOT, " ndarray_s=%.2f ndarray_max_abs_diff=%.1e", ndS, ndDiff);
            }
            System.out.printf(Locale.ROOT, "graph graph_s=%.2f plain_java_s=%.2f ratio=%.2f max_abs_diff=%.1e "
                    + "peak_rss_added_mb=%d%s%n", graphS, plainS, graphS / plainS, maxDiff, peakMb, ndarray);
            double[] perS = classifier();
            // batched_per_s is the warm figure (warm_per_s), kept under its old name; both are over distinct commits.
            System.out.printf(Locale.ROOT, "scoring batched_per_s=%.0f single_per_s=%.0f single_latency_ms=%.3f "
                    + "model_mb=%.1f graph_peak_mb=%d graph_s=%.2f plain_java_s=%.2f cold_per_s=%.0f warm_per_s=%.0f "
                    + "distinct=%d%n", perS[0], perS[1], 1000 / perS[1], perS[2], peakMb, graphS, plainS, perS[3], perS[0],
                    (long) perS[4]);
        }
    }

    /**
     * The learned scorer end to end (prefix stripping, features, DJL Predictor, explanation, factors) on distinct real
     * commits: every commit of ../shared/data/commits-train.jsonl.gz and commits-train-wide.jsonl.gz once (duplicates by
     * repository and SHA dropped), in batches of merit.scoring.batch-size (default 4096), and one contribution per call.
     * The cold figure is the first pass in this JVM over commits the scorer has never seen: the JIT is cold and the
     * path-feature cache empty, as in a service's first scoring run after it starts. The warm figure is the median of
     * five later passes over the same commits, after three untimed ones (the path cache holds at most 65,536 paths, so
     * with more distinct paths than that it is emptied and refilled within a pass). {@code -Dbench.commits=N} scores
     * the first N distinct commits only, for a quick check.
     */
    private static double[] classifier() throws Exception {
        List<Path> data = List.of(Path.of("../shared/data/commits-train.jsonl.gz"),
                Path.of("../shared/data/commits-train-wide.jsonl.gz"));
        CommitDataset.Loaded loaded = CommitDataset.read(data);
        Map<String, CommitDataset.Commit> distinct = new LinkedHashMap<>();
        for (CommitDataset.Commit c : loaded.commits()) {
            distinct.putIfAbsent(c.repo() + "@" + c.sha(), c);
        }
        int limit = Integer.getInteger("bench.commits", Integer.MAX_VALUE);
        List<ScoringModel.Input> inputs = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (CommitDataset.Commit c : distinct.values()) {
            if (inputs.size() == limit) {
                break;
            }
            inputs.add(input(c));
            c.files().forEach(f -> paths.add(f.path()));
        }
        System.out.printf(Locale.ROOT, "classifier data: %d commits read (%d malformed), %d distinct by repository and SHA, "
                + "%d scored, %d distinct paths%n", loaded.commits().size(), loaded.malformed(), distinct.size(),
                inputs.size(), paths.size());
        FixedScoringConfig defaults = FixedScoringConfig.defaults();
        // -Dbench.model-dir=DIR times another model than the shipped one (a candidate, before it ships).
        FixedScoringConfig config = new FixedScoringConfig(System.getProperty("bench.model-dir", defaults.modelDir()),
                defaults.modelSha256(), defaults.device());
        ClassifierHolder holder = new ClassifierHolder(config);
        LearnedModel model = new LearnedModel(holder, Map.of(), config.linearLines(), config.batchSize());
        System.out.println("classifier " + model.version() + " on " + holder.require().device());

        // Cold: nothing scored before in this JVM (model loaded above, not yet run).
        long t0 = System.nanoTime();
        List<ScoringModel.Output> batched = model.scoreAll(inputs);
        double coldPerS = inputs.size() / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "classifier cold pass: batched %.0f/s (%d distinct contributions, first pass in "
                + "this JVM)%n", coldPerS, inputs.size());

        // Warm: the same distinct commits again, as a running service scores after its JIT has settled.
        for (int w = 0; w < 3; w++) {
            model.scoreAll(inputs);
        }
        int singles = Math.min(5_000, inputs.size());
        for (int i = 0; i < 4 * singles; i++) {
            model.score(inputs.get(i % inputs.size()));
        }
        double[] batchedRates = new double[5];
        double[] singleRates = new double[5];
        int agree = 0;
        for (int pass = 0; pass < 5; pass++) {
            t0 = System.nanoTime();
            batched = model.scoreAll(inputs);
            batchedRates[pass] = inputs.size() / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            agree = 0;
            for (int i = 0; i < singles; i++) {
                ScoringModel.Output one = model.score(inputs.get(i));
                agree += Factor.fold(one.factors()).equals(Factor.fold(batched.get(i).factors())) ? 1 : 0;
            }
            singleRates[pass] = singles / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(Locale.ROOT, "classifier warm pass %d: batched %.0f/s (%d distinct contributions), one at a "
                    + "time %.0f/s (%d)%n", pass + 1, batchedRates[pass], inputs.size(), singleRates[pass], singles);
        }
        double batchedPerS = median(batchedRates);
        double singlePerS = median(singleRates);
        System.out.printf(Locale.ROOT, "classifier batched cold %.0f/s, warm median %.0f/s; one at a time median %.0f/s; "
                + "ratio=%.1f; single and batched scores identical: %d/%d%n", coldPerS, batchedPerS, singlePerS,
                batchedPerS / singlePerS, agree, singles);
        if (agree != singles) {
            throw new IllegalStateException("single and batched scores differ for " + (singles - agree) + " contributions");
        }
        double modelMb = 0;
        try (var files = Files.list(java.nio.file.Path.of(config.modelDir()))) {
            for (Path f : files.toList()) {
                modelMb += Files.size(f) / 1e6;
            }
        }
        return new double[]{batchedPerS, singlePerS, modelMb, coldPerS, inputs.size()};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static ScoringModel.Input input(CommitDataset.Commit c) {
        List<ChangedFile> files = new ArrayList<>();
        int added = 0;
        int deleted = 0;
        int binary = 0;
        for (CommitDataset.FileStat f : c.files()) {
            boolean bin = f.added() == null;
            binary += bin ? 1 : 0;
            added += bin ? 0 : f.added();
            deleted += bin ? 0 : f.deleted();
            files.add(new ChangedFile(f.path(), null, ChangedFile.Change.MODIFY, f.added(), f.deleted(),
                    bin ? ChangedFile.Category.BINARY : ChangedFile.Category.SOURCE,
                    bin ? 0 : f.added() + f.deleted()));
        }
        ContributionMetrics metrics = new ContributionMetrics(added, deleted, files.size(), binary, 0, Map.of(), 0, 0, 0,
                added + deleted);
        String title = c.message().lines().findFirst().orElse("");
        return new ScoringModel.Input("commit", title, c.message(), metrics, files);
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
