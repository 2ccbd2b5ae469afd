package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.cluster.ItSettings;
import io.sparkmlp.driver.cluster.SparkCluster;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.driver.transport.persistent.PersistentTransport;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@link TransportBench}'s table on a real two-worker Spark standalone cluster on 127.0.0.1: a
 * Master and two Workers (one core each, separate JVMs, started from the Spark jars Maven resolved
 * with the integration tests' {@link SparkCluster}); this JVM is the driver in client mode, as
 * {@code spark-submit --deploy-mode client} runs it; the executors load {@code driver/target/sparkmlp.jar}.
 *
 * <pre>bench/run-kernel-bench.sh --class ClusterTransportBench [rows] [backend]   (default 24000, auto)</pre>
 *
 * <p>With {@code tree} first, the star against the tree instead: per worker count (one single-core executor
 * of 512 MB per worker, as many partitions), per network (784-256-128-10, 235,146 parameters; 16-8-2, a
 * network whose frames are a few hundred bytes, for the per-message costs), the persistent transport at
 * fan-out = tasks (the star), 2 and 1, in alternating rounds (star, 2, 1, star, 2, 1, …): the driver's bytes
 * per step (counted on its step channels), the median step time and the median of (step − slowest kernel);
 * then the driver's cost of adding partials ({@link MergeTree}) per parameter and partial.
 *
 * <pre>bench/run-kernel-bench.sh --class ClusterTransportBench tree [workers,...] [rounds]   (default 8,16 and 3)</pre>
 * With {@code merge}, only the driver's cost of adding 2, 8 and 16 partials (no cluster).
 * Run from the project root after a build (the script builds). Cluster files and logs go to
 * {@code bench/target/cluster/}.
 */
public final class ClusterTransportBench {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("merge")) {
            for (int partials : new int[] {2, 8, 16}) mergeCost(TransportBench.ARCH.parameterCount(), partials);
            return;
        }
        if (args.length > 0 && args[0].equals("tree")) {
            List<Integer> workers = new ArrayList<>();
            for (String w : (args.length > 1 ? args[1] : "8,16").split(",")) workers.add(Integer.parseInt(w.trim()));
            int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
            starVsTree(workers, rounds);
            return;
        }
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 24_000;
        Backend backend = args.length > 1 ? Backend.valueOf(args[1].toUpperCase(Locale.ROOT)) : Backend.AUTO;
        ItSettings settings = settings();
        try (SparkCluster cluster = SparkCluster.builder().settings(settings).workers(2).coresPerWorker(1)
                .workerMemory("2g").start()) {
            try (JavaSparkContext sc = SparkContexts.start("sparkmlp ClusterTransportBench", conf(cluster, settings, "1536m"))) {
                TransportBench.table(sc, cluster.masterUrl() + " (2 workers x 1 core)", rows, backend);
            }
        }
    }

    private static ItSettings settings() {
        ItSettings from = ItSettings.fromSystemProperties();
        return new ItSettings(from.sparkJavaOpts(), Path.of("driver/target/spark-classpath.txt").toAbsolutePath(),
                Path.of("driver/target/sparkmlp.jar").toAbsolutePath(), Path.of("bench/target/cluster").toAbsolutePath());
    }

    private static Map<String, String> conf(SparkCluster cluster, ItSettings settings, String executorMemory) {
        return Map.of(
                "spark.master", cluster.masterUrl(),
                "spark.ui.enabled", "false",
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.jars", settings.requireAppJar().toString(),
                "spark.executor.memory", executorMemory,
                // Same JVM flags as the driver (Spark's --add-opens list and jdk.incubator.vector).
                "spark.executor.extraJavaOptions", String.join(" ", settings.sparkJavaOpts()),
                // One BLAS thread per task, as bin/sparkmlp and the benchmarks here run it.
                "spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    }

    /** The star-vs-tree table (see the class comment). */
    static void starVsTree(List<Integer> workerCounts, int rounds) throws Exception {
        Architecture[] nets = {TransportBench.ARCH, Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 16, 8, 2)};
        int batch = 256;
        ItSettings settings = settings();
        System.out.printf(Locale.ROOT, "ClusterTransportBench tree: workers %s, %d rounds, batch %d, load %s, %d cpus%n", workerCounts,
                rounds, batch, ScaleBench.loadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.println("| tasks | parameters | fan-out | tree | driver bytes/step | median step ms | p90 step ms"
                + " | median kernel ms | median step − kernel ms |");
        System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        for (int n : workerCounts) {
            try (SparkCluster cluster = SparkCluster.builder().settings(settings).workers(n).coresPerWorker(1).workerMemory("512m")
                    .startTimeout(java.time.Duration.ofMinutes(5))
                    .start();
                 JavaSparkContext sc = SparkContexts.start("sparkmlp ClusterTransportBench tree", conf(cluster, settings, "512m"))) {
                sc.setLogLevel("WARN");
                for (Architecture arch : nets) {
                    int features = arch.sizes()[0];
                    DataOptions opts = DataOptions.defaults().withFormat(DataOptions.DataFormat.SYNTHETIC).withTestFraction(0)
                            .withValidationFraction(0).withStandardize(true).withPartitions(n).withSeed(7)
                            .withSynthetic(new DataOptions.SyntheticOptions(600L * n, features, arch.sizes()[arch.sizes().length - 1],
                                    Math.min(50, features), 0.1, 7));
                    PreparedData data = DataLoader.prepare(sc, opts);
                    StepContext ctx = new StepContext(arch, Backend.AUTO, 3, BatchPlan.of(DataLoader.partitionRows(data.train()), batch));
                    int[] fanouts = {n, 2, 1};
                    Map<Integer, List<double[]>> steps = new HashMap<>();
                    Map<Integer, List<double[]>> kernels = new HashMap<>();
                    Map<Integer, Long> bytes = new HashMap<>();
                    Map<Integer, String> shape = new HashMap<>();
                    int timed = arch.parameterCount() > 10_000 ? 60 : 150;
                    for (int r = 0; r < rounds; r++) {
                        for (int f : fanouts) {
                            PersistentTransport.Options o = PersistentTransport.Options.defaults().withFanout(f);
                            try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, Long.MAX_VALUE, o, System.out)) {
                                t.gradient(new float[arch.parameterCount()], 0); // launch, connect, place
                                long before = t.driverBytes();
                                double[][] ms = TransportBench.run(t, arch, timed);
                                int warm = Math.max(5, timed / 4);
                                bytes.put(f, (t.driverBytes() - before) / (warm + timed));
                                shape.put(f, t.topology());
                                steps.computeIfAbsent(f, k -> new ArrayList<>()).add(ms[0]);
                                double[] over = new double[ms[0].length];
                                for (int i = 0; i < over.length; i++) over[i] = ms[0][i] - ms[1][i];
                                kernels.computeIfAbsent(f, k -> new ArrayList<>()).add(ms[1]);
                                kernels.computeIfAbsent(-f, k -> new ArrayList<>()).add(over);
                            }
                        }
                    }
                    for (int f : fanouts) {
                        double[] s = concat(steps.get(f));
                        System.out.printf(Locale.ROOT, "| %d | %,d | %d | %s | %,d | %.2f | %.2f | %.2f | %.2f |%n", n, arch.parameterCount(), f,
                                shape.get(f), bytes.get(f), ScaleBench.median(s), ScaleBench.percentile(s, 0.9),
                                ScaleBench.median(concat(kernels.get(f))), ScaleBench.median(concat(kernels.get(-f))));
                    }
                    data.unpersist();
                }
            }
        }
        mergeCost(TransportBench.ARCH.parameterCount(), 16);
    }

    private static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) n += p.length;
        double[] all = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** The driver's cost of adding {@code partials} partials of {@code parameters} values in the tree order, per addition. */
    static void mergeCost(int parameters, int partials) {
        Random random = new Random(1);
        List<GradientPartial> parts = new ArrayList<>();
        for (int p = 0; p < partials; p++) {
            float[] g = new float[parameters];
            for (int i = 0; i < parameters; i++) g[i] = random.nextFloat();
            parts.add(new GradientPartial(p, g, 1, 1));
        }
        int reps = 200;
        double[] ns = new double[reps];
        for (int r = 0; r < reps + 50; r++) {
            long t0 = System.nanoTime();
            MergeTree.sum(parts, partials, parameters);
            if (r >= 50) ns[r - 50] = (System.nanoTime() - t0) / (double) ((long) (partials - 1) * parameters);
        }
        System.out.printf(Locale.ROOT, "%nMergeTree.sum of %d partials of %,d parameters on the driver: median %.3f ns per parameter"
                + " and partial added (%.2f ms per sum)%n", partials, parameters, ScaleBench.median(ns),
                ScaleBench.median(ns) * (partials - 1) * parameters / 1e6);
    }
}
