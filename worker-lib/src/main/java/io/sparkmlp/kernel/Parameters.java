package io.sparkmlp.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Float32 parameters shaped like the network: one weight matrix and one bias vector per layer,
 * stored back to back in one flat array in layer order ({@code W_0, b_0, W_1, b_1, ...}; each
 * {@code W_l} row-major, sizes[l+1] × sizes[l]). Gradients use the same type, so "shaped like the
 * parameters" holds by construction. The flat array is what is broadcast and written to files.
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
     * Wraps a flat vector without copying. The caller must not keep mutating it unless that is
     * the intent (the kernel's gradient buffers do exactly that).
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
     * Random initial weights, zero biases. Hidden layers of the ReLU family take He initialisation
     * ({@code N(0, 2/n_in)}); the other hidden layers and the output layer take Xavier/Glorot
     * ({@code U(±√(6/(n_in+n_out)))}). Same architecture and seed ⇒ the same bits.
     */
    public static Parameters initialize(Architecture arch, long seed) {
        Parameters p = zeros(arch);
        SplittableRandom root = new SplittableRandom(seed);
        for (int l = 0; l < arch.numLayers(); l++) {
            SplittableRandom rnd = root.split();
            int in = arch.layerInputs(l), out = arch.layerOutputs(l);
            int off = arch.weightOffset(l);
            boolean he = l < arch.numLayers() - 1 && arch.hidden().isReluFamily();
            if (he) {
                double sd = Math.sqrt(2.0 / in);
                for (int i = 0; i < in * out; i++) p.data[off + i] = (float) (gaussian(rnd) * sd);
            } else {
                double limit = Math.sqrt(6.0 / (in + out));
                for (int i = 0; i < in * out; i++) p.data[off + i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
            }
        }
        return p;
    }

    /** Standard normal by Box–Muller from an explicit generator (no hidden state). */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
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

    public Parameters zerosLike() {
        return zeros(arch);
    }

    public Parameters copy() {
        return new Parameters(arch, data.clone());
    }

    /** {@code this += other}. Modified: this. */
    public Parameters addInPlace(Parameters other) {
        checkSameShape(other);
        float[] o = other.data;
        for (int i = 0; i < data.length; i++) data[i] += o[i];
        return this;
    }

    /** {@code this *= s}. Modified: this. */
    public Parameters scaleInPlace(float s) {
        for (int i = 0; i < data.length; i++) data[i] *= s;
        return this;
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
        double[] n = new double[arch.numLayers()];
        for (int l = 0; l < n.length; l++) n[l] = l2Norm(data, arch.weightOffset(l), arch.layerParameterCount(l));
        return n;
    }

    /** True when every value is finite. */
    public boolean allFinite() {
        for (float v : data) if (!Float.isFinite(v)) return false;
        return true;
    }

    private void checkSameShape(Parameters other) {
        if (!arch.equals(other.arch)) {
            throw new IllegalArgumentException("Must be same shape. " + arch + " vs " + other.arch);
        }
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
