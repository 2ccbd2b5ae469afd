package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Extreme pre-activations: output logits of ±1000 and hidden pre-activations of ±2000 must give
 * finite losses and gradients (no exp overflow, no 0·∞, no log 0), and the losses must have
 * their analytic values.
 */
class KernelStabilityTest {

    static List<Backend> backends() {
        List<Backend> list = new ArrayList<>(List.of(Backend.JAVA, Backend.EJML));
        if (Backend.nativeAvailable()) list.add(Backend.NATIVE);
        if (Backend.vectorAvailable()) list.add(Backend.VECTOR);
        return list;
    }

    /**
     * A 2-3-k network whose every row has exactly the output logits {@code z}: the sigmoid hidden
     * layer has zero weights and biases (a = ½ each), the output weights are ¼ and the output
     * biases {@code z_j − 3·½·¼ = z_j − 0.375}, all exact in float.
     */
    static float[] paramsWithLogits(Architecture arch, float... z) {
        float[] p = new float[arch.parameterCount()];
        int w = arch.weightOffset(1), b = arch.biasOffset(1);
        for (int j = 0; j < z.length; j++) {
            for (int i = 0; i < 3; i++) p[w + j * 3 + i] = 0.25f;
            p[b + j] = z[j] - 0.375f;
        }
        return p;
    }

    /**
     * Runs gradient(), loss() and predict() on rows with the given logits and labels; checks
     * that everything is finite, the logits came out as built, and the gradient matches the
     * double reference. Returns the loss sum.
     */
    static double lossAt(Backend backend, OutputLoss loss, float[] logits, float... labels) {
        int k = logits.length;
        Architecture arch = Architecture.of(Activation.SIGMOID, loss, 2, 3, k);
        float[] p = paramsWithLogits(arch, logits);
        int rows = labels.length;
        float[] x = new float[rows * 2];
        for (int i = 0; i < x.length; i++) x[i] = (i % 5) - 2f; // inputs do not matter: W_0 = 0
        MlpKernel kernel = new MlpKernel(arch, backend);
        String where = backend + " " + loss.configName() + " logits " + java.util.Arrays.toString(logits);

        float[] grad = new float[p.length];
        double sum = kernel.gradient(x, 0, labels, 0, rows, p, grad);
        assertTrue(Double.isFinite(sum), where + ": loss " + sum);
        for (int i = 0; i < grad.length; i++) assertTrue(Float.isFinite(grad[i]), where + ": grad[" + i + "] = " + grad[i]);

        ReferenceMlp.Result ref = ReferenceMlp.lossAndGradient(arch, ReferenceMlp.toDouble(p), ReferenceMlp.toDouble(x), 0,
                ReferenceMlp.toDouble(labels), 0, rows);
        double err = TestNets.relError(ReferenceMlp.toDouble(grad), ref.grad());
        assertTrue(err <= 1e-5, where + ": gradient vs reference, relative error " + err);
        assertEquals(sum, kernel.loss(x, 0, labels, 0, rows, p, null, 0), 0.0, where + ": loss() vs gradient()");

        float[] out = new float[rows * k];
        kernel.predict(x, 0, rows, p, out, 0);
        for (float o : out) {
            assertTrue(Float.isFinite(o), where + ": output " + o);
            if (loss.probabilisticOutputs()) assertTrue(o >= 0f && o <= 1f, where + ": probability " + o);
        }
        if (loss == OutputLoss.IDENTITY_MSE) assertEquals(logits[0], out[0], 0f, where + ": logits not as built");
        return sum;
    }

    @Test
    void softmaxCrossEntropyAtExtremeLogits() {
        for (Backend b : backends()) {
            OutputLoss l = OutputLoss.SOFTMAX_CROSS_ENTROPY;
            // loss = logΣexp(z) − z_y with z = (1000, −1000, 0): ≈ 0, 2000, 1000
            assertEquals(0.0, lossAt(b, l, new float[] {1000, -1000, 0}, 0), 1e-12);
            assertEquals(2000.0, lossAt(b, l, new float[] {1000, -1000, 0}, 1), 2000 * 1e-6);
            assertEquals(1000.0, lossAt(b, l, new float[] {1000, -1000, 0}, 2), 1000 * 1e-6);
            assertEquals(3000.0, lossAt(b, l, new float[] {1000, -1000, 0}, 0, 1, 2), 3000 * 1e-6);
            // all logits hugely negative: naive exp underflows to 0/0; shifted, log(1+e⁻¹+e⁻²) + 2
            double expected = Math.log(1 + Math.exp(-1) + Math.exp(-2)) + 2;
            assertEquals(expected, lossAt(b, l, new float[] {-1000, -1001, -1002}, 2), expected * 1e-5);
            assertEquals(Math.log(3), lossAt(b, l, new float[] {1000, 1000, 1000}, 1), 1e-6);
        }
    }

