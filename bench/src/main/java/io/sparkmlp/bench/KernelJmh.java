package io.sparkmlp.bench;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MatrixBackend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks of one kernel gradient step and of the raw products it is made of, single-threaded.
 * Run by {@link KernelJmhRunner}, which sets the parameters (networks, batches, available backends)
 * and prints the table with the kernel/sgemm ratio.
 *
 * <ul>
 *   <li>{@link #gradient}: {@code MlpKernel.gradient} of {@code net} (ReLU hidden layers, softmax +
 *       cross-entropy) on a batch of {@code batch} random rows.</li>
 *   <li>{@link #sgemmL0}: the backend's own three products at layer 0's shape, as the kernel issues
 *       them (forward, weight gradient, input gradient): {@code 3·2·n₀·n₁·B} flops per call.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelJmh {

    /** Layer sizes, comma-separated. */
    @Param({"784,256,128,10"})
    public String net;

    @Param({"128"})
    public int batch;

    /** A {@link Backend} name. */
    @Param({"JAVA"})
    public String backend;

    private MlpKernel kernel;
    private MatrixBackend products;
    private float[] x, labels, params, grad;
    private float[] z0, d0, g0, dx0, w0;
    private int n0, n1;

    static int[] sizes(String net) {
        return Arrays.stream(net.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] sizes = sizes(net);
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, sizes);
        Backend b = Backend.valueOf(backend);
        kernel = new MlpKernel(arch, b);
        products = b.create();
        Random rnd = new Random(11);
        x = random(rnd, batch * sizes[0]);
        labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(sizes[sizes.length - 1]);
        params = Parameters.initialize(arch, 5).flat();
        grad = new float[arch.parameterCount()];
        n0 = sizes[0];
        n1 = sizes[1];
        w0 = random(rnd, n0 * n1);
        z0 = new float[batch * n1];
        d0 = random(rnd, batch * n1);
        g0 = new float[n0 * n1];
        dx0 = new float[batch * n0];
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** One gradient step; returns the loss sum so it is not dead code. */
    @Benchmark
    public double gradient() {
        return kernel.gradient(x, 0, labels, 0, batch, params, grad);
    }

    /** Layer 0's three products; returns one output value of each so they are not dead code. */
    @Benchmark
    public float sgemmL0() {
        products.forward(batch, n0, n1, x, 0, w0, 0, 0f, z0, 0);
        products.weightGradient(batch, n0, n1, d0, 0, x, 0, 0f, g0, 0);
        products.inputGradient(batch, n0, n1, d0, 0, w0, 0, dx0, 0);
        return z0[0] + g0[0] + dx0[0];
    }
}
