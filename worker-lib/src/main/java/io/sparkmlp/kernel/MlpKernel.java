package io.sparkmlp.kernel;

import java.util.Arrays;

/**
 * Forward and backward passes of a multilayer perceptron over a mini-batch, in float32.
 *
 * <p>For a batch {@code X} (rows × n_0, row-major) and labels {@code y}, {@link #gradient} writes
 * the <em>sum</em> over rows of {@code ∂loss/∂θ} into a caller-owned flat vector shaped like
 * {@link Parameters}, and returns the sum of the rows' losses. Sums, not means, so partial results
 * from several partitions add up to the exact gradient of the union.
 *
 * <p>Layer {@code l}: {@code a_{l+1} = f(a_l·W_lᵀ + b_l)} with {@code f} the hidden activation,
 * and the output/loss pair fused on the last layer ({@link OutputLoss}). Backward:
 * {@code ∂W_l = δ_{l+1}ᵀ·a_l}, {@code ∂b_l = Σ_rows δ_{l+1}},
 * {@code δ_l = (δ_{l+1}·W_l) ⊙ f'(a_l)}.
 *
 * <p>Scratch buffers are sized for the largest batch seen (batches are processed in chunks of at
 * most {@link #CHUNK_ROWS} rows, which bounds them) and reused: no allocation per call once
 * warmed up. A kernel is not thread-safe; use one per thread or task.
 */
public final class MlpKernel {

    /** Rows processed per pass; larger batches are accumulated chunk by chunk. */
    public static final int CHUNK_ROWS = 1024;

    private final Architecture arch;
    private final MatrixBackend backend;
    private final int layers;
    private final int[] sizes;
    private final int[] wOff;
    private final int[] bOff;

    private int capacity;
    /** acts[l] holds a_l for l = 1..L (acts[L] holds the output pre-activations). */
    private float[][] acts;
    private float[] deltaA;
    private float[] deltaB;

    public MlpKernel(Architecture arch, Backend backend) {
        this(arch, backend.create());
    }

    public MlpKernel(Architecture arch, MatrixBackend backend) {
        this.arch = arch;
        this.backend = backend;
        this.layers = arch.numLayers();
        this.sizes = arch.sizes();
        this.wOff = new int[layers];
        this.bOff = new int[layers];
        for (int l = 0; l < layers; l++) {
            wOff[l] = arch.weightOffset(l);
            bOff[l] = arch.biasOffset(l);
        }
    }

    public Architecture architecture() {
        return arch;
    }

    /** The matrix-product implementation in use. */
    public String backendName() {
        return backend.name();
    }

    private void ensureCapacity(int rows) {
        int need = Math.min(rows, CHUNK_ROWS);
        if (need <= capacity) return;
        acts = new float[layers + 1][];
        for (int l = 1; l <= layers; l++) acts[l] = new float[need * sizes[l]];
        int maxHidden = 1;
        for (int l = 1; l <= layers; l++) maxHidden = Math.max(maxHidden, sizes[l]);
        deltaA = new float[need * maxHidden];
        deltaB = new float[need * maxHidden];
        capacity = need;
    }

    private void checkArgs(float[] x, int xOff, int rows, float[] params) {
        if (params.length != arch.parameterCount()) {
            throw new IllegalArgumentException("parameters of " + arch.shape() + " have "
                    + arch.parameterCount() + " entries, found " + params.length);
        }
        if (rows < 0 || xOff < 0 || (long) xOff + (long) rows * sizes[0] > x.length) {
            throw new IllegalArgumentException("batch of " + rows + " rows × " + sizes[0]
                    + " features at offset " + xOff + " does not fit an input array of " + x.length);
        }
    }

    private static void checkLabels(float[] labels, int labelOff, int rows) {
        if (labelOff < 0 || (long) labelOff + rows > labels.length) {
            throw new IllegalArgumentException("batch of " + rows + " labels at offset " + labelOff
                    + " does not fit a labels array of " + labels.length);
        }
    }

