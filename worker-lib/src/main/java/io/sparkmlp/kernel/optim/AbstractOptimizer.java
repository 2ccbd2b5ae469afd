package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Ranges;
import io.sparkmlp.kernel.Reductions;
import java.util.Arrays;

/**
 * What every rule shares: argument checks, clipping, L2 weight decay on the weights only, the
 * step count, and state snapshot/restore/reset over the subclass's state arrays.
 *
 * <p>The weight mask is built once from the architecture as index ranges
 * {@code [weightOffset(l), biasOffset(l))}, one per layer: those are the entries of {@code W_l};
 * the biases {@code b_l} that follow each range are never decayed.
 */
abstract class AbstractOptimizer implements Optimizer {

    final OptimizerSpec spec;
    private final Architecture arch;
    /** Scratch for the layer norms of {@link #step(float[], float[], double)}. */
    private final double[] layerNorms;
    private final String shape;
    private final int size;
    /** Start (inclusive) and end (exclusive) of each layer's weights in the flat vector. */
    private final int[] weightStart;
    private final int[] weightEnd;
    private long steps;
    private double lastNorm = Double.NaN;

    AbstractOptimizer(OptimizerSpec spec, Architecture arch) {
        this.spec = spec;
        this.arch = arch;
        this.layerNorms = new double[arch.numLayers()];
        this.shape = arch.shape();
        this.size = arch.parameterCount();
        int layers = arch.numLayers();
        this.weightStart = new int[layers];
        this.weightEnd = new int[layers];
        for (int l = 0; l < layers; l++) {
            weightStart[l] = arch.weightOffset(l);
            weightEnd[l] = arch.biasOffset(l);
        }
    }

    /** The live state arrays, in the order documented on {@link OptimizerState}. */
    abstract float[][] stateArrays();

    /**
     * The rule itself, after clipping and (coupled) L2 decay, with {@code t} = steps taken including this one (1 on
     * the first step): an element-wise loop over a part of the parameters, with the step's constants computed once
     * here, before the parts run.
     */
    abstract Ranges.Body update(float[] params, float[] grad, double lr, long t);

    @Override
    public final void step(float[] params, float[] grad, double learningRate) {
        checkLength("grad", grad);
        step(params, grad, learningRate, Reductions.layerNorms(arch, grad, layerNorms));
    }

    @Override
    public final void step(float[] params, float[] grad, double learningRate, double gradNorm) {
        step(params, grad, learningRate, gradNorm, Ranges.SERIAL);
    }

    @Override
    public final void step(float[] params, float[] grad, double learningRate, double gradNorm, Ranges ranges) {
        checkLength("params", params);
        checkLength("grad", grad);
        if (params == grad) {
            throw new IllegalArgumentException("params and grad must be different arrays, found the same array");
        }
        if (!(learningRate >= 0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, found " + learningRate);
        }
        lastNorm = GradientClipping.clipToNorm(grad, spec.clipNorm(), gradNorm);
        double wd = spec.weightDecay();
        steps++;
        Ranges.Body rule = update(params, grad, learningRate, steps);
        if (wd <= 0) {
            ranges.forEach(size, rule);
            return;
        }
        // in float, with the factor rounded once per step (as PyTorch does), so the loops run on float vectors
        boolean decoupled = spec.decoupledWeightDecay();
        float factor = decoupled ? (float) (1.0 - learningRate * wd) : (float) wd;
        ranges.forEach(size, (from, to) -> {
            for (int l = 0; l < weightStart.length; l++) {
                int lo = Math.max(from, weightStart[l]);
                int hi = Math.min(to, weightEnd[l]);
                if (decoupled) {
                    // AdamW: w ← w − η·λ·w, before the Adam step (which does not depend on w)
                    for (int i = lo; i < hi; i++) params[i] = params[i] * factor;
                } else {
                    // L2: g ← g + λ·w
                    for (int i = lo; i < hi; i++) grad[i] = grad[i] + factor * params[i];
                }
            }
            rule.run(from, to);
        });
    }

    @Override
    public final long stepsTaken() {
        return steps;
    }

    @Override
    public final double lastGradientNorm() {
        return lastNorm;
    }

    @Override
    public final OptimizerSpec spec() {
        return spec;
    }

    @Override
    public final OptimizerState state() {
        return new OptimizerState(spec.kind().name(), steps, stateArrays());
    }

    @Override
    public final void restore(OptimizerState state) {
        String kind = spec.kind().name();
        if (!kind.equals(state.kind())) {
            throw new IllegalArgumentException("optimizer state is for " + state.kind() + ", this optimizer is " + kind);
        }
        float[][] mine = stateArrays();
        float[][] theirs = state.arrays();
        if (theirs.length != mine.length) {
            throw new IllegalArgumentException("optimizer state for " + kind + " needs " + mine.length
                    + " arrays, found " + theirs.length);
        }
        for (int a = 0; a < mine.length; a++) {
            if (theirs[a].length != size) {
                throw new IllegalArgumentException("optimizer state array " + a + " has " + theirs[a].length
                        + " entries, expected " + size + " (parameter count of " + shape + ")");
            }
        }
        for (int a = 0; a < mine.length; a++) System.arraycopy(theirs[a], 0, mine[a], 0, size);
        steps = state.steps();
        lastNorm = Double.NaN;
    }

    @Override
    public final void reset() {
        for (float[] a : stateArrays()) Arrays.fill(a, 0f);
        steps = 0;
        lastNorm = Double.NaN;
    }

    @Override
    public String toString() {
        return spec.describe() + " for " + shape + ", " + steps + " steps";
    }

    private void checkLength(String what, float[] v) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is null, expected " + size + " entries (" + shape + ")");
        }
        if (v.length != size) {
            throw new IllegalArgumentException(what + " has " + v.length + " entries, expected " + size
                    + " (parameter count of " + shape + ")");
        }
    }
}
