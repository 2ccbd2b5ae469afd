package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;

import io.sparkmlp.driver.data.Block;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * One long-lived barrier stage instead of one job per step: a task per partition stays alive,
 * holding its cached training block (and validation block), and warm kernel buffers, and exchanges
 * binary frames with the driver over TCP (see {@link StepProtocol}): per step the driver sends the
 * weights to every task and reads every task's partial in partition order, then merges them with
 * {@link GradientPartial#sumInOrder} exactly as {@link io.sparkmlp.driver.transport.JobTransport} does, so both transports give
 * the same bits. Tasks that run in the driver's own JVM (local mode) authenticate the same way and
 * then exchange the same messages in memory ({@link LocalLink}).
 *
 * <p><b>Validation.</b> Given the validation blocks, {@link #evaluate} is one more round of the
 * running stage: every task evaluates the weights on its validation block and the metrics are
 * summed in partition order, as {@link Evaluator#evaluate}'s job does, without stopping the stage.
 *
 * <p><b>Lifecycle.</b> The stage is launched on the first {@link #gradient} (asynchronously: a
 * driver thread runs the job) and runs until {@link #release} or {@link #close}, which send STOP so
 * the tasks return and free their task slots (other jobs need them: with as many partitions as
 * slots, nothing else can run beside the stage). The next {@link #gradient} launches it again.
 *
 * <p><b>Failure.</b> The barrier map is the map side of a shuffle, so Spark retries the whole
 * stage when a task or executor dies (a failed barrier <em>result</em> stage is not retried).
 * The driver notices the broken connection (or the in-memory link's end), closes that
 * generation's connections (which also releases tasks blocked on the socket), waits for all tasks
 * of the next stage attempt to connect and sends the same round again: an answer is a pure
 * function of (weights, step, partition), so the run continues from the driver's current step
 * with the same bits. When Spark gives up, the job's failure is the error.
 *
 * <p><b>Security.</b> Tasks must answer the server's random challenge with an HMAC keyed by a
 * per-run 32-byte secret that travels only in the task closure; anything else is dropped. Only a
 * holder of the secret can find the in-memory link's registry entry.
 */
public final class PersistentTransport implements StepTransport {

    /**
     * Timeouts and the test hook.
     *
     * @param connect how long a task may take to connect and authenticate
     * @param step how long the driver waits for one partition's partial; the task's idle limit too
     * @param start how long the driver waits for all tasks of a stage (attempt) to connect
     * @param slotWait on a cluster, how long to wait for executors to register enough task slots
     * @param inProcess whether tasks in the driver's JVM (local mode) exchange steps in memory
     *        ({@link LocalLink}) rather than as frames over loopback TCP; on by default
     * @param failAt test hook, normally null
     */
    public record Options(Duration connect, Duration step, Duration start, Duration slotWait, boolean inProcess,
                          PersistentTask.FailAt failAt) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofSeconds(60), true,
                    null);
        }

        /** These options with the in-process exchange on or off (off: frames over TCP also in local mode). */
        public Options inProcess(boolean on) {
            return new Options(connect, step, start, slotWait, on, failAt);
        }

        Options failingAt(int partition, long step) {
            return new Options(connect, this.step, start, slotWait, inProcess, new PersistentTask.FailAt(partition, step));
        }
    }

    private final JavaSparkContext sc;
    private final JavaRDD<Block> train;
    /** Validation blocks the stage evaluates on ({@link #evaluate}), partition by partition with train; or null. */
    private final JavaRDD<Block> validation;
    private final Evaluator.Task evalTask;
    /** A cached copy of the stage's input behind a shuffle, when its lineage is one a barrier stage refuses; else null. */
    private JavaRDD<PersistentTask.Input> copy;
    private final StepContext ctx;
    private final long totalSteps;
    private final Options options;
    private final PrintStream log;
    private final int partitions;
    private final int parameters;
    private final byte[] secret = new byte[StepProtocol.SECRET_BYTES];
    private final String connectHost;
    private final StepServer server;
    private final ExecutorService jobThread;
    private final String jobGroup;

    private Future<Long> job;
    private int launch;
    private StepServer.Connection[] current;
    private long broken = -1;
    private int recoveries;
    private ByteBuffer stepFrame;

    /**
     * @param validation blocks to evaluate on inside the stage ({@link #evaluate}), or null; used only
     *        when it has as many partitions as {@code train}
     * @param evalTask how evaluations read the outputs; null exactly when {@code validation} is
     */
    public PersistentTransport(JavaSparkContext sc, JavaRDD<Block> train, JavaRDD<Block> validation, Evaluator.Task evalTask,
                               StepContext ctx, long totalSteps, Options options, PrintStream log) {
        this.sc = sc;
        this.train = train;
        boolean evaluates = validation != null && evalTask != null && validation.getNumPartitions() == train.getNumPartitions();
        this.validation = evaluates ? validation : null;
        this.evalTask = evaluates ? evalTask : null;
        this.ctx = ctx;
        this.totalSteps = totalSteps;
        this.options = options;
        this.log = log;
        this.partitions = train.getNumPartitions();
        this.parameters = ctx.architecture().parameterCount();
        requireSlots(sc, partitions, options.slotWait());
        new SecureRandom().nextBytes(secret);
        SparkConf conf = sc.getConf();
        this.connectHost = conf.get("spark.driver.host", localHost());
        String bind = conf.get("spark.driver.bindAddress", connectHost);
        try {
            this.server = new StepServer(InetAddress.getByName(bind), secret, partitions, options.connect(), options.step(),
                    options.inProcess(), log::println);
        } catch (IOException e) {
            throw new UncheckedIOException("persistent transport: cannot listen on " + bind + " (spark.driver.bindAddress): "
                    + e.getMessage(), e);
        }
        this.jobGroup = "sparkmlp-persistent-" + server.port();
        this.jobThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sparkmlp-persistent-stage");
            t.setDaemon(true);
            return t;
        });
    }

    public PersistentTransport(JavaSparkContext sc, JavaRDD<Block> train, StepContext ctx, long totalSteps, Options options,
                               PrintStream log) {
        this(sc, train, null, null, ctx, totalSteps, options, log);
    }

    public PersistentTransport(JavaSparkContext sc, JavaRDD<Block> train, StepContext ctx, long totalSteps, PrintStream log) {
        this(sc, train, ctx, totalSteps, Options.defaults(), log);
    }

    @Override
    public String name() {
        return "persistent";
    }

    /** Stage attempts the transport recovered from so far (a task or executor lost mid-run). */
    public int recoveries() {
        return recoveries;
    }

    /**
     * How the running stage's tasks exchange steps: "in process" (all in this JVM), "tcp", "mixed",
     * or "none" when no stage runs.
     */
    public String exchange() {
        StepServer.Connection[] gen = current;
        if (gen == null) return "none";
        long local = java.util.Arrays.stream(gen).filter(c -> c.link != null).count();
        return local == gen.length ? "in process" : local == 0 ? "tcp" : "mixed";
    }

    /** Connections the server refused so far. */
    int refusedConnections() {
        return server.refused();
    }

    /**
     * Barrier stages need all their tasks at once: refuses to start when the cluster has fewer task
     * slots than there are partitions (on a cluster, after waiting up to {@code wait} for executors).
     */
    public static void requireSlots(JavaSparkContext sc, int partitions, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean local = sc.master().startsWith("local");
        int slots = slots(sc);
        while (slots < partitions && !local && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = slots(sc);
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
    public static int slots(JavaSparkContext sc) {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }

    @Override
    public GradientPartial gradient(float[] params, long step) {
        return GradientPartial.sumInOrder(roundTrip(params, step, false, c -> c.readPartial(step, parameters)), parameters);
    }

    /**
     * The validation metrics of {@code params}, computed by the running stage's tasks on the
     * validation blocks they hold (no stage stop, no extra job), summed in partition order exactly
     * as {@link Evaluator#evaluate} sums its job's results, so both give the same bits. Null when this
     * transport was given no validation blocks: then {@link #release} and evaluate with a job.
     *
     * @param step the step the weights are of (names the exchange; any number)
     */
    @Override
    public EvalMetrics evaluate(float[] params, long step) {
        if (validation == null) return null;
        int cells = evalTask.confusionCells();
        List<EvalMetrics> parts = new ArrayList<>(partitions);
        for (EvalMetrics m : roundTrip(params, step, true, c -> c.readEvaluation(step, cells))) {
            if (m != null) parts.add(m);
        }
        return EvalMetrics.sumInOrder(parts);
    }

    /** A task's answer to one round, read from its connection. */
    private interface Answer<T> {
        T read(StepServer.Connection c) throws IOException;
    }

    /**
     * Sends {@code params} of {@code step} (a STEP, or an EVAL with {@code evaluate}) to every task of
     * the running stage and reads their answers in partition order. When a task is lost on the way,
     * waits for Spark's next attempt of the stage and sends the same round again (an answer is a
     * pure function of weights, step and partition, so nothing else needs replaying).
     */
    private <T> List<T> roundTrip(float[] params, long step, boolean evaluate, Answer<T> answer) {
        if (params.length != parameters) {
            throw new IllegalArgumentException("weights of " + params.length + " values, the network has " + parameters);
        }
        ByteBuffer[] encoded = {null};
        java.util.function.Supplier<ByteBuffer> frame = () -> {
            if (encoded[0] == null) {
                stepFrame = StepProtocol.weightsFrame(stepFrame, evaluate ? StepProtocol.EVAL : StepProtocol.STEP, step, params);
                encoded[0] = stepFrame;
            }
            return encoded[0];
        };
        while (true) {
            StepServer.Connection[] gen = connections();
            int partition = -1;
            try {
                for (StepServer.Connection c : gen) {
                    partition = c.partition;
                    c.send(step, params, evaluate, frame);
                }
                List<T> answers = new ArrayList<>(partitions);
                for (StepServer.Connection c : gen) {
                    partition = c.partition;
                    answers.add(answer.read(c));
                }
                return answers;
            } catch (IOException e) {
                StepServer.Connection c = gen[partition];
                log.println("sparkmlp: persistent transport lost partition " + partition + " at "
                        + (evaluate ? "the evaluation after step " + step : "step " + (step + 1))
                        + " (launch " + c.launch + ", stage attempt " + c.attempt + "): " + e.getMessage()
                        + "; waiting for Spark to restart the stage");
                broken = c.generation();
                server.discard(gen);
                current = null;
                recoveries++;
            }
        }
    }

    /** The connections of the running stage; launches it, or waits for its next attempt, as needed. */
    private StepServer.Connection[] connections() {
        if (current != null) return current;
        if (job == null) {
            launch++;
            broken = -1;
            job = jobThread.submit(this::runStage);
        }
        try {
            current = server.awaitGeneration(launch, broken, options.start(), this::checkJob);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the persistent tasks", e);
        }
        return current;
    }

    /** The job of one launch: the barrier map is the map side of a shuffle so that Spark retries it. */
    private long runStage() {
        int thisLaunch = launch;
        sc.setJobGroup(jobGroup, "sparkmlp persistent steps (" + partitions + " tasks, launch " + thisLaunch + ", "
                + totalSteps + " steps)", true);
        try {
            PersistentTask body = new PersistentTask(connectHost, server.port(), secret, thisLaunch, ctx, evalTask,
                    (int) options.connect().toMillis(), (int) Math.min(Integer.MAX_VALUE, options.step().toMillis()),
                    options.failAt());
            ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
            RDD<Integer> tasks = barrierInput().rdd().barrier().mapPartitions(body, false, tag);
            return JavaRDD.fromRDD(tasks, tag).repartition(1).count();
        } finally {
            sc.clearJobGroup();
        }
    }

    /**
     * The tasks' inputs as a barrier stage accepts them: each partition's training block, zipped
     * with its validation block when the stage evaluates. Spark refuses a barrier stage whose RDDs
     * within the stage (through narrow dependencies) have another partition count than its tasks,
     * e.g. a file read in 7 input splits coalesced to 2 partitions, even when the blocks are cached.
     * Then the inputs are moved once behind a shuffle (partition p stays partition p) and cached
     * there for the transport's lifetime.
     */
    private JavaRDD<PersistentTask.Input> barrierInput() {
        if (copy != null) return copy;
        JavaRDD<PersistentTask.Input> inputs = validation == null
                ? train.mapPartitions(blocks -> List.of(new PersistentTask.Input(next(blocks), null)).iterator(), true)
                : train.zipPartitions(validation, (t, v) -> List.of(new PersistentTask.Input(next(t), next(v))).iterator());
        if (samePartitionsWithinStage(inputs.rdd(), partitions)) return inputs;
        log.println("sparkmlp: persistent transport: the training blocks' lineage mixes partition counts (not allowed in a"
                + " barrier stage); caching a copy of them behind one shuffle");
        int n = partitions;
        copy = inputs.mapPartitionsWithIndex((p, it) -> List.of(new scala.Tuple2<>(p, it.next())).iterator(), true)
                .mapToPair(t -> t)
                .partitionBy(new io.sparkmlp.driver.data.SlotPartitioner(n))
                .values()
                .persist(train.getStorageLevel().useMemory() || train.getStorageLevel().useDisk() ? train.getStorageLevel()
                        : org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        return copy;
    }

    private static Block next(java.util.Iterator<Block> blocks) {
        return blocks.hasNext() ? blocks.next() : null;
    }

    /** Whether every RDD reached from {@code rdd} through narrow dependencies has {@code n} partitions. */
    static boolean samePartitionsWithinStage(RDD<?> rdd, int n) {
        if (rdd.getNumPartitions() != n) return false;
        scala.collection.Iterator<org.apache.spark.Dependency<?>> deps = rdd.dependencies().iterator();
        while (deps.hasNext()) {
            org.apache.spark.Dependency<?> d = deps.next();
            if (d instanceof org.apache.spark.NarrowDependency<?> && !samePartitionsWithinStage(d.rdd(), n)) return false;
        }
        return true;
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

    /**
     * Stops the tasks so that their slots are free for other jobs (evaluation); the next
     * {@link #gradient} starts the stage again.
     */
    @Override
    public void release() {
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
            server.close();
            jobThread.shutdownNow();
            if (copy != null) copy.unpersist(false);
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
        return String.format(Locale.ROOT, "persistent transport on %s (%d partitions)", server, partitions);
    }
}
