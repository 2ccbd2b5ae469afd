package io.sparkmlp.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.cli.Main;
import io.sparkmlp.driver.checkpoint.CheckpointStore;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.LocalFs;
import io.sparkmlp.driver.output.RunLock;
import io.sparkmlp.driver.output.RunOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sparkmlp's promises on a real cluster (a Master and two one-core Workers), with jobs submitted
 * through spark-submit and {@code driver/target/sparkmlp.jar}:
 * <ul>
 *   <li>a cluster run writes the same model bytes as a {@code local[2]} run of the same config;</li>
 *   <li>so does a run that loses an executor (killed by pid) half-way: Spark retries, the job finishes;</li>
 *   <li>so does a run whose driver is killed half-way and is continued with {@code sparkmlp resume},
 *       even when the newest checkpoint is damaged (the previous one is used, with a warning);</li>
 *   <li>an unreachable master and too little executor memory for a block fail with one line and
 *       exit code 5.</li>
 * </ul>
 * The reference model is trained once, in this JVM, in Spark local mode ({@code local[2]}).
 */
class ClusterTrainingIT {

    @RegisterExtension
    static final SparkClusterExtension CLUSTER =
            new SparkClusterExtension(SparkCluster.builder().workers(2).coresPerWorker(1).workerMemory("1g"));

