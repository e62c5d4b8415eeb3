package dev.merit.scoring.classify;

import dev.merit.scoring.train.Evaluation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Temperature scaling recovers how over- or under-confident held-out predictions are, and the unsure threshold. */
class CalibrationFitTest {

    /**
     * Predictions from a model whose logits are the true ones times {@code sharpen}: with sharpen 2 it is twice as
     * sure as it should be, so the fitted temperature is about 2.
     */
    private static List<CalibrationFit.Point> overconfident(double sharpen, int n, long seed) {
        Random random = new Random(seed);
        List<CalibrationFit.Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] logits = new double[10];
            for (int c = 0; c < 10; c++) {
                logits[c] = random.nextGaussian() * 1.5;
            }
            double[] truth = softmax(logits);
            // Draw the label from the true probabilities; report the sharpened ones.
            double u = random.nextDouble();
            int label = 9;
            for (int c = 0; c < 10; c++) {
                u -= truth[c];
                if (u < 0) {
                    label = c;
                    break;
                }
            }
            out.add(CalibrationFit.Point.of("r" + (i % 4), CalibrationFit.scaled(truth, sharpen), label));
        }
        return out;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < z.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    @Test
    void theTemperatureUndoesOverconfidenceAndTheErrorFalls() {
        List<CalibrationFit.Point> points = overconfident(2.0, 20_000, 1);
        CalibrationFit.Fitted fitted = CalibrationFit.fit(points);
        assertThat(fitted.calibration().temperature()).isCloseTo(2.0, within(0.15));
        assertThat(fitted.eceBefore()).isGreaterThan(0.08);
        assertThat(fitted.eceAfter()).isLessThan(0.02);
        assertThat(fitted.eceHeldOut()).isLessThan(0.03);
        assertThat(fitted.calibration().method()).isEqualTo("temperature");
        // Calibrated, a prediction at confidence c is right about c of the time: unsure just below one half.
        assertThat(fitted.calibration().unsureBelow()).isBetween(0.4, 0.6);
        assertThat(fitted.calibration().fit()).containsKeys("eceBefore", "eceAfter", "curve", "unsureShare");
        // Well calibrated already: the temperature stays near 1.
        assertThat(CalibrationFit.fit(overconfident(1.0, 20_000, 2)).calibration().temperature())
                .isCloseTo(1.0, within(0.08));
    }

    @Test
    void expectedCalibrationErrorIsTheBinWeightedGapBetweenConfidenceAndAccuracy() {
        List<double[]> points = new ArrayList<>();
        // 100 predictions at 0.95 confidence, 80 right; 100 at 0.55, 55 right.
        for (int i = 0; i < 100; i++) {
            points.add(new double[]{0.95, i < 80 ? 1 : 0});
            points.add(new double[]{0.55, i < 55 ? 1 : 0});
        }
        Evaluation.CalibrationCurve curve = Evaluation.calibration(points);
        assertThat(curve.ece()).isCloseTo(0.5 * 0.15 + 0.5 * 0.0, within(1e-9));
        assertThat(curve.bins()).hasSize(10);
        assertThat(curve.bins().get(9).count()).isEqualTo(100);
        assertThat(curve.bins().get(9).accuracy()).isCloseTo(0.8, within(1e-9));
        assertThat(curve.bins().get(5).meanConfidence()).isCloseTo(0.55, within(1e-9));
    }
}
