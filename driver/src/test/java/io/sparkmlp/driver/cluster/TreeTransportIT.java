package io.sparkmlp.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The persistent transport's tree on a four-worker standalone cluster under spark-submit: with
 * {@code transport.fanout=1} the driver exchanges with task 0 only, which relays to tasks 1 and 2, and
 * task 2 to task 3, each over its own authenticated connection between executors. The weights are bit
 * for bit those of the star, also with every frame encrypted and when an executor is killed in the middle
 * of the run (Spark restarts the barrier stage, the tasks build the tree again and the driver sends its
 * current step again). The star gives the job transport's bits ({@link PersistentTransportIT}); a job run
 * is left out here because on a loaded machine it alone takes minutes of the integration tests' budget.
 */
class TreeTransportIT {

    @RegisterExtension
    static final SparkClusterExtension CLUSTER =
            new SparkClusterExtension(SparkCluster.builder().workers(4).coresPerWorker(1).workerMemory("512m"));

    private static final String[] RUN = {"data.format=synthetic", "synthetic.rows=12000", "synthetic.features=40",
            "synthetic.classes=4", "data.partitions=4", "data.validationFraction=0.05", "model.hidden=64,32",
            "train.batchSize=256", "train.maxSteps=300", "train.evalEvery=100", "train.logEvery=50"};

    private static SubmitResult train(Path out, String transport, boolean killAnExecutor, String... more) throws Exception {
        SparkCluster cluster = CLUSTER.cluster();
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(RUN));
        args.addAll(List.of(more));
        args.add("train.transport=" + transport);
        args.add("output.dir=" + out);
        RunningSubmission running = cluster.submit(cluster.settings().requireAppJar()).conf("spark.executor.memory", "512m")
                .args(args.toArray(String[]::new)).timeout(Duration.ofMinutes(5)).start();
        if (killAnExecutor) {
            Supplier<String> stalled = () -> running.await(Duration.ZERO).describe() + cluster.describeLogs();
            assertTrue(running.awaitStdout("step transport persistent", Duration.ofMinutes(2)), stalled);
            assertTrue(running.awaitStdout("step 1", Duration.ofMinutes(2)), stalled);
            List<ExecutorProcess> executors = cluster.awaitExecutors(4, Duration.ofSeconds(30));
            cluster.killExecutor(executors.get(executors.size() - 1).pid());
        }
        SubmitResult result = running.await(Duration.ofMinutes(5));
        assertTrue(result.succeeded(), () -> result.describe() + cluster.describeLogs());
        return result;
    }

    private static int[] weightBits(Path out) throws IOException {
        float[] w = ModelFile.read(out.resolve(RunOutput.MODEL_FILE)).parameters().flat();
        int[] b = new int[w.length];
        for (int i = 0; i < w.length; i++) b[i] = Float.floatToRawIntBits(w[i]);
        return b;
    }

    @Test
    void theTreeGivesTheBitsOfTheStarEncryptedAndWithAKilledExecutor() throws Exception {
        Path dir = CLUSTER.cluster().dir();
        SubmitResult star = train(dir.resolve("star"), "persistent", false, "transport.fanout=4");
        SubmitResult tree = train(dir.resolve("tree"), "persistent", false, "transport.fanout=1", "transport.encrypt=true");
        SubmitResult killed = train(dir.resolve("tree-killed"), "persistent", true, "transport.fanout=1");
        int[] bits = weightBits(dir.resolve("star"));
        assertArrayEquals(bits, weightBits(dir.resolve("tree")), "tree (encrypted) vs star");
        assertArrayEquals(bits, weightBits(dir.resolve("tree-killed")), "tree with a killed executor vs star");
        assertTrue(killed.stdout().contains("persistent transport lost partition 0 or a task of its block 0..3"), killed::describe);
        assertTrue(!tree.stdout().contains("persistent transport lost partition"), tree::describe);
        System.out.printf("tree IT: star %d ms, tree %d ms, tree with a killed executor %d ms%n", star.elapsed().toMillis(),
                tree.elapsed().toMillis(), killed.elapsed().toMillis());
    }
}
