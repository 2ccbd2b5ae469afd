package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Parameter counts and layout, architecture validation, and parsing of configuration names. */
class ArchitectureTest {

    private static void assertRejected(Executable call, String... facts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : facts) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    // ---- parameter counts: Σ n_out·(n_in+1) --------------------------------------------------

    @Test
    void mnistSizedNetworkHas235146Parameters() {
        Architecture a = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 784, 256, 128, 10);
        assertEquals(256 * 785, a.layerParameterCount(0));
        assertEquals(200_960, a.layerParameterCount(0));
        assertEquals(32_896, a.layerParameterCount(1));
        assertEquals(1_290, a.layerParameterCount(2));
        assertEquals(235_146, a.parameterCount());
        assertEquals(235_146, Parameters.zeros(a).size());
        assertEquals("784-256-128-10", a.shape());
        List<String> lines = a.describeLayers();
        assertEquals(4, lines.size());
        // digits only: the grouping separator follows the default locale
        assertTrue(lines.get(0).replaceAll("[^0-9 ]", "").contains("200960"), lines.get(0));
        assertTrue(lines.get(3).replaceAll("[^0-9 ]", "").contains("235146"), lines.get(3));
    }

    /** 4-5-4-3: 5·(4+1) + 4·(5+1) + 3·(4+1) = 25 + 24 + 15 = 64. */
    @Test
    void smallNetworkCountsEveryLayer() {
        Architecture a = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 5, 4, 3);
        assertEquals(3, a.numLayers());
        assertArrayEquals(new int[] {25, 24, 15},
                new int[] {a.layerParameterCount(0), a.layerParameterCount(1), a.layerParameterCount(2)});
        assertEquals(64, a.parameterCount());
        assertEquals(5, a.maxWidth());
    }

    /** Flat layout W_0, b_0, W_1, b_1, ...; W_l row-major n_out × n_in; offsets and accessors agree. */
    @Test
    void flatLayoutPutsEachLayersWeightsThenBiases() {
        Architecture a = Architecture.of(Activation.TANH, OutputLoss.IDENTITY_MSE, 4, 5, 4, 3);
        assertArrayEquals(new int[] {0, 25, 49}, new int[] {a.weightOffset(0), a.weightOffset(1), a.weightOffset(2)});
        assertArrayEquals(new int[] {20, 45, 61}, new int[] {a.biasOffset(0), a.biasOffset(1), a.biasOffset(2)});
        float[] flat = new float[a.parameterCount()];
        for (int i = 0; i < flat.length; i++) flat[i] = i;
        Parameters p = Parameters.wrap(a, flat);
        assertEquals(25 + 2 * 5 + 3, p.weight(1, 2, 3)); // layer 1 (5 inputs): row 2, column 3
        assertEquals(45 + 2, p.bias(1, 2));
        assertEquals(63, p.bias(2, 2));
        assertRejected(() -> Parameters.wrap(a, new float[63]), "4-5-4-3", "64", "63");
    }

    /** The count of bare sizes (a checkpoint's) is the architecture's, in long arithmetic throughout. */
    @Test
    void parameterCountOfSizesAgreesWithTheArchitecture() {
        Architecture a = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 5, 4, 3);
        assertEquals(64L, Architecture.parameterCount(a.sizes()));
        assertEquals(2L * (Integer.MAX_VALUE + 1L), Architecture.parameterCount(new int[] {Integer.MAX_VALUE, 2}));
        assertRejected(() -> Architecture.of(Activation.TANH, OutputLoss.IDENTITY_MSE, Integer.MAX_VALUE, 1),
                "2147483648 parameters");
    }

    /** ‖v_l‖₂ over layer l's slice [weightOffset(l), weightOffset(l) + n_out·(n_in+1)), in double. */
    @Test
    void layerNormsAreTheNormsOfEachLayersSlice() {
        Architecture a = Architecture.of(Activation.TANH, OutputLoss.IDENTITY_MSE, 4, 5, 4, 3);
        float[] flat = new float[a.parameterCount()];
        for (int i = 0; i < flat.length; i++) flat[i] = (i % 7 - 3) * 0.25f;
        double[] expected = new double[3];
        int[] ends = {25, 49, 64};
        for (int l = 0, i = 0; l < 3; l++) {
            for (; i < ends[l]; i++) expected[l] += (double) flat[i] * flat[i];
            expected[l] = Math.sqrt(expected[l]);
        }
        double[] out = new double[3];
        assertSame(out, Parameters.layerNorms(a, flat, out));
        assertArrayEquals(expected, out, 0.0);
        assertArrayEquals(expected, Parameters.wrap(a, flat).layerNorms(), 0.0);
        assertRejected(() -> Parameters.layerNorms(a, new float[63], out), "4-5-4-3", "64", "63");
        assertRejected(() -> Parameters.layerNorms(a, flat, new double[2]), "3 norms", "into 2");
    }

    @Test
    void initializationIsDeterministicWithZeroBiases() {
        Architecture a = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 6, 9, 4);
        Parameters p = Parameters.initialize(a, 42);
        assertEquals(p, Parameters.initialize(a, 42));
        assertNotEquals(p, Parameters.initialize(a, 43));
        for (int l = 0; l < a.numLayers(); l++) {
            for (int j = 0; j < a.layerOutputs(l); j++) assertEquals(0f, p.bias(l, j));
        }
        assertTrue(p.allFinite() && p.l2Norm() > 0);
    }

    @Test
    void initialWeightsAreUniformWithinOneOverRootFanIn() {
        Architecture a = Architecture.of(Activation.LEAKY_RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 400, 300, 10);
        Parameters p = Parameters.initialize(a, 7);
        for (int l = 0; l < a.numLayers(); l++) {
            int in = a.layerInputs(l), out = a.layerOutputs(l);
            double limit = 1 / Math.sqrt(in), sum2 = 0, max = 0;
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    double w = p.weight(l, j, i);
                    sum2 += w * w;
                    max = Math.max(max, Math.abs(w));
                }
            }
            assertTrue(max <= limit, "layer " + l + ": |w| ≤ 1/√n_in = " + limit + ", found " + max);
            assertTrue(max > 0.99 * limit, "layer " + l + ": the range is used, found at most " + max);
            double sd = Math.sqrt(sum2 / ((double) in * out));
            assertEquals(1 / Math.sqrt(3.0 * in), sd, 0.03 / Math.sqrt(3.0 * in), "layer " + l + ": sd 1/√(3·n_in)");
        }
    }

    // ---- validation ------------------------------------------------------------------------

    @Test
    void rejectsLayersOfSizeZero() {
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 4, 0, 1),
                "hidden layer 1", "found 0");
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 0, 3, 1), "input size", "found 0");
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 4, 3, 0), "output size", "found 0");
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 4, -2, 1), "found -2");
    }

    @Test
    void rejectsOutputSizesTheLossCannotUse() {
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 3, 1),
                "softmax", "at least 2", "found 1");
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY, 4, 3, 2),
                "binary cross-entropy", "exactly 1", "found 2");
    }

    @Test
    void rejectsMissingPieces() {
        assertRejected(() -> Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 4), "[4]");
        assertRejected(() -> new Architecture(null, Activation.RELU, OutputLoss.IDENTITY_MSE), "null");
        assertRejected(() -> Architecture.of(null, OutputLoss.IDENTITY_MSE, 4, 1), "activation");
        assertRejected(() -> Architecture.of(Activation.RELU, null, 4, 1), "output");
    }

    @Test
    void keepsItsOwnCopyOfTheSizes() {
        int[] sizes = {4, 5, 3};
        Architecture a = new Architecture(sizes, Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY);
        sizes[1] = 100;
        a.sizes()[1] = 100;
        assertEquals("4-5-3", a.shape());
        assertEquals(Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 5, 3), a);
    }

    // ---- configuration names ---------------------------------------------------------------

    @Test
    void parsesActivationNames() {
        for (Activation a : Activation.values()) {
            assertEquals(a, Activation.parse(a.configName()));
            assertEquals(a, Activation.parse(a.name()));
        }
        assertEquals(Activation.RELU, Activation.parse(" ReLU "));
        assertEquals(Activation.LEAKY_RELU, Activation.parse("leaky-relu"));
        assertEquals(Activation.LEAKY_RELU, Activation.parse("LeakyReLU"));
        assertEquals("leaky_relu", Activation.LEAKY_RELU.configName());
        assertRejected(() -> Activation.parse("softplus"), "'softplus'", "relu", "leaky_relu", "tanh");
        assertRejected(() -> Activation.parse(""), "''");
    }

    @Test
    void parsesOutputLossNames() {
        for (OutputLoss l : OutputLoss.values()) {
            assertEquals(l, OutputLoss.parse(l.configName()));
        }
        assertEquals(OutputLoss.SOFTMAX_CROSS_ENTROPY, OutputLoss.parse("Softmax-Cross-Entropy"));
        assertEquals(OutputLoss.SIGMOID_MSE, OutputLoss.parse(" sigmoid_mse"));
        assertRejected(() -> OutputLoss.parse("hinge"), "'hinge'", "softmax_cross_entropy", "identity_mse");
    }

    @Test
    void parsesBackendNames() {
        for (Backend b : Backend.values()) assertEquals(b, Backend.parse(b.configName()));
        assertEquals(Backend.NATIVE, Backend.parse("Native"));
        assertRejected(() -> Backend.parse("cuda"), "'cuda'", "auto", "vector", "java", "native", "ejml");
    }
}
