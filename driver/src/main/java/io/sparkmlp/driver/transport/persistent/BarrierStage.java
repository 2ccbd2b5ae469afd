package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.StepContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The lifecycle of the persistent barrier stage: launches it (a driver thread runs its job), waits
 * for all tasks of its current attempt to connect to the {@link StepServer}, forgets a generation
 * whose task was lost and waits for Spark's next attempt, and stops it.
 *
 * <p>A launch is one job; its stage attempts are its generations. The barrier map is the map side
 * of a shuffle so that Spark retries the whole stage when a task or executor dies (a failed barrier
 * <em>result</em> stage is not retried). {@link #release} tells the tasks STOP so they return and
 * free their slots; the next {@link #connections} launches the stage again.
 */
final class BarrierStage implements AutoCloseable {

    private final JavaSparkContext sc;
    private final StageInput input;
    /** How EVAL requests read the outputs; null when the stage does not evaluate. */
    private final Evaluator.Task evalTask;
    private final StepContext ctx;
    private final long totalSteps;
    private final PersistentTransport.Options options;
    private final int partitions;
    private final byte[] secret = new byte[StepProtocol.SECRET_BYTES];
    private final String connectHost;
    private final StepServer server;
    /** Closes a generation's connections when Spark reports the executor of one of its tasks lost. */
    private final ExecutorLoss executorLoss;
    private final ExecutorService jobThread;
    private final String jobGroup;

    private Future<Long> job;
    private int launch;
    /** The connected generation, or null while none is. */
    private StepServer.Connection[] current;
    /** The generation last given up on (its attempt's successor is awaited), or -1. */
    private long broken = -1;

    BarrierStage(JavaSparkContext sc, StageInput input, int partitions, Evaluator.Task evalTask, StepContext ctx, long totalSteps,
                 PersistentTransport.Options options) {
        this.sc = sc;
        this.input = input;
        this.partitions = partitions;
        this.evalTask = evalTask;
        this.ctx = ctx;
        this.totalSteps = totalSteps;
        this.options = options;
        new SecureRandom().nextBytes(secret);
        SparkConf conf = sc.getConf();
        this.connectHost = conf.get("spark.driver.host", localHost());
        String bind = conf.get("spark.driver.bindAddress", connectHost);
        try {
            this.server = new StepServer(InetAddress.getByName(bind), secret, partitions, options);
        } catch (IOException e) {
            throw new UncheckedIOException("persistent transport: cannot listen on " + bind + " (spark.driver.bindAddress): "
                    + e.getMessage(), e);
        }
        this.executorLoss = new ExecutorLoss(sc.sc(), server::hostLost);
        sc.sc().addSparkListener(executorLoss);
        this.jobGroup = "sparkmlp-persistent-" + server.port();
        this.jobThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sparkmlp-persistent-stage");
            t.setDaemon(true);
            return t;
        });
    }

    /** Launches the stage (a driver thread submits its job) unless it runs; does not wait for its tasks. */
    void launch() {
        if (job == null) {
            launch++;
            broken = -1;
            job = jobThread.submit(this::runStage);
        }
    }

    /** The connections of the running stage, by partition; launches it, or waits for its next attempt, as needed. */
    StepServer.Connection[] connections() {
        if (current != null) return current;
        launch();
        try {
            current = server.awaitGeneration(launch, broken, options.start(), this::checkJob);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the persistent tasks", e);
        }
        return current;
    }

    /** Gives up on {@code gen} (a task of it was lost): closes it; the next {@link #connections} awaits Spark's next attempt. */
    void lost(StepServer.Connection[] gen) {
        broken = gen[0].generation();
        server.discard(gen);
        current = null;
    }

    /**
     * How the running stage's tasks exchange steps: "in process" (all in this JVM), "tcp", "mixed",
     * or "none" when no stage runs.
     */
    String exchange() {
        StepServer.Connection[] gen = current;
        if (gen == null) return "none";
        long local = Arrays.stream(gen).filter(c -> c.channel.inProcess()).count();
        long here = Arrays.stream(gen).filter(c -> c.channel.answersHere()).count();
        return (local == gen.length ? "in process" : local == 0 ? "tcp" : "mixed")
                + (here > 0 ? ", " + here + " answered in the driver's thread" : "");
    }

    /** The job of one launch: the barrier map is the map side of a shuffle so that Spark retries it. */
    private long runStage() {
        int thisLaunch = launch;
        sc.setJobGroup(jobGroup, "sparkmlp persistent steps (" + partitions + " tasks, launch " + thisLaunch + ", "
                + totalSteps + " steps)", true);
        try {
            PersistentTask body = new PersistentTask(connectHost, server.port(), partitions,
                    Tree.of(partitions, options.fanout(), ctx.architecture().parameterCount()).blockSize, secret, thisLaunch, ctx, evalTask,
                    (int) options.connect().toMillis(), (int) Math.min(Integer.MAX_VALUE, options.step().toMillis()),
                    options.encrypt(), options.taskHook());
            ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
            RDD<Integer> tasks = input.rdd().rdd().barrier().mapPartitions(body, false, tag);
            return JavaRDD.fromRDD(tasks, tag).repartition(1).count();
        } finally {
            sc.clearJobGroup();
        }
    }

    /** Throws the stage's failure when its job has ended (the tasks will not connect any more). */
    private void checkJob() {
        if (job == null || !job.isDone()) return;
        try {
            job.get();
            throw new IllegalStateException("persistent transport: the stage of launch " + launch + " ended before its tasks connected");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            job = null;
            throw new IllegalStateException("persistent transport: the Spark stage failed: " + firstLine(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("persistent transport: the stage was cancelled", e);
        }
    }

    /** Stops the tasks (STOP) and waits for the job to end, so that their slots are free for other jobs. */
    void release() {
        if (job == null) return;
        server.stopLaunch(launch);
        current = null;
        Future<Long> running = job;
        job = null;
        try {
            running.get(options.start().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("persistent transport: the Spark stage failed: " + firstLine(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            sc.cancelJobGroup(jobGroup);
            throw new IllegalStateException("persistent transport: the tasks did not stop within " + options.start().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sc.cancelJobGroup(jobGroup);
        }
    }

    @Override
    public void close() {
        try {
            release();
        } catch (RuntimeException e) {
            sc.cancelJobGroup(jobGroup);
            throw e;
        } finally {
            sc.sc().removeSparkListener(executorLoss);
            server.close();
            jobThread.shutdownNow();
            input.close();
        }
    }

    private static String firstLine(Throwable t) {
        String m = t == null ? "?" : String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    @Override
    public String toString() {
        return "barrier stage of " + partitions + " tasks, step server " + server;
    }
}
