package dev.merit.scoring.classify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy with one weight per example: labels are (class index, weight). Training weights each
 * example by (N / (C x n_class))^power, so the many dependency bumps and fixes do not drown out the rarer refactors,
 * tests and build changes (macro-F1 counts every label alike).
 */
final class WeightedSoftmaxLoss extends Loss {

    WeightedSoftmaxLoss() {
        super("WeightedSoftmaxCrossEntropy");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(-1);
        NDArray label = labels.get(0);
        NDArray picked = logProbabilities.get(new NDIndex().addAllDim().addPickDim(label.reshape(-1, 1)));
        return picked.reshape(-1).neg().mul(labels.get(1).reshape(-1)).mean();
    }
}
