package io.sparkmlp.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Cluster failures as one line, without a cluster. */
class ClusterFailuresTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableStandaloneMasterIsNamedWithTheError() throws IOException {
        int port = closedPort();
        ClusterException e = assertThrows(ClusterException.class,
                () -> SparkContexts.requireReachableMaster("spark://127.0.0.1:" + port, 300));
        assertTrue(e.getMessage().startsWith("spark.master = spark://127.0.0.1:" + port + ": cannot connect to the Spark"
                + " master within 0.3 s (127.0.0.1:" + port + ": ConnectException"), e::getMessage);
        assertTrue(e.getMessage().endsWith("expected a running standalone master at that address (check the host,"
                + " the port and that the master is up)"), e::getMessage);
    }

    @Test
    void aReachableMasterOrAnotherKindOfMasterPasses() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int closed = closedPort();
            // A standby master that is down, then the active one: the second address answers.
            SparkContexts.requireReachableMaster("spark://127.0.0.1:" + closed + ",127.0.0.1:" + s.getLocalPort(), 300);
        }
        SparkContexts.requireReachableMaster("local[2]", 300);
        SparkContexts.requireReachableMaster("yarn", 300);
    }

    @Test
    void aMasterUrlWithoutAValidPortIsRefused() {
        ClusterException e = assertThrows(ClusterException.class,
                () -> SparkContexts.requireReachableMaster("spark://host:70x7", 300));
        assertEquals("spark.master = spark://host:70x7: \"host:70x7\" has no valid port; expected spark://HOST:PORT",
                e.getMessage());
    }

    @Test
    void executorsThatRanOutOfMemoryAreRecognised() {
        SparkException spark = new SparkException("Job aborted due to stage failure: Task 1 in stage 3.0 failed 4 times,"
                + " most recent failure: Lost task 1.3 in stage 3.0 (TID 9) (127.0.0.1 executor 4): ExecutorLostFailure"
                + " (executor 4 exited caused by one of the running tasks) Reason: Command exited with code 52\n"
                + "Driver stacktrace:\n\tat org.apache.spark...");
        ClusterException e = ClusterException.recognize(new RuntimeException("wrapped", spark));
        assertTrue(e.getMessage().startsWith("the Spark job failed because an executor ran out of memory: Job aborted"),
                e::getMessage);
        assertTrue(e.getMessage().contains("raise spark.executor.memory"), e::getMessage);
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("Driver stacktrace"), e::getMessage);

        ClusterException lost = ClusterException.recognize(new SparkException("Job aborted: ExecutorLostFailure (executor 1"
                + " exited unrelated to the running tasks) Reason: Remote RPC client disassociated."));
        assertTrue(lost.getMessage().startsWith("the Spark job failed because executors were lost:"), lost::getMessage);

        ClusterException stopped = ClusterException.recognize(new IllegalStateException(
                "Job 3 cancelled because SparkContext was shut down"));
        assertTrue(stopped.getMessage().startsWith("Spark stopped the application while it ran:"), stopped::getMessage);
    }

    @Test
    void ordinaryBugsAreNotClusterFailures() {
        assertNull(ClusterException.recognize(new SparkException("Job aborted due to stage failure: ... "
                + "java.lang.IllegalStateException: partition 0 holds more than one block")));
        assertNull(ClusterException.recognize(new NullPointerException()));
    }
}
