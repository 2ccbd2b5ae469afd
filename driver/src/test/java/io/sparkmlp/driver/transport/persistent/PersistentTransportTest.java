package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.transport.StepTransport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.cluster.ExecutorInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The persistent transport in local[2]: the same bits as the job transport, step after step, also
 * across a task failure (Spark restarts the barrier stage) and across release/evaluation/resume;
 * a refusal when there are fewer slots than partitions.
 */
class PersistentTransportTest {

    private static JavaSparkContext sc;
    private static PreparedData data;
    private static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 12, 16, 3);

    @BeforeAll
    static void start() {
        // the tasks' own threads answer (whatever this machine's processor count), unless a test says otherwise
        LocalLink.assumedProcessors = 64;
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("PersistentTransportTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("OFF");
        DataOptions opts = DataOptions.defaults()
                .withFormat(DataOptions.DataFormat.SYNTHETIC)
                .withTestFraction(0)
                .withValidationFraction(0.2)
                .withStandardize(true)
                .withPartitions(2)
                .withSeed(7)
                .withSynthetic(new DataOptions.SyntheticOptions(600, 12, 3, 6, 0.1, 5));
        data = DataLoader.prepare(sc, opts);
    }

    @AfterAll
    static void stop() {
        LocalLink.assumedProcessors = 0;
        if (sc != null) sc.stop();
    }

    private static StepContext context(int batch) {
        long[] rows = data.train().map(Block::rows).collect().stream().mapToLong(Integer::longValue).toArray();
        return new StepContext(ARCH, Backend.AUTO, 3, BatchPlan.of(rows, batch));
    }

    private static List<float[]> train(StepTransport transport, int steps, Runnable between) {
        return SgdRun.train(transport, ARCH, steps, between);
    }

    private static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        SgdRun.assertSameBits(expected, actual);
    }

    private static PrintStream quiet(ByteArrayOutputStream sink) {
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    /** Both exchanges: in memory (local mode's default) and frames over loopback TCP (as on a cluster). */
    @ParameterizedTest(name = "inProcess={0}")
    @ValueSource(booleans = {true, false})
    void sameBitsAsTheJobTransport(boolean inProcess) {
        StepContext ctx = context(64);
        List<float[]> job;
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 12)) {
            job = train(t, 12, null);
        }
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PersistentTransport.Options options = PersistentTransport.Options.defaults().inProcess(inProcess);
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, 12, options, quiet(logged))) {
            List<float[]> persistent = train(t, 12, null);
            assertSameBits(job, persistent);
            assertEquals(0, t.recoveries());
            assertEquals(inProcess ? "in process" : "tcp", t.exchange());
        }
    }

    /**
     * With more computing threads than processors (assumed here: one processor), the driver's thread answers the first
     * task's requests itself, steps and evaluations: still the job transport's bits, and the stage can be released and
     * started again (a new generation decides afresh).
     */
    @Test
    void theDriversThreadAnsweringTheFirstTaskKeepsTheBits() {
        StepContext ctx = context(64);
        Evaluator.Task task = new Evaluator.Task(ARCH, Backend.AUTO, 3, 1f);
        List<float[]> job;
        List<EvalMetrics> jobEvals = new ArrayList<>();
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 12)) {
            job = SgdRun.train(t, ARCH, 12, () -> jobEvals.add(Evaluator.evaluate(sc, data.validation(), task,
                    Parameters.initialize(ARCH, 1).flat(), "eval")));
        }
        LocalLink.assumedProcessors = 1;
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), data.validation(), task, ctx, 12,
                PersistentTransport.Options.defaults(), quiet(new ByteArrayOutputStream()))) {
            List<EvalMetrics> evals = new ArrayList<>();
            List<float[]> persistent = SgdRun.train(t, ARCH, 12, () -> {
                evals.add(t.evaluate(Parameters.initialize(ARCH, 1).flat(), 0));
                assertEquals("in process, 1 answered in the driver's thread", t.exchange());
                if (evals.size() == 2) t.release();
            });
            assertSameBits(job, persistent);
            assertEquals(jobEvals.size(), evals.size());
            for (int i = 0; i < evals.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(jobEvals.get(i).lossSum()), Double.doubleToRawLongBits(evals.get(i).lossSum()));
                assertEquals(jobEvals.get(i).correct(), evals.get(i).correct());
            }
        } finally {
            LocalLink.assumedProcessors = 64;
        }
    }

    @ParameterizedTest(name = "inProcess={0}")
    @ValueSource(booleans = {true, false})
    void aTaskFailureRestartsTheStageAndKeepsTheBits(boolean inProcess) {
        StepContext ctx = context(64);
        List<float[]> job;
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 10)) {
            job = train(t, 10, null);
        }
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PersistentTransport.Options options = new FailAt(1, 4).into(PersistentTransport.Options.defaults().inProcess(inProcess));
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, 10, options, quiet(logged))) {
            assertSameBits(job, train(t, 10, null));
            assertEquals(1, t.recoveries(), logged::toString);
        }
        assertTrue(logged.toString().contains("lost partition 1 at step 5"), logged::toString);
    }

    /**
     * Every frame sealed (as with Spark's authentication or encryption on), over loopback TCP: the job
     * transport's bits, also across a task failure, whose retry handshakes new keys.
     */
    @Test
    void encryptedFramesKeepTheBitsAcrossATaskFailure() {
        StepContext ctx = context(64);
        List<float[]> job;
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 10)) {
            job = train(t, 10, null);
        }
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PersistentTransport.Options options = new FailAt(1, 4).into(PersistentTransport.Options.defaults().inProcess(false)
                .withEncrypt(true));
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, 10, options, quiet(logged))) {
            assertSameBits(job, train(t, 10, null));
            assertEquals(1, t.recoveries(), logged::toString);
            assertEquals("tcp", t.exchange());
        }
    }

    /** The listener learns executor hosts as they register and reports the host of one removed; unknown ids report nothing. */
    @Test
    void theStageWarmUpRunsABarrierJobAndACancelledOneLeavesTheSlotsFree() throws Exception {
        StageWarmup done = StageWarmup.start(sc);
        done.join();
        assertTrue(done.completed(), "the warm-up job ran to its end (it once failed at once: its function could not be serialized)");
        done.close();
        // cancelled while its stage cannot get its slots: a job holding both slots runs meanwhile
        Thread holder = new Thread(() -> sc.parallelize(List.of(1, 2), 2).foreach(x -> Thread.sleep(1500)));
        holder.start();
        Thread.sleep(300);
        StageWarmup cancelled = StageWarmup.start(sc);
        Thread.sleep(200);
        cancelled.close();
        holder.join();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!cancelled.done() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(cancelled.done(), "the cancelled warm-up job is still running");
        assertFalse(cancelled.completed(), "cancelled before its stage could start");
        // the run's own stage gets the slots afterwards, and steps as the job transport does
        StepContext ctx = context(64);
        List<float[]> job;
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 4)) {
            job = train(t, 4, null);
        }
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, 4, PersistentTransport.Options.defaults(),
                quiet(new ByteArrayOutputStream()))) {
            assertSameBits(job, train(t, 4, null));
        }
    }

    @Test
    void executorLossReportsTheHostOfARemovedExecutor() {
        List<String> lost = new ArrayList<>();
        ExecutorLoss listener = new ExecutorLoss(sc.sc(), lost::add);
        listener.onExecutorAdded(new SparkListenerExecutorAdded(0, "7",
                new ExecutorInfo("10.1.2.3", 4, scala.collection.immutable.Map$.MODULE$.empty())));
        listener.onExecutorRemoved(new SparkListenerExecutorRemoved(1, "8", "unknown executor"));
        assertEquals(List.of(), lost);
        listener.onExecutorRemoved(new SparkListenerExecutorRemoved(2, "7", "heartbeat timed out"));
        assertEquals(List.of("10.1.2.3"), lost);
        listener.onExecutorRemoved(new SparkListenerExecutorRemoved(3, "driver", "test"));
        assertEquals(2, lost.size(), "the driver's executor of local mode, known from the status store");
    }

    @Test
    void evaluationJobsRunBetweenReleasedStages() {
        StepContext ctx = context(32);
        Evaluator.Task task = new Evaluator.Task(ARCH, Backend.AUTO, 3, 1f);
        List<float[]> job;
        List<Double> jobLoss = new ArrayList<>();
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 9)) {
            job = train(t, 9, null);
        }
        List<Double> evalLoss = new ArrayList<>();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, 9, quiet(logged))) {
            float[] probe = Parameters.initialize(ARCH, 9).flat();
            List<float[]> persistent = train(t, 9, () -> {
                t.release();
                evalLoss.add(Evaluator.evaluate(sc, data.validation(), task, probe, "test evaluation").meanLoss());
            });
            assertSameBits(job, persistent);
        }
        assertEquals(3, evalLoss.size());
        assertTrue(evalLoss.stream().allMatch(l -> l.equals(evalLoss.get(0))), evalLoss::toString);
    }

    /**
     * Evaluations inside the running stage give exactly what the evaluation job gives, in both
     * exchanges, and the steps around them keep the job transport's bits.
     */
    @ParameterizedTest(name = "inProcess={0}")
    @ValueSource(booleans = {true, false})
    void evaluationInsideTheStageEqualsTheEvaluationJob(boolean inProcess) {
        StepContext ctx = context(32);
        Evaluator.Task task = new Evaluator.Task(ARCH, Backend.AUTO, 3, 1f);
        List<float[]> probes = List.of(Parameters.initialize(ARCH, 9).flat(), Parameters.initialize(ARCH, 10).flat());
        List<EvalMetrics> expected = new ArrayList<>();
        for (float[] p : probes) expected.add(Evaluator.evaluate(sc, data.validation(), task, p, "expected evaluation"));
        List<float[]> job;
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 9)) {
            job = train(t, 9, null);
        }
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PersistentTransport.Options options = PersistentTransport.Options.defaults().inProcess(inProcess);
        List<EvalMetrics> inStage = new ArrayList<>();
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), data.validation(), task, ctx, 9, options,
                quiet(logged))) {
            List<float[]> persistent = train(t, 9, () -> {
                for (float[] p : probes) inStage.add(t.evaluate(p, 0));
            });
            assertSameBits(job, persistent);
            assertEquals(inProcess ? "in process" : "tcp", t.exchange(), "the stage kept running through the evaluations");
        }
        assertEquals(6, inStage.size());
        for (int i = 0; i < inStage.size(); i++) {
            EvalMetrics e = expected.get(i % 2), a = inStage.get(i);
            assertEquals(Double.doubleToRawLongBits(e.lossSum()), Double.doubleToRawLongBits(a.lossSum()), "loss of evaluation " + i);
            assertEquals(e.count(), a.count());
            assertEquals(e.correct(), a.correct());
            assertArrayEquals(e.confusion(), a.confusion());
        }
        assertTrue(expected.get(0).count() > 0);
    }

    @Test
    void withoutValidationBlocksTheCallerEvaluatesWithAJob() {
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), context(32), 3, quiet(new ByteArrayOutputStream()))) {
            assertEquals(null, t.evaluate(Parameters.initialize(ARCH, 1).flat(), 0));
        }
    }

    /**
     * Blocks read from a file need no copy: each split's blocks come out of the data layer's shuffle with the
     * task count as their width, as generated blocks and blocks behind a shuffle of that width do.
     */
    @Test
    void blocksReadFromAFileNeedNoCopy() {
        DataOptions csv = DataOptions.defaults()
                .withFormat(DataOptions.DataFormat.CSV)
                .withTrain("../data/xor.csv")
                .withTestFraction(0.2)
                .withValidationFraction(0.2)
                .withHeader(true)
                .withLabelColumn("label")
                .withStandardize(true)
                .withPartitions(2)
                .withSeed(7);
        PreparedData file = DataLoader.prepare(sc, csv);
        try {
            for (JavaRDD<Block> blocks : List.of(file.train(), file.validation(), file.test())) {
                org.apache.spark.rdd.RDD<?> wider = StageInput.widerWithinStage(blocks.rdd(), 2);
                assertEquals(null, wider, () -> blocks.name() + " reaches " + wider + " within the stage");
            }
            StageInput input = new StageInput(file.train(), file.validation());
            assertEquals(null, StageInput.widerWithinStage(input.rdd().rdd(), 2));
            input.close();
            assertEquals(null, StageInput.widerWithinStage(data.train().rdd(), 2), "generated blocks are used as they are");
            JavaRDD<Block> behindAShuffle = file.train().mapToPair(b -> new scala.Tuple2<>(b.partition(), b))
                    .partitionBy(new io.sparkmlp.driver.data.SlotPartitioner(2)).values();
            assertEquals(null, StageInput.widerWithinStage(behindAShuffle.rdd(), 2), "blocks behind a shuffle of the task count");
        } finally {
            file.unpersist();
        }
    }

    @Test
    void blocksWhoseLineageMixesPartitionCountsAreCopiedBehindAShuffleOnce() {
        // 4 slices coalesced to 2 partitions: a lineage Spark refuses inside a barrier stage
        List<Block> blocks = data.train().collect();
        JavaRDD<Block> mixed = sc.parallelize(blocks, 4).coalesce(2).cache();
        assertTrue(StageInput.widerWithinStage(mixed.rdd(), 2) != null);
        StepContext ctx = context(64);
        List<float[]> job;
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, 6)) {
            job = train(t, 6, null);
        }
        // the validation blocks travel with them, and evaluations inside the stage still give the job's result
        JavaRDD<Block> mixedValidation = sc.parallelize(data.validation().collect(), 4).coalesce(2).cache();
        Evaluator.Task task = new Evaluator.Task(ARCH, Backend.AUTO, 3, 1f);
        float[] probe = Parameters.initialize(ARCH, 9).flat();
        EvalMetrics expected = Evaluator.evaluate(sc, data.validation(), task, probe, "expected evaluation");
        List<EvalMetrics> evaluations = new ArrayList<>();
        int cached = sc.getPersistentRDDs().size();
        try (PersistentTransport t = new PersistentTransport(sc, mixed, mixedValidation, task, ctx, 6,
                PersistentTransport.Options.defaults(), quiet(new ByteArrayOutputStream()))) {
            assertSameBits(job, train(t, 6, () -> {
                evaluations.add(t.evaluate(probe, 0));
                t.release();
            }));
            assertEquals(cached + 1, sc.getPersistentRDDs().size(), "one copy, kept across the stage's launches");
        }
        assertEquals(cached, sc.getPersistentRDDs().size(), "the copy is dropped with the transport");
        assertEquals(2, evaluations.size());
        for (EvalMetrics m : evaluations) {
            assertEquals(Double.doubleToRawLongBits(expected.lossSum()), Double.doubleToRawLongBits(m.lossSum()));
            assertArrayEquals(expected.confusion(), m.confusion());
        }
        mixed.unpersist();
        mixedValidation.unpersist();
    }

    @Test
    void blocksWithTheTaskCountThroughoutAreNotCopied() {
        Evaluator.Task task = new Evaluator.Task(ARCH, Backend.AUTO, 3, 1f);
        int cached = sc.getPersistentRDDs().size();
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), data.validation(), task, context(64), 3,
                PersistentTransport.Options.defaults(), quiet(new ByteArrayOutputStream()))) {
            train(t, 3, null);
            t.evaluate(Parameters.initialize(ARCH, 9).flat(), 0);
            assertEquals(cached, sc.getPersistentRDDs().size());
        }
    }

    @Test
    void fewerSlotsThanPartitionsIsRefusedBeforeStarting() {
        JavaRDD<Block> four = data.train().repartition(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                PersistentTransport.requireSlots(sc, four.getNumPartitions(), java.time.Duration.ZERO));
        assertTrue(e.getMessage().contains("all 4 partitions") && e.getMessage().contains("has 2 task slots")
                && e.getMessage().contains("data.partitions") && e.getMessage().contains("train.transport = job"), e.getMessage());
    }
}
