package dev.merit.scoring.classify;

import dev.merit.scoring.ContributionType;
import dev.merit.scoring.train.CommitDataset;
import dev.merit.scoring.train.Evaluation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits a model's {@link Calibration} on held-out predictions (leave-one-repository-out: each commit scored by a model
 * that never saw its repository), in three steps, all deterministic:
 * <ol>
 * <li>Type offsets: a type the model rarely predicts on repositories it never saw (perf, style, revert: few examples in
 * training) gets a logit offset, raised in steps of 0.05 until its held-out recall reaches the floor plus 0.02; only
 * types with at least 50 held-out examples, and only as far as needed. They move decisions, not just confidence.</li>
 * <li>Temperature scaling: the one number T that minimises the log-loss of softmax((log p + offsets) / T), found by
 * golden-section search (the log-loss is convex in 1/T).</li>
 * <li>The unsure threshold, read from the calibrated curve: the lowest confidence from which, in every window of
 * +-0.05 above it, the predicted type was right at least half the time.</li>
 * </ol>
 */
public final class CalibrationFit {

    /**
     * A held-out prediction: its repository, the logarithms of its probabilities in label order (floored at 1e-7), and
     * the index of the true label.
     */
    public record Point(String repo, double[] logProbabilities, int label) {

        static Point of(String repo, double[] probabilities, int label) {
            double[] logs = new double[probabilities.length];
            for (int c = 0; c < logs.length; c++) {
                logs[c] = Math.log(Math.max(probabilities[c], FLOOR));
            }
            return new Point(repo, logs, label);
        }

        /** The same prediction with type offsets added to its log-probabilities. */
        Point shifted(double[] offsets) {
            double[] logs = logProbabilities.clone();
            for (int c = 0; c < logs.length; c++) {
                logs[c] += offsets[c];
            }
            return new Point(repo, logs, label);
        }
    }

    /** The calibration, and the figures that justify it (also in {@link Calibration#fit()}). */
    public record Fitted(Calibration calibration, double eceBefore, double eceAfter, double eceHeldOut,
                         Evaluation.CalibrationCurve curve) {
    }

    private static final double FLOOR = 1e-7;

    private CalibrationFit() {
    }

    /** Held-out points from cross-validation predictions; rule-decided types (reverts) are left out. */
    public static List<Point> points(RepositoryFolds.CrossValidation cv, List<TypeTrainer.Example> examples) {
        List<Point> out = new ArrayList<>();
        for (TypeTrainer.Example e : examples) {
            Evaluation.Guess guess = cv.predictions().get(e.commit());
            if (guess == null || guess.rule()) {
                continue;
            }
            double[] p = new double[TypeTrainer.LABELS.size()];
            for (int c = 0; c < p.length; c++) {
                p[c] = guess.probabilities().getOrDefault(TypeTrainer.LABELS.get(c), 0.0);
            }
            out.add(Point.of(e.repo(), p, TypeTrainer.LABELS.indexOf(e.label())));
        }
        return out;
    }

    /** Temperature only (no type offsets). */
    public static Fitted fit(List<Point> points) {
        return fit(points, 0);
    }

