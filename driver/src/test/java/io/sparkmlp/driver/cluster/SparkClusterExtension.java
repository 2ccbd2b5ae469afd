package io.sparkmlp.driver.cluster;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link SparkCluster} for the tests of a class:
 * <pre>
 * &#64;RegisterExtension
 * static final SparkClusterExtension CLUSTER = new SparkClusterExtension(SparkCluster.builder().workers(2));
 * ... CLUSTER.cluster().submit(jar).run() ...
 * </pre>
 * Starts it before the first test, prints the ends of its logs when a test fails, and after the
 * last test closes it and fails the class if any process of it, or any child of this JVM, is
 * still alive.
 */
public final class SparkClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final SparkCluster.Builder builder;
    private SparkCluster cluster;

    public SparkClusterExtension(SparkCluster.Builder builder) {
        this.builder = builder;
    }

    public SparkCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Spark cluster is not started: register the extension with "
                    + "@RegisterExtension on a static field");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        long t0 = System.nanoTime();
        cluster = builder.start();
        System.out.printf("Spark cluster up in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, cluster);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (cluster != null) {
            System.out.println("Test " + context.getDisplayName() + " failed; " + cluster.describeLogs());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster == null) {
            return;
        }
        long t0 = System.nanoTime();
        cluster.close();
        System.out.printf("Spark cluster stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertNoLeakedProcesses(cluster);
    }

    /**
     * Fails when a process of the closed {@code cluster} or a descendant of this JVM is alive,
     * listing them with their command lines.
     */
    public static void assertNoLeakedProcesses(SparkCluster cluster) {
        List<ProcessHandle> leaked = new ArrayList<>(cluster.leakedProcesses());
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> !leaked.contains(p)).forEach(leaked::add);
        if (!leaked.isEmpty()) {
            throw new AssertionError(leaked.size() + " process(es) still alive after closing " + cluster + ":\n"
                    + SparkCluster.describe(leaked));
        }
    }
}
