package dev.merit.scoring.classify;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A linear classifier over hashed features: logits = sum_i w_i * W[bucket_i] + b. Inputs are the bucket ids
 * (batch x K, int64; bucket 0 with weight 0 pads) and their weights (batch x K, float32). Linear on purpose: the
 * contribution of every feature to every class is a number that can be shown, so each prediction explains itself.
 */
public final class HashedLinearBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int buckets;
    private final int classes;
    private final Parameter weight;
    private final Parameter bias;

    public HashedLinearBlock(int buckets, int classes) {
        super(VERSION);
        this.buckets = buckets;
        this.classes = classes;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(buckets, classes)).optInitializer(Initializer.ZEROS).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes)).optInitializer(Initializer.ZEROS).build());
    }

    public int buckets() {
        return buckets;
    }

    public int classes() {
        return classes;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray weights = inputs.get(1);
        Device device = ids.getDevice();
        NDArray w = store.getValue(weight, device, training);
        NDArray b = store.getValue(bias, device, training);
        NDArray rows = ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE).singletonOrThrow();
        return new NDList(rows.mul(weights.expandDims(-1)).sum(new int[]{1}).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{new Shape(inputShapes[0].get(0), classes)};
    }
}
