package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Where a training step's time goes, in local[2], against the Spark floor. On one cached synthetic set
 * (2 partitions), in alternating rounds so every variant sees the same machine conditions:
 * <ul>
 *   <li><b>empty job</b>: {@code mapPartitions → nothing}, collect, on the cached blocks;</li>
 *   <li><b>bare job</b>: broadcast a {@code float[P]}, {@code mapPartitions} returning one {@code float[P]}
 *       per partition (a copy of the broadcast value), collect, destroy the broadcast — the same
 *       parameter bytes our step ships and returns, with no work;</li>
 *   <li><b>ours</b>: {@code JobTransport.gradient} (broadcast, sample, gather, kernel, collect, sum in
 *       partition order), for each global batch;</li>
 *   <li><b>compute</b>: {@code PartitionWorker.gradient} (sample + gather + kernel) timed inside the tasks
 *       of one job per round that runs the same steps back to back, both partitions concurrently as in a
 *       real step; a step's compute time is the slower partition's.</li>
 * </ul>
 * Each step is measured next to its floor (empty job, bare job, our step, its compute), so a burst of
 * machine load hits all four; overhead = ours − compute per step, ratio = overhead ÷ bare job
 * (target ≤ 1.2), medians and 10th percentiles (the less loaded steps).
 *
 * <pre>bench/run-kernel-bench.sh --class StepBench [--net 100,128,64,10] [--rows 1000000]
 *     [--batches 256,1024,4096,16384] [--rounds 5] [--steps 20] [--backend AUTO]</pre>
 */
public final class StepBench {

