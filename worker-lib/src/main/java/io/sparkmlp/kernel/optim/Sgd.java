package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Ranges;

/**
 * Plain stochastic gradient descent: {@code w ← w − η·g}, in float with η rounded to float once per step
 * (a loop the JIT vectorises; see {@link Momentum}). No state beyond the step count.
 */
final class Sgd extends AbstractOptimizer {

    private static final float[][] NO_ARRAYS = new float[0][];

    Sgd(OptimizerSpec spec, Architecture arch) {
        super(spec, arch);
    }

    @Override
    float[][] stateArrays() {
        return NO_ARRAYS;
    }

    @Override
    Ranges.Body update(float[] params, float[] grad, double lr, long t) {
        float eta = (float) lr;
        return (from, to) -> {
            for (int i = from; i < to; i++) params[i] = params[i] - eta * grad[i];
        };
    }
}
