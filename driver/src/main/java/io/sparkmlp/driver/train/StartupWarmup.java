package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.driver.transport.persistent.IdleTasks;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.Ranges;
import io.sparkmlp.kernel.Reductions;
import io.sparkmlp.kernel.optim.Optimizer;
import io.sparkmlp.kernel.optim.OptimizerKind;
import io.sparkmlp.kernel.optim.OptimizerSpec;
import io.sparkmlp.kernel.optim.Optimizers;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compiles the code of a training step while the data loads, on a background thread of the driver, so that the
 * first steps of the run do not pay for it: the kernel's gradient and forward pass, row sampling and gathering, the
 * driver's merge, mean, layer norms, finiteness check and optimizer updates, and the HMAC of the step connections.
 *
 * <p>The JIT compiles a method once it has run often enough, whatever the sizes it ran on; the Vector API code of
 * the norms and element-wise loops runs hundreds of times slower until then (measured: the first step of a
 * 235,146-parameter run spent about 0.25 s in the driver's norms and checks after the kernels had finished). So the
 * warm-up runs that code on a small network of the run's activation, many times, for at most {@link #MAX_NANOS}:
 * by the time the data is cached the code is compiled. Only where the tasks are threads of this JVM (local mode).
 *
 * <p>It touches nothing a run uses: its own arrays and network, its own thread's kernel workspace. Compiled code
 * computes the same bits as interpreted code (Java's float arithmetic is strict), so results do not change.
 */
public final class StartupWarmup implements AutoCloseable {

    /** The longest it runs. */
    static final long MAX_NANOS = 1_500_000_000L;
    /** Rounds of the whole step; enough for the JIT's top tier on every method it runs. */
    static final int ROUNDS = 3000;

    private final Thread thread;
    private volatile boolean stop;
    private volatile int rounds;

    private StartupWarmup(Activation activation, Backend backend) {
        this.thread = new Thread(() -> run(activation, backend), "sparkmlp-startup-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** Activations and backends whose warm-up has run to its end in this JVM (a second one would add nothing). */
    private static final Set<String> DONE = ConcurrentHashMap.newKeySet();

    /**
     * Starts warming the step code of networks with this hidden activation and kernel backend; null when a warm-up of
     * them has already run to its end in this JVM (the JIT keeps what it compiled).
     */
    public static StartupWarmup start(Activation activation, Backend backend) {
        if (warmed(activation, backend)) return null;
        StartupWarmup w = new StartupWarmup(activation, backend);
        w.thread.start();
        return w;
    }

    /** Whether a warm-up of this hidden activation and backend has run to its end in this JVM. */
    static boolean warmed(Activation activation, Backend backend) {
        return DONE.contains(activation + "/" + backend);
    }

    /** Rounds done so far. */
    int rounds() {
        return rounds;
    }

    /** Waits for the end of the warm-up (tests). */
    void join() throws InterruptedException {
        thread.join();
    }

    private void run(Activation activation, Backend backend) {
        long deadline = System.nanoTime() + MAX_NANOS;
        hmac();
        Architecture arch = Architecture.of(activation, OutputLoss.SOFTMAX_CROSS_ENTROPY, 48, 32, 16, 4);
        int n = arch.parameterCount();
        // not a power of four, so the row sampler's permutation walks out of its domain as a run's does (a branch
        // never taken here would be compiled out and cost the run a deoptimization at its first such row)
        int rows = 80;
        Block block = KernelWarmup.block(rows, arch.inputSize(), 4);
        StepContext ctx = new StepContext(arch, backend, 0, BatchPlan.of(new long[] {rows}, 16));
        Evaluator.Task task = new Evaluator.Task(arch, backend, 4, 1f);
        float[] w = Parameters.initialize(arch, 0).flat();
        float[] grad = new float[n];
        float[] merged = new float[n];
        float[] other = new float[n];
        double[] norms = new double[arch.numLayers()];
        MergeTree merger = new MergeTree(n);
        Ranges ranges = IdleTasks.alone(); // the transport's, as a run's passes call them
        Optimizer[] optimizers = new Optimizer[3];
        OptimizerKind[] kinds = {OptimizerKind.ADAM, OptimizerKind.MOMENTUM, OptimizerKind.SGD};
        for (int k = 0; k < kinds.length; k++) optimizers[k] = Optimizers.create(OptimizerSpec.defaults(kinds[k]), arch);
        for (int r = 0; r < ROUNDS && !stop && System.nanoTime() - deadline < 0; r++) {
            GradientPartial p = PartitionWorker.gradientView(block, ctx, w, r);
            System.arraycopy(p.gradSum(), 0, other, 0, n);
            // the merge as the persistent transport calls it (its partials in an ArrayList; one or two partitions),
            // so that the compiled merge is not deoptimized by the run's first step
            List<GradientPartial> partials = new ArrayList<>(2);
            partials.add(p);
            int partitions = r % 3 == 2 ? 1 : 2;
            if (partitions == 2) partials.add(new GradientPartial(1, other, p.lossSum(), p.count()));
            if (r % 2 == 0) {
                merger.meanInto(partials, partitions, grad, ranges);
            } else {
                merger.sumInto(partials, partitions, merged).meanInto(grad);
            }
            double norm = Reductions.layerNorms(arch, grad, norms);
            if (!Trainer.update(optimizers[r % kinds.length], w, grad, 1e-6, norm, ranges)) {
                w = Parameters.initialize(arch, r).flat();
            }
            if (r % 16 == 0) Evaluator.evaluateBlock(block, task, w);
            rounds = r + 1;
        }
        if (rounds == ROUNDS) DONE.add(activation + "/" + backend);
    }

    /** Loads and runs the step connections' HMAC once (provider lookup and class loading take tens of ms cold). */
    private static void hmac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal(new byte[64]);
        } catch (GeneralSecurityException e) {
            // the step connection reports it when it needs the MAC
        }
    }

    /** Stops it at the end of the round under way; does not wait. */
    @Override
    public void close() {
        stop = true;
    }
}