    @Test
    void softmaxGradientAtExtremeLogitsIsProbabilityMinusOneHot() {
        Architecture arch = Architecture.of(Activation.SIGMOID, OutputLoss.SOFTMAX_CROSS_ENTROPY, 2, 3, 3);
        float[] p = paramsWithLogits(arch, 1000, -1000, 0);
        float[] grad = new float[p.length];
        new MlpKernel(arch, Backend.JAVA).gradient(new float[6], 0, new float[] {0, 1, 2}, 0, 3, p, grad);
        // p = (1, 0, 0); deltas (0,0,0), (1,−1,0), (1,0,−1); sum (2, −1, −1); ∂W = Σδ·a with a = ½
        int b = arch.biasOffset(1), w = arch.weightOffset(1);
        assertEquals(2f, grad[b], 1e-6f);
        assertEquals(-1f, grad[b + 1], 1e-6f);
        assertEquals(-1f, grad[b + 2], 1e-6f);
        assertEquals(1f, grad[w], 1e-6f);
        assertEquals(-0.5f, grad[w + 3], 1e-6f);
        // hidden layer: a = σ(0) = ½ is not saturated, so its gradient is finite and in general not 0
        for (float g : grad) assertTrue(Float.isFinite(g));
    }

    @Test
    void binaryCrossEntropyAtExtremeLogits() {
        for (Backend b : backends()) {
            OutputLoss l = OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY;
            // loss = max(z,0) − y·z + log(1+e^−|z|)
            assertEquals(1000.0, lossAt(b, l, new float[] {1000}, 0), 1000 * 1e-6);
            assertEquals(0.0, lossAt(b, l, new float[] {1000}, 1), 1e-12);
            assertEquals(1000.0, lossAt(b, l, new float[] {-1000}, 1), 1000 * 1e-6);
            assertEquals(0.0, lossAt(b, l, new float[] {-1000}, 0), 1e-12);
            assertEquals(2000.0, lossAt(b, l, new float[] {1000}, 0, 1, 0), 2000 * 1e-6);
        }
    }

    @Test
    void squaredErrorLossesAtExtremeLogits() {
        for (Backend b : backends()) {
            // identity: ½(z − t)²
            assertEquals(500_000.0, lossAt(b, OutputLoss.IDENTITY_MSE, new float[] {1000}, 0), 1e-6 * 500_000);
            assertEquals(500_000.0, lossAt(b, OutputLoss.IDENTITY_MSE, new float[] {-1000}, 0), 1e-6 * 500_000);
            assertEquals(0.0, lossAt(b, OutputLoss.IDENTITY_MSE, new float[] {1000}, 1000), 1e-9);
            // one-hot of class 0 against (1000, −1000, 0): ½(999² + 1000²)
            assertEquals(999_000.5, lossAt(b, OutputLoss.IDENTITY_MSE, new float[] {1000, -1000, 0}, 0), 1e-6 * 999_000.5);
            // sigmoid: the output saturates at 0 or 1, so the loss is ½ or 0 and the gradient 0
            assertEquals(0.5, lossAt(b, OutputLoss.SIGMOID_MSE, new float[] {1000}, 0), 1e-9);
            assertEquals(0.5, lossAt(b, OutputLoss.SIGMOID_MSE, new float[] {-1000}, 1), 1e-9);
            assertEquals(0.0, lossAt(b, OutputLoss.SIGMOID_MSE, new float[] {1000}, 1), 1e-9);
            // outputs (1, 0, ½) against one-hot of class 1: ½(1 + 1 + ¼)
            assertEquals(1.125, lossAt(b, OutputLoss.SIGMOID_MSE, new float[] {1000, -1000, 0}, 1), 1e-6);
        }
    }

    /**
     * Hidden pre-activations of ±2000 and ±1 (inputs ±1, first-layer weights ±1000 and ±999):
     * saturated sigmoid and tanh units, huge ReLU outputs. Everything stays finite and matches the reference.
     */
    @Test
    void saturatedHiddenUnitsStayFinite() {
        for (Backend backend : backends()) {
            for (Activation act : Activation.values()) {
                for (OutputLoss loss : OutputLoss.values()) {
                    int k = loss == OutputLoss.SOFTMAX_CROSS_ENTROPY ? 3 : 1;
                    Architecture arch = Architecture.of(act, loss, 2, 4, k);
                    float[] p = new float[arch.parameterCount()];
                    float[] w0 = {1000, 1000, 1000, -999, -1000, 999, -1000, -1000};
                    System.arraycopy(w0, 0, p, arch.weightOffset(0), w0.length);
                    for (int i = arch.weightOffset(1); i < arch.biasOffset(1); i++) p[i] = (i % 3 - 1) * 1e-4f;
                    float[] x = {1, 1, 1, -1, -1, 1, -1, -1};
                    float[] y = new float[4];
                    for (int r = 0; r < 4; r++) y[r] = loss == OutputLoss.SOFTMAX_CROSS_ENTROPY ? r % 3 : r % 2;
                    float[] grad = new float[p.length];
                    double sum = new MlpKernel(arch, backend).gradient(x, 0, y, 0, 4, p, grad);
                    String where = backend + " " + arch;
                    assertTrue(Double.isFinite(sum), where + ": loss " + sum);
                    for (float g : grad) assertTrue(Float.isFinite(g), where + ": non-finite gradient");
                    ReferenceMlp.Result ref = ReferenceMlp.lossAndGradient(arch, ReferenceMlp.toDouble(p),
                            ReferenceMlp.toDouble(x), 0, ReferenceMlp.toDouble(y), 0, 4);
                    double err = TestNets.relError(ReferenceMlp.toDouble(grad), ref.grad());
                    assertTrue(err <= 1e-4, where + ": gradient vs reference, relative error " + err);
                    assertTrue(TestNets.relError(sum, ref.loss()) <= 1e-5, where + ": loss " + sum + " vs " + ref.loss());
                }
            }
        }
    }
}
