package io.sparkmlp.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test cluster itself: a Master and two one-core Workers in their own JVMs on 127.0.0.1, jobs
 * submitted with spark-submit, every process gone after close (checked by the extension).
 */
class ClusterSmokeIT {

    @RegisterExtension
    static final SparkClusterExtension CLUSTER =
            new SparkClusterExtension(SparkCluster.builder().workers(2).coresPerWorker(1).workerMemory("1g"));

    private static final Pattern PROBE = Pattern.compile(
            "PROBE partition=(\\d+) executor=(\\S+) pid=(\\d+) attempt=(\\d+) vector=(\\w+) dir=(.+)");

    @Test
    void theMasterListsTwoAliveOneCoreWorkers() throws IOException {
        JsonNode status = CLUSTER.cluster().masterStatus();
        assertEquals("ALIVE", status.path("status").asText(), status::toPrettyString);
        assertEquals(2, status.path("workers").size(), status::toPrettyString);
        for (JsonNode worker : status.path("workers")) {
            assertEquals("ALIVE", worker.path("state").asText(), worker::toPrettyString);
            assertEquals(1, worker.path("cores").asInt(), worker::toPrettyString);
            assertEquals("127.0.0.1", worker.path("host").asText(), worker::toPrettyString);
        }
    }

    @Test
    void theDaemonsListenOnLoopbackOnly() throws IOException {
        Assumptions.assumeTrue(ListeningSockets.supported(), "needs Linux /proc");
        SparkCluster cluster = CLUSTER.cluster();
        List<ManagedProcess> daemons = new ArrayList<>(cluster.workers());
        daemons.add(cluster.master());
        for (ManagedProcess p : daemons) {
            assertOnlyLoopback(p.name(), p.pid());
        }
    }

    /**
     * A job of two partitions runs one task on an executor of each Worker; the executors have the
     * Vector API module and listen on loopback only.
     */
    @Test
    void aTwoPartitionJobRunsOnAnExecutorOfEachWorker() throws Exception {
        SparkCluster cluster = CLUSTER.cluster();
        Path jar = AppJars.build(cluster.dir().resolve("probe-app.jar"), PartitionProbeApp.class);
        long t0 = System.nanoTime();
        RunningSubmission running = cluster.submit(jar).args("2", "2000").start();
        boolean ready = running.awaitStdout(PartitionProbeApp.READY, Duration.ofSeconds(90));
        assertTrue(ready, () -> "the probe app did not report its executors\n" + running.await(Duration.ZERO).describe()
                + cluster.describeLogs());
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        List<ExecutorProcess> executors = cluster.executors();
        assertEquals(Set.of(0, 1), executorsByWorker(executors).keySet(), executors::toString);
        if (ListeningSockets.supported()) {
            for (ExecutorProcess e : executors) {
                assertOnlyLoopback("executor " + e.executorId(), e.pid());
            }
            assertOnlyLoopback("driver (spark-submit)", running.pid());
        }
        SubmitResult result = running.await(Duration.ofSeconds(90));
        System.out.printf("probe app: executors registered after %d ms, finished after %d ms%n",
                readyMs, result.elapsed().toMillis());
        assertTrue(result.succeeded(), result::describe);

        Map<Integer, Matcher> byPartition = new HashMap<>();
        result.stdout().lines().map(PROBE::matcher).filter(Matcher::matches)
                .forEach(m -> byPartition.put(Integer.parseInt(m.group(1)), m));
        assertEquals(Set.of(0, 1), byPartition.keySet(), result::describe);
        Set<String> pids = new TreeSet<>();
        Set<String> workerDirs = new TreeSet<>();
        for (Matcher m : byPartition.values()) {
            pids.add(m.group(3));
            assertEquals("true", m.group(5), () -> "executor without jdk.incubator.vector: " + m.group());
            Path dir = Path.of(m.group(6));
            for (int w = 0; w < 2; w++) {
                if (dir.startsWith(cluster.workerDir(w))) {
                    workerDirs.add("worker-" + w);
                }
            }
        }
        assertEquals(2, pids.size(), () -> "both partitions ran in one executor JVM\n" + result.describe());
        assertEquals(Set.of("worker-0", "worker-1"), workerDirs, result::describe);
    }

    /** The spark-submit jar the build makes, run the way users run it (main class from its manifest). */
    @Test
    void theSparkmlpJarPrintsItsVersionUnderSparkSubmit() throws IOException {
        SparkCluster cluster = CLUSTER.cluster();
        SubmitResult result = cluster.submit(cluster.settings().requireAppJar()).args("--version")
                .timeout(Duration.ofSeconds(60)).run();
        System.out.printf("sparkmlp.jar --version: %d ms%n", result.elapsed().toMillis());
        assertTrue(result.succeeded(), result::describe);
        assertTrue(result.stdout().contains("sparkmlp " + ItSettings.projectVersion()), result::describe);
    }

    private static Map<Integer, List<ExecutorProcess>> executorsByWorker(List<ExecutorProcess> executors) {
        Map<Integer, List<ExecutorProcess>> byWorker = new HashMap<>();
        executors.forEach(e -> byWorker.computeIfAbsent(e.workerIndex(), k -> new ArrayList<>()).add(e));
        return byWorker;
    }

    private static void assertOnlyLoopback(String what, long pid) throws IOException {
        List<InetSocketAddress> sockets = ListeningSockets.of(pid);
        assertTrue(!sockets.isEmpty(), () -> what + " (pid " + pid + ") listens on no TCP socket");
        for (InetSocketAddress a : sockets) {
            assertTrue(a.getAddress().isLoopbackAddress(),
                    () -> what + " (pid " + pid + ") listens beyond loopback: " + sockets);
        }
    }
}
