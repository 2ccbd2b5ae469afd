package io.sparkmlp.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Random networks, batches and error measures shared by the kernel tests. All seeded. */
final class TestNets {

    private TestNets() {
    }

    /** Input and hidden sizes of the test networks: no hidden layer, one, two and three. */
    static final List<int[]> BODIES = List.of(new int[] {5}, new int[] {4, 6}, new int[] {6, 8, 5}, new int[] {3, 7, 6, 5});

    /**
     * Minimum |hidden pre-activation| a row must have to be used with a ReLU-family activation,
     * so that neither a finite-difference step nor float rounding moves a unit across the kink.
     */
    static final double KINK_MARGIN = 1e-3;

    /** Output sizes each loss is tested with: one unit and several where the loss allows both. */
    static int[] outputSizes(OutputLoss loss) {
        return switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> new int[] {3};
            case SIGMOID_BINARY_CROSS_ENTROPY -> new int[] {1};
            case IDENTITY_MSE, SIGMOID_MSE -> new int[] {1, 3};
        };
    }

    /** Every test architecture for one activation and loss. */
    static List<Architecture> architectures(Activation act, OutputLoss loss) {
        List<Architecture> list = new ArrayList<>();
        for (int[] body : BODIES) {
            for (int k : outputSizes(loss)) {
                int[] sizes = Arrays.copyOf(body, body.length + 1);
                sizes[body.length] = k;
                list.add(new Architecture(sizes, act, loss));
            }
        }
        return list;
    }

    /** {@link Parameters#initialize} weights plus biases drawn from U(−0.5, 0.5), so biases matter too. */
    static float[] randomParams(Architecture arch, long seed) {
        float[] p = Parameters.initialize(arch, seed).flat();
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        for (int l = 0; l < arch.numLayers(); l++) {
            int b = arch.biasOffset(l);
            for (int j = 0; j < arch.layerOutputs(l); j++) p[b + j] = (float) (rnd.nextDouble() - 0.5);
        }
        return p;
    }

    /** One label suited to the loss: class index, {0,1}, a target in [0,1] or in [−2,2]. */
    static float randomLabel(OutputLoss loss, int k, SplittableRandom rnd) {
        if (loss == OutputLoss.SOFTMAX_CROSS_ENTROPY || k > 1) return rnd.nextInt(k);
        return switch (loss) {
            case SIGMOID_BINARY_CROSS_ENTROPY -> rnd.nextInt(2);
            case SIGMOID_MSE -> (float) rnd.nextDouble();
            case IDENTITY_MSE -> (float) (4 * rnd.nextDouble() - 2);
            default -> throw new AssertionError(loss);
        };
    }

    /** A batch: {@code rows} rows of inputs starting at {@code xOff} and labels at {@code labelOff}. */
    record Batch(float[] x, int xOff, float[] labels, int labelOff, int rows) {
        double[] xd() {
            return ReferenceMlp.toDouble(x);
        }

        double[] labelsd() {
            return ReferenceMlp.toDouble(labels);
        }
    }

    /**
     * Random inputs in U(−1, 1) with suitable labels. With a ReLU-family hidden activation only
     * rows whose hidden pre-activations all keep {@link #KINK_MARGIN} away from 0 are kept. The
     * batch sits at offsets {@code xPad}, {@code labelPad} inside arrays padded with NaN on both
     * sides, so a kernel that reads outside its slice gets NaN.
     */
    static Batch randomBatch(Architecture arch, float[] params, int rows, long seed, int xPad, int labelPad) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n0 = arch.inputSize(), k = arch.outputSize();
        float[] x = new float[xPad + rows * n0 + 3];
        float[] y = new float[labelPad + rows + 3];
        Arrays.fill(x, Float.NaN);
        Arrays.fill(y, Float.NaN);
        double[] p = ReferenceMlp.toDouble(params);
        boolean kinks = arch.hidden().isReluFamily() && arch.numLayers() > 1;
        double[] row = new double[n0];
        for (int r = 0; r < rows; ) {
            for (int i = 0; i < n0; i++) row[i] = (float) (2 * rnd.nextDouble() - 1);
            if (kinks && ReferenceMlp.hiddenMargin(arch, p, row, 0) < KINK_MARGIN) continue;
            for (int i = 0; i < n0; i++) x[xPad + r * n0 + i] = (float) row[i];
            y[labelPad + r] = randomLabel(arch.output(), k, rnd);
            r++;
        }
        return new Batch(x, xPad, y, labelPad, rows);
    }

    static double norm(double[] v) {
        double s = 0;
        for (double d : v) s += d * d;
        return Math.sqrt(s);
    }

    /** {@code ‖a − b‖ / max(‖a‖, ‖b‖, 1e-12)}: robust when both are tiny. */
    static double relError(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(d) / Math.max(Math.max(norm(a), norm(b)), 1e-12);
    }

    /** Scalar version of {@link #relError(double[], double[])}. */
    static double relError(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-12);
    }

    static double[] slice(double[] v, int off, int len) {
        return Arrays.copyOfRange(v, off, off + len);
    }
}
