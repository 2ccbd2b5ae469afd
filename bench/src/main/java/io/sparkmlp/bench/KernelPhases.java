package io.sparkmlp.bench;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MatrixBackend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Where a gradient step's time goes: each phase of {@link MlpKernel#gradient} timed on its own
 * (products per layer through the backend, bias broadcast, activation, softmax + loss, bias
 * column sums, activation derivative), single-threaded, median of rounds, next to the whole step.
 * The element-wise phases mirror the kernel's loops; the sum of the phases should come close to
 * the step time.
 *
 * <p>Usage: {@code KernelPhases [java|native|ejml] [sizes, e.g. 784,256,128,10] [batch]}.
 */
public final class KernelPhases {

    private KernelPhases() {
    }

    public static void main(String[] args) {
        Backend be = args.length > 0 ? Backend.parse(args[0]) : Backend.JAVA;
        int[] sizes = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {784, 256, 128, 10};
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, sizes);
        MlpKernel kernel = new MlpKernel(arch, be);
        MatrixBackend mb = be.create();
        int layers = sizes.length - 1;
        Random rnd = new Random(5);
        float[] x = new float[batch * sizes[0]];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(sizes[layers]);
        float[] p = Parameters.initialize(arch, 5).toFlat();
        float[] grad = new float[p.length];
        // activations as the kernel would hold them after a forward pass
        float[][] acts = new float[layers + 1][];
        acts[0] = x;
        for (int l = 0; l < layers; l++) {
            acts[l + 1] = new float[batch * sizes[l + 1]];
            mb.forward(batch, sizes[l], sizes[l + 1], acts[l], 0, p, arch.weightOffset(l), 0f, acts[l + 1], 0);
            if (l < layers - 1) Activation.RELU.apply(acts[l + 1], 0, batch * sizes[l + 1]);
        }
        float[] delta = new float[batch * arch.maxWidth()];
        float[] spare = new float[batch * arch.maxWidth()];
        float[] zScratch = new float[batch * arch.maxWidth()];
        OutputLoss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(acts[layers], labels, 0, batch, sizes[layers], delta);

        String[] names = new String[64];
        KernelBench.Op[] ops = new KernelBench.Op[64];
        int n = 0;
        names[n] = "whole step";
        ops[n++] = () -> kernel.gradient(x, 0, labels, 0, batch, p, grad);
        for (int l = 0; l < layers; l++) {
            final int L = l, nIn = sizes[l], nOut = sizes[l + 1], wo = arch.weightOffset(l), bo = arch.biasOffset(l);
            names[n] = "L" + l + " forward gemm";
            ops[n++] = () -> mb.forward(batch, nIn, nOut, acts[L], 0, p, wo, 1f, zScratch, 0);
            names[n] = "L" + l + " bias broadcast";
            ops[n++] = () -> {
                for (int r = 0; r < batch; r++) System.arraycopy(p, bo, zScratch, r * nOut, nOut);
            };
            if (l < layers - 1) {
                names[n] = "L" + l + " relu apply";
                ops[n++] = () -> Activation.RELU.apply(acts[L + 1], 0, batch * nOut);
            }
            names[n] = "L" + l + " weight-grad gemm";
            ops[n++] = () -> mb.weightGradient(batch, nIn, nOut, delta, 0, acts[L], 0, 0f, grad, wo);
            names[n] = "L" + l + " bias colsum (old)";
            ops[n++] = () -> {
                Arrays.fill(grad, bo, bo + nOut, 0f);
                for (int r = 0; r < batch; r++) {
                    int o = r * nOut;
                    for (int j = 0; j < nOut; j++) grad[bo + j] += delta[o + j];
                }
            };
            if (l > 0) {
                names[n] = "L" + l + " input-grad gemm";
                ops[n++] = () -> mb.inputGradient(batch, nIn, nOut, delta, 0, p, wo, spare, 0);
                names[n] = "L" + l + " relu derivative";
                ops[n++] = () -> Activation.RELU.multiplyDerivative(acts[L], spare, 0, batch * nIn);
            }
        }
        names[n] = "softmax CE loss+delta";
        ops[n++] = () -> OutputLoss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(acts[layers], labels, 0, batch, sizes[layers], spare);

        for (int i = 0; i < n; i++) KernelBench.time(ops[i], 1.0);
        int rounds = 7;
        double[][] s = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) s[i][r] = KernelBench.time(ops[i], 0.15);
        }
        System.out.printf(Locale.ROOT, "%s, batch %d, %s (median of %d)%n", arch.shape(), batch, kernel.backendName(), rounds);
        double step = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            Arrays.sort(s[i]);
            double med = s[i][rounds / 2];
            if (i == 0) step = med;
            else sum += med;
        }
        for (int i = 0; i < n; i++) {
            double med = s[i][rounds / 2];
            System.out.printf(Locale.ROOT, "  %-24s %9.1f µs %6.1f%%%n", names[i], med * 1e6, 100 * med / step);
        }
        System.out.printf(Locale.ROOT, "  %-24s %9.1f µs %6.1f%%%n", "sum of phases", sum * 1e6, 100 * sum / step);
    }
}
