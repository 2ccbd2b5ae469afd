package io.sparkmlp.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.checkpoint.CheckpointStore;
import io.sparkmlp.driver.cli.Main;
import io.sparkmlp.driver.output.RunLock;
import io.sparkmlp.driver.output.RunOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code output.dir} on a real HDFS (a NameNode and a DataNode started in this JVM with Hadoop's
 * minicluster, on 127.0.0.1):
 * <ul>
 *   <li>a run in local mode whose driver (a spark-submit process) is killed after a checkpoint, with
 *       the newest checkpoint then damaged on HDFS, continues with {@code sparkmlp resume hdfs://...}
 *       and writes the same model bytes as an uninterrupted run;</li>
 *   <li>{@code spark-submit --deploy-mode cluster} on the standalone test cluster writes its outputs to
 *       HDFS (the driver runs on a Worker, so no local disk would keep them), the same model as a
 *       local run, which {@code sparkmlp inspect} reads back from HDFS.</li>
 * </ul>
 * The uninterrupted reference runs are trained in this JVM, to HDFS as well.
 */
class HdfsOutputIT {

    @RegisterExtension
    static final SparkClusterExtension CLUSTER =
            new SparkClusterExtension(SparkCluster.builder().workers(2).coresPerWorker(1).workerMemory("1g"));

    /**
     * The job of the killed driver: in local mode with one Spark job per step (some milliseconds
     * each), 150 steps remain after the checkpoint at step 50, time enough to kill the driver first;
     * the checkpoints of steps 25 and 50 are there by then.
     */
    static final List<String> LONG_JOB = List.of("data.format=synthetic", "synthetic.rows=6000", "synthetic.features=10",
            "synthetic.classes=3", "model.hidden=16", "train.batchSize=32", "train.maxSteps=200", "data.partitions=2",
            "train.evalEvery=50", "train.checkpointEvery=25", "train.transport=job");

    /**
     * The cluster-mode job: short (a step is a Spark job on the cluster), with checkpoints written to
     * HDFS too; the job transport, since the driver's Worker leaves one task slot for two partitions.
     */
    static final List<String> SHORT_JOB = List.of("data.format=synthetic", "synthetic.rows=6000", "synthetic.features=10",
            "synthetic.classes=3", "model.hidden=16", "train.batchSize=32", "train.maxSteps=30", "data.partitions=2",
            "train.evalEvery=10", "train.checkpointEvery=10", "train.transport=job");

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);
    private static final List<String> LOCAL = List.of("spark.master=local[2]", "spark.ui.enabled=false",
            "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1");

    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        long t0 = System.nanoTime();
        Configuration conf = new Configuration();
        java.nio.file.Path base = CLUSTER.cluster().dir().resolve("hdfs");
        hdfs = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1).build();
        hdfs.waitActive();
        root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        fs = FileSystem.get(java.net.URI.create(root), conf);
        System.out.printf("HDFS up in %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000, root);
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) hdfs.shutdown();
    }

    /** Trains {@code job} in this JVM in local[2] to {@code dir} on HDFS and returns the model's bytes. */
    private static byte[] localRun(List<String> job, String dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(job);
        args.addAll(LOCAL);
        args.add("output.dir=" + dir);
        long t0 = System.nanoTime();
        assertEquals(0, Main.run(args.toArray(new String[0])), "the local[2] reference run to " + dir + " failed");
        System.out.printf("local[2] reference run to %s: %d ms%n", dir, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(List.of(RunOutput.SUCCESS_FILE, CheckpointStore.DIRECTORY, RunOutput.METRICS_FILE, RunOutput.MODEL_FILE,
                RunOutput.REPORT_FILE, RunOutput.SUMMARY_FILE), names(dir),
                "the outputs and the completion marker, nothing else (no lock, temporary or .crc files)");
        return read(dir + "/" + RunOutput.MODEL_FILE);
    }

    private static List<String> names(String dir) throws IOException {
        return Stream.of(fs.listStatus(new Path(dir))).map(s -> s.getPath().getName()).sorted().toList();
    }

    private static byte[] read(String file) throws IOException {
        try (InputStream in = fs.open(new Path(file))) {
            return in.readAllBytes();
        }
    }

    private static SparkSubmission submit(String... args) {
        SparkCluster cluster = CLUSTER.cluster();
        return cluster.submit(cluster.settings().requireAppJar())
                .conf("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                .timeout(RUN_TIMEOUT)
                .args(args);
    }

    private static String[] trainArgs(List<String> job, String dir) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(job);
        args.add("output.dir=" + dir);
        return args.toArray(new String[0]);
    }

    @Test
    void aKilledDriverResumesFromHdfsWithTheSameModel() throws Exception {
        byte[] reference = localRun(LONG_JOB, root + "/runs/reference-long");
        String dir = root + "/runs/killed";
        RunningSubmission first = submit(trainArgs(LONG_JOB, dir)).master("local[2]").start();
        assertTrue(first.awaitStdout("sparkmlp: checkpoint at step 50:", RUN_TIMEOUT),
                () -> "no checkpoint at step 50\n" + first.await(Duration.ZERO).describe());
        first.killForcibly();
        assertFalse(fs.exists(new Path(dir, RunOutput.MODEL_FILE)), "the run ended before the driver was killed");
        List<FileStatus> checkpoints = Stream.of(fs.listStatus(new Path(dir, CheckpointStore.DIRECTORY)))
                .filter(s -> s.getPath().getName().endsWith(".ckpt"))
                .sorted((a, b) -> b.getPath().getName().compareTo(a.getPath().getName())).toList();
        assertTrue(checkpoints.size() >= 2, () -> "expected two checkpoints on HDFS, found " + checkpoints);
        System.out.printf("killed the driver (pid %d) with checkpoints %s%n", first.pid(),
                checkpoints.stream().map(s -> s.getPath().getName()).toList());

        // The newest checkpoint damaged (as by a writer that lost its tail): the one before must be used.
        String checkpointDir = dir + "/" + CheckpointStore.DIRECTORY + "/";
        String newest = checkpointDir + checkpoints.get(0).getPath().getName();
        byte[] bytes = read(newest);
        try (OutputStream out = fs.create(new Path(newest), true)) {
            out.write(Arrays.copyOf(bytes, bytes.length / 2));
        }

        // The killed driver left its lock; resume refuses a locked directory until the user removes it.
        assertTrue(fs.delete(new Path(dir, RunLock.FILE), false), "the killed run's lock");
        SubmitResult r = submit("resume", dir).master("local[2]").run();
        System.out.printf("resumed run: %d ms%n", r.elapsed().toMillis());
        assertTrue(r.succeeded(), r::describe);
        assertTrue(r.stdout().contains("sparkmlp: warning: damaged checkpoint skipped, using an older one: " + newest
                + ": truncated"), r::describe);
        assertTrue(r.stdout().contains("sparkmlp: resuming from " + checkpointDir + checkpoints.get(1).getPath().getName()),
                r::describe);
        assertTrue(fs.exists(new Path(newest + ".damaged")), "the damaged checkpoint is set aside on HDFS");
        assertArrayEquals(reference, read(dir + "/" + RunOutput.MODEL_FILE), "the resumed model differs from the"
                + " uninterrupted run's");
        List<String> outputs = names(dir);
        assertTrue(outputs.containsAll(List.of(RunOutput.METRICS_FILE, RunOutput.SUMMARY_FILE, RunOutput.REPORT_FILE,
                RunOutput.SUCCESS_FILE)), outputs::toString);
        assertFalse(outputs.contains(io.sparkmlp.driver.output.RunLock.FILE), "the resumed run released its lock");
        assertEquals(List.of(), Stream.of(fs.listStatus(new Path(dir, CheckpointStore.DIRECTORY)))
                .map(s -> s.getPath().getName()).filter(n -> n.endsWith(".tmp")).toList(), "temporary files left behind");
    }

    @Test
    void aClusterModeDriverWritesItsOutputsToHdfs() throws Exception {
        byte[] reference = localRun(SHORT_JOB, root + "/runs/reference-short");
        String dir = root + "/runs/cluster-mode";
        SubmitResult r = submit(trainArgs(SHORT_JOB, dir)).clusterDeployMode()
                .conf("spark.driver.memory", "512m")
                .conf("spark.executor.memory", "512m")
                .run();
        System.out.printf("cluster deploy mode run: %d ms%n", r.elapsed().toMillis());
        assertTrue(r.succeeded(), () -> r.describe() + "\n" + CLUSTER.cluster().describeLogs());
        assertArrayEquals(reference, read(dir + "/" + RunOutput.MODEL_FILE),
                () -> "the cluster-mode model differs from the local run's\n" + CLUSTER.cluster().describeLogs());
        String summary = new String(read(dir + "/" + RunOutput.SUMMARY_FILE), StandardCharsets.UTF_8);
        assertTrue(summary.contains("\"test_accuracy\""), summary);

        // The model commands read it back from HDFS.
        String model = dir + "/" + RunOutput.MODEL_FILE;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = Main.run("inspect", model);
        } finally {
            System.setOut(stdout);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.startsWith("model " + model + " (" + String.format(java.util.Locale.ROOT, "%,d", reference.length) + " bytes)"), text);
    }
}
