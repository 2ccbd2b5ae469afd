package io.sparkmlp.kernel;

import java.util.Locale;

/**
 * Output layer and loss, fused where that is exact and stable. Sign convention, stated once:
 * {@code delta = ∂loss/∂z} of the output pre-activation {@code z}, so the fused pairs give
 * {@code delta = output − target}.
 *
 * <p>Targets: a label per row. For the classification losses it is the class index; for
 * {@link #IDENTITY_MSE} and {@link #SIGMOID_MSE} with one output unit it is the target value
 * itself, and with {@code k > 1} output units it is a class index turned into a one-hot target.
 *
 * <ul>
 *   <li>{@link #SOFTMAX_CROSS_ENTROPY}: {@code loss = logΣexp(z) − z_y} (log-sum-exp with the
 *       max subtracted), {@code delta = softmax(z) − onehot(y)}; needs at least 2 outputs.</li>
 *   <li>{@link #SIGMOID_BINARY_CROSS_ENTROPY}: one output, {@code y ∈ {0,1}},
 *       {@code loss = max(z,0) − y·z + log(1+exp(−|z|))} (BCE from the logit),
 *       {@code delta = σ(z) − y}.</li>
 *   <li>{@link #IDENTITY_MSE}: {@code loss = ½‖z − t‖²}, {@code delta = z − t}.</li>
 *   <li>{@link #SIGMOID_MSE}: the textbook perceptron, {@code o = σ(z)}, {@code loss = ½‖o − t‖²},
 *       {@code delta = (o − t)·o·(1 − o)}.</li>
 * </ul>
 */
public enum OutputLoss {
    SOFTMAX_CROSS_ENTROPY(true),
    SIGMOID_BINARY_CROSS_ENTROPY(true),
    IDENTITY_MSE(false),
    SIGMOID_MSE(true);

    private final boolean probabilistic;

    OutputLoss(boolean probabilistic) {
        this.probabilistic = probabilistic;
    }

    /** True when the outputs after {@link #activateOutputs} lie in [0,1]. */
    public boolean probabilisticOutputs() {
        return probabilistic;
    }

    /** Checks the number of output units suits this loss; the message names both. */
    public void checkOutputs(int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("output layer needs at least 1 unit, found " + outputs);
        }
        if (this == SOFTMAX_CROSS_ENTROPY && outputs < 2) {
            throw new IllegalArgumentException("softmax cross-entropy needs at least 2 outputs, found " + outputs);
        }
        if (this == SIGMOID_BINARY_CROSS_ENTROPY && outputs != 1) {
            throw new IllegalArgumentException("sigmoid binary cross-entropy needs exactly 1 output, found " + outputs);
        }
    }

    /**
     * Loss of each row and {@code delta = ∂loss/∂z}, from the output pre-activations.
     *
     * @param z pre-activations, rows × k row-major. Not modified.
     * @param labels one label per row from {@code labelOffset}, see the class comment; a class
     *     label that is not a valid class index is rejected, naming its index in this array. Not modified.
     * @param delta rows × k row-major output. Modified.
     * @return the sum of the rows' losses, accumulated in double
     */
    public double lossAndDelta(float[] z, float[] labels, int labelOffset, int rows, int k, float[] delta) {
        double sum = 0;
        switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0; r < rows; r++) {
                    int o = r * k;
                    int y = classIndex(labels[labelOffset + r], k, labelOffset + r);
                    double logSumExp = softmaxRow(z, o, k, delta);
                    delta[o + y] -= 1f;
                    sum += logSumExp - z[o + y];
                }
            }
            case SIGMOID_BINARY_CROSS_ENTROPY -> {
                for (int r = 0; r < rows; r++) {
                    float zz = z[r];
                    float y = classIndex(labels[labelOffset + r], 2, labelOffset + r);
                    delta[r] = Activation.sigmoid(zz) - y;
                    sum += Math.max(zz, 0f) - (double) y * zz + Math.log1p(Math.exp(-Math.abs(zz)));
                }
            }
            case IDENTITY_MSE, SIGMOID_MSE -> {
                boolean sig = this == SIGMOID_MSE;
                for (int r = 0; r < rows; r++) {
                    int o = r * k;
                    float label = labels[labelOffset + r];
                    int y = k == 1 ? -1 : classIndex(label, k, labelOffset + r);
                    double rowLoss = 0;
                    for (int j = 0; j < k; j++) {
                        float out = sig ? Activation.sigmoid(z[o + j]) : z[o + j];
                        float t = k == 1 ? label : (j == y ? 1f : 0f);
                        float d = out - t;
                        rowLoss += (double) d * d;
                        delta[o + j] = sig ? d * out * (1f - out) : d;
                    }
                    sum += 0.5 * rowLoss;
                }
            }
            default -> throw new AssertionError(this);
        }
        return sum;
    }

    /**
     * Turns output pre-activations into outputs in place: probabilities for softmax and the
     * sigmoid losses, the values themselves for identity.
     */
    public void activateOutputs(float[] z, int rows, int k) {
        switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> {
                for (int r = 0; r < rows; r++) softmaxRow(z, r * k, k, z);
            }
            case SIGMOID_BINARY_CROSS_ENTROPY, SIGMOID_MSE -> Activation.SIGMOID.apply(z, 0, rows * k);
            case IDENTITY_MSE -> { }
            default -> throw new AssertionError(this);
        }
    }

    /**
     * The class index a label stands for.
     *
     * @param index the label's position in the caller's labels array, for the message
     */
    /**
     * {@code p = softmax(z[o..o+k))} with the max subtracted, written to {@code p[o..o+k)} ({@code p} may be
     * {@code z}: each entry is read before it is written).
     *
     * @return {@code log Σ_j exp(z_j)}, as {@code max + log Σ exp(z_j − max)}
     */
    private static double softmaxRow(float[] z, int o, int k, float[] p) {
        float max = z[o];
        for (int j = 1; j < k; j++) max = Math.max(max, z[o + j]);
        double s = 0;
        for (int j = 0; j < k; j++) {
            float e = (float) Math.exp(z[o + j] - max);
            p[o + j] = e;
            s += e;
        }
        float inv = (float) (1.0 / s);
        for (int j = 0; j < k; j++) p[o + j] *= inv;
        return Math.log(s) + max;
    }

    private int classIndex(float label, int k, int index) {
        int y = (int) label;
        if (y != label || y < 0 || y >= k) {
            throw new IllegalArgumentException("labels[" + index + "] = " + label + " is not a class index in [0, "
                    + k + ") for " + configName());
        }
        return y;
    }

    /** Configuration name, e.g. {@code softmax_cross_entropy}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name, case-insensitively. */
    public static OutputLoss parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (OutputLoss l : values()) {
            if (l.name().equals(n)) return l;
        }
        throw new IllegalArgumentException("unknown output/loss '" + name + "', expected one of "
                + "softmax_cross_entropy, sigmoid_binary_cross_entropy, identity_mse, sigmoid_mse");
    }
}
