package io.sparkmlp.driver.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spark-submit of an application jar to the test cluster, built as a user would type it:
 * <pre>
 * java [Spark's JVM flags] -cp $SPARK_HOME/conf/:$SPARK_HOME/jars/* org.apache.spark.deploy.SparkSubmit \
 *   --master spark://127.0.0.1:PORT --deploy-mode client|cluster [--class MAIN] [--jars A.jar,...] --conf K=V ... \
 *   APP.jar ARGS...
 * </pre>
 * (what {@code bin/spark-submit} runs). Defaults: the driver bound to 127.0.0.1, its web UI off, the
 * executors started with Spark's JVM flags and the Vector API module; {@link #conf} overrides them.
 * Obtain one from {@link SparkCluster#submit(Path)}.
 */
public final class SparkSubmission {

    private final SparkCluster cluster;
    private final Path appJar;
    private final Map<String, String> conf = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx1g"));
    private final List<String> args = new ArrayList<>();
    private final List<Path> jars = new ArrayList<>();
    private String mainClass;
    private String master;
    private String deployMode = "client";
    private Duration timeout = Duration.ofSeconds(120);

    SparkSubmission(SparkCluster cluster, Path appJar) {
        this.cluster = cluster;
        this.appJar = appJar.toAbsolutePath();
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.ui.showConsoleProgress", "false");
        conf.put("spark.executor.extraJavaOptions", String.join(" ", cluster.settings().sparkJavaOpts()));
    }

    /** {@code --class}; without it spark-submit takes the Main-Class of the jar's manifest. */
    public SparkSubmission mainClass(String className) {
        this.mainClass = className;
        return this;
    }

    /** {@code --jars}: jars for the driver's and the executors' classpath besides the application jar. */
    public SparkSubmission jars(Path... more) {
        for (Path jar : more) {
            jars.add(jar.toAbsolutePath());
        }
        return this;
    }

    /** {@code --master}: another master URL than the cluster's (e.g. an unreachable one). */
    public SparkSubmission master(String url) {
        this.master = url;
        return this;
    }

    /**
     * {@code --deploy-mode cluster}: the driver runs on a Worker (its output in the Worker's
     * {@code driver-*} folder), and spark-submit waits for it to end.
     */
    public SparkSubmission clusterDeployMode() {
        this.deployMode = "cluster";
        conf.put("spark.standalone.submit.waitAppCompletion", "true");
        conf.put("spark.driver.extraJavaOptions", String.join(" ", cluster.settings().sparkJavaOpts()));
        return this;
    }

    /** {@code --conf key=value}; replaces a default or earlier value of the key. */
    public SparkSubmission conf(String key, String value) {
        conf.put(key, value);
        return this;
    }

    /** A flag of the submitting JVM, which is the driver in client mode (default heap: -Xmx1g). */
    public SparkSubmission jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** The application's arguments, after the jar. */
    public SparkSubmission args(String... appArgs) {
        args.addAll(List.of(appArgs));
        return this;
    }

    /** How long {@link #run()} waits before it kills the submission (default 120 s). */
    public SparkSubmission timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(SparkCluster.javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.addAll(cluster.settings().sparkJavaOpts());
        cmd.add("-cp");
        cmd.add(cluster.sparkHome().classpath());
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.add("--master");
        cmd.add(master != null ? master : cluster.masterUrl());
        cmd.add("--deploy-mode");
        cmd.add(deployMode);
        if (mainClass != null) {
            cmd.add("--class");
            cmd.add(mainClass);
        }
        if (!jars.isEmpty()) {
            cmd.add("--jars");
            cmd.add(String.join(",", jars.stream().map(Path::toString).toList()));
        }
        conf.forEach((k, v) -> {
            cmd.add("--conf");
            cmd.add(k + "=" + v);
        });
        cmd.add(appJar.toString());
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the submission and returns at once; output goes to {@code logs/submit-N.out|err}. */
    public RunningSubmission start() throws IOException {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalArgumentException("application jar " + appJar + " does not exist");
        }
        return cluster.startSubmission(command());
    }

    /** Runs the submission to its end, or kills it after the {@link #timeout}. */
    public SubmitResult run() throws IOException {
        return start().await(timeout);
    }
}
