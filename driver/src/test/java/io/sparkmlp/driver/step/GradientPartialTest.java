package io.sparkmlp.driver.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Partials are sums: merged in partition order and divided once by the total count they give
 * the exact mean gradient of the union of the partitions' rows, whatever the partition sizes.
 * Also the executor side ({@link PartitionWorker}) without Spark.
 */
class GradientPartialTest {

    static final Architecture NET = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 6, 5, 3);

    /** Random rows: features in [−2, 2), labels in [0, classes). */
    static Block block(int partition, int rows, int features, int classes, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[rows * features];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) (4 * rnd.nextDouble() - 2);
        for (int i = 0; i < rows; i++) y[i] = rnd.nextInt(classes);
        return new Block(partition, rows, features, x, y);
    }

    /** The rows of several blocks as one block. */
    static Block union(List<Block> blocks) {
        int rows = blocks.stream().mapToInt(Block::rows).sum();
        int f = blocks.get(0).features();
        float[] x = new float[rows * f];
        float[] y = new float[rows];
        int r = 0;
        for (Block b : blocks) {
            System.arraycopy(b.x(), 0, x, r * f, b.rows() * f);
            System.arraycopy(b.y(), 0, y, r, b.rows());
            r += b.rows();
        }
        return new Block(0, rows, f, x, y);
    }

    /** max_i |a_i − b_i| / max_i |b_i|. */
    static double relativeError(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs((double) b[i]));
        }
        assertTrue(scale > 0, "zero gradient: the comparison would prove nothing");
        return diff / scale;
    }

    @Test
    void meanOfUnevenPartialsIsTheGradientOfTheUnion() {
        float[] w = Parameters.initialize(NET, 11).flat();
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        int[] sizes = {1, 7, 0, 1000, 23};
        List<Block> blocks = new ArrayList<>();
        List<GradientPartial> partials = new ArrayList<>();
        for (int p = 0; p < sizes.length; p++) {
            Block b = block(p, sizes[p], 4, 3, 100 + p);
            blocks.add(b);
            float[] g = new float[NET.parameterCount()];
            double loss = kernel.gradient(b.x(), 0, b.y(), 0, b.rows(), w, g);
            partials.add(new GradientPartial(p, g, loss, b.rows()));
        }
        GradientPartial sum = MergeTree.sum(partials, sizes.length, NET.parameterCount());
        assertEquals(1031, sum.count());
        float[] mean = new float[NET.parameterCount()];
        sum.meanInto(mean);

        Block all = union(blocks);
        float[] expected = new float[NET.parameterCount()];
        double expectedLoss = kernel.gradient(all.x(), 0, all.y(), 0, all.rows(), w, expected);
        for (int i = 0; i < expected.length; i++) expected[i] /= all.rows();

        double err = relativeError(mean, expected);
        assertTrue(err < 1e-6, "relative error " + err);
        assertEquals(expectedLoss / all.rows(), sum.meanLoss(), 1e-6 * expectedLoss / all.rows());

        // the naive mean of per-partition means is not the batch gradient: the weighting matters
        float[] meanOfMeans = new float[NET.parameterCount()];
        int nonEmpty = 0;
        for (GradientPartial p : partials) {
            if (p.count() == 0) continue;
            nonEmpty++;
            for (int i = 0; i < meanOfMeans.length; i++) meanOfMeans[i] += p.gradSum()[i] / p.count();
        }
        for (int i = 0; i < meanOfMeans.length; i++) meanOfMeans[i] /= nonEmpty;
        assertTrue(relativeError(meanOfMeans, expected) > 1e-2, "the test data cannot tell the weightings apart");
    }

    @Test
    void sumDoesNotTouchTheInputs() {
        float[] a = {1, 2, 3};
        float[] b = {0.5f, -2, 10};
        GradientPartial sum = MergeTree.sum(List.of(new GradientPartial(0, a, 1.5, 2),
                new GradientPartial(3, b, 2.5, 3)), 4, 3);
        assertArrayEquals(new float[] {1.5f, 0, 13}, sum.gradSum());
        assertEquals(4.0, sum.lossSum());
        assertEquals(5, sum.count());
        assertEquals(0.8, sum.meanLoss(), 1e-15);
        assertArrayEquals(new float[] {1, 2, 3}, a);
        assertArrayEquals(new float[] {0.5f, -2, 10}, b);
        float[] mean = new float[3];
        sum.meanInto(mean);
        assertArrayEquals(new float[] {0.3f, 0, 2.6f}, mean, 1e-6f);
    }

    @Test
    void sumIntoAReusedBufferIsTheSameBitsAndOverwritesWhatWasThere() {
        float[] a = {1, -0f, 3, 1e-8f};
        float[] b = {0.5f, -0f, 1e8f, -1e-8f};
        List<GradientPartial> parts = List.of(new GradientPartial(0, a, 1, 2), new GradientPartial(1, b, 2, 3));
        float[] fresh = MergeTree.sum(parts, 2, 4).gradSum();
        float[] into = {7, 7, 7, 7};
        MergeTree merger = new MergeTree(4);
        GradientPartial sum = merger.sumInto(parts, 2, into);
        assertTrue(sum.gradSum() == into);
        for (int i = 0; i < 4; i++) assertEquals(Float.floatToRawIntBits(fresh[i]), Float.floatToRawIntBits(into[i]), "entry " + i);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(into[1]), "−0 + −0 is −0");
        // one partial: its values as they are; no rows at all: zeros
        GradientPartial one = merger.sumInto(List.of(new GradientPartial(0, b, 2, 3)), 2, into);
        assertEquals(Float.floatToRawIntBits(1e8f), Float.floatToRawIntBits(one.gradSum()[2]));
        assertArrayEquals(new float[4], merger.sumInto(List.of(new GradientPartial(0, new float[0], 0, 0)), 2, into).gradSum());
        assertThrows(IllegalArgumentException.class, () -> merger.sumInto(parts, 2, new float[3]));
    }

    @Test
    void workerViewIsTheThreadsBufferAndTheCopyIsNot() {
        float[] w = Parameters.initialize(NET, 6).flat();
        Block b0 = block(0, 13, 4, 3, 3);
        StepContext ctx = new StepContext(NET, Backend.JAVA, 1, BatchPlan.of(new long[] {13}, 5));
        GradientPartial view = PartitionWorker.gradientView(b0, ctx, w, 0);
        float[] step0 = view.gradSum().clone();
        GradientPartial owned = PartitionWorker.gradient(b0, ctx, w, 0);
        assertArrayEquals(step0, owned.gradSum());
        GradientPartial next = PartitionWorker.gradientView(b0, ctx, w, 1);
        assertTrue(next.gradSum() == view.gradSum(), "the view is the reused buffer");
        assertArrayEquals(step0, owned.gradSum(), "the copy is not overwritten by the next step");
    }

    @Test
    void emptyPartitionsAreSkipped() {
        // an empty partition sends no gradient values at all (PartitionWorker sends float[0])
        GradientPartial sum = MergeTree.sum(List.of(new GradientPartial(0, new float[0], 0, 0),
                new GradientPartial(1, new float[] {2, 4}, 3, 2), new GradientPartial(2, new float[0], 0, 0)), 3, 2);
        assertArrayEquals(new float[] {2, 4}, sum.gradSum());
        assertEquals(2, sum.count());
        assertEquals(1.5, sum.meanLoss());

        GradientPartial none = MergeTree.sum(List.of(new GradientPartial(0, new float[0], 0, 0)), 1, 2);
        assertEquals(0, none.count());
        assertTrue(Double.isNaN(none.meanLoss()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.meanInto(new float[2]));
        assertEquals("no rows in this step", e.getMessage());
    }

    // ---- the executor side, without Spark ----

    @Test
    void workerFullBatchIsTheKernelOnTheWholeBlock() {
        float[] w = Parameters.initialize(NET, 5).flat();
        Block b0 = block(0, 9, 4, 3, 1);
        Block b1 = block(1, 30, 4, 3, 2);
        BatchPlan plan = BatchPlan.fullBatch(new long[] {9, 30});
        StepContext ctx = new StepContext(NET, Backend.JAVA, 42, plan);
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        for (Block b : List.of(b0, b1)) {
            float[] expected = new float[NET.parameterCount()];
            double loss = kernel.gradient(b.x(), 0, b.y(), 0, b.rows(), w, expected);
            for (long step : new long[] {0, 1, 17}) {
                GradientPartial p = PartitionWorker.gradient(b, ctx, w, step);
                assertEquals(b.partition(), p.partition());
                assertEquals(b.rows(), p.count());
                assertEquals(loss, p.lossSum());
                assertArrayEquals(expected, p.gradSum());
            }
        }
    }

    @Test
    void workerMiniBatchUsesTheSampledRows() {
        float[] w = Parameters.initialize(NET, 6).flat();
        Block b0 = block(0, 13, 4, 3, 3);
        Block b1 = block(1, 101, 4, 3, 4);
        BatchPlan plan = BatchPlan.of(new long[] {13, 101}, 20);
        StepContext ctx = new StepContext(NET, Backend.JAVA, 99, plan);
        MlpKernel kernel = new MlpKernel(NET, Backend.JAVA);
        for (Block b : List.of(b0, b1)) {
            int per = plan.rowsPerStep(b.partition());
            assertTrue(per > 0);
            for (long step = 0; step < 12; step++) {
                int[] rows = new int[per];
                RowSampler.rowsForStep(99, b.partition(), b.rows(), per, step, rows);
                float[] x = new float[per * 4];
                float[] y = new float[per];
                for (int i = 0; i < per; i++) {
                    System.arraycopy(b.x(), rows[i] * 4, x, i * 4, 4);
                    y[i] = b.y()[rows[i]];
                }
                float[] expected = new float[NET.parameterCount()];
                double loss = kernel.gradient(x, 0, y, 0, per, w, expected);
                GradientPartial p = PartitionWorker.gradient(b, ctx, w, step);
                assertEquals(per, p.count());
                assertEquals(loss, p.lossSum(), "partition " + b.partition() + " step " + step);
                assertArrayEquals(expected, p.gradSum(), "partition " + b.partition() + " step " + step);
            }
        }
        // the partial owns its gradient: a later step does not change an earlier partial
        GradientPartial first = PartitionWorker.gradient(b1, ctx, w, 0);
        float[] copy = first.gradSum().clone();
        PartitionWorker.gradient(b1, ctx, w, 1);
        assertArrayEquals(copy, first.gradSum());
    }

    @Test
    void workerWithoutRowsThisStepSendsAnEmptyPartial() {
        float[] w = Parameters.initialize(NET, 6).flat();
        BatchPlan plan = BatchPlan.of(new long[] {1, 7, 1000}, 100); // (0, 1, 99)
        GradientPartial p = PartitionWorker.gradient(block(0, 1, 4, 3, 8), new StepContext(NET, Backend.JAVA, 1, plan), w, 0);
        assertEquals(0, p.count());
        assertEquals(0, p.gradSum().length);
    }

    @Test
    void workerRefusesABlockThePlanDoesNotKnow() {
        float[] w = Parameters.initialize(NET, 6).flat();
        StepContext ctx = new StepContext(NET, Backend.JAVA, 1, BatchPlan.of(new long[] {10, 20}, 6));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PartitionWorker.gradient(block(1, 21, 4, 3, 8), ctx, w, 0));
        assertEquals("partition 1 has 21 rows, the batch plan expects 20", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> PartitionWorker.gradient(block(1, 20, 5, 3, 8), ctx, w, 0));
        assertEquals("partition 1 has 5 features, the network takes 4", e.getMessage());
    }
}
