package io.sparkmlp.kernel;

import java.util.Locale;

/**
 * Hidden-layer activation functions, applied element-wise in place.
 *
 * <p>The derivative is expressed through the activation's <em>output</em> {@code a = f(z)}, so the
 * backward pass needs no copy of the pre-activations: sigmoid {@code a(1-a)}, tanh {@code 1-a²},
 * ReLU {@code [a>0]}, leaky ReLU {@code a>0 ? 1 : α} (with {@code α = 0.01}, and {@code a>0 ⇔ z>0}).
 */
public enum Activation {
    IDENTITY {
        @Override public void apply(float[] z, int off, int len) { }
        @Override public void multiplyDerivative(float[] a, float[] delta, int off, int len) { }
    },
    SIGMOID {
        @Override public void apply(float[] z, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) z[i] = sigmoid(z[i]);
        }
        @Override public void multiplyDerivative(float[] a, float[] delta, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) delta[i] *= a[i] * (1f - a[i]);
        }
    },
    TANH {
        @Override public void apply(float[] z, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) z[i] = (float) Math.tanh(z[i]);
        }
        @Override public void multiplyDerivative(float[] a, float[] delta, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) delta[i] *= 1f - a[i] * a[i];
        }
    },
    RELU {
        @Override public void apply(float[] z, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) z[i] = Math.max(z[i], 0f);
        }
        @Override public void multiplyDerivative(float[] a, float[] delta, int off, int len) {
            ElementOps.reluMask(a, delta, off, len);   // if (!(a[i] > 0)) delta[i] = 0, branch-free
        }
    },
    LEAKY_RELU {
        @Override public void apply(float[] z, int off, int len) {
            ElementOps.leakyRelu(z, off, len, LEAKY_SLOPE);   // if (!(z[i] > 0)) z[i] *= α, branch-free
        }
        @Override public void multiplyDerivative(float[] a, float[] delta, int off, int len) {
            ElementOps.scaleWhereNotPositive(a, delta, off, len, LEAKY_SLOPE);   // if (!(a[i] > 0)) delta[i] *= α
        }
    };

    /** Slope of leaky ReLU for negative inputs. */
    public static final float LEAKY_SLOPE = 0.01f;

    /** {@code z[off..off+len) := f(z)}. Modified: z. */
    public abstract void apply(float[] z, int off, int len);

    /**
     * {@code delta[i] *= f'(z_i)}, computed from the activation output {@code a = f(z)}.
     *
     * @param a activation outputs. Not modified.
     * @param delta upstream gradient ∂L/∂a on entry, ∂L/∂z on return. Modified.
     */
    public abstract void multiplyDerivative(float[] a, float[] delta, int off, int len);

    /** True for the ReLU family (kinks at 0). */
    public boolean isReluFamily() {
        return this == RELU || this == LEAKY_RELU;
    }

    /** Numerically stable logistic function: never evaluates {@code exp} of a positive argument. */
    public static float sigmoid(float z) {
        if (z >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return (float) (e / (1.0 + e));
    }

    /** Configuration name, e.g. {@code leaky_relu}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name ({@code relu}, {@code leaky_relu}, ...), case-insensitively. */
    public static Activation parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (n.equals("LEAKYRELU")) n = "LEAKY_RELU";
        for (Activation a : values()) {
            if (a.name().equals(n)) return a;
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "', expected one of identity, sigmoid, tanh, relu, leaky_relu");
    }
}
