package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;

/**
 * Step time against data size: synthetic sets of 1M and 10M rows (100 features, 10 classes) cached
 * side by side in one local[2] SparkContext, the same network and global batch, and steps of the
 * job transport timed in alternating rounds, so both sizes see the same machine conditions.
 * Prints the cached bytes against the raw {@code rows × features × 4} and the median step times.
 *
 * <pre>bench/run-kernel-bench.sh --class ScaleBench [rows...]   (default 1000000 10000000)</pre>
 */
public final class ScaleBench {

    public static void main(String[] args) {
        long[] sizes = args.length == 0 ? new long[] {1_000_000, 10_000_000}
                : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        int features = 100, classes = 10, batch = 4096, partitions = 2, rounds = 5, stepsPerRound = 40;
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, features, 128, 64, classes);
        float[] w = Parameters.initialize(arch, 1).flat();
        System.out.printf(Locale.ROOT, "ScaleBench: %s, batch %d, %d partitions, local[2], load %s%n", arch.shape(), batch,
                partitions, loadAverage());
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp ScaleBench", Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"))) {
            List<JobTransport> transports = new ArrayList<>();
            List<double[]> times = new ArrayList<>();
            List<long[]> facts = new ArrayList<>(); // cached bytes, raw bytes, steps per epoch
            for (long rows : sizes) {
                DataOptions opts = DataOptions.defaults()
                        .withFormat(DataOptions.DataFormat.SYNTHETIC)
                        .withTestFraction(0)
                        .withValidationFraction(0)
                        .withStandardize(true)
                        .withPartitions(partitions)
                        .withSeed(7)
                        .withSynthetic(new DataOptions.SyntheticOptions(rows, features, classes, 20, 0.01, 7));
                long t0 = System.nanoTime();
                PreparedData data = DataLoader.prepare(sc, opts);
                double prep = (System.nanoTime() - t0) / 1e9;
                long cached = cachedBytes(sc, data.train());
                long raw = rows * features * 4L;
                System.out.printf(Locale.ROOT, "rows %,d: prepared in %.1f s; cached %,d bytes = %.3f x raw %,d%n", rows, prep,
                        cached, (double) cached / raw, raw);
                long[] partRows = DataLoader.partitionRows(data.train());
                BatchPlan plan = BatchPlan.of(partRows, batch);
                facts.add(new long[] {cached, raw, plan.stepsPerEpoch()});
                transports.add(new JobTransport(sc, data.train(), new StepContext(arch, Backend.AUTO, 3, plan), Long.MAX_VALUE));
                times.add(new double[rounds * stepsPerRound]);
            }
            for (JobTransport t : transports) for (int s = 0; s < 20; s++) t.gradient(w, s);
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < sizes.length; i++) {
                    for (int s = 0; s < stepsPerRound; s++) {
                        long t0 = System.nanoTime();
                        transports.get(i).gradient(w, 100 + r * stepsPerRound + s);
                        times.get(i)[r * stepsPerRound + s] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            double base = median(times.get(0));
            System.out.printf(Locale.ROOT, "load at end %s%n%n", loadAverage());
            System.out.println("| rows | cached bytes | cached / raw | median step ms | p90 step ms | step ratio to first | steps/epoch | epoch s (steps × median) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (int i = 0; i < sizes.length; i++) {
                double m = median(times.get(i));
                long[] f = facts.get(i);
                System.out.printf(Locale.ROOT, "| %,d | %,d | %.3f | %.1f | %.1f | %.2f | %,d | %.1f |%n", sizes[i], f[0],
                        (double) f[0] / f[1], m, percentile(times.get(i), 0.9), m / base, f[2], f[2] * m / 1e3);
            }
        }
    }

    static long cachedBytes(JavaSparkContext sc, JavaRDD<?> rdd) {
        for (RDDInfo info : sc.sc().getRDDStorageInfo()) if (info.id() == rdd.id()) return info.memSize();
        return -1;
    }

    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
