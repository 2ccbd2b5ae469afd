package io.sparkmlp.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code train.transport=persistent} on the two-worker standalone cluster under spark-submit: the
 * weights are bit for bit those of the job transport, also when an executor is killed in the
 * middle of the run (Spark restarts the barrier stage on a fresh executor, the tasks reconnect and
 * the driver sends its current step again); under dynamic allocation the default falls back to the job transport.
 */
class PersistentTransportIT {

    @RegisterExtension
    static final SparkClusterExtension CLUSTER =
            new SparkClusterExtension(SparkCluster.builder().workers(2).coresPerWorker(1).workerMemory("1g"));

    private static final String[] RUN = {"data.format=synthetic", "synthetic.rows=20000", "synthetic.features=40",
            "synthetic.classes=4", "data.partitions=2", "data.validationFraction=0.05", "model.hidden=128,64",
            "train.batchSize=256", "train.maxSteps=1500", "train.evalEvery=500", "train.logEvery=100"};

    private static SubmitResult train(Path out, String transport, boolean killAnExecutor, String... more) throws Exception {
        SparkCluster cluster = CLUSTER.cluster();
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(RUN));
        args.addAll(List.of(more));
        if (transport != null) args.add("train.transport=" + transport);
        args.add("output.dir=" + out);
        RunningSubmission running = cluster.submit(cluster.settings().requireAppJar()).args(args.toArray(String[]::new))
                .timeout(Duration.ofMinutes(5)).start();
        if (killAnExecutor) {
            // mid-run: after the first progress line of the persistent stage
            Supplier<String> stalled = () -> running.await(Duration.ZERO).describe() + cluster.describeLogs();
            assertTrue(running.awaitStdout("step transport persistent", Duration.ofMinutes(2)), stalled);
            assertTrue(running.awaitStdout("step 1", Duration.ofMinutes(2)), stalled);
            List<ExecutorProcess> executors = cluster.awaitExecutors(2, Duration.ofSeconds(30));
            cluster.killExecutor(executors.get(0).pid());
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
    void sameWeightsAsTheJobTransportWithAndWithoutAKilledExecutor() throws Exception {
        Path dir = CLUSTER.cluster().dir();
        train(dir.resolve("job"), "job", false);
        SubmitResult plain = train(dir.resolve("persistent"), "persistent", false);
        SubmitResult killed = train(dir.resolve("persistent-killed"), "persistent", true);
        int[] job = weightBits(dir.resolve("job"));
        assertArrayEquals(job, weightBits(dir.resolve("persistent")), "persistent vs job");
        assertArrayEquals(job, weightBits(dir.resolve("persistent-killed")), "persistent with a killed executor vs job");
        assertTrue(killed.stdout().contains("persistent transport lost partition"), killed::describe);
        assertEquals(false, plain.stdout().contains("persistent transport lost partition"), plain::describe);
        System.out.printf("persistent IT: job run, persistent %d ms, persistent with a killed executor %d ms%n",
                plain.elapsed().toMillis(), killed.elapsed().toMillis());
    }

    /** Under dynamic allocation Spark runs no barrier stage: the default transport falls back to jobs, with a notice, and trains. */
    @Test
    void dynamicAllocationFallsBackToTheJobTransport() throws Exception {
        Path out = CLUSTER.cluster().dir().resolve("dynamic");
        SubmitResult r = train(out, null, false, "train.maxSteps=50", "spark.dynamicAllocation.enabled=true",
                "spark.dynamicAllocation.shuffleTracking.enabled=true");
        assertTrue(r.stdout().contains("sparkmlp: step transport job: spark.dynamicAllocation.enabled = true"), r::describe);
    }
}
