package io.sparkmlp.driver.train;

import io.sparkmlp.driver.ClusterException;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.util.Locale;

/**
 * The network's memory, estimated before training and held against the driver's and the executors' heaps, so that
 * a network too large for them (10⁶ input columns make a 128M-parameter network) ends in one line naming the numbers
 * rather than in an {@code OutOfMemoryError} part way through. With {@code P} parameters (4 bytes each),
 * {@code s} optimizer state vectors, {@code k} partitions, {@code c = min(b, 1024)} kernel rows of a task whose
 * batch share is {@code b} rows ({@code g = b} rows gathered; 0 with a full batch, which runs on the block):
 *
 * <pre>
 * driver   = 4P·(2 + s + best + k + out)          weights, gradient, state, best weights (keep-best with a validation
 *                                                 split), one partial per partition (collected, or read off a
 *                                                 connection), out = encoded output: 2·(1 + s + best) with
 *                                                 checkpoints, else 2 (the model file)
 * per task = 4P·3 + 4c·(Σ_{l≥1} n_l + 2·max_{l≥1} n_l) + 4g·(n_0 + 2)
 *                                                 weights received, gradient sum, partial returned; kernel activations
 *                                                 and deltas; the gathered batch (features, label, row index)
 * </pre>
 *
 * An executor runs {@code tasks} tasks at once; in local mode they share the driver's heap. The estimate counts the
 * big arrays only (not the cached blocks, which {@code StorageCheck} checks, nor Spark's own overhead), so it refuses
 * only what cannot fit.
 */
public final class MemoryBudget {

    /** Spark's reserved executor memory, which the heap cannot use for tasks. */
    static final long SPARK_RESERVED_BYTES = 300L << 20;

    /**
     * The heaps the run has.
     *
     * @param driverHeap the driver JVM's maximum heap
     * @param executorHeap an executor's heap ({@code spark.executor.memory}); ignored in local mode
     * @param tasksPerExecutor tasks an executor (local mode: the driver JVM) runs at once
     * @param local executors run in the driver's JVM
     */
    public record Heaps(long driverHeap, long executorHeap, int tasksPerExecutor, boolean local) { }

    /**
     * The estimate in bytes.
     *
     * @param driver on the driver, tasks aside
     * @param perTask one task's arrays
     */
    record Estimate(long driver, long perTask) { }

    private MemoryBudget() {
    }

    /**
     * Refuses, in one line, a run whose network does not fit the heaps (see the class doc).
     *
     * @throws ClusterException naming the network, the estimate, what it counts and the heap
     */
    public static void require(TrainConfig cfg, PreparedData data, Heaps heaps) {
        boolean regression = data.labels() == null;
        Architecture arch = Trainer.architectureFor(data.numFeatures(), regression ? 0 : data.labels().size(), regression,
                cfg.model().hidden(), cfg.model().activation());
        cfg = OptimizerChoice.of(cfg, data.trainRows(), arch.parameterCount()).apply(cfg);
        int partitions = data.train().getNumPartitions();
        int batch = RunPlan.effectiveBatch(cfg, data.trainRows());
        // a task's share of the batch (proportional, rounded up); a full batch runs on the block, gathering nothing
        long share = batch < 0 ? (data.trainRows() + partitions - 1) / partitions : (batch + partitions - 1) / partitions + 1;
        int states = stateVectors(cfg.train().optimizer(), cfg.train().lbfgsHistory());
        boolean best = cfg.train().keepBest() && data.validationRows() > 0;
        check(arch, estimate(arch, states, best, cfg.train().checkpointEvery() > 0, partitions, share, batch < 0 ? 0 : share),
                states, best, partitions, heaps);
    }

    /**
     * Optimizer state vectors of {@code P} floats each. L-BFGS keeps {@code history} pairs (s, y) as floats,
     * its point and gradient as floats, and three double vectors (direction, trial point, previous
     * gradient: six float-sized ones): {@code 2·history + 8}.
     */
    static int stateVectors(OptimizerKind kind, int lbfgsHistory) {
        return switch (kind) {
            case SGD -> 0;
            case MOMENTUM, NESTEROV -> 1;
            case ADAM, ADAMW -> 2;
            case LBFGS -> 2 * lbfgsHistory + 8;
            case AUTO -> throw new IllegalArgumentException("optimizer auto: resolve it with OptimizerChoice first");
        };
    }

    /** The estimate of the class doc, in long arithmetic. */
    static Estimate estimate(Architecture arch, int states, boolean best, boolean checkpoints, int partitions, long share,
                             long gathered) {
        long p4 = 4L * arch.parameterCount();
        long out = checkpoints ? 2L * (1 + states + (best ? 1 : 0)) : 2;
        long driver = p4 * (2 + states + (best ? 1 : 0) + partitions + out);
        long units = 0;
        long widest = 0;
        for (int l = 1; l < arch.sizes().length; l++) {
            units += arch.sizes()[l];
            widest = Math.max(widest, arch.sizes()[l]);
        }
        long chunk = Math.min(share, MlpKernel.CHUNK_ROWS);
        long perTask = 3 * p4 + 4 * chunk * (units + 2 * widest) + 4 * gathered * (arch.inputSize() + 2L);
        return new Estimate(driver, perTask);
    }

    static void check(Architecture arch, Estimate e, int states, boolean best, int partitions, Heaps heaps) {
        String network = String.format(Locale.ROOT, "the network %s (%,d parameters, %s per copy)", arch.shape(),
                arch.parameterCount(), mb(4L * arch.parameterCount()));
        String counts = "weights, gradient, " + states + " optimizer vector" + (states == 1 ? "" : "s")
                + (best ? ", best weights" : "") + ", " + partitions + " partial" + (partitions == 1 ? "" : "s")
                + ", output encoding";
        String smaller = "a smaller network (model.hidden) or fewer features";
        if (heaps.local()) {
            long need = e.driver() + heaps.tasksPerExecutor() * e.perTask();
            if (need > heaps.driverHeap()) {
                throw new ClusterException(network + " needs about " + mb(need) + " in this local-mode JVM (" + counts
                        + ", and " + heaps.tasksPerExecutor() + " tasks of " + mb(e.perTask()) + "), more than its heap of "
                        + mb(heaps.driverHeap()) + "; expected " + smaller + ", or a larger heap (bin/sparkmlp:"
                        + " SPARKMLP_JAVA_OPTS=-Xmx...; spark-submit: --driver-memory)");
            }
            return;
        }
        if (e.driver() > heaps.driverHeap()) {
            throw new ClusterException(network + " needs about " + mb(e.driver()) + " on the driver (" + counts
                    + "), more than its heap of " + mb(heaps.driverHeap()) + "; expected " + smaller
                    + ", or more driver memory (spark-submit --driver-memory)");
        }
        long executor = heaps.tasksPerExecutor() * e.perTask();
        long usable = heaps.executorHeap() - SPARK_RESERVED_BYTES;
        if (executor > usable) {
            throw new ClusterException(network + " needs about " + mb(executor) + " per executor (" + heaps.tasksPerExecutor()
                    + " tasks of " + mb(e.perTask()) + ": weights, gradient, partial, kernel and batch buffers), more than"
                    + " the " + mb(usable) + " an executor heap of " + mb(heaps.executorHeap()) + " leaves; expected "
                    + smaller + ", or more executor memory (spark.executor.memory)");
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
