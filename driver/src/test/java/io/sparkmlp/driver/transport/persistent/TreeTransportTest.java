package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.transport.StepTransport;
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
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The persistent transport's tree in local[8] over loopback TCP (the tasks connect to each other as on
 * a cluster): 7 partitions at fan-outs 1 (one tree under task 0), 2, 4 and 7 (the star) give the job
 * transport's bits; so does a run whose task deep in a block fails (encrypted frames, the retry builds
 * the tree again), and evaluations inside the stage equal the evaluation job.
 */
class TreeTransportTest {

    private static final int PARTITIONS = 7;
    private static final int STEPS = 8;
    private static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 12, 16, 3);
    private static JavaSparkContext sc;
    private static PreparedData data;
    private static StepContext ctx;
    private static List<float[]> job;

    @BeforeAll
    static void start() {
        SparkConf conf = new SparkConf().setMaster("local[8]").setAppName("TreeTransportTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("OFF");
        DataOptions opts = DataOptions.defaults()
                .withFormat(DataOptions.DataFormat.SYNTHETIC)
                .withTestFraction(0)
                .withValidationFraction(0.2)
                .withStandardize(true)
                .withPartitions(PARTITIONS)
                .withSeed(7)
                .withSynthetic(new DataOptions.SyntheticOptions(900, 12, 3, 6, 0.1, 5));
        data = DataLoader.prepare(sc, opts);
        long[] rows = data.train().map(Block::rows).collect().stream().mapToLong(Integer::longValue).toArray();
        ctx = new StepContext(ARCH, Backend.AUTO, 3, BatchPlan.of(rows, 96));
        try (StepTransport t = new JobTransport(sc, data.train(), ctx, STEPS)) {
            job = train(t, null);
        }
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    private static List<float[]> train(StepTransport transport, Runnable between) {
        return SgdRun.train(transport, ARCH, STEPS, between);
    }

    private static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        SgdRun.assertSameBits(expected, actual);
    }

    private static PrintStream sink(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "fanout={0}")
    @ValueSource(ints = {1, 2, 4, 7})
    void sameBitsAsTheJobTransportAtEveryFanOut(int fanout) {
        PersistentTransport.Options options = PersistentTransport.Options.defaults().inProcess(false).withFanout(fanout);
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, STEPS, options, sink(logged))) {
            assertSameBits(job, train(t, null));
            assertEquals(0, t.recoveries(), logged::toString);
            assertEquals(Tree.of(PARTITIONS, fanout, ARCH.parameterCount()).toString(), t.topology());
            // per step the driver writes one STEP frame to each head and reads one PARTIAL from each
            int heads = Tree.of(PARTITIONS, fanout, ARCH.parameterCount()).heads().length;
            long perStep = heads * (4L + StepProtocol.stepBody(ARCH.parameterCount()) + 4L + StepProtocol.partialBody(ARCH.parameterCount()));
            long tree = (PARTITIONS - heads) * (4L + StepProtocol.TREE_BODY);
            long before = t.driverBytes();
            t.gradient(Parameters.initialize(ARCH, 1).flat(), 0);
            assertEquals(perStep, t.driverBytes() - before);
            assertTrue(before > STEPS * perStep + tree, "handshakes and tree frames come on top: " + before);
        }
    }

    @Test
    void aTaskLostDeepInATreeRestartsTheStageAndKeepsTheBits() {
        PersistentTransport.Options options = new FailAt(5, 4).into(PersistentTransport.Options.defaults().inProcess(false)
                .withEncrypt(true).withFanout(1));
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), ctx, STEPS, options, sink(logged))) {
            assertSameBits(job, train(t, null));
            assertEquals(1, t.recoveries(), logged::toString);
        }
        assertTrue(logged.toString().contains("lost partition 0 or a task of its block 0..6 at step 5"), logged::toString);
    }

    @Test
    void evaluationsInsideTheTreeEqualTheEvaluationJob() {
        Evaluator.Task task = new Evaluator.Task(ARCH, Backend.AUTO, 3, 1f);
        float[] probe = Parameters.initialize(ARCH, 9).flat();
        EvalMetrics expected = Evaluator.evaluate(sc, data.validation(), task, probe, "expected evaluation");
        List<EvalMetrics> inStage = new ArrayList<>();
        PersistentTransport.Options options = PersistentTransport.Options.defaults().inProcess(false).withFanout(2);
        try (PersistentTransport t = new PersistentTransport(sc, data.train(), data.validation(), task, ctx, STEPS, options,
                sink(new ByteArrayOutputStream()))) {
            assertSameBits(job, train(t, () -> inStage.add(t.evaluate(probe, 0))));
            assertEquals("tcp", t.exchange(), "the stage kept running through the evaluations");
        }
        assertEquals(2, inStage.size());
        for (EvalMetrics a : inStage) {
            assertEquals(Double.doubleToRawLongBits(expected.lossSum()), Double.doubleToRawLongBits(a.lossSum()));
            assertEquals(expected.count(), a.count());
            assertEquals(expected.correct(), a.correct());
            assertArrayEquals(expected.confusion(), a.confusion());
        }
        assertTrue(expected.count() > 0);
    }
}
