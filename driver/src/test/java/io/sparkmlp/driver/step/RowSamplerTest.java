package io.sparkmlp.driver.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-partition row walk: each epoch a permutation of the partition's rows, a fresh one per
 * epoch, partition and seed, computed point by point from (seed, partition, step).
 */
class RowSamplerTest {

    private static final long SEED = 42;

    /** Partition sizes: tiny, powers of 2 and 4 and their neighbours, primes, large. */
    private static final long[] SIZES = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 63, 64, 65, 100, 255, 256, 257, 1000, 1023,
            1024, 1025, 4095, 4097, 10_007};

    private static int[] rows(long seed, int partition, long n, int b, long step) {
        int[] out = new int[b];
        RowSampler.rowsForStep(seed, partition, n, b, step, out);
        return out;
    }

    /** The rows visited by steps 0..steps−1, concatenated. */
    private static int[] walk(long seed, int partition, long n, int b, int steps) {
        int[] all = new int[steps * b];
        int[] out = new int[b];
        for (int t = 0; t < steps; t++) {
            RowSampler.rowsForStep(seed, partition, n, b, t, out);
            System.arraycopy(out, 0, all, t * b, b);
        }
        return all;
    }

    /** Row order of epoch e (positions e·n .. e·n+n−1 of the walk). */
    private static int[] epochOrder(long seed, int partition, int n, int e) {
        int[] order = new int[n];
        long key = RowSampler.epochKey(seed, e, partition);
        int half = RowSampler.halfBits(n);
        for (int i = 0; i < n; i++) order[i] = (int) RowSampler.permute(i, n, half, key);
        return order;
    }

    private static int[] batchSizes(long n) {
        List<Integer> b = new ArrayList<>(List.of(1, 2, 3, 5, 7, 13, 64, 100));
        b.add((int) n);
        b.add((int) Math.max(1, n - 1));
        b.add((int) Math.max(1, n / 2 + 1));
        b.add((int) Math.max(1, n / 3));
        return b.stream().filter(x -> x <= n).distinct().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everyRowOncePerEpoch() {
        int cases = 0;
        for (long n : SIZES) {
            for (int b : batchSizes(n)) {
                int epochs = 3;
                int steps = (int) ((epochs * n + b - 1) / b); // enough steps to cover three epochs
                int[] all = walk(SEED, 3, n, b, steps);
                for (int e = 0; e < epochs; e++) {
                    BitSet seen = new BitSet((int) n);
                    for (int i = 0; i < n; i++) {
                        int r = all[(int) (e * n + i)];
                        if (r < 0 || r >= n || seen.get(r)) {
                            fail("n = " + n + ", b = " + b + ", epoch " + e + ", position " + i + ": row " + r
                                    + (r < 0 || r >= n ? " outside [0, " + n + ")" : " visited twice in one epoch"));
                        }
                        seen.set(r);
                    }
                    assertEquals(n, seen.cardinality());
                    // position q of the walk is row π_e(q mod n): the epoch's permutation, walked in order
                    assertArrayEquals(epochOrder(SEED, 3, (int) n, e), Arrays.copyOfRange(all, (int) (e * n), (int) (e * n + n)),
                            "n = " + n + ", b = " + b + ", epoch " + e);
                }
                assertEquals(0, RowSampler.epochOf(n, b, 0));
                assertEquals((long) (steps - 1) * b / n, RowSampler.epochOf(n, b, steps - 1));
                cases++;
            }
        }
        assertTrue(cases > 200, "cases " + cases);
    }

    @Test
    void stepsFarAwayStillWalkPositionsTimesB() {
        long n = 1_000_003;
        int b = 977;
        long step = 123_456_789L;
        int[] got = rows(SEED, 1, n, b, step);
        long q = step * b;
        for (int i = 0; i < b; i++, q++) {
            long e = q / n;
            long expected = RowSampler.permute(q % n, n, RowSampler.halfBits(n), RowSampler.epochKey(SEED, e, 1));
            assertEquals(expected, got[i], "position " + q);
        }
    }

    @Test
    void epochsPartitionsAndSeedsGiveDifferentOrders() {
        for (int n : new int[] {8, 10, 17, 64, 100, 1000, 4097}) {
            List<int[]> orders = new ArrayList<>();
            for (int e = 0; e < 4; e++) orders.add(epochOrder(SEED, 0, n, e));
            for (int p = 1; p < 4; p++) orders.add(epochOrder(SEED, p, n, 0));
            for (long s : new long[] {0, 1, 43, -1}) orders.add(epochOrder(s, 0, n, 0));
            for (int i = 0; i < orders.size(); i++) {
                for (int j = i + 1; j < orders.size(); j++) {
                    assertFalse(Arrays.equals(orders.get(i), orders.get(j)), "n = " + n + ": orders " + i + " and " + j + " equal");
                }
            }
            // and not the identity
            int[] identity = new int[n];
            Arrays.setAll(identity, i -> i);
            assertFalse(Arrays.equals(identity, orders.get(0)), "n = " + n);
        }
        // the same through rowsForStep: a whole-epoch step at epochs 0 and 1, partitions 0 and 1
        assertFalse(Arrays.equals(rows(SEED, 0, 500, 500, 0), rows(SEED, 0, 500, 500, 1)));
        assertFalse(Arrays.equals(rows(SEED, 0, 500, 50, 3), rows(SEED, 1, 500, 50, 3)));
        assertFalse(Arrays.equals(rows(SEED, 0, 500, 50, 3), rows(SEED + 1, 0, 500, 50, 3)));
        // for two rows each epoch is one of two orders: over 20 epochs both occur
        boolean swapped = false, kept = false;
        for (int e = 0; e < 20; e++) {
            int[] o = epochOrder(SEED, 0, 2, e);
            swapped |= o[0] == 1;
            kept |= o[0] == 0;
        }
        assertTrue(swapped && kept);
    }

    @Test
    void aPureFunctionOfSeedPartitionAndStep() {
        long n = 777;
        int b = 50;
        int steps = 60; // about four epochs
        int[] sequential = walk(SEED, 2, n, b, steps);
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < steps; t++) order.add(t);
        Collections.shuffle(order, new Random(5));
        int[] scratch = new int[b + 3];
        Arrays.fill(scratch, -7);
        for (int t : order) {
            // interleave calls for other partitions and seeds: no hidden state carries over
            rows(SEED + 1, 5, 1000, 17, t * 3L);
            RowSampler.rowsForStep(SEED, 2, n, b, t, scratch);
            assertArrayEquals(Arrays.copyOfRange(sequential, t * b, t * b + b), Arrays.copyOf(scratch, b), "step " + t);
            assertEquals(-7, scratch[b], "wrote past the b rows");
        }
    }

    @Test
    void permutationIsABijectionForEverySizeUpTo2000() {
        long[] keys = {RowSampler.epochKey(SEED, 0, 0), RowSampler.epochKey(SEED, 9, 3), RowSampler.epochKey(-5, 1, 1)};
        int[] seenAt = new int[2000];
        int mark = 0;
        for (int n = 1; n <= 2000; n++) {
            int half = RowSampler.halfBits(n);
            // the Feistel domain 4^half holds n and is less than 4n (so cycle walking is short)
            long domain = 1L << (2 * half);
            assertTrue(domain >= n && (domain < 4L * n || n == 1), "n = " + n + ": domain " + domain);
            for (long key : keys) {
                mark++;
                for (int i = 0; i < n; i++) {
                    long x = RowSampler.permute(i, n, half, key);
                    if (x < 0 || x >= n) fail("n = " + n + ": π(" + i + ") = " + x);
                    if (seenAt[(int) x] == mark) fail("n = " + n + ": π(" + i + ") = " + x + " twice");
                    seenAt[(int) x] = mark;
                }
            }
        }
    }

    @Test
    void constantMemory() {
        // a partition of two billion rows: an O(n) shuffle would need gigabytes; the walk needs none
        long n = 2_000_000_000L;
        int b = 64;
        int[] out = new int[b];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RowSampler.rowsForStep(SEED, 0, n, b, 0, out); // warm-up (class loading)
        long before = mx.getCurrentThreadAllocatedBytes();
        for (long step = 0; step < 1000; step++) {
            RowSampler.rowsForStep(SEED, 0, n, b, step * 31_250_000L + 7, out);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 1000 steps of 64 rows");
        Arrays.sort(out);
        for (int i = 0; i < b; i++) {
            assertTrue(out[i] >= 0 && out[i] < n);
            if (i > 0) assertTrue(out[i] != out[i - 1], "row " + out[i] + " twice in one step");
        }
    }

    @Test
    void badArgumentsAreRefused() {
        int[] out = new int[10];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowSampler.rowsForStep(SEED, 4, 5, 6, 0, out));
        assertEquals("partition 4: cannot take 6 rows per step from 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RowSampler.rowsForStep(SEED, 0, 0, 0, 0, out));
        assertThrows(IllegalArgumentException.class, () -> RowSampler.rowsForStep(SEED, 0, 5, -1, 0, out));
        RowSampler.rowsForStep(SEED, 0, 5, 0, 3, out); // zero rows per step: nothing to do
    }
}
