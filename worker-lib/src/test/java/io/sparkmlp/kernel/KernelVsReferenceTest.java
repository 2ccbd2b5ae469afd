package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float kernel against the double reference on random networks (no hidden layer, one, two
 * and three hidden layers), for every backend × activation × output/loss and batch sizes 1, 7 and
 * 128, then for batches of several chunks. Gradients: relative error of the whole vector
 * ≤ {@value #GRAD_TOLERANCE}, and of each layer's weights and biases ≤ {@value #BLOCK_TOLERANCE}
 * (so a wrong small block cannot hide behind a big one); loss sums ≤ {@value #LOSS_TOLERANCE}.
 * Batches sit at odd offsets inside NaN-padded arrays, so reading outside the slice shows up.
 * ReLU-family batches keep {@link TestNets#KINK_MARGIN} from every kink (float rounding would
 * otherwise legitimately flip a unit's derivative).
 */
class KernelVsReferenceTest {

    static final double GRAD_TOLERANCE = 1e-4;
    static final double BLOCK_TOLERANCE = 1e-4;
    static final double LOSS_TOLERANCE = 1e-5;
    static final double OUTPUT_TOLERANCE = 1e-5;

    static final int[] BATCH_SIZES = {1, 7, 128};

    static Stream<Arguments> backendsActivationsLosses() {
        return Stream.of(Backend.VECTOR, Backend.JAVA, Backend.EJML, Backend.NATIVE)
                .flatMap(b -> Stream.of(Activation.values())
                        .flatMap(a -> Stream.of(OutputLoss.values()).map(l -> Arguments.of(b, a, l))));
    }

    static void assumeBackend(Backend backend) {
        if (backend == Backend.NATIVE) {
            assumeTrue(Backend.nativeAvailable(), "no native BLAS on this machine");
        }
        if (backend == Backend.VECTOR) {
            assumeTrue(Backend.vectorAvailable(), "jdk.incubator.vector not loaded");
        }
    }

    /** Checks gradient(), loss() and predict() of the kernel on one batch against the reference. */
    static void checkAgainstReference(MlpKernel kernel, float[] params, TestNets.Batch b, String where) {
        Architecture arch = kernel.architecture();
        double[] p = ReferenceMlp.toDouble(params);
        ReferenceMlp.Result ref = ReferenceMlp.lossAndGradient(arch, p, b.xd(), b.xOff(), b.labelsd(), b.labelOff(), b.rows());

        float[] grad = new float[params.length];
        Arrays.fill(grad, Float.NaN);
        float[] paramsBefore = params.clone();
        float[] xBefore = b.x().clone();
        float[] labelsBefore = b.labels().clone();
        double loss = kernel.gradient(b.x(), b.xOff(), b.labels(), b.labelOff(), b.rows(), params, grad);

        assertTrue(Arrays.equals(paramsBefore, params) && Arrays.equals(xBefore, b.x())
                && Arrays.equals(labelsBefore, b.labels()), where + ": gradient() modified an input");
        double lossErr = TestNets.relError(loss, ref.loss());
        assertTrue(lossErr <= LOSS_TOLERANCE, where + ": loss " + loss + " vs reference " + ref.loss()
                + ", relative error " + lossErr);

        double[] g = ReferenceMlp.toDouble(grad);
        double gradErr = TestNets.relError(g, ref.grad());
        assertTrue(gradErr <= GRAD_TOLERANCE, where + ": gradient relative error " + gradErr + " > " + GRAD_TOLERANCE);
        for (int l = 0; l < arch.numLayers(); l++) {
            int w = arch.weightOffset(l), nw = arch.layerInputs(l) * arch.layerOutputs(l);
            int bo = arch.biasOffset(l), nb = arch.layerOutputs(l);
            double we = TestNets.relError(TestNets.slice(g, w, nw), TestNets.slice(ref.grad(), w, nw));
            double be = TestNets.relError(TestNets.slice(g, bo, nb), TestNets.slice(ref.grad(), bo, nb));
            assertTrue(we <= BLOCK_TOLERANCE, where + ": layer " + l + " weight gradient relative error " + we);
            assertTrue(be <= BLOCK_TOLERANCE, where + ": layer " + l + " bias gradient relative error " + be);
        }

        int k = arch.outputSize();
        float[] out = new float[b.rows() * k + 2];
        Arrays.fill(out, Float.NaN);
        double loss2 = kernel.loss(b.x(), b.xOff(), b.labels(), b.labelOff(), b.rows(), params, out, 1);
        assertEquals(loss, loss2, 0.0, where + ": loss() and gradient() disagree on the loss");
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[out.length - 1]), where + ": loss() wrote outside its slice");
        float[] pred = new float[b.rows() * k];
        kernel.predict(b.x(), b.xOff(), b.rows(), params, pred, 0);
        double[] refOut = ReferenceMlp.predict(arch, p, b.xd(), b.xOff(), b.rows());
        double outErr = TestNets.relError(ReferenceMlp.toDouble(pred), refOut);
        assertTrue(outErr <= OUTPUT_TOLERANCE, where + ": predict() relative error " + outErr);
        assertTrue(Arrays.equals(pred, Arrays.copyOfRange(out, 1, 1 + b.rows() * k)),
                where + ": predict() and loss() outputs differ");
    }

    @ParameterizedTest(name = "{0} {1} × {2}")
    @MethodSource("backendsActivationsLosses")
    void floatKernelMatchesReference(Backend backend, Activation act, OutputLoss loss) {
        assumeBackend(backend);
        long seed = 5000 + 10L * act.ordinal() + loss.ordinal();
        for (Architecture arch : TestNets.architectures(act, loss)) {
            MlpKernel kernel = new MlpKernel(arch, backend);
            float[] params = TestNets.randomParams(arch, seed++);
            // Several batch sizes through one kernel: buffers grow and are reused.
            for (int rows : BATCH_SIZES) {
                TestNets.Batch b = TestNets.randomBatch(arch, params, rows, seed++, 3, 2);
                checkAgainstReference(kernel, params, b, backend + " " + arch + " rows " + rows);
            }
            // And back to a small batch after a larger one.
            TestNets.Batch b = TestNets.randomBatch(arch, params, 7, seed++, 0, 0);
            checkAgainstReference(kernel, params, b, backend + " " + arch + " rows 7 after 128");
        }
    }

    /**
     * 2,500 rows = two full chunks and a partial one: the gradient is accumulated across chunks
     * (β = 1 after the first), and the loss and outputs are assembled chunk by chunk.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"VECTOR", "JAVA", "EJML", "NATIVE"})
    void batchesLargerThanAChunkMatchReference(Backend backend) {
        assumeBackend(backend);
        int rows = 2 * MlpKernel.CHUNK_ROWS + 452;
        long seed = 77;
        for (OutputLoss loss : OutputLoss.values()) {
            for (Activation act : new Activation[] {Activation.TANH, Activation.RELU}) {
                int k = TestNets.outputSizes(loss)[TestNets.outputSizes(loss).length - 1];
                Architecture arch = Architecture.of(act, loss, 6, 9, 7, k);
                MlpKernel kernel = new MlpKernel(arch, backend);
                float[] params = TestNets.randomParams(arch, seed++);
                TestNets.Batch b = TestNets.randomBatch(arch, params, rows, seed++, 5, 3);
                checkAgainstReference(kernel, params, b, backend + " " + arch + " rows " + rows);
            }
        }
    }

    /**
     * Native BLAS against netlib's pure-Java BLAS on a network big enough to take OpenBLAS's
     * optimised (blocked, vectorised) paths: some OpenBLAS builds compute wrong products on some
     * CPUs, and this is where that would show. Both are also held to the double reference.
     */
    @Test
    void nativeBlasAgreesWithPureJava() {
        assumeTrue(Backend.nativeAvailable(), "no native BLAS on this machine");
        Architecture arch = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 96, 128, 64, 10);
        float[] params = TestNets.randomParams(arch, 4242);
        TestNets.Batch b = TestNets.randomBatch(arch, params, 300, 4243, 1, 1);
        MlpKernel nat = new MlpKernel(arch, Backend.NATIVE);
        MlpKernel java = new MlpKernel(arch, Backend.JAVA);
        float[] gn = new float[params.length], gj = new float[params.length];
        double ln = nat.gradient(b.x(), b.xOff(), b.labels(), b.labelOff(), b.rows(), params, gn);
        double lj = java.gradient(b.x(), b.xOff(), b.labels(), b.labelOff(), b.rows(), params, gj);
        double err = TestNets.relError(ReferenceMlp.toDouble(gn), ReferenceMlp.toDouble(gj));
        assertTrue(err <= GRAD_TOLERANCE, "native BLAS (" + nat.backendName() + ") vs pure Java ("
                + java.backendName() + "): gradient relative error " + err + " > " + GRAD_TOLERANCE
                + "; this native BLAS computes wrong products on this CPU, use backend java");
        assertTrue(TestNets.relError(ln, lj) <= LOSS_TOLERANCE, "native loss " + ln + " vs pure Java " + lj);
        checkAgainstReference(nat, params, b, "native " + arch);
    }
}
