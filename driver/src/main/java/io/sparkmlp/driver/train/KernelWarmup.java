package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Parameters;
import java.util.SplittableRandom;

/**
 * Runs the step's code (row sampling, gathering, the kernel's gradient) and the validation pass's forward code
 * on made-up rows, on a background thread of the driver, while the run starts: the partition sizes are counted
 * and the persistent stage is launched and connects. Only where the workers are threads of this JVM (local
 * mode): they share its compiled code, so the first real steps run compiled rather than interpreted, and the
 * native BLAS is loaded. (On a cluster the executors' JVMs warm on their first steps.)
 *
 * <p>It touches nothing the run uses: its own rows and weights, its own thread's workspaces. Compiled code
 * computes the same bits as interpreted code (Java's float arithmetic is strict), so the run's results do not
 * change. It does at most {@link #ROUNDS} gradients of the run's per-partition batch, stops after
 * {@link #MAX_NANOS}, and stops when {@link #close}d (at the end of the first step), so it never competes with
 * more than the first steps for the CPU.
 */
final class KernelWarmup implements AutoCloseable {

    static final int ROUNDS = 24;
    static final long MAX_NANOS = 1_000_000_000L;
    /** Made-up rows hold at most this many floats (the batch is cut to fit). */
    static final int MAX_FLOATS = 4 << 20;

    private final Thread thread;
    private volatile boolean stop;
    private volatile int rounds;

    private KernelWarmup(Evaluator.Task task, int batchRows) {
        this.thread = new Thread(() -> run(task, batchRows), "sparkmlp-kernel-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * Starts warming the code of steps of {@code batchRows} rows per partition and of evaluations by {@code task}.
     */
    static KernelWarmup start(Evaluator.Task task, int batchRows) {
        KernelWarmup w = new KernelWarmup(task, batchRows);
        w.thread.start();
        return w;
    }

    /** Gradients computed so far. */
    int rounds() {
        return rounds;
    }

    private void run(Evaluator.Task task, int batchRows) {
        Architecture arch = task.architecture();
        int features = arch.inputSize();
        int rows = (int) Math.max(2, Math.min(2L * Math.max(1, batchRows), MAX_FLOATS / Math.max(1, features)));
        int batch = Math.max(1, Math.min(batchRows, rows / 2));
        Block block = block(rows, features, task.classes());
        StepContext ctx = new StepContext(arch, task.backend(), 0, BatchPlan.of(new long[] {rows}, batch));
        float[] w = Parameters.initialize(arch, 0).flat();
        long deadline = System.nanoTime() + MAX_NANOS;
        for (int r = 0; r < ROUNDS && !stop && System.nanoTime() - deadline < 0; r++) {
            PartitionWorker.gradientView(block, ctx, w, r);
            if (r % 8 == 0) Evaluator.evaluateBlock(block, task, w);
            rounds = r + 1;
        }
    }

    /** Standard normal features; labels of the task's kind (class indices, or normal targets for regression). */
    static Block block(int rows, int features, int classes) {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[rows * features];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-2, 2);
        for (int i = 0; i < rows; i++) y[i] = classes == 0 ? (float) rnd.nextDouble(-2, 2) : rnd.nextInt(classes);
        return new Block(0, rows, features, x, y);
    }

    /** Stops it (at the end of the gradient under way); does not wait. */
    @Override
    public void close() {
        stop = true;
    }
}
