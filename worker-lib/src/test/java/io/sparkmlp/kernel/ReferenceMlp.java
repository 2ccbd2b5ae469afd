package io.sparkmlp.kernel;

/**
 * The oracle: a plain double-precision MLP, one row at a time, with loops only (no BLAS, no
 * batching, no fused buffers). It shares nothing with {@link MlpKernel} but the parameter layout
 * ({@code W_0, b_0, W_1, b_1, ...}, each {@code W_l} row-major n_out × n_in) and the label
 * conventions of {@link OutputLoss}. Activation derivatives are taken from the pre-activation
 * {@code z} (the kernel takes them from the output), and the losses are written from their
 * textbook definitions. {@link ReferenceMlpTest} checks it against finite differences.
 */
final class ReferenceMlp {

    private ReferenceMlp() {
    }

    /** Loss sum and gradient sum of a batch. */
    record Result(double loss, double[] grad) {
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    // ---- scalar functions, in double -------------------------------------------------------

    static double sigmoid(double z) {
        if (z >= 0) return 1.0 / (1.0 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^u)} without overflow. */
    static double softplus(double u) {
        return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
    }

    static double activate(Activation f, double z) {
        return switch (f) {
            case IDENTITY -> z;
            case SIGMOID -> sigmoid(z);
            case TANH -> Math.tanh(z);
            case RELU -> z > 0 ? z : 0;
            case LEAKY_RELU -> z > 0 ? z : Activation.LEAKY_SLOPE * z;
        };
    }

    /** {@code f'(z)}, from the pre-activation. At the ReLU kink (z = 0) the kernel's choice, 0 / slope. */
    static double derivative(Activation f, double z) {
        return switch (f) {
            case IDENTITY -> 1;
            case SIGMOID -> sigmoid(z) * (1 - sigmoid(z));
            case TANH -> 1 - Math.tanh(z) * Math.tanh(z);
            case RELU -> z > 0 ? 1 : 0;
            case LEAKY_RELU -> z > 0 ? 1 : Activation.LEAKY_SLOPE;
        };
    }

    /** Target vector of one row: the label itself for one MSE output, else one-hot of the class index. */
    static double[] target(OutputLoss loss, double label, int k) {
        double[] t = new double[k];
        if (k == 1) {
            t[0] = label;
        } else {
            t[(int) label] = 1;
        }
        return t;
    }

    /** Loss of one row from its output pre-activations {@code z}. */
    static double rowLoss(OutputLoss loss, double[] z, double label) {
        int k = z.length;
        switch (loss) {
            case SOFTMAX_CROSS_ENTROPY: {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) max = Math.max(max, v);
                double s = 0;
                for (double v : z) s += Math.exp(v - max);
                return max + Math.log(s) - z[(int) label];
            }
            case SIGMOID_BINARY_CROSS_ENTROPY:
                // −y·log σ(z) − (1−y)·log(1−σ(z)), with −log σ(z) = softplus(−z), −log(1−σ(z)) = softplus(z)
                return label * softplus(-z[0]) + (1 - label) * softplus(z[0]);
            case IDENTITY_MSE:
            case SIGMOID_MSE: {
                double[] t = target(loss, label, k);
                double s = 0;
                for (int j = 0; j < k; j++) {
                    double o = loss == OutputLoss.SIGMOID_MSE ? sigmoid(z[j]) : z[j];
                    s += (o - t[j]) * (o - t[j]);
                }
                return 0.5 * s;
            }
            default:
                throw new AssertionError(loss);
        }
    }