    /**
     * Forward pass of one chunk: leaves a_1..a_{L-1} activated and the output pre-activations
     * in acts[L].
     */
    private void forwardChunk(float[] x, int xOff, int rows, float[] p) {
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l], nOut = sizes[l + 1];
            float[] z = acts[l + 1];
            int bo = bOff[l];
            for (int r = 0; r < rows; r++) System.arraycopy(p, bo, z, r * nOut, nOut);
            backend.forward(rows, nIn, nOut, in, inOff, p, wOff[l], 1f, z, 0);
            if (l < layers - 1) arch.hidden().apply(z, 0, rows * nOut);
            in = z;
            inOff = 0;
        }
    }

    /**
     * Gradient sum and loss sum of a mini-batch.
     *
     * @param x rows × n_0 inputs, row-major, starting at {@code xOff}. Not modified.
     * @param labels one label per row starting at {@code labelOff} (see {@link OutputLoss}). Not modified.
     * @param rows batch size (0 gives a zero gradient and loss)
     * @param params flat parameters. Not modified.
     * @param grad flat output, overwritten with {@code Σ_rows ∂loss/∂θ}; not the same array as
     *     {@code x}, {@code labels} or {@code params}. Modified.
     * @return {@code Σ_rows loss}
     * @throws IllegalArgumentException on arrays that do not fit the architecture or the batch, an
     *     aliased {@code grad}, or a class label outside [0, k) (the message names its index in
     *     {@code labels})
     */
    public double gradient(float[] x, int xOff, float[] labels, int labelOff, int rows, float[] params, float[] grad) {
        checkArgs(x, xOff, rows, params);
        if (grad.length != params.length) {
            throw new IllegalArgumentException("gradient buffer has " + grad.length + " entries, expected " + params.length);
        }
        checkLabels(labels, labelOff, rows);
        if (grad == params || grad == x || grad == labels) {
            String what = grad == params ? "parameters" : grad == x ? "inputs" : "labels";
            throw new IllegalArgumentException("gradient buffer must not be the same array as the " + what);
        }
        if (rows == 0) {
            Arrays.fill(grad, 0f);
            return 0;
        }
        ensureCapacity(rows);
        double loss = 0;
        for (int start = 0; start < rows; start += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, rows - start);
            loss += backwardChunk(x, xOff + start * sizes[0], labels, labelOff + start, n, params, grad, start == 0);
        }
        return loss;
    }

    private double backwardChunk(float[] x, int xOff, float[] labels, int labelOff, int rows, float[] p,
                                 float[] grad, boolean first) {
        forwardChunk(x, xOff, rows, p);
        float beta = first ? 0f : 1f;
        float[] delta = deltaA;
        float[] spare = deltaB;
        double loss = arch.output().lossAndDelta(acts[layers], labels, labelOff, rows, sizes[layers], delta);
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = sizes[l], nOut = sizes[l + 1];
            float[] a = l == 0 ? x : acts[l];
            int aOff = l == 0 ? xOff : 0;
            backend.weightGradient(rows, nIn, nOut, delta, 0, a, aOff, beta, grad, wOff[l]);
            int bo = bOff[l];
            if (first) Arrays.fill(grad, bo, bo + nOut, 0f);
            ElementOps.addColumnSums(delta, 0, rows, nOut, grad, bo);   // ∂b_l += Σ_rows δ, in row order
            if (l > 0) {
                backend.inputGradient(rows, nIn, nOut, delta, 0, p, wOff[l], spare, 0);
                arch.hidden().multiplyDerivative(acts[l], spare, 0, rows * nIn);
                float[] t = delta;
                delta = spare;
                spare = t;
            }
        }
        return loss;
    }

    /**
     * Network outputs: class probabilities (softmax, sigmoid outputs) or values (identity).
     *
     * @param out rows × n_L output starting at {@code outOff}. Modified.
     */
    public void predict(float[] x, int xOff, int rows, float[] params, float[] out, int outOff) {
        checkArgs(x, xOff, rows, params);
        int k = sizes[layers];
        if ((long) outOff + (long) rows * k > out.length) {
            throw new IllegalArgumentException("output array of " + out.length + " cannot hold " + rows + " × " + k);
        }
        if (rows == 0) return;
        ensureCapacity(rows);
        for (int start = 0; start < rows; start += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, rows - start);
            forwardChunk(x, xOff + start * sizes[0], n, params);
            arch.output().activateOutputs(acts[layers], n, k);
            System.arraycopy(acts[layers], 0, out, outOff + start * k, n * k);
        }
    }

    /**
     * Loss sum without a gradient, and the outputs if {@code out} is not null.
     */
    public double loss(float[] x, int xOff, float[] labels, int labelOff, int rows, float[] params, float[] out, int outOff) {
        checkArgs(x, xOff, rows, params);
        checkLabels(labels, labelOff, rows);
        if (rows == 0) return 0;
        ensureCapacity(rows);
        int k = sizes[layers];
        double loss = 0;
        for (int start = 0; start < rows; start += CHUNK_ROWS) {
            int n = Math.min(CHUNK_ROWS, rows - start);
            forwardChunk(x, xOff + start * sizes[0], n, params);
            loss += arch.output().lossAndDelta(acts[layers], labels, labelOff + start, n, k, deltaA);
            if (out != null) {
                arch.output().activateOutputs(acts[layers], n, k);
                System.arraycopy(acts[layers], 0, out, outOff + start * k, n * k);
            }
        }
        return loss;
    }

    /**
     * The predicted class of one row of outputs from {@link #predict}: the arg-max for several
     * outputs, {@code p ≥ 0.5} for one sigmoid output. Meaningless for regression.
     */
    public static int predictedClass(float[] outputs, int off, int k) {
        if (k == 1) return outputs[off] >= 0.5f ? 1 : 0;
        int best = 0;
        for (int j = 1; j < k; j++) if (outputs[off + j] > outputs[off + best]) best = j;
        return best;
    }
}
