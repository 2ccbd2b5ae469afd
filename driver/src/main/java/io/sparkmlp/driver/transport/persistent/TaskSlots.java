package io.sparkmlp.driver.transport.persistent;

import java.time.Duration;
import org.apache.spark.api.java.JavaSparkContext;

/** The task slots a barrier stage needs: all its tasks run at once, or none does. */
final class TaskSlots {

    private TaskSlots() {
    }

    /**
     * Refuses to start when the cluster has fewer task slots than there are partitions (on a
     * cluster, after waiting up to {@code wait} for executors to register).
     */
    static void require(JavaSparkContext sc, int partitions, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean local = sc.master().startsWith("local");
        int slots = count(sc);
        while (slots < partitions && !local && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = count(sc);
        }
        if (slots < partitions) {
            throw new IllegalArgumentException("train.transport = persistent runs all " + partitions + " partitions at once"
                    + " (a Spark barrier stage), but " + sc.master() + " has " + slots + " task slots"
                    + (local ? " (local[N]: N threads)" : " (the sum of executor cores / spark.task.cpus)")
                    + "; defaultParallelism is " + sc.defaultParallelism()
                    + ". Set data.partitions to at most " + slots + ", or use train.transport = job");
        }
    }

    /** Tasks the cluster can run at once, as Spark counts them for barrier stages. */
    static int count(JavaSparkContext sc) {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }
}
