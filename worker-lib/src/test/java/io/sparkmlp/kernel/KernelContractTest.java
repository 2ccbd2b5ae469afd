package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel's contract apart from the numbers: reused buffers give bit-identical results, the
 * gradient buffer is overwritten (never accumulated into), and bad arguments are rejected with an
 * {@link IllegalArgumentException} whose message carries the facts.
 */
class KernelContractTest {

    private static final Architecture NET = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 6, 5, 3);

    private static float[] bits(float[] v) {
        return v.clone();
    }

    // ---- buffers and determinism -----------------------------------------------------------

    /**
     * Repeated calls with one batch give the same bits, whatever batch sizes ran in between
     * (buffers grow and are reused), and whatever the gradient buffer held before (garbage, NaN,
     * ±∞): it is fully overwritten. 2,500 rows cover the chunked path, where only the first
     * chunk may overwrite and the later ones accumulate.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"VECTOR", "JAVA", "EJML", "NATIVE"})
    void repeatedCallsAreBitIdenticalAndOverwriteTheGradient(Backend backend) {
        KernelVsReferenceTest.assumeBackend(backend);
        MlpKernel kernel = new MlpKernel(NET, backend);
        float[] params = TestNets.randomParams(NET, 11);
        int n = params.length;
        for (int rows : new int[] {1, 7, 128, 2500}) {
            TestNets.Batch b = TestNets.randomBatch(NET, params, rows, 12 + rows, 1, 1);
            float[] first = new float[n];
            double loss = kernel.gradient(b.x(), b.xOff(), b.labels(), b.labelOff(), rows, params, first);

            float[][] prefills = {filled(n, Float.NaN), filled(n, Float.POSITIVE_INFINITY), filled(n, -1e30f), garbage(n)};
            for (float[] g : prefills) {
                // another batch size in between, so buffers are resized or reused with other contents
                TestNets.Batch other = TestNets.randomBatch(NET, params, rows == 7 ? 300 : 7, 99, 0, 0);
                kernel.gradient(other.x(), 0, other.labels(), 0, other.rows(), params, new float[n]);

                double again = kernel.gradient(b.x(), b.xOff(), b.labels(), b.labelOff(), rows, params, g);
                assertEquals(loss, again, 0.0, backend + " rows " + rows + ": loss changed between calls");
                assertArrayEquals(first, g, backend + " rows " + rows + ": gradient not bit-identical"
                        + " (or not fully overwritten) on a repeated call");
            }
            // a fresh kernel agrees with the warmed-up one
            float[] fresh = new float[n];
            new MlpKernel(NET, backend).gradient(b.x(), b.xOff(), b.labels(), b.labelOff(), rows, params, fresh);
            assertArrayEquals(first, fresh, backend + " rows " + rows + ": fresh kernel differs from a reused one");
        }
    }

    @Test
    void emptyBatchGivesZeroGradientAndLoss() {
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        float[] g = filled(NET.parameterCount(), Float.NaN);
        double loss = kernel.gradient(new float[0], 0, new float[0], 0, 0, TestNets.randomParams(NET, 1), g);
        assertEquals(0.0, loss);
        assertArrayEquals(new float[g.length], g);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static float[] garbage(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = Float.intBitsToFloat(0x7f7f_0000 ^ (i * 0x9e37_79b9));
        return a;
    }

    // ---- argument checks -------------------------------------------------------------------

    private static void assertRejected(Executable call, String... facts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : facts) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void rejectsParametersOfTheWrongLength() {
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        int n = NET.parameterCount(); // 4-6-5-3: 30 + 35 + 18 = 83
        float[] x = new float[8], y = new float[2];
        assertRejected(() -> kernel.gradient(x, 0, y, 0, 2, new float[n - 1], new float[n - 1]), "4-6-5-3", "83", "82");
        assertRejected(() -> kernel.predict(x, 0, 2, new float[n + 1], new float[6], 0), "83", "84");
        assertRejected(() -> kernel.loss(x, 0, y, 0, 2, new float[0], null, 0), "83", "found 0");
    }

    @Test
    void rejectsAGradientBufferOfTheWrongLength() {
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        float[] x = new float[8], y = new float[2];
        assertRejected(() -> kernel.gradient(x, 0, y, 0, 2, new float[83], new float[80]), "80", "83");
    }

    @Test
    void rejectsAGradientBufferThatAliasesAnInput() {
        // 83 inputs of a 1-layer 82→1 net: x, labels and params can all have the gradient's length
        Architecture arch = Architecture.of(Activation.TANH, OutputLoss.IDENTITY_MSE, 82, 1);
        MlpKernel kernel = new MlpKernel(arch, Backend.JAVA);
        float[] p = new float[83];
        float[] x = new float[83];
        float[] y = new float[83];
        assertRejected(() -> kernel.gradient(x, 0, y, 0, 1, p, p), "parameters");
        assertRejected(() -> kernel.gradient(x, 0, y, 0, 1, p, x), "inputs");
        assertRejected(() -> kernel.gradient(x, 0, y, 0, 1, p, y), "labels");
    }

    @Test
    void rejectsInputsAndLabelsThatDoNotHoldTheBatch() {
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        float[] p = new float[83], g = new float[83];
        assertRejected(() -> kernel.gradient(new float[11], 0, new float[3], 0, 3, p, g), "3 rows", "4 features", "11");
        assertRejected(() -> kernel.gradient(new float[12], 1, new float[3], 0, 3, p, g), "offset 1", "12");
        assertRejected(() -> kernel.gradient(new float[12], 0, new float[3], 1, 3, p, g), "3 labels", "offset 1", "3");
        assertRejected(() -> kernel.loss(new float[12], 0, new float[2], 0, 3, p, null, 0), "3 labels", "2");
        assertRejected(() -> kernel.gradient(new float[12], 0, new float[3], 0, -1, p, g), "-1");
        assertRejected(() -> kernel.predict(new float[12], 0, 3, p, new float[8], 0), "8", "3 × 3");
    }

    @Test
    void rejectsLabelsOutsideTheClassRange() {
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        float[] p = TestNets.randomParams(NET, 3), g = new float[p.length];
        float[] x = new float[5 * 4];
        for (float bad : new float[] {3f, -1f, 1.5f, Float.NaN}) {
            float[] y = {0, 1, 2, bad, 0};
            assertRejected(() -> kernel.gradient(x, 0, y, 0, 5, p, g), "labels[3]", String.valueOf(bad), "[0, 3)");
            assertRejected(() -> kernel.loss(x, 0, y, 0, 5, p, null, 0), "labels[3]", String.valueOf(bad), "[0, 3)");
        }
        // The position named is the index into the labels array, also past the first chunk.
        int rows = MlpKernel.CHUNK_ROWS + 10;
        float[] bigX = new float[rows * 4];
        float[] bigY = new float[rows + 2];
        bigY[2 + MlpKernel.CHUNK_ROWS + 5] = 7f;
        float[] bigG = new float[p.length];
        assertRejected(() -> kernel.gradient(bigX, 0, bigY, 2, rows, p, bigG),
                "labels[" + (2 + MlpKernel.CHUNK_ROWS + 5) + "]", "7.0", "[0, 3)");

        // Binary cross-entropy takes class 0 or 1; MSE with several outputs takes a class index.
        Architecture bce = Architecture.of(Activation.RELU, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY, 4, 3, 1);
        MlpKernel kb = new MlpKernel(bce, Backend.JAVA);
        float[] pb = new float[bce.parameterCount()];
        for (float bad : new float[] {2f, -1f, 0.5f}) {
            assertRejected(() -> kb.gradient(new float[8], 0, new float[] {1, bad}, 0, 2, pb, new float[pb.length]),
                    "labels[1]", String.valueOf(bad), "[0, 2)");
        }
        Architecture mse = Architecture.of(Activation.RELU, OutputLoss.SIGMOID_MSE, 4, 3, 3);
        MlpKernel km = new MlpKernel(mse, Backend.JAVA);
        float[] pm = new float[mse.parameterCount()];
        assertRejected(() -> km.gradient(new float[4], 0, new float[] {3}, 0, 1, pm, new float[pm.length]),
                "labels[0]", "3.0", "[0, 3)");
    }
}