    /**
     * Offsets for every type with at least 50 held-out examples whose held-out recall is below {@code recallFloor} (0:
     * none), then the temperature, then the unsure threshold.
     */
    public static Fitted fit(List<Point> raw, double recallFloor) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("no held-out predictions to calibrate on");
        }
        double[] offsets = offsets(raw, recallFloor);
        List<Point> points = shift(raw, offsets);
        double temperature = temperature(points);
        List<double[]> before = confidences(raw, 1.0);
        List<double[]> after = confidences(points, temperature);
        // Honest figure: each repository calibrated with the offsets and temperature fitted on the other repositories.
        Map<String, List<Point>> byRepo = new TreeMap<>();
        raw.forEach(p -> byRepo.computeIfAbsent(p.repo(), k -> new ArrayList<>()).add(p));
        List<double[]> heldOut = new ArrayList<>();
        if (byRepo.size() > 1) {
            Map<String, Calibration> others = perRepository(raw, List.copyOf(byRepo.keySet()), recallFloor);
            for (Map.Entry<String, List<Point>> r : byRepo.entrySet()) {
                Calibration other = others.get(r.getKey());
                heldOut.addAll(confidences(shift(r.getValue(), other.offsetArray()), other.temperature()));
            }
        } else {
            heldOut = after;
        }
        Evaluation.CalibrationCurve curve = Evaluation.calibration(after);
        double unsureBelow = unsureThreshold(after);
        int unsure = 0;
        double rightUnsure = 0;
        double rightSure = 0;
        for (double[] a : after) {
            if (a[0] < unsureBelow) {
                unsure++;
                rightUnsure += a[1];
            } else {
                rightSure += a[1];
            }
        }
        double eceBefore = Evaluation.calibration(before).ece();
        double eceHeldOut = Evaluation.calibration(heldOut).ece();
        Map<String, Object> fit = new LinkedHashMap<>();
        // Leave one repository out, or in groups (train --folds): either way no model scored a repository it saw.
        fit.put("on", "held-out predictions of " + byRepo.size() + " repositories, each scored by a model that never "
                + "saw it");
        fit.put("predictions", points.size());
        fit.put("eceBefore", round(eceBefore));
        fit.put("eceAfter", round(curve.ece()));
        fit.put("eceTemperatureFromOtherRepositories", round(eceHeldOut));
        fit.put("unsureShare", round((double) unsure / points.size()));
        fit.put("accuracyUnsure", round(unsure == 0 ? 0 : rightUnsure / unsure));
        fit.put("accuracySure", round(unsure == points.size() ? 0 : rightSure / (points.size() - unsure)));
        List<Object> bins = new ArrayList<>();
        for (Evaluation.Bin b : curve.bins()) {
            Map<String, Object> bin = new LinkedHashMap<>();
            bin.put("confidence", String.format(java.util.Locale.ROOT, "%.1f-%.1f", b.from(), b.to()));
            bin.put("predictions", b.count());
            bin.put("meanConfidence", round(b.meanConfidence()));
            bin.put("accuracy", round(b.accuracy()));
            bins.add(bin);
        }
        fit.put("curve", bins);
        fit.put("recallFloor", recallFloor);
        Calibration calibration = new Calibration(offsetsMap(offsets).isEmpty() ? "temperature"
                : "type offsets, then temperature", round(temperature), offsetsMap(offsets), unsureBelow, fit);
        return new Fitted(calibration, eceBefore, curve.ece(), eceHeldOut, curve);
    }

    /** Offsets and temperature only (no threshold, no figures): what one repository's held-out check uses. */
    static Calibration fitOn(List<Point> raw, double recallFloor) {
        double[] offsets = offsets(raw, recallFloor);
        return new Calibration("", temperature(shift(raw, offsets)), offsetsMap(offsets), 0.5, Map.of());
    }

    /** For each repository, the offsets and temperature fitted on the other repositories' points (in parallel). */
    private static Map<String, Calibration> perRepository(List<Point> all, List<String> repos, double recallFloor) {
        Map<String, Calibration> out = new java.util.concurrent.ConcurrentHashMap<>();
        repos.parallelStream().forEach(repo -> {
            List<Point> others = all.stream().filter(p -> !p.repo().equals(repo)).toList();
            out.put(repo, others.isEmpty() ? Calibration.NONE : fitOn(others, recallFloor));
        });
        return new TreeMap<>(out);
    }

    private static List<Point> shift(List<Point> points, double[] offsets) {
        boolean none = true;
        for (double o : offsets) {
            none &= o == 0;
        }
        return none ? points : points.stream().map(p -> p.shifted(offsets)).toList();
    }

    private static Map<String, Double> offsetsMap(double[] offsets) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < offsets.length; c++) {
            if (offsets[c] != 0) {
                out.put(TypeTrainer.LABELS.get(c).label(), round(offsets[c]));
            }
        }
        return out;
    }

    /**
     * Per type (label order), the smallest multiple of 0.05 (at most 3) that lifts its held-out recall to
     * {@code recallFloor + 0.02}, for types with at least 50 held-out examples below the floor; raised together, round
     * by round, since one type's offset takes predictions from the others.
     */
    static double[] offsets(List<Point> points, double recallFloor) {
        int classes = TypeTrainer.LABELS.size();
        double[] offsets = new double[classes];
        if (recallFloor <= 0) {
            return offsets;
        }
        int[] support = new int[classes];
        points.forEach(p -> support[p.label()]++);
        boolean[] floored = new boolean[classes];
        int[] right = recalls(points, offsets);
        for (int c = 0; c < classes; c++) {
            floored[c] = support[c] >= 50 && right[c] < recallFloor * support[c];
        }
        for (int round = 0; round < 60; round++) {
            right = recalls(points, offsets);
            boolean raised = false;
            for (int c = 0; c < classes; c++) {
                if (floored[c] && right[c] < (recallFloor + 0.02) * support[c] && offsets[c] < 3) {
                    offsets[c] = Math.round((offsets[c] + 0.05) * 100) / 100.0;
                    raised = true;
                }
            }
            if (!raised) {
                break;
            }
        }
        return offsets;
    }

    /** Right predictions per true type with these offsets. */
    private static int[] recalls(List<Point> points, double[] offsets) {
        int[] right = new int[offsets.length];
        for (Point p : points) {
            double[] logs = p.logProbabilities();
            int best = 0;
            for (int c = 1; c < logs.length; c++) {
                if (logs[c] + offsets[c] > logs[best] + offsets[best]) {
                    best = c;
                }
            }
            right[p.label()] += best == p.label() ? 1 : 0;
        }
        return right;
    }

    /** The temperature minimising the log-loss: golden-section search on 1/T in [0.1, 10]. */
    static double temperature(List<Point> points) {
        double lo = 0.1;
        double hi = 10;
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = logLoss(points, a);
        double fb = logLoss(points, b);
        for (int i = 0; i < 50; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = logLoss(points, a);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = logLoss(points, b);
            }
        }
        return 1 / ((lo + hi) / 2);
    }

    private static double logLoss(List<Point> points, double inverseTemperature) {
        double sum = 0;
        for (Point p : points) {
            double[] z = softmax(p.logProbabilities(), inverseTemperature);
            sum -= Math.log(Math.max(z[p.label()], 1e-300));
        }
        return sum / points.size();
    }

    /** softmax(log p x beta): the probabilities a temperature of 1 / beta gives. */
    static double[] scaled(double[] probabilities, double beta) {
        return softmax(Point.of("", probabilities, 0).logProbabilities(), beta);
    }

    private static double[] softmax(double[] logs, double beta) {
        double[] z = new double[logs.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < z.length; c++) {
            z[c] = logs[c] * beta;
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        return z;
    }

    /** (confidence, right) of each point under a temperature. */
    static List<double[]> confidences(List<Point> points, double temperature) {
        List<double[]> out = new ArrayList<>(points.size());
        for (Point p : points) {
            double[] q = softmax(p.logProbabilities(), 1 / temperature);
            int best = 0;
            for (int c = 1; c < q.length; c++) {
                if (q[c] > q[best]) {
                    best = c;
                }
            }
            out.add(new double[]{q[best], best == p.label() ? 1 : 0});
        }
        return out;
    }

    /**
     * The lowest confidence (0.01 steps, 0.2 to 0.9) from which every window [c - 0.05, c + 0.05) at or above it
     * holding predictions has them right at least half the time: below it, a type is as likely wrong as right.
     */
    static double unsureThreshold(List<double[]> calibrated) {
        double threshold = 0.9;
        for (int k = 90; k >= 20; k--) {
            double c = k / 100.0;
            int n = 0;
            double right = 0;
            for (double[] a : calibrated) {
                if (a[0] >= c - 0.05 && a[0] < c + 0.05) {
                    n++;
                    right += a[1];
                }
            }
            if (n > 0 && right / n < 0.5) {
                break;
            }
            threshold = c;
        }
        return threshold;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /**
     * The held-out predictions as the calibrated model would give them, honestly: each repository's probabilities
     * shifted and rescaled with the offsets and temperature fitted on the other repositories' held-out predictions
     * only, so no repository's own predictions tune its calibration. Rule-decided types stay as they are.
     */
    public static Map<CommitDataset.Commit, Evaluation.Guess> heldOutCalibrated(RepositoryFolds.CrossValidation cv,
                                                                                  List<TypeTrainer.Example> examples,
                                                                                  double recallFloor) {
        List<Point> all = points(cv, examples);
        Map<String, Calibration> byRepo = perRepository(all, examples.stream().map(TypeTrainer.Example::repo)
                .distinct().toList(), recallFloor);
        Map<CommitDataset.Commit, Evaluation.Guess> out = new IdentityHashMap<>();
        for (TypeTrainer.Example e : examples) {
            Evaluation.Guess guess = cv.predictions().get(e.commit());
            if (guess == null || guess.rule()) {
                if (guess != null) {
                    out.put(e.commit(), guess);
                }
                continue;
            }
            double[] p = new double[TypeTrainer.LABELS.size()];
            for (int c = 0; c < p.length; c++) {
                p[c] = guess.probabilities().getOrDefault(TypeTrainer.LABELS.get(c), 0.0);
            }
            Calibration fitted = byRepo.get(e.repo());
            double[] q = softmax(Point.of(e.repo(), p, 0).shifted(fitted.offsetArray()).logProbabilities(),
                    1 / fitted.temperature());
            Map<ContributionType, Double> probabilities = new EnumMap<>(ContributionType.class);
            int best = 0;
            for (int c = 0; c < q.length; c++) {
                probabilities.put(TypeTrainer.LABELS.get(c), Math.round(q[c] * 1e6) / 1e6);
                best = q[c] > q[best] ? c : best;
            }
            out.put(e.commit(), new Evaluation.Guess(TypeTrainer.LABELS.get(best), probabilities));
        }
        return out;
    }
}
