package io.sparkmlp.driver.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The split of a global batch over partitions: exact sum, proportional shares, deterministic ties, step counts. */
class BatchPlanTest {

    private static int[] shares(BatchPlan plan) {
        int[] b = new int[plan.partitions()];
        for (int p = 0; p < b.length; p++) b[p] = plan.rowsPerStep(p);
        return b;
    }

    /** Σ b_p = B, |b_p − B·n_p/N| < 1 and 0 ≤ b_p ≤ n_p. */
    private static void assertValid(long[] rows, int batch, BatchPlan plan) {
        long total = 0;
        for (long r : rows) total += r;
        assertEquals(rows.length, plan.partitions());
        assertEquals(total, plan.totalRows());
        assertEquals(batch, plan.globalBatch());
        long sum = 0;
        for (int p = 0; p < rows.length; p++) {
            int b = plan.rowsPerStep(p);
            double ideal = (double) batch * rows[p] / total;
            String where = "partition " + p + " of " + java.util.Arrays.toString(rows) + ", B = " + batch;
            assertTrue(Math.abs(b - ideal) < 1, where + ": b_p = " + b + ", ideal " + ideal);
            assertTrue(b >= 0 && b <= rows[p], where + ": b_p = " + b);
            assertEquals(rows[p], plan.partitionRows(p), where);
            sum += b;
        }
        assertEquals(batch, sum, "Σ b_p for " + java.util.Arrays.toString(rows));
    }

