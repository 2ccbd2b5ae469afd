package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.Transport;
import io.sparkmlp.driver.config.TransportOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Dynamic allocation on (in local mode Spark applies it to barrier stages only with
 * {@code spark.dynamicAllocation.testing}, which this context sets): Spark refuses the barrier stage
 * the persistent transport runs; left at its default the transport falls back to the job transport
 * with a one-line notice and trains; asked for explicitly it is refused in one line.
 */
class DynamicAllocationTest {

    private static JavaSparkContext sc;
    private static PreparedData data;
    private static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 6, 8, 3);

    @BeforeAll
    static void start() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("DynamicAllocationTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.dynamicAllocation.enabled", "true").set("spark.dynamicAllocation.testing", "true");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("OFF");
        DataOptions opts = DataOptions.defaults()
                .withFormat(DataOptions.DataFormat.SYNTHETIC)
                .withTestFraction(0)
                .withValidationFraction(0.2)
                .withStandardize(true)
                .withPartitions(2)
                .withSeed(7)
                .withSynthetic(new DataOptions.SyntheticOptions(200, 6, 3, 4, 0.1, 5));
        data = DataLoader.prepare(sc, opts);
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    private static StepContext context() {
        long[] rows = data.train().map(Block::rows).collect().stream().mapToLong(Integer::longValue).toArray();
        return new StepContext(ARCH, Backend.AUTO, 3, BatchPlan.of(rows, 32));
    }

    /** The identity, as a barrier stage's body. */
    private static final class Identity extends AbstractFunction1<Iterator<Block>, Iterator<Block>> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Block> apply(Iterator<Block> blocks) {
            return blocks;
        }
    }

    /** The premise: this context makes Spark refuse a barrier stage as a cluster with dynamic allocation does. */
    @Test
    void sparkRefusesABarrierStageHere() {
        ClassTag<Block> tag = ClassTag$.MODULE$.apply(Block.class);
        JavaRDD<Block> barrier = JavaRDD.fromRDD(data.train().rdd().barrier().mapPartitions(new Identity(), false, tag), tag);
        Exception e = assertThrows(Exception.class, barrier::count);
        assertEquals("BarrierJobRunWithDynamicAllocationException", e.getClass().getSimpleName());
    }

    @Test
    void leftAtItsDefaultTheTransportFallsBackToJobsAndTrains() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(sink, true, StandardCharsets.UTF_8);
        try (StepTransport t = StepTransports.create(Transport.PERSISTENT, false, TransportOptions.defaults(), sc, data.train(),
                data.validation(), null, context(), 2, log)) {
            assertEquals("job", t.name());
            GradientPartial g = t.gradient(Parameters.initialize(ARCH, 1).flat(), 0);
            assertTrue(g.count() > 0);
        }
        assertEquals("sparkmlp: step transport job: spark.dynamicAllocation.enabled = true, and Spark runs no barrier stage"
                + " under dynamic allocation (its executors may come and go)\n", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void askedForExplicitlyThePersistentTransportIsRefusedInOneLine() {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepTransports.create(Transport.PERSISTENT,
                true, TransportOptions.defaults(), sc, data.train(), data.validation(), null, context(), 2, log));
        assertEquals("train.transport = persistent: spark.dynamicAllocation.enabled = true, and Spark runs no barrier stage under"
                + " dynamic allocation (its executors may come and go); set spark.dynamicAllocation.enabled = false, or use"
                + " train.transport = job", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
