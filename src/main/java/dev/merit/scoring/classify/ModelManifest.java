package dev.merit.scoring.classify;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a type-classifier model directory: what the parameters file is (and its SHA-256), which
 * features and labels it was trained with, how, on what, and how well it did on repositories it never saw.
 * {@code calibration} is absent from manifests written before models were calibrated ({@link Calibration#NONE}).
 * {@code wordVectors} (features-v7 only) names the word-vector files beside the parameters, each with its SHA-256.
 */
public record ModelManifest(
        String name,
        String version,
        String features,
        int buckets,
        List<String> labels,
        String paramsFile,
        String paramsSha256,
        Map<String, Object> training,
        Map<String, Object> data,
        Map<String, Object> evaluation,
        Calibration calibration,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> wordVectors) {

    /** The calibration to apply: the manifest's, or none for a model trained before calibration. */
    public Calibration calibrationOrNone() {
        return calibration == null ? Calibration.NONE : calibration;
    }
}