    /**
     * 120 steps of a small synthetic job in two partitions, a checkpoint every 20: on this cluster a
     * step (one Spark job) takes some 50-100 ms, so there is time to interrupt the run after a
     * checkpoint. Early stopping is on (with a patience it never reaches), so its state travels too.
     */
    static final List<String> JOB = List.of("data.format=synthetic", "synthetic.rows=6000", "synthetic.features=10",
            "synthetic.classes=3", "model.hidden=16", "train.batchSize=32", "train.maxSteps=120", "data.partitions=2",
            "train.evalEvery=20", "train.earlyStoppingPatience=1000", "train.checkpointEvery=20");

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);
    private static final Pattern APP_ID = Pattern.compile("app ID (app-\\S+)");
    private static byte[] reference;

    /** The model of the job trained in this JVM with {@code spark.master=local[2]}. */
    static synchronized byte[] localReference() throws IOException {
        if (reference == null) {
            Path dir = CLUSTER.cluster().dir().resolve("runs/local");
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(JOB);
            args.addAll(List.of("spark.master=local[2]", "spark.ui.enabled=false", "output.dir=" + dir));
            long t0 = System.nanoTime();
            assertEquals(0, Main.run(args.toArray(new String[0])), "the local[2] reference run failed");
            System.out.printf("local[2] reference run: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            reference = Files.readAllBytes(dir.resolve(RunOutput.MODEL_FILE));
        }
        return reference;
    }

    private static Path runDir(String name) {
        return CLUSTER.cluster().dir().resolve("runs").resolve(name);
    }

    /** spark-submit of sparkmlp.jar with {@code args} after the jar. */
    private static SparkSubmission submit(String... args) {
        SparkCluster cluster = CLUSTER.cluster();
        return cluster.submit(cluster.settings().requireAppJar())
                .conf("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                .timeout(RUN_TIMEOUT)
                .args(args);
    }

    private static String[] trainArgs(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(JOB);
        args.add("output.dir=" + dir);
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static void assertSameModel(Path dir, String what) throws IOException {
        Path model = dir.resolve(RunOutput.MODEL_FILE);
        assertTrue(Files.exists(model), () -> what + ": no model at " + model);
        assertArrayEquals(localReference(), Files.readAllBytes(model),
                what + ": the model differs from the local[2] run's (" + model + ")");
    }

    private static List<String> errorLines(SubmitResult r) {
        return r.stderr().lines().filter(l -> l.startsWith("sparkmlp: error:")).toList();
    }

    @Test
    void aClusterRunWritesTheSameModelAsALocalRun() throws IOException {
        Path dir = runDir("cluster");
        SubmitResult r = submit(trainArgs(dir)).run();
        System.out.printf("cluster run: %d ms%n", r.elapsed().toMillis());
        assertTrue(r.succeeded(), r::describe);
        assertTrue(r.stdout().contains("training rows in 2 partitions"), r::describe);
        assertSameModel(dir, "cluster run");
    }

    @Test
    void aRunThatLosesAnExecutorFinishesWithTheSameModel() throws Exception {
        SparkCluster cluster = CLUSTER.cluster();
        Path dir = runDir("lost-executor");
        RunningSubmission running = submit(trainArgs(dir)).start();
        assertTrue(running.awaitStdout("sparkmlp: checkpoint at step 20:", RUN_TIMEOUT),
                () -> "no progress to step 20\n" + running.await(Duration.ZERO).describe());
        Matcher m = APP_ID.matcher(running.stderr());
        assertTrue(m.find(), () -> "no application id in the driver's log\n" + running.stderr());
        String appId = m.group(1);
        List<ExecutorProcess> executors = cluster.executors().stream().filter(e -> e.appId().equals(appId)).toList();
        assertFalse(executors.isEmpty(), () -> "no executor of " + appId + " alive: " + cluster.executors());
        ExecutorProcess victim = executors.get(0);
        cluster.killExecutor(victim.pid());
        assertTrue(running.isAlive() && !Files.exists(dir.resolve(RunOutput.MODEL_FILE)),
                "the run ended before the executor was killed: make the job longer");
        System.out.printf("killed executor %s (pid %d) of %s after step 20%n", victim.executorId(), victim.pid(), appId);

        SubmitResult r = running.await(RUN_TIMEOUT);
        System.out.printf("run with a lost executor: %d ms%n", r.elapsed().toMillis());
        assertTrue(r.succeeded(), r::describe);
        assertTrue(r.stderr().contains("Lost executor " + victim.executorId()),
                () -> "the driver did not notice the lost executor\n" + r.describe());
        assertSameModel(dir, "run with a lost executor");
    }

    @Test
    void aRunWhoseDriverIsKilledResumesFromItsCheckpointsToTheSameModel() throws Exception {
        Path dir = runDir("killed-driver");
        RunningSubmission first = submit(trainArgs(dir)).start();
        assertTrue(first.awaitStdout("sparkmlp: checkpoint at step 40:", RUN_TIMEOUT),
                () -> "no checkpoint at step 40\n" + first.await(Duration.ZERO).describe());
        first.killForcibly();
        assertFalse(Files.exists(dir.resolve(RunOutput.MODEL_FILE)), "the run ended before the driver was killed");
        CheckpointStore store = CheckpointStore.of(LocalFs.PATH.of(dir));
        List<FsPath> checkpoints = store.list();
        assertTrue(checkpoints.size() >= 2, () -> "expected two checkpoints, found " + checkpoints);
        System.out.printf("killed the driver (pid %d) with checkpoints %s%n", first.pid(),
                checkpoints.stream().map(FsPath::name).toList());

        // The newest checkpoint damaged (as by a disk that lost its tail): the one before must be used.
        FsPath newest = checkpoints.get(0);
        byte[] bytes = Files.readAllBytes(LocalFs.local(newest));
        Files.write(LocalFs.local(newest), Arrays.copyOf(bytes, bytes.length / 2));

        // The killed driver left its lock; resume refuses a locked directory until the user removes it.
        assertTrue(Files.exists(dir.resolve(RunLock.FILE)), "the killed run's lock");
        Files.delete(dir.resolve(RunLock.FILE));
        SubmitResult r = submit("resume", dir.toString()).run();
        System.out.printf("resumed run: %d ms%n", r.elapsed().toMillis());
        assertTrue(r.succeeded(), r::describe);
        assertTrue(r.stdout().contains("sparkmlp: warning: damaged checkpoint skipped, using an older one: " + newest
                + ": truncated"), r::describe);
        assertTrue(r.stdout().contains("sparkmlp: resuming from " + checkpoints.get(1)), r::describe);
        assertSameModel(dir, "resumed run");
    }

    @Test
    void anUnreachableMasterFailsAtOnceWithOneLine() throws IOException {
        int port = SparkCluster.freePort();
        String master = "spark://127.0.0.1:" + port;
        SubmitResult r = submit(trainArgs(runDir("unreachable"))).master(master).timeout(Duration.ofSeconds(90)).run();
        System.out.printf("unreachable master: %d ms%n", r.elapsed().toMillis());
        assertEquals(5, r.exitCode(), r::describe);
        List<String> errors = errorLines(r);
        assertEquals(1, errors.size(), r::describe);
        assertTrue(errors.get(0).startsWith("sparkmlp: error: spark.master = " + master
                + ": cannot connect to the Spark master within 5.0 s (127.0.0.1:" + port + ": "), r::describe);
        assertFalse(r.stderr().contains("\tat "), r::describe);
    }

    /**
     * Blocks of about 160 MB against executors of 512 MB (about 127 MB of storage memory): the
     * blocks are not cached, and the run stops before training instead of regenerating the data
     * at every step.
     */
    @Test
    void blocksLargerThanTheExecutorsStorageMemoryFailWithOneLine() throws IOException {
        Path dir = runDir("small-executors");
        SubmitResult r = submit("train", "data.format=synthetic", "synthetic.rows=1700000", "synthetic.features=50",
                "data.testFraction=0.05", "data.validationFraction=0", "data.standardize=false", "data.partitions=2",
                "model.hidden=8", "train.maxSteps=10", "output.dir=" + dir)
                .conf("spark.executor.memory", "512m").run();
        System.out.printf("too little executor memory: %d ms%n", r.elapsed().toMillis());
        assertEquals(5, r.exitCode(), r::describe);
        List<String> errors = errorLines(r);
        assertEquals(1, errors.size(), r::describe);
        assertTrue(errors.get(0).startsWith("sparkmlp: error: the data does not fit in the executors' storage memory:"),
                r::describe);
        assertTrue(errors.get(0).contains("training blocks (about 15"), r::describe);
        assertTrue(errors.get(0).contains("(spark.executor.memory = 512m)"), r::describe);
        assertFalse(Files.exists(dir.resolve(RunOutput.MODEL_FILE)));
    }
}