    @Test
    void sharesSumToTheBatchAndAreProportional() {
        Random rnd = new Random(20240601);
        for (int trial = 0; trial < 3000; trial++) {
            int parts = 1 + rnd.nextInt(12);
            long[] rows = new long[parts];
            long total = 0;
            for (int p = 0; p < parts; p++) {
                // a mix of tiny, empty and large partitions
                rows[p] = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(3);
                    case 1 -> 1 + rnd.nextInt(20);
                    default -> 1 + rnd.nextInt(100_000);
                };
                total += rows[p];
            }
            if (total == 0) continue;
            int batch = 1 + (int) (rnd.nextDouble() * Math.min(total, 50_000));
            if (rnd.nextInt(10) == 0) batch = (int) Math.min(total, Integer.MAX_VALUE);
            assertValid(rows, batch, BatchPlan.of(rows, batch));
        }
    }

    @Test
    void unevenPartitions() {
        long[] rows = {1, 7, 1000};
        // 100·(1, 7, 1000)/1008 = (0.099, 0.694, 99.21): floors (0, 0, 99), the one left over goes to the largest remainder
        BatchPlan plan = BatchPlan.of(rows, 100);
        assertArrayEquals(new int[] {0, 1, 99}, shares(plan));
        assertValid(rows, 100, plan);
        for (int b = 1; b <= 1008; b++) assertValid(rows, b, BatchPlan.of(rows, b));
        assertArrayEquals(new int[] {1, 7, 1000}, shares(BatchPlan.of(rows, 1008)));
        assertArrayEquals(new int[] {0, 0, 1}, shares(BatchPlan.of(rows, 1)));
    }

    @Test
    void emptyPartitionsGetNothing() {
        long[] rows = {0, 10, 0, 5};
        for (int b = 1; b <= 15; b++) {
            BatchPlan plan = BatchPlan.of(rows, b);
            assertValid(rows, b, plan);
            assertEquals(0, plan.rowsPerStep(0));
            assertEquals(0, plan.rowsPerStep(2));
        }
    }

    @Test
    void tiesGoToTheLowerPartitionAndThePlanIsAPureFunction() {
        // equal remainders: the lower index wins
        assertArrayEquals(new int[] {1, 1, 0}, shares(BatchPlan.of(new long[] {1, 1, 1}, 2)));
        assertArrayEquals(new int[] {1, 1, 0, 0}, shares(BatchPlan.of(new long[] {5, 5, 5, 5}, 2)));
        // 2·(2, 3, 2)/7: remainders (4, 6, 4)/7: partition 1 first, then the tie 0 vs 2 goes to 0
        assertArrayEquals(new int[] {1, 1, 0}, shares(BatchPlan.of(new long[] {2, 3, 2}, 2)));
        // 2·(3, 1, 3)/7: remainders (6, 2, 6)/7: the larger remainders win over the lower index
        assertArrayEquals(new int[] {1, 0, 1}, shares(BatchPlan.of(new long[] {3, 1, 3}, 2)));
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            long[] rows = new long[1 + rnd.nextInt(8)];
            for (int p = 0; p < rows.length; p++) rows[p] = 1 + rnd.nextInt(4);
            long total = java.util.Arrays.stream(rows).sum();
            int batch = 1 + rnd.nextInt((int) total);
            assertArrayEquals(shares(BatchPlan.of(rows, batch)), shares(BatchPlan.of(rows.clone(), batch)));
        }
    }

    @Test
    void theCallerCannotChangeThePlan() {
        long[] rows = {4, 6};
        BatchPlan plan = BatchPlan.of(rows, 5);
        rows[0] = 1000;
        assertEquals(4, plan.partitionRows(0));
        assertEquals(10, plan.totalRows());
    }

    @Test
    void batchEqualToTheRowsTakesEveryRow() {
        long[] rows = {3, 0, 8, 1};
        BatchPlan plan = BatchPlan.of(rows, 12);
        assertArrayEquals(new int[] {3, 0, 8, 1}, shares(plan));
        assertFalse(plan.isFullBatch());
        assertEquals(1, plan.stepsPerEpoch());
    }

    @Test
    void batchLargerThanTheRowsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(new long[] {3, 4}, 8));
        assertEquals("train.batchSize = 8: expected an integer in [1, 7] (the training set has 7 rows), or full", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(new long[] {3, 4}, 0));
        assertTrue(e.getMessage().startsWith("train.batchSize = 0: expected an integer in [1, 7]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(new long[] {0, 0}, 1));
        assertEquals("the training set is empty", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchPlan.fullBatch(new long[] {0}));
    }

    @Test
    void fullBatch() {
        long[] rows = {1, 7, 1000, 0};
        BatchPlan plan = BatchPlan.fullBatch(rows);
        assertTrue(plan.isFullBatch());
        assertArrayEquals(new int[] {1, 7, 1000, 0}, shares(plan));
        assertEquals(1008, plan.globalBatch());
        assertEquals(1008, plan.totalRows());
        assertEquals(1, plan.stepsPerEpoch());
        assertEquals(300, plan.stepsFor(300));
        assertEquals(300.0, plan.epochsAfter(300));
    }

    @Test
    void stepCounts() {
        BatchPlan plan = BatchPlan.of(new long[] {333, 334, 333}, 64); // N = 1000
        assertEquals(16, plan.stepsPerEpoch()); // ⌈1000/64⌉
        assertEquals(16, plan.stepsFor(1));
        assertEquals(32, plan.stepsFor(2)); // ⌈2000/64⌉ = 31.25 → 32
        assertEquals(47, plan.stepsFor(3)); // ⌈3000/64⌉ = 46.875 → 47
        assertEquals(0, plan.stepsFor(0));
        assertEquals(0.064, plan.epochsAfter(1), 1e-15);
        assertEquals(1.024, plan.epochsAfter(16), 1e-12);
        assertEquals(0.0, plan.epochsAfter(0));

        BatchPlan exact = BatchPlan.of(new long[] {50, 50}, 25); // B divides N
        assertEquals(4, exact.stepsPerEpoch());
        assertEquals(20, exact.stepsFor(5));
        assertEquals(5.0, exact.epochsAfter(20));

        Random rnd = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            long[] rows = {1 + rnd.nextInt(5000), rnd.nextInt(5000)};
            long total = rows[0] + rows[1];
            int batch = 1 + rnd.nextInt((int) total);
            BatchPlan p = BatchPlan.of(rows, batch);
            int epochs = 1 + rnd.nextInt(20);
            long steps = p.stepsFor(epochs);
            // the fewest steps that make at least `epochs` passes
            assertTrue(p.epochsAfter(steps) >= epochs - 1e-9, "rows " + total + ", B " + batch);
            assertTrue(p.epochsAfter(steps - 1) < epochs, "rows " + total + ", B " + batch);
            assertEquals(p.stepsFor(1), p.stepsPerEpoch());
        }
        // no overflow for large sets
        long[] bigRows = {6_000_000_000L, 4_000_000_000L};
        BatchPlan big = BatchPlan.of(bigRows, 4096);
        assertValid(bigRows, 4096, big);
        assertArrayEquals(new int[] {2458, 1638}, shares(big)); // 4096·(0.6, 0.4) = (2457.6, 1638.4)
        assertEquals(2_441_407, big.stepsPerEpoch()); // ⌈10^10 / 4096⌉
        assertEquals(24_414_063, big.stepsFor(10));
    }
}
