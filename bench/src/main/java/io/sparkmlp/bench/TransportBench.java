package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.train.BatchPlan;
import io.sparkmlp.driver.train.GradientPartial;
import io.sparkmlp.driver.train.JobTransport;
import io.sparkmlp.driver.train.PartitionWorker;
import io.sparkmlp.driver.train.PersistentTransport;
import io.sparkmlp.driver.train.StepContext;
import io.sparkmlp.driver.train.StepTransport;
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
 * does per step), and the kernel time of the same steps measured without Spark: each partition's
 * {@link PartitionWorker#gradient} on its block, the partitions on two threads at once as the
 * executors run them. Step overhead = median step time − median kernel time.
 *
 * <pre>bench/run-kernel-bench.sh --class TransportBench [master] [rows]   (default local[2], 24000)</pre>
 */
public final class TransportBench {

    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 24_000;
        int[] batches = {128, 1024, 8192};
        int partitions = 2;
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 784, 256, 128, 10);
        System.out.printf(Locale.ROOT, "TransportBench: %s (%,d parameters), %d partitions, %s, %,d rows, load %s, %d cpus%n",
                arch.shape(), arch.parameterCount(), partitions, master, rows, ScaleBench.loadAverage(),
                Runtime.getRuntime().availableProcessors());
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp TransportBench", Map.of("spark.master", master, "spark.ui.enabled", "false"))) {
            sc.setLogLevel("WARN");
            DataOptions opts = new DataOptions(DataOptions.DataFormat.SYNTHETIC, null, null, 0, 0, null, null, 0, true,
                    partitions, false, 7, new DataOptions.SyntheticOptions(rows, 784, 10, 50, 0.1, 7));
            PreparedData data = DataLoader.prepare(sc, opts);
            List<Block> blocks = master.startsWith("local") ? data.train().collect() : null;
            long[] partRows = DataLoader.partitionRows(data.train());
            System.out.println("| batch | transport | median step ms | p90 step ms | kernel ms | step overhead ms | samples/s |");
            System.out.println("|---:|---|---:|---:|---:|---:|---:|");
            ExecutorService pool = Executors.newFixedThreadPool(partitions);
            for (int batch : batches) {
                StepContext ctx = new StepContext(arch, Backend.AUTO, 3, BatchPlan.of(partRows, batch));
                int steps = batch <= 128 ? 400 : batch <= 1024 ? 120 : 30;
                double kernel = blocks == null ? Double.NaN : kernelMedian(pool, blocks, ctx, arch, steps);
                for (String name : List.of("job", "persistent")) {
                    try (StepTransport t = name.equals("job") ? new JobTransport(sc, data.train(), ctx, Long.MAX_VALUE)
                            : new PersistentTransport(sc, data.train(), ctx, Long.MAX_VALUE, System.out)) {
                        double[] ms = run(t, arch, steps);
                        double median = ScaleBench.median(ms);
                        System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %.2f | %,.0f |%n", batch, name, median,
                                ScaleBench.percentile(ms, 0.9), kernel, median - kernel, batch / median * 1000);
                    }
                }
            }
            pool.shutdown();
        }
    }

    /** Times {@code steps} steps (after {@code steps/4} warm-up steps) of SGD through the transport. */
    static double[] run(StepTransport t, Architecture arch, int steps) {
        float[] w = Parameters.initialize(arch, 1).flat();
        int warm = Math.max(5, steps / 4);
        double[] ms = new double[steps];
        for (int s = 0; s < warm + steps; s++) {
            long t0 = System.nanoTime();
            GradientPartial g = t.gradient(w, s);
            float rate = 0.01f / g.count();
            float[] sum = g.gradSum();
            for (int i = 0; i < w.length; i++) w[i] -= rate * sum[i];
            if (s >= warm) ms[s - warm] = (System.nanoTime() - t0) / 1e6;
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
