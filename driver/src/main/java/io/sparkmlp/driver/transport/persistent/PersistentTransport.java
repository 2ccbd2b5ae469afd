package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import io.sparkmlp.driver.config.TransportOptions;
import io.sparkmlp.kernel.Ranges;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One long-lived barrier stage instead of one job per step: a task per partition stays alive,
 * holding its cached training block (and validation block), and warm kernel buffers, and exchanges
 * binary frames with the driver over TCP (see {@link StepProtocol}): per step the driver sends the
 * weights to the heads of the {@link Tree} (every task in the star, {@code transport.fanout} of them in a
 * tree, which relay them to the others), all at once, and reads their (block) partials in partition order,
 * then adds them in the order of {@link MergeTree} exactly as {@link io.sparkmlp.driver.transport.JobTransport} does,
 * so both transports give the same bits, whatever the fan-out. Tasks that run in the driver's own JVM (local mode) authenticate the same way and
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
 * <p><b>Parts.</b> {@link TaskSlots} checks the slots, {@link StageInput} prepares the blocks,
 * {@link BarrierStage} runs the stage and its {@link StepServer}, {@link StepRounds} does the round
 * trips over each task's {@link StepChannel}; this class joins them behind {@link StepTransport}.
 *
 * <p><b>Security.</b> Tasks must answer the server's random challenge with an HMAC keyed by a
 * per-run 32-byte secret that travels only in the task closure; anything else is dropped. Only a
 * holder of the secret can find the in-memory link's registry entry. With Spark's authentication or
 * encryption on ({@link #sparkSecured}), or {@code transport.encrypt}, every frame after the hello is
 * encrypted and authenticated; see the package doc for what protects what.
 */
public final class PersistentTransport implements StepTransport {

    /**
     * Network settings, timeouts, the exchange and the task hook ({@link #from} reads them from the
     * {@code transport.*} keys and Spark's configuration).
     *
     * @param connect how long a task may take to connect
     * @param handshake from a connection's accept to its authenticated hello: an absolute deadline
     * @param step how long the driver waits for one partition's partial; the task's idle limit too
     * @param start how long the driver waits for all tasks of a stage (attempt) to connect
     * @param slotWait on a cluster, how long to wait for executors to register enough task slots
     * @param portLow first port the step server may listen on; 0 (and {@code portHigh} 0): any free port
     * @param portHigh last port of that range
     * @param maxHandshakes connections authenticated at once; more are refused
     * @param encrypt whether every frame after the hello is encrypted and authenticated ({@link FrameCipher})
     * @param inProcess whether tasks in the driver's JVM (local mode) exchange steps in memory
     *        ({@link LocalLink}) rather than as frames over loopback TCP; on by default
     * @param taskHook wraps each task's channel once it has connected (tests inject failures with it); null normally
     * @param fanout how many tasks the driver exchanges with directly ({@link Tree#of}); 0: auto
     */
    public record Options(Duration connect, Duration handshake, Duration step, Duration start, Duration slotWait, int portLow,
                          int portHigh, int maxHandshakes, boolean encrypt, boolean inProcess, PersistentTask.Hook taskHook,
                          int fanout) {

        /** Spark's default {@code spark.network.timeout}. */
        static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(120);

        /** The defaults of {@link #from} with Spark's network timeout at its default and Spark's security off. */
        public static Options defaults() {
            return from(TransportOptions.defaults(), NETWORK_TIMEOUT, false);
        }

        /**
         * The options of the {@code transport.*} keys on a cluster configured by {@code conf}: with T =
         * {@code spark.network.timeout}, connect and handshake default to T, step to 15 T, start to 7.5 T
         * (60 s: 120 s, 30 min, 15 min); frames are encrypted when {@code transport.encrypt} or Spark's own
         * authentication or encryption ({@link PersistentTransport#sparkSecured}) is on.
         */
        public static Options from(TransportOptions t, SparkConf conf) {
            return from(t, Duration.ofSeconds(conf.getTimeAsSeconds("spark.network.timeout", NETWORK_TIMEOUT.toSeconds() + "s")),
                    sparkSecured(conf) != null);
        }

        private static Options from(TransportOptions t, Duration network, boolean sparkSecured) {
            return new Options(or(t.connectTimeout(), network), or(t.handshakeTimeout(), network),
                    or(t.stepTimeout(), network.multipliedBy(15)), or(t.startTimeout(), network.multipliedBy(15).dividedBy(2)),
                    Duration.ofSeconds(60), t.portLow(), t.portHigh(), t.maxHandshakes(), t.encrypt() || sparkSecured, true, null,
                    t.fanout());
        }

        private static Duration or(long seconds, Duration auto) {
            return seconds == TransportOptions.AUTO ? auto : Duration.ofSeconds(seconds);
        }

        /** These options with the in-process exchange on or off (off: frames over TCP also in local mode). */
        public Options inProcess(boolean on) {
            return new Options(connect, handshake, step, start, slotWait, portLow, portHigh, maxHandshakes, encrypt, on, taskHook, fanout);
        }

        /** These options with every frame encrypted, or not. */
        public Options withEncrypt(boolean on) {
            return new Options(connect, handshake, step, start, slotWait, portLow, portHigh, maxHandshakes, on, inProcess, taskHook, fanout);
        }

        /** These options with another handshake deadline. */
        public Options withHandshake(Duration deadline) {
            return new Options(connect, deadline, step, start, slotWait, portLow, portHigh, maxHandshakes, encrypt, inProcess,
                    taskHook, fanout);
        }

        /** These options with another cap on connections authenticating at once. */
        public Options withMaxHandshakes(int max) {
            return new Options(connect, handshake, step, start, slotWait, portLow, portHigh, max, encrypt, inProcess, taskHook, fanout);
        }

        /** These options with the step server on the first free port of {@code low..high}. */
        public Options withPorts(int low, int high) {
            return new Options(connect, handshake, step, start, slotWait, low, high, maxHandshakes, encrypt, inProcess, taskHook, fanout);
        }

        /** These options with the driver exchanging with at most {@code fanout} tasks directly (0: auto). */
        public Options withFanout(int fanout) {
            return new Options(connect, handshake, step, start, slotWait, portLow, portHigh, maxHandshakes, encrypt, inProcess, taskHook,
                    fanout);
        }

        /** These options with {@code hook} wrapping each task's channel. */
        public Options withTaskHook(PersistentTask.Hook hook) {
            return new Options(connect, handshake, step, start, slotWait, portLow, portHigh, maxHandshakes, encrypt, inProcess, hook, fanout);
        }
    }

    /**
     * Which of Spark's own protections is on, as a phrase ("spark.authenticate = true"), or null when
     * none is: then Spark's RPC, shuffle and block transfers are neither authenticated nor encrypted,
     * and neither, by default, are the step frames.
     */
    public static String sparkSecured(SparkConf conf) {
        for (String key : new String[] {"spark.authenticate", "spark.network.crypto.enabled", "spark.ssl.enabled",
                "spark.ssl.rpc.enabled"}) {
            if (conf.getBoolean(key, false)) return key + " = true";
        }
        return null;
    }

    /**
     * Why the persistent transport cannot run on a cluster configured by {@code conf}, or null when it
     * can: Spark refuses barrier stages under dynamic allocation ({@code BarrierJobRunWithDynamicAllocationException}),
     * which it applies outside local mode (and in local mode only with {@code spark.dynamicAllocation.testing}).
     */
    public static String unavailable(SparkConf conf) {
        String master = conf.get("spark.master", "");
        boolean local = master.equals("local") || master.startsWith("local[");
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)
                && (!local || conf.getBoolean("spark.dynamicAllocation.testing", false))) {
            return "spark.dynamicAllocation.enabled = true, and Spark runs no barrier stage under dynamic allocation"
                    + " (its executors may come and go)";
        }
        return null;
    }

    private final int partitions;
    private final int parameters;
    /** How evaluations read the outputs; null when the stage holds no validation blocks. */
    private final Evaluator.Task evalTask;
    private final BarrierStage stage;
    private final StepRounds rounds;
    /** The merged gradient, reused from step to step: {@link #gradient}'s result is a view of it. */
    private final float[] merged;
    /** Adds each step's partials in the fixed tree order, with buffers kept from step to step. */
    private final MergeTree merger;

    /**
     * @param validation blocks to evaluate on inside the stage ({@link #evaluate}), or null; used only
     *        when it has as many partitions as {@code train}
     * @param evalTask how evaluations read the outputs; null exactly when {@code validation} is
     * @param log where the notice of a lost task goes
     */
    public PersistentTransport(JavaSparkContext sc, JavaRDD<Block> train, JavaRDD<Block> validation, Evaluator.Task evalTask,
                               StepContext ctx, long totalSteps, Options options, PrintStream log) {
        boolean evaluates = validation != null && evalTask != null && validation.getNumPartitions() == train.getNumPartitions();
        this.evalTask = evaluates ? evalTask : null;
        this.partitions = train.getNumPartitions();
        this.parameters = ctx.architecture().parameterCount();
        this.merged = new float[parameters];
        this.merger = new MergeTree(parameters);
        String unavailable = unavailable(sc.getConf());
        if (unavailable != null) {
            throw new IllegalArgumentException("train.transport = persistent: " + unavailable
                    + "; set spark.dynamicAllocation.enabled = false, or use train.transport = job");
        }
        TaskSlots.require(sc, partitions, options.slotWait());
        this.stage = new BarrierStage(sc, new StageInput(train, evaluates ? validation : null), partitions, this.evalTask, ctx,
                totalSteps, options);
        this.rounds = new StepRounds(stage, parameters, Tree.of(partitions, options.fanout(), parameters), log);
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
        return rounds.recoveries();
    }

    /**
     * How the running stage's tasks exchange steps: "in process" (all in this JVM), "tcp", "mixed",
     * or "none" when no stage runs.
     */
    public String exchange() {
        return stage.exchange();
    }

    /**
     * Barrier stages need all their tasks at once: refuses to start when the cluster has fewer task
     * slots than there are partitions (on a cluster, after waiting up to {@code wait} for executors).
     */
    public static void requireSlots(JavaSparkContext sc, int partitions, Duration wait) {
        TaskSlots.require(sc, partitions, wait);
    }

    /** Tasks the cluster can run at once, as Spark counts them for barrier stages. */
    public static int slots(JavaSparkContext sc) {
        return TaskSlots.count(sc);
    }

    /**
     * How the running stage's tasks pass steps on: "star of N tasks", or the tree's shape; "none"
     * before the first step.
     */
    public String topology() {
        Tree t = rounds.tree();
        return t == null ? "none" : t.toString();
    }

    /**
     * Bytes the driver's step channels (over TCP) of the running stage attempt have written and read
     * since they connected, frame headers and tags included: a step's weights out and partials in.
     */
    public long driverBytes() {
        return rounds.driverBytes();
    }

    /** The merged partial; its {@code gradSum} is a buffer of this transport, overwritten by the next call. */
    @Override
    public GradientPartial gradient(float[] params, long step) {
        return merger.sumInto(partials(params, step), partitions, merged);
    }

    /** The mean written as the partials are added ({@link MergeTree#meanInto}): one pass over the parameters fewer. */
    @Override
    public GradientPartial meanGradient(float[] params, long step, float[] mean) {
        return merger.meanInto(partials(params, step), partitions, mean, rounds.idleTasks());
    }

    /** In local mode, with the tasks that wait for the next step meanwhile ({@link IdleTasks}). */
    @Override
    public Ranges ranges() {
        return rounds.idleTasks();
    }

    private List<GradientPartial> partials(float[] params, long step) {
        return rounds.roundTrip(new Request(step, params, false), (c, extent) -> c.channel.receivePartial(c.partition, step, parameters));
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
        if (evalTask == null) return null;
        int cells = evalTask.confusionCells();
        List<EvalMetrics> parts = new ArrayList<>(partitions);
        List<List<EvalMetrics>> blocks = rounds.roundTrip(new Request(step, params, true), (c, extent) -> {
            List<EvalMetrics> block = new ArrayList<>(extent);
            for (int p = c.partition; p < c.partition + extent; p++) block.add(c.channel.receiveEvaluation(p, step, cells));
            return block;
        });
        for (List<EvalMetrics> block : blocks) {
            for (EvalMetrics m : block) if (m != null) parts.add(m);
        }
        return EvalMetrics.sumInOrder(parts);
    }

    /**
     * Stops the tasks so that their slots are free for other jobs (evaluation); the next
     * {@link #gradient} starts the stage again.
     */
    @Override
    public void release() {
        stage.release();
    }

    /** Launches the stage now; its tasks connect while the driver goes on. */
    @Override
    public void start() {
        stage.launch();
    }

    @Override
    public void close() {
        stage.close();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "persistent transport, %s", stage);
    }
}
