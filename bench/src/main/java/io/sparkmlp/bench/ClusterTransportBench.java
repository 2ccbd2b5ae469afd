package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.cluster.ItSettings;
import io.sparkmlp.driver.cluster.SparkCluster;
import io.sparkmlp.kernel.Backend;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@link TransportBench}'s table on a real two-worker Spark standalone cluster on 127.0.0.1: a
 * Master and two Workers (one core each, separate JVMs, started from the Spark jars Maven resolved
 * with the integration tests' {@link SparkCluster}); this JVM is the driver in client mode, as
 * {@code spark-submit --deploy-mode client} runs it; the executors load {@code driver/target/sparkmlp.jar}.
 *
 * <pre>bench/run-kernel-bench.sh --class ClusterTransportBench [rows] [backend]   (default 24000, auto)</pre>
 * Run from the project root after a build (the script builds). Cluster files and logs go to
 * {@code bench/target/cluster/}.
 */
public final class ClusterTransportBench {

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 24_000;
        Backend backend = args.length > 1 ? Backend.valueOf(args[1].toUpperCase(Locale.ROOT)) : Backend.AUTO;
        ItSettings from = ItSettings.fromSystemProperties();
        ItSettings settings = new ItSettings(from.sparkJavaOpts(),
                Path.of("driver/target/spark-classpath.txt").toAbsolutePath(),
                Path.of("driver/target/sparkmlp.jar").toAbsolutePath(),
                Path.of("bench/target/cluster").toAbsolutePath());
        Path appJar = settings.requireAppJar();
        try (SparkCluster cluster = SparkCluster.builder().settings(settings).workers(2).coresPerWorker(1)
                .workerMemory("2g").start()) {
            Map<String, String> conf = Map.of(
                    "spark.master", cluster.masterUrl(),
                    "spark.ui.enabled", "false",
                    "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1",
                    "spark.jars", appJar.toString(),
                    "spark.executor.memory", "1536m",
                    // Same JVM flags as the driver (Spark's --add-opens list and jdk.incubator.vector).
                    "spark.executor.extraJavaOptions", String.join(" ", settings.sparkJavaOpts()),
                    // One BLAS thread per task, as bin/sparkmlp and the benchmarks here run it.
                    "spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
            try (JavaSparkContext sc = SparkContexts.start("sparkmlp ClusterTransportBench", conf)) {
                TransportBench.table(sc, cluster.masterUrl() + " (2 workers x 1 core)", rows, backend);
            }
        }
    }
}
