package io.sparkmlp.driver.transport.persistent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * Runs, while the data loads, one tiny job of the persistent stage's shape (a barrier map stage, one task per task
 * slot, feeding a one-partition shuffle), so that Spark's code for it is loaded and compiled before the real stage
 * launches. Measured on two vCPUs: the first launch of the persistent stage in a fresh JVM took about 0.25 s to
 * its tasks' start, a later one in the same JVM (a sweep's second run) 0.09 s from the data cached to the end of the
 * first step. Local mode only; the job computes nothing and caches nothing, and its failure only loses the warm-up.
 */
public final class StageWarmup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StageWarmup.class);
    private static final String GROUP = "sparkmlp-stage-warmup";

    private final JavaSparkContext sc;
    private final CompletableFuture<Void> job;
    private volatile boolean completed;
    /** Set by {@link #close}: a job that ends now was cancelled. */
    private volatile boolean closing;

    private StageWarmup(JavaSparkContext sc) {
        this.sc = sc;
        this.job = CompletableFuture.runAsync(this::run, runnable -> {
            Thread t = new Thread(runnable, "sparkmlp-stage-warmup");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Submits the job on a thread of its own; null unless {@code sc} runs in local mode. */
    public static StageWarmup start(JavaSparkContext sc) {
        return sc.isLocal() ? new StageWarmup(sc) : null;
    }

    private void run() {
        try {
            int slots = Math.max(1, sc.defaultParallelism());
            List<Integer> seeds = new ArrayList<>(slots);
            for (int i = 0; i < slots; i++) seeds.add(i);
            sc.setJobGroup(GROUP, "sparkmlp start-up: warming the persistent stage's path (no data)", true);
            sc.parallelize(seeds, slots).rdd().barrier().mapPartitions(new Identity(), false,
                    scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).toJavaRDD().repartition(1).count();
            completed = true;
        } catch (Exception e) { // SparkException too, when close() cancelled it
            if (closing) {
                LOG.debug("start-up warm-up job ended: {}", e.toString());
            } else {
                // not a cancellation: the run goes on unwarmed, but a failure here is a bug to see
                LOG.warn("start-up warm-up job failed (the run goes on): {}", e.toString());
            }
        } finally {
            sc.clearJobGroup();
        }
    }

    /** The barrier tasks' body: hands its partition on (a Scala function that Spark can serialize). */
    private static final class Identity extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Integer> apply(Iterator<Integer> rows) {
            return rows;
        }
    }

    /** Whether the job has run to its end (tests). */
    boolean completed() {
        return completed;
    }

    /** Whether the job has ended (tests). */
    boolean done() {
        return job.isDone();
    }

    /** Waits for the job's end (tests). */
    void join() {
        job.join();
    }

    /** Cancels the job if it still waits for its slots (the run's own stage needs them now); does not wait. */
    @Override
    public void close() {
        closing = true;
        if (!job.isDone()) sc.cancelJobGroup(GROUP);
    }
}