    public static void main(String[] args) {
        int[] sizes = {100, 128, 64, 10};
        long rows = 1_000_000;
        int[] batches = {256, 512, 1024, 2048, 4096, 8192, 16384};
        int rounds = 5, steps = 20, partitions = 2;
        Backend backend = Backend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--net" -> sizes = KernelJmh.sizes(args[++i]);
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--batches" -> batches = KernelJmh.sizes(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--backend" -> backend = Backend.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "', expected --net --rows --batches --rounds --steps --backend");
            }
        }
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, sizes);
        int p = arch.parameterCount();
        float[] w = Parameters.initialize(arch, 1).flat();
        System.out.printf(Locale.ROOT, "StepBench: %s (P = %,d, %,d bytes), %,d rows, %d partitions, local[2], backend %s, load %s%n",
                arch.shape(), p, 4L * p, rows, partitions, backend, ScaleBench.loadAverage());
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp StepBench", Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"))) {
            DataOptions opts = DataOptions.defaults()
                    .withFormat(DataOptions.DataFormat.SYNTHETIC)
                    .withTestFraction(0)
                    .withValidationFraction(0)
                    .withStandardize(true)
                    .withPartitions(partitions)
                    .withSeed(7)
                    .withSynthetic(new DataOptions.SyntheticOptions(rows, sizes[0], sizes[sizes.length - 1], 20, 0.01, 7));
            PreparedData data = DataLoader.prepare(sc, opts);
            JavaRDD<Block> train = data.train();
            long[] partRows = DataLoader.partitionRows(train);
            System.out.println("backend on the executors: " + train.map(b -> "x").count() + " partitions; kernel "
                    + PartitionWorker.backendName(arch, backend));

            StepContext[] ctx = new StepContext[batches.length];
            JobTransport[] ours = new JobTransport[batches.length];
            for (int i = 0; i < batches.length; i++) {
                ctx[i] = new StepContext(arch, backend, 3, BatchPlan.of(partRows, batches[i]));
                ours[i] = new JobTransport(sc, train, ctx[i], Long.MAX_VALUE);
            }
            double[] empty = new double[rounds * steps], bare = new double[rounds * steps];
            double[][] step = new double[batches.length][rounds * steps], compute = new double[batches.length][rounds * steps];
            double[][] overhead = new double[batches.length][rounds * steps], bareAt = new double[batches.length][rounds * steps];
            // warm-up: JIT, workspaces, broadcast machinery
            for (int s = 0; s < 10; s++) {
                emptyJob(train);
                bareJob(sc, train, p);
                for (int i = 0; i < batches.length; i++) ours[i].gradient(w, s);
            }
            for (int i = 0; i < batches.length; i++) computeTimes(sc, train, ctx[i], w, 0, 5);
            // Every step is measured next to its own floor: empty job, bare job, our step, then the same step's
            // compute timed inside the tasks; batches visited in turn within a round.
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < batches.length; i++) {
                    long first = 1000 + (long) r * steps;
                    for (int s = 0; s < steps; s++) {
                        int k = r * steps + s;
                        long t0 = System.nanoTime();
                        emptyJob(train);
                        double te = (System.nanoTime() - t0) / 1e6;
                        t0 = System.nanoTime();
                        bareJob(sc, train, p);
                        double tb = (System.nanoTime() - t0) / 1e6;
                        if (i == 0) {
                            empty[k] = te;
                            bare[k] = tb;
                        }
                        t0 = System.nanoTime();
                        ours[i].gradient(w, first + s);
                        step[i][k] = (System.nanoTime() - t0) / 1e6;
                        compute[i][k] = computeTimes(sc, train, ctx[i], w, first + s, 1)[0];
                        overhead[i][k] = step[i][k] - compute[i][k];
                        bareAt[i][k] = tb;
                    }
                }
            }
            double e = ScaleBench.median(empty), b = ScaleBench.median(bare);
            System.out.printf(Locale.ROOT, "load at end %s%n%n", ScaleBench.loadAverage());
            System.out.printf(Locale.ROOT, "| empty job ms (median / p10 / p90) | bare job ms, %,d B out and %d × back (median / p10 / p90) |%n", 4L * p, partitions);
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| %.1f / %.1f / %.1f | %.1f / %.1f / %.1f |%n%n", e, ScaleBench.percentile(empty, 0.1),
                    ScaleBench.percentile(empty, 0.9), b, ScaleBench.percentile(bare, 0.1), ScaleBench.percentile(bare, 0.9));
            System.out.println("| global batch | step ms (median / p10) | compute ms (median / p10) | overhead ms = step − compute, per step (median / p10) | bare job ms in the same rounds (median / p10) | overhead / bare (median / p10) | samples/s (median step) | share outside kernel (median) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (int i = 0; i < batches.length; i++) {
                double st = ScaleBench.median(step[i]), c = ScaleBench.median(compute[i]), o = ScaleBench.median(overhead[i]);
                double o10 = ScaleBench.percentile(overhead[i], 0.1), b50 = ScaleBench.median(bareAt[i]), b10 = ScaleBench.percentile(bareAt[i], 0.1);
                System.out.printf(Locale.ROOT, "| %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.2f / %.2f | %,.0f | %.0f %% |%n",
                        batches[i], st, ScaleBench.percentile(step[i], 0.1), c, ScaleBench.percentile(compute[i], 0.1), o, o10, b50, b10,
                        o / b50, o10 / b10, batches[i] / st * 1e3, 100 * o / st);
            }
        }
    }

    static void emptyJob(JavaRDD<Block> train) {
        train.mapPartitions((FlatMapFunction<Iterator<Block>, Integer>) it -> {
            while (it.hasNext()) it.next();
            return Collections.emptyIterator();
        }).collect();
    }

    static void bareJob(JavaSparkContext sc, JavaRDD<Block> train, int p) {
        Broadcast<float[]> bc = sc.broadcast(new float[p]);
        try {
            train.mapPartitions(new Bare(bc)).collect();
        } finally {
            bc.destroy();
        }
    }

    private static final class Bare implements FlatMapFunction<Iterator<Block>, float[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<float[]> bc;

        Bare(Broadcast<float[]> bc) {
            this.bc = bc;
        }

        @Override
        public Iterator<float[]> call(Iterator<Block> it) {
            while (it.hasNext()) it.next();
            return Collections.singletonList(bc.value().clone()).iterator();
        }
    }

    /** Per step of {@code [first, first + n)}: the slower partition's {@code PartitionWorker.gradient} time, ms. */
    static double[] computeTimes(JavaSparkContext sc, JavaRDD<Block> train, StepContext ctx, float[] w, long first, int n) {
        Broadcast<float[]> bc = sc.broadcast(w.clone());
        try {
            List<double[]> parts = train.mapPartitions(new Timed(bc, ctx, first, n)).collect();
            double[] worst = new double[n];
            for (double[] t : parts) for (int s = 0; s < n; s++) worst[s] = Math.max(worst[s], t[s]);
            return worst;
        } finally {
            bc.destroy();
        }
    }

    private static final class Timed implements FlatMapFunction<Iterator<Block>, double[]> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<float[]> bc;
        private final StepContext ctx;
        private final long first;
        private final int n;

        Timed(Broadcast<float[]> bc, StepContext ctx, long first, int n) {
            this.bc = bc;
            this.ctx = ctx;
            this.first = first;
            this.n = n;
        }

        @Override
        public Iterator<double[]> call(Iterator<Block> it) {
            Block block = it.next();
            while (it.hasNext()) it.next();
            float[] w = bc.value();
            double[] t = new double[n];
            for (int s = 0; s < n; s++) {
                long t0 = System.nanoTime();
                PartitionWorker.gradient(block, ctx, w, first + s);
                t[s] = (System.nanoTime() - t0) / 1e6;
            }
            return Collections.singletonList(t).iterator();
        }
    }
}
