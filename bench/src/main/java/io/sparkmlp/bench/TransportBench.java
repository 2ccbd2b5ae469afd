package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.transport.persistent.PersistentTransport;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Step time of the two step transports at global batch 128, 1024 and 8192 on a 784-256-128-10
 * network (235,146 parameters) over synthetic data in 2 partitions.
 *
 * <p>Per batch size: the step time of each transport (weights out, partition gradients, partials
 * back, merged in partition order, plus a plain SGD update on the driver: what the training loop
 * does per step); the kernel time of the same steps measured without Spark ("kernel alone": each
 * partition's {@link PartitionWorker#gradient} on its block, the partitions on two threads at once
 * as the executors run them); and the kernel time inside each step as the tasks report it (the
 * slowest partition's {@code MlpKernel.gradient}). Step overhead = median over steps of (step
 * time − that step's kernel time): what the transport adds, measured in the same step, so that it
 * does not depend on how busy the machine was during another measurement.
 *
 * <p>After the table: the cost of a validation pass between two steps of the persistent transport,
 * inside the running stage and by releasing the slots for an evaluation job.
 *
 * <pre>bench/run-kernel-bench.sh --class TransportBench [master] [rows] [backend]   (default local[2], 24000, auto)</pre>
 * {@link ClusterTransportBench} runs the same table on a two-worker standalone cluster.
 */
public final class TransportBench {

    static final int PARTITIONS = 2;
    static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 784, 256, 128, 10);

    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 24_000;
        Backend backend = args.length > 2 ? Backend.valueOf(args[2].toUpperCase(Locale.ROOT)) : Backend.AUTO;
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp TransportBench", Map.of("spark.master", master, "spark.ui.enabled", "false"))) {
            table(sc, master, rows, backend);
        }
    }

    /**
     * Prints the table for {@code sc}'s master: per batch size, both transports, then the cost of
     * handing the slots to an evaluation job and taking them back (persistent transport).
     */
    static void table(JavaSparkContext sc, String label, long rows, Backend backend) throws Exception {
        int[] batches = {128, 1024, 8192};
        System.out.printf(Locale.ROOT, "TransportBench: %s (%,d parameters), %d partitions, %s, %,d rows, backend %s"
                        + " (%s in this JVM), load %s, %d cpus%n",
                ARCH.shape(), ARCH.parameterCount(), PARTITIONS, label, rows, backend, backend.create().name(),
                ScaleBench.loadAverage(), Runtime.getRuntime().availableProcessors());
        sc.setLogLevel("WARN");
        // 10% validation rows: the evaluation timings below use them; the steps use the other 90%.
        DataOptions opts = DataOptions.defaults()
                .withFormat(DataOptions.DataFormat.SYNTHETIC)
                .withTestFraction(0)
                .withValidationFraction(0.1)
                .withStandardize(true)
                .withPartitions(PARTITIONS)
                .withSeed(7)
                .withSynthetic(new DataOptions.SyntheticOptions(rows, 784, 10, 50, 0.1, 7));
        PreparedData data = DataLoader.prepare(sc, opts);
        // The kernel reference runs in this JVM on copies of the blocks, also when they live on executors.
        List<Block> blocks = data.train().collect();
        long[] partRows = DataLoader.partitionRows(data.train());
        System.out.println("| batch | transport | median step ms | p90 step ms | kernel alone ms | kernel in step ms"
                + " | step overhead ms | samples/s |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|");
        ExecutorService pool = Executors.newFixedThreadPool(PARTITIONS);
        Evaluator.Task evalTask = new Evaluator.Task(ARCH, backend, 10, 1f);
        double[] inStage = null;
        double[] handover = null;
        for (int batch : batches) {
            StepContext ctx = new StepContext(ARCH, backend, 3, BatchPlan.of(partRows, batch));
            int steps = batch <= 128 ? 400 : batch <= 1024 ? 120 : 30;
            double kernel = kernelMedian(pool, blocks, ctx, ARCH, steps);
            // In local mode the persistent tasks run in this JVM: the default exchange is in memory; the
            // TCP rows show what the frames cost (the exchange a cluster uses), in clear and sealed (AES-GCM,
            // as with Spark's authentication or encryption on).
            List<String> names = sc.isLocal() ? List.of("job", "persistent-tcp", "persistent-tcp-encrypted", "persistent")
                    : List.of("job", "persistent", "persistent-encrypted");
            for (String name : names) {
                try (StepTransport t = name.equals("job") ? new JobTransport(sc, data.train(), ctx, Long.MAX_VALUE)
                        : new PersistentTransport(sc, data.train(), data.validation(), evalTask, ctx, Long.MAX_VALUE,
                                PersistentTransport.Options.defaults().inProcess(name.equals("persistent"))
                                        .withEncrypt(name.endsWith("-encrypted")), System.out)) {
                    double[][] timed = run(t, ARCH, steps);
                    double[] ms = timed[0];
                    double median = ScaleBench.median(ms);
                    double[] overhead = new double[ms.length];
                    for (int i = 0; i < ms.length; i++) overhead[i] = ms[i] - timed[1][i];
                    String row = t instanceof PersistentTransport p
                            ? "persistent (" + p.exchange() + (name.endsWith("-encrypted") ? ", encrypted" : "") + ")" : name;
                    System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %,.0f |%n", batch, row, median,
                            ScaleBench.percentile(ms, 0.9), kernel, ScaleBench.median(timed[1]), ScaleBench.median(overhead),
                            batch / median * 1000);
                    if (batch == batches[0] && name.equals("persistent")) {
                        inStage = evaluations(t, sc, data, evalTask, true, 20);
                        handover = evaluations(t, sc, data, evalTask, false, 20);
                    }
                }
            }
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "%nOne validation pass (%,d rows) between two steps of the persistent transport, batch %d"
                        + " (%d times, the step included):%n", data.validationRows(), batches[0], inStage.length);
        System.out.printf(Locale.ROOT, "- inside the stage (StepTransport.evaluate):              median %.1f ms, p90 %.1f ms%n",
                ScaleBench.median(inStage), ScaleBench.percentile(inStage, 0.9));
        System.out.printf(Locale.ROOT, "- release, evaluation job, relaunch with the next step:    median %.1f ms, p90 %.1f ms%n",
                ScaleBench.median(handover), ScaleBench.percentile(handover, 0.9));
    }

    /**
     * Times {@code times} rounds of one validation pass followed by one step: inside the running
     * stage, or the way a transport without in-stage evaluation does it ({@link StepTransport#release()}:
     * STOP, the stage's job ends; {@link Evaluator#evaluate} as a Spark job; the next step launches
     * the stage again).
     */
    static double[] evaluations(StepTransport t, JavaSparkContext sc, PreparedData data, Evaluator.Task task, boolean inStage,
                                int times) {
        float[] w = Parameters.initialize(task.architecture(), 1).flat();
        double[] ms = new double[times];
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            if (inStage) {
                t.evaluate(w, i);
            } else {
                t.release();
                Evaluator.evaluate(sc, data.validation(), task, w, "bench evaluation");
            }
            t.gradient(w, i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    /**
     * Times {@code steps} steps (after {@code steps/4} warm-up steps) of SGD through the transport.
     *
     * @return [0]: each step's wall time in ms; [1]: the slowest partition's kernel time in that step
     *         (as the tasks measured it), in ms
     */
    static double[][] run(StepTransport t, Architecture arch, int steps) {
        float[] w = Parameters.initialize(arch, 1).flat();
        int warm = Math.max(5, steps / 4);
        double[][] ms = new double[2][steps];
        for (int s = 0; s < warm + steps; s++) {
            long t0 = System.nanoTime();
            GradientPartial g = t.gradient(w, s);
            float rate = 0.01f / g.count();
            float[] sum = g.gradSum();
            for (int i = 0; i < w.length; i++) w[i] -= rate * sum[i];
            if (s >= warm) {
                ms[0][s - warm] = (System.nanoTime() - t0) / 1e6;
                ms[1][s - warm] = g.kernelNanos() / 1e6;
            }
        }
        return ms;
    }

    /** Median wall time of the partitions' kernels run side by side, one thread per partition. */
    static double kernelMedian(ExecutorService pool, List<Block> blocks, StepContext ctx, Architecture arch, int steps)
            throws Exception {
        float[] w = Parameters.initialize(arch, 1).flat();
        int warm = Math.max(5, steps / 4);
        double[] ms = new double[steps];
        for (int s = 0; s < warm + steps; s++) {
            long step = s;
            long t0 = System.nanoTime();
            Future<?>[] parts = new Future<?>[blocks.size()];
            for (int p = 0; p < blocks.size(); p++) {
                Block b = blocks.get(p);
                parts[p] = pool.submit(() -> PartitionWorker.gradient(b, ctx, w, step));
            }
            for (Future<?> f : parts) f.get();
            if (s >= warm) ms[s - warm] = (System.nanoTime() - t0) / 1e6;
        }
        return ScaleBench.median(Arrays.copyOf(ms, ms.length));
    }
}
