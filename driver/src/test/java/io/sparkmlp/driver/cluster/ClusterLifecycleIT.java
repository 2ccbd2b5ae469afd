package io.sparkmlp.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness's own promises under stress: an executor can be killed by pid while its application
 * runs, and {@link SparkCluster#close()} leaves no process behind even with an application in
 * the middle of a job (as when a test fails half-way).
 */
class ClusterLifecycleIT {

    @Test
    void killsAnExecutorByPidAndCloseStopsARunningApplication() throws Exception {
        SparkCluster cluster = SparkCluster.builder().workers(2).coresPerWorker(1).start();
        try {
            Path jar = AppJars.build(cluster.dir().resolve("probe-app.jar"), PartitionProbeApp.class);
            // Tasks that outlast the test: the job is running when the cluster is closed.
            RunningSubmission running = cluster.submit(jar).args("2", "600000").start();
            assertTrue(running.awaitStdout(PartitionProbeApp.READY, Duration.ofSeconds(90)),
                    () -> "the probe app did not report its executors\n" + running.stderr() + cluster.describeLogs());
            List<ExecutorProcess> executors = cluster.awaitExecutors(2, Duration.ofSeconds(30));
            assertEquals(2, executors.size(), executors::toString);

            ExecutorProcess victim = executors.get(0);
            cluster.killExecutor(victim.pid());
            assertFalse(victim.handle().isAlive(), () -> victim + " alive after killExecutor");
            assertTrue(cluster.executors().stream().noneMatch(e -> e.pid() == victim.pid()),
                    () -> victim + " still listed: " + cluster.executors());
            assertTrue(running.isAlive(), () -> "the application died with one executor\n" + running.stderr());
        } finally {
            long t0 = System.nanoTime();
            cluster.close();
            System.out.printf("closed a cluster with a running application in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
        }
        SparkClusterExtension.assertNoLeakedProcesses(cluster);
    }
}
