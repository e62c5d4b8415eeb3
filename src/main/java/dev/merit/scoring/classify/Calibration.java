package dev.merit.scoring.classify;

import java.util.Map;

/**
 * How a model's probabilities are made to mean what they say: softmax((logits + offsets) / temperature), fitted by
 * {@code train} on the leave-one-repository-out predictions (each commit scored by a model that never saw its
 * repository; {@link CalibrationFit}). {@code offsets} (by type label, absent = 0) lift types the model rarely
 * predicts on repositories it never saw to a recall floor; the temperature minimises the log-loss. A prediction whose
 * confidence (its type's calibrated probability) is below {@code unsureBelow} is flagged unsure: on those predictions
 * the type was wrong about as often as right, or more. The fit's figures (expected calibration error before and after,
 * the curve the threshold was read from) are in {@code fit}.
 */
public record Calibration(String method, double temperature, Map<String, Double> offsets, double unsureBelow,
                          Map<String, Object> fit) {

    /**
     * Models trained before calibration (features-v4 and earlier): probabilities as trained, and unsure below 0.5 (the
     * type is less likely than all the others together).
     */
    public static final Calibration NONE = new Calibration("none", 1.0, Map.of(), 0.5, Map.of());

    public Calibration {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        if (!(unsureBelow >= 0 && unsureBelow <= 1)) {
            throw new IllegalArgumentException("unsureBelow must be between 0 and 1, got " + unsureBelow);
        }
        fit = fit == null ? Map.of() : fit;
        offsets = offsets == null ? Map.of() : offsets;
    }

    /** Whether probabilities are the softmax of the logits as they are (no division, same bits as before calibration). */
    public boolean identity() {
        return temperature == 1.0 && offsets.values().stream().allMatch(o -> o == 0);
    }

    /** The offsets in the trainer's label order. */
    public double[] offsetArray() {
        double[] out = new double[TypeTrainer.LABELS.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = offsets.getOrDefault(TypeTrainer.LABELS.get(c).label(), 0.0);
        }
        return out;
    }
}
