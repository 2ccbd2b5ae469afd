package io.sparkmlp.driver.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rows gathered ahead of a step ({@link PartitionWorker#prepare}) give the partial the step would have computed. */
class PartitionWorkerTest {

    private static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 6, 5, 3);

    private static Block block(int partition, int rows) {
        SplittableRandom rnd = new SplittableRandom(7 + partition);
        float[] x = new float[rows * 6];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < rows; i++) y[i] = rnd.nextInt(3);
        return new Block(partition, rows, 6, x, y);
    }

    /** The partial of each step, each computed on a thread of its own (fresh workspaces). */
    private static float[][] fresh(Block block, StepContext ctx, float[] w, int steps) throws InterruptedException {
        float[][] out = new float[steps][];
        Thread t = new Thread(() -> {
            for (int s = 0; s < steps; s++) out[s] = PartitionWorker.gradient(block, ctx, w, s).gradSum();
        });
        t.start();
        t.join();
        return out;
    }

    @Test
    void gatheringAheadGivesTheSameBitsAndAWrongGuessIsIgnored() throws InterruptedException {
        Block block = block(1, 37);
        StepContext ctx = new StepContext(ARCH, Backend.JAVA, 5, BatchPlan.of(new long[] {20, 37}, 16));
        float[] w = Parameters.initialize(ARCH, 3).flat();
        int steps = 9;
        float[][] expected = fresh(block, ctx, w, steps);
        float[][] actual = new float[steps][];
        Thread t = new Thread(() -> {
            for (int s = 0; s < steps; s++) {
                actual[s] = PartitionWorker.gradient(block, ctx, w, s).gradSum();
                // ahead for the next step, except every third: ahead for a step that does not come next
                PartitionWorker.prepare(block, ctx, s % 3 == 2 ? s + 5 : s + 1);
            }
        });
        t.start();
        t.join();
        assertEquals(steps, actual.length);
        for (int s = 0; s < steps; s++) assertArrayEquals(expected[s], actual[s], "step " + s);
    }

    @Test
    void rowsGatheredForAnotherBlockOrContextAreNotUsed() throws InterruptedException {
        Block a = block(1, 37);
        Block b = block(1, 37);
        b.x()[0] += 1f; // same shape, other values
        StepContext ctx = new StepContext(ARCH, Backend.JAVA, 5, BatchPlan.of(new long[] {20, 37}, 16));
        StepContext other = new StepContext(ARCH, Backend.JAVA, 6, BatchPlan.of(new long[] {20, 37}, 16));
        float[] w = Parameters.initialize(ARCH, 3).flat();
        float[][] expected = fresh(a, ctx, w, 3);
        float[][] actual = new float[3][];
        Thread t = new Thread(() -> {
            PartitionWorker.prepare(b, ctx, 0);
            actual[0] = PartitionWorker.gradient(a, ctx, w, 0).gradSum();
            PartitionWorker.prepare(a, other, 1);
            actual[1] = PartitionWorker.gradient(a, ctx, w, 1).gradSum();
            PartitionWorker.prepare(a, ctx, 2);
            actual[2] = PartitionWorker.gradient(a, ctx, w, 2).gradSum();
        });
        t.start();
        t.join();
        for (int s = 0; s < 3; s++) assertArrayEquals(expected[s], actual[s], "step " + s);
    }
}
