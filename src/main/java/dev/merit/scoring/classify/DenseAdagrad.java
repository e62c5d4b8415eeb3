package dev.merit.scoring.classify;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adagrad with dense gradients. DJL's own Adagrad turns gradients row-sparse first, which its PyTorch engine does
 * not support (only COO), and the engine has no fused Adagrad; so: history += g^2, w -= lr * g / (sqrt(history) + eps).
 */
final class DenseAdagrad extends Optimizer {

    private final float learningRate;
    private final float epsilon;
    private final Map<String, Map<Device, NDArray>> history = new ConcurrentHashMap<>();

    DenseAdagrad(float learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
        this.epsilon = 1e-8f;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        NDArray state = withDefaultState(history, parameterId, weight.getDevice(),
                k -> weight.zerosLike());
        try (NDArray square = grad.square()) {
            state.addi(square);
        }
        try (NDArray denominator = state.sqrt(); NDArray step = grad.div(denominator.addi(epsilon))) {
            weight.subi(step.muli(learningRate));
        }
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
