package io.sparkmlp.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The network's numbers: one flat float32 vector laid out layer by layer,
 * {@code θ = (W_0, b_0, W_1, b_1, …)} with {@code W_l} row-major ({@code n_out × n_in}) followed by
 * {@code b_l}, {@code |θ| = Σ n_out·(n_in+1)}, together with the {@link Architecture} whose offsets
 * say where each layer's slice lies. It is what the driver carries from step to step and writes to
 * checkpoints and model files.
 *
 * <p>Its job is to be the one type that says what such a vector means: building one (zeros, a
 * length-checked {@link #wrap}, seeded {@link #initialize}), reading it per layer ({@link #weight},
 * {@link #bias}, {@link #layerNorms()}) and checking it ({@link #allFinite}). It is not a vector
 * library: the hot path (kernel, optimizers, transports) works on the raw array it wraps
 * ({@link #flat()}, a view), and gradients and optimizer moments are raw arrays in the same layout;
 * the static forms ({@link #layerNorms(Architecture, float[], double[])}, {@link #l2Norm}) serve
 * those without wrapping or allocating. Nothing else computes the layout: offsets and counts come
 * from {@link Architecture}.
 */
public final class Parameters {

    private final Architecture arch;
    private final float[] data;

    private Parameters(Architecture arch, float[] data) {
        this.arch = arch;
        this.data = data;
    }

    /** All zeros. */
    public static Parameters zeros(Architecture arch) {
        return new Parameters(arch, new float[arch.parameterCount()]);
    }

    /**
     * Wraps a flat vector without copying: the result and the caller share the array (the training
     * loop updates the weights in place through {@link #flat()}).
     *
     * @throws IllegalArgumentException when the length is not {@code arch.parameterCount()}
     */
    public static Parameters wrap(Architecture arch, float[] flat) {
        if (flat.length != arch.parameterCount()) {
            throw new IllegalArgumentException("parameter vector of " + arch.shape() + " has "
                    + arch.parameterCount() + " entries, found " + flat.length);
        }
        return new Parameters(arch, flat);
    }

    /** A copy of {@code flat}. */
    public static Parameters fromFlat(Architecture arch, float[] flat) {
        return wrap(arch, flat.clone());
    }

    /**
     * Random initial weights, zero biases: every layer's weights uniform in {@code ±1/√n_in}, the scale of PyTorch's
     * {@code nn.Linear} (standard deviation {@code 1/√(3·n_in)}), whatever the activation. He's
     * {@code N(0, 2/n_in)} for the ReLU family was 2.45 times larger and trained measurably worse with the mini-batch
     * defaults (generated sets and a 784-input set with many uninformative inputs, where larger first-layer weights
     * mostly pass noise on; BENCHMARKS.md, "Initialisation"), while full-batch L-BFGS, which finds its own step
     * scale, was as accurate with either. Same architecture and seed ⇒ the same bits.
     */
    public static Parameters initialize(Architecture arch, long seed) {
        Parameters p = zeros(arch);
        SplittableRandom root = new SplittableRandom(seed);
        for (int l = 0; l < arch.numLayers(); l++) {
            SplittableRandom rnd = root.split();
            int in = arch.layerInputs(l), out = arch.layerOutputs(l);
            int off = arch.weightOffset(l);
            double limit = 1.0 / Math.sqrt(in);
            for (int i = 0; i < in * out; i++) p.data[off + i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
        }
        return p;
    }

    public Architecture architecture() {
        return arch;
    }

    /** The backing flat array (a view, not a copy). */
    public float[] flat() {
        return data;
    }

    /** A copy of the flat array. */
    public float[] toFlat() {
        return data.clone();
    }

    /** Overwrites every value from {@code flat}. */
    public void setFlat(float[] flat) {
        if (flat.length != data.length) {
            throw new IllegalArgumentException("expected " + data.length + " values, found " + flat.length);
        }
        System.arraycopy(flat, 0, data, 0, data.length);
    }

    public int size() {
        return data.length;
    }

    /** Weight {@code W_l[out][in]}. */
    public float weight(int layer, int out, int in) {
        return data[arch.weightOffset(layer) + out * arch.layerInputs(layer) + in];
    }

    /** Bias {@code b_l[out]}. */
    public float bias(int layer, int out) {
        return data[arch.biasOffset(layer) + out];
    }

    /** Euclidean norm, accumulated in double. */
    public double l2Norm() {
        return l2Norm(data, 0, data.length);
    }

    /** Euclidean norm of {@code v[off..off+len)}, accumulated in double. */
    public static double l2Norm(float[] v, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) s += (double) v[i] * v[i];
        return Math.sqrt(s);
    }

    /** Norm of each layer's slice (weights and biases together), in layer order. */
    public double[] layerNorms() {
        return layerNorms(arch, data, new double[arch.numLayers()]);
    }

    /**
     * {@code out[l] = ‖v_l‖₂}, the norm of layer {@code l}'s slice (its weights then its biases) of a
     * flat vector in this layout, such as a gradient; for the step's hot path, which keeps raw arrays.
     *
     * @param v a flat vector of {@code arch.parameterCount()} values. Not modified.
     * @param out one entry per layer. Modified.
     * @return out
     */
    public static double[] layerNorms(Architecture arch, float[] v, double[] out) {
        if (v.length != arch.parameterCount() || out.length != arch.numLayers()) {
            throw new IllegalArgumentException("layer norms of " + arch.shape() + " take " + arch.parameterCount()
                    + " values into " + arch.numLayers() + " norms, found " + v.length + " into " + out.length);
        }
        for (int l = 0; l < out.length; l++) out[l] = l2Norm(v, arch.weightOffset(l), arch.layerParameterCount(l));
        return out;
    }

    /** True when every value is finite. */
    public boolean allFinite() {
        for (float v : data) if (!Float.isFinite(v)) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && arch.equals(p.arch) && Arrays.equals(data, p.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }
}