    /** {@code ∂loss/∂z} of one row. */
    static double[] rowDelta(OutputLoss loss, double[] z, double label) {
        int k = z.length;
        double[] d = new double[k];
        switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> {
                double[] p = outputs(loss, z);
                for (int j = 0; j < k; j++) d[j] = p[j] - (j == (int) label ? 1 : 0);
            }
            case SIGMOID_BINARY_CROSS_ENTROPY -> d[0] = sigmoid(z[0]) - label;
            case IDENTITY_MSE -> {
                double[] t = target(loss, label, k);
                for (int j = 0; j < k; j++) d[j] = z[j] - t[j];
            }
            case SIGMOID_MSE -> {
                double[] t = target(loss, label, k);
                for (int j = 0; j < k; j++) {
                    double o = sigmoid(z[j]);
                    d[j] = (o - t[j]) * o * (1 - o);
                }
            }
            default -> throw new AssertionError(loss);
        }
        return d;
    }

    /** The network's outputs from the output pre-activations: probabilities or values. */
    static double[] outputs(OutputLoss loss, double[] z) {
        int k = z.length;
        double[] o = new double[k];
        switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) max = Math.max(max, v);
                double s = 0;
                for (int j = 0; j < k; j++) {
                    o[j] = Math.exp(z[j] - max);
                    s += o[j];
                }
                for (int j = 0; j < k; j++) o[j] /= s;
            }
            case SIGMOID_BINARY_CROSS_ENTROPY, SIGMOID_MSE -> {
                for (int j = 0; j < k; j++) o[j] = sigmoid(z[j]);
            }
            case IDENTITY_MSE -> System.arraycopy(z, 0, o, 0, k);
            default -> throw new AssertionError(loss);
        }
        return o;
    }

    // ---- the network -----------------------------------------------------------------------

    /**
     * Pre-activations of every layer for one input row: {@code z[l]} for layer l (l = 0..L-1),
     * {@code z[L-1]} being the output pre-activations.
     */
    static double[][] preActivations(Architecture arch, double[] p, double[] x, int xOff) {
        int layers = arch.numLayers();
        double[][] z = new double[layers][];
        double[] a = new double[arch.inputSize()];
        System.arraycopy(x, xOff, a, 0, a.length);
        for (int l = 0; l < layers; l++) {
            int nIn = arch.layerInputs(l), nOut = arch.layerOutputs(l);
            int w = arch.weightOffset(l), b = arch.biasOffset(l);
            z[l] = new double[nOut];
            for (int j = 0; j < nOut; j++) {
                double s = p[b + j];
                for (int i = 0; i < nIn; i++) s += p[w + j * nIn + i] * a[i];
                z[l][j] = s;
            }
            if (l < layers - 1) {
                a = new double[nOut];
                for (int j = 0; j < nOut; j++) a[j] = activate(arch.hidden(), z[l][j]);
            }
        }
        return z;
    }

    /** Smallest |pre-activation| over the hidden units of one row (infinity with no hidden layer). */
    static double hiddenMargin(Architecture arch, double[] p, double[] x, int xOff) {
        double[][] z = preActivations(arch, p, x, xOff);
        double m = Double.POSITIVE_INFINITY;
        for (int l = 0; l < z.length - 1; l++) {
            for (double v : z[l]) m = Math.min(m, Math.abs(v));
        }
        return m;
    }

    /** Loss sum over {@code rows} rows starting at x[xOff], labels[labelOff]. */
    static double loss(Architecture arch, double[] p, double[] x, int xOff, double[] labels, int labelOff, int rows) {
        double sum = 0;
        int n0 = arch.inputSize();
        for (int r = 0; r < rows; r++) {
            double[][] z = preActivations(arch, p, x, xOff + r * n0);
            sum += rowLoss(arch.output(), z[z.length - 1], labels[labelOff + r]);
        }
        return sum;
    }

    /** Outputs (rows × k, row-major) as {@link MlpKernel#predict} defines them. */
    static double[] predict(Architecture arch, double[] p, double[] x, int xOff, int rows) {
        int n0 = arch.inputSize(), k = arch.outputSize();
        double[] out = new double[rows * k];
        for (int r = 0; r < rows; r++) {
            double[][] z = preActivations(arch, p, x, xOff + r * n0);
            System.arraycopy(outputs(arch.output(), z[z.length - 1]), 0, out, r * k, k);
        }
        return out;
    }

    /** Loss sum and gradient sum by backpropagation, row by row. */
    static Result lossAndGradient(Architecture arch, double[] p, double[] x, int xOff, double[] labels, int labelOff,
                                  int rows) {
        int layers = arch.numLayers();
        int n0 = arch.inputSize();
        double[] g = new double[p.length];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double[][] z = preActivations(arch, p, x, xOff + r * n0);
            double label = labels[labelOff + r];
            sum += rowLoss(arch.output(), z[layers - 1], label);
            double[] delta = rowDelta(arch.output(), z[layers - 1], label);
            for (int l = layers - 1; l >= 0; l--) {
                int nIn = arch.layerInputs(l), nOut = arch.layerOutputs(l);
                int w = arch.weightOffset(l), b = arch.biasOffset(l);
                double[] a = new double[nIn];
                for (int i = 0; i < nIn; i++) {
                    a[i] = l == 0 ? x[xOff + r * n0 + i] : activate(arch.hidden(), z[l - 1][i]);
                }
                for (int j = 0; j < nOut; j++) {
                    g[b + j] += delta[j];
                    for (int i = 0; i < nIn; i++) g[w + j * nIn + i] += delta[j] * a[i];
                }
                if (l > 0) {
                    double[] prev = new double[nIn];
                    for (int i = 0; i < nIn; i++) {
                        double s = 0;
                        for (int j = 0; j < nOut; j++) s += delta[j] * p[w + j * nIn + i];
                        prev[i] = s * derivative(arch.hidden(), z[l - 1][i]);
                    }
                    delta = prev;
                }
            }
        }
        return new Result(sum, g);
    }
}
