package io.sparkmlp.driver.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.driver.step.GradientPartial;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixed tree association of {@link MergeTree}, written out by hand for small partition counts. */
class MergeTreeTest {

    private static GradientPartial leaf(int partition, float g, double loss, long count) {
        return new GradientPartial(partition, new float[] {g}, loss, count, 10 + partition);
    }

    private static float sum(List<GradientPartial> parts, int partitions) {
        return MergeTree.sum(parts, partitions, 1).gradSum()[0];
    }

    /** Values whose float sums depend on the association. */
    private static final float[] G = {1e8f, 1f, -1e8f, 1f, 3f, 1e-3f, 7f};

    private static List<GradientPartial> leaves(int n) {
        List<GradientPartial> l = new ArrayList<>();
        for (int p = 0; p < n; p++) l.add(leaf(p, G[p], G[p], 1));
        return l;
    }

    @Test
    void pairsOfAlignedBlocks() {
        float[] g = G;
        assertEquals(g[0], sum(leaves(1), 1));
        assertEquals((g[0] + g[1]) + g[2], sum(leaves(3), 3));
        assertEquals((g[0] + g[1]) + (g[2] + g[3]), sum(leaves(4), 4));
        assertEquals(((g[0] + g[1]) + (g[2] + g[3])) + (g[4] + g[5]), sum(leaves(6), 6));
        assertEquals(((g[0] + g[1]) + (g[2] + g[3])) + ((g[4] + g[5]) + g[6]), sum(leaves(7), 7));
        // not the running sum of earlier versions: ((g0 + g1) + g2) + g3 is 1, the tree gives 0
        assertNotEquals(((g[0] + g[1]) + g[2]) + g[3], sum(leaves(4), 4));
    }

    @Test
    void aReusedMergerGivesTheSameBitsStepAfterStepAndLeavesThePartialsAsTheyWere() {
        MergeTree merger = new MergeTree(1);
        float[] into = new float[1];
        for (int n = 1; n <= 7; n++) {
            List<GradientPartial> parts = leaves(n);
            for (int round = 0; round < 3; round++) {
                assertEquals(sum(leaves(n), n), merger.sumInto(parts, n, into).gradSum()[0], n + " partitions, round " + round);
                for (int p = 0; p < n; p++) assertEquals(G[p], parts.get(p).gradSum()[0], "partial " + p + " modified");
            }
        }
        List<GradientPartial> one = leaves(1);
        assertNotSame(one.get(0).gradSum(), merger.sumInto(one, 1, into).gradSum(), "a lone partial is copied");
    }

    @Test
    void theMeanWrittenAsTheTopIsAddedHasTheBitsOfTheSumThenItsMean() {
        MergeTree merger = new MergeTree(G.length);
        java.util.Random r = new java.util.Random(3);
        // 1 to 7 partials of 8 partitions, some without rows, and layouts where a side of the top is empty
        List<List<Integer>> layouts = List.of(List.of(0), List.of(5), List.of(0, 1), List.of(0, 1, 2), List.of(0, 2, 3),
                List.of(4, 6), List.of(0, 1, 2, 3, 4, 5, 6), List.of(1, 7));
        for (List<Integer> layout : layouts) {
            List<GradientPartial> parts = new ArrayList<>();
            for (int p : layout) {
                float[] g = new float[G.length];
                for (int i = 0; i < g.length; i++) g[i] = G[(i + p) % G.length] * (1 + r.nextFloat());
                parts.add(new GradientPartial(p, g, p, 1 + p * 3L, p));
            }
            float[] expected = new float[G.length];
            GradientPartial sum = MergeTree.sum(parts, 8, G.length);
            sum.meanInto(expected);
            float[] mean = new float[G.length];
            GradientPartial got = merger.meanInto(parts, 8, mean);
            for (int i = 0; i < G.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(mean[i]), layout + " at " + i);
            }
            assertEquals(sum.lossSum(), got.lossSum());
            assertEquals(sum.count(), got.count());
            // the partials are as they were, and the merger still sums plainly afterwards
            assertEquals(Float.floatToIntBits(sum.gradSum()[0]), Float.floatToIntBits(MergeTree.sum(parts, 8, G.length).gradSum()[0]));
            assertEquals(Float.floatToIntBits(sum.gradSum()[1]),
                    Float.floatToIntBits(merger.sumInto(parts, 8, new float[G.length]).gradSum()[1]));
        }
        assertThrows(IllegalStateException.class, () -> merger.meanInto(List.of(new GradientPartial(0, new float[0], 0, 0)), 1,
                new float[G.length]));
    }

    @Test
    void theLossFollowsTheSameTreeAndCountsAndKernelTimesAdd() {
        GradientPartial total = MergeTree.sum(leaves(4), 4, 1);
        double[] d = {1e8f, 1f, -1e8f, 1f};
        assertEquals((d[0] + d[1]) + (d[2] + d[3]), total.lossSum());
        assertEquals(4, total.count());
        assertEquals(13, total.kernelNanos());
        assertEquals(-1, total.partition());
    }

    @Test
    void partitionsWithoutRowsOrMissingAreLeftOutNotAddedAsZeros() {
        List<GradientPartial> parts = leaves(4);
        parts.set(1, new GradientPartial(1, new float[0], 0, 0, 99));
        float[] g = G;
        GradientPartial total = MergeTree.sum(parts, 4, 1);
        assertEquals(g[0] + (g[2] + g[3]), total.gradSum()[0]);
        assertEquals(99, total.kernelNanos());
        parts.remove(1);
        assertEquals(g[0] + (g[2] + g[3]), sum(parts, 4), "a missing partition is one without rows");
        // -0.0 stays -0.0: nothing is added to a lone partial
        GradientPartial negativeZero = MergeTree.sum(List.of(new GradientPartial(2, new float[] {-0f}, 0, 1)), 4, 1);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(negativeZero.gradSum()[0]));
        GradientPartial none = MergeTree.sum(List.of(new GradientPartial(0, new float[0], 0, 0)), 2, 3);
        assertEquals(0, none.count());
        assertEquals(3, none.gradSum().length);
    }

    @Test
    void aBlockSumStandsForItsPartitions() {
        // partition 4 hands up the sum of 4..6, computed as the driver would
        GradientPartial block = MergeTree.sum(leaves(7).subList(4, 7), 4, 4, 1, 4);
        assertEquals(4, block.partition());
        List<GradientPartial> heads = new ArrayList<>(leaves(4));
        heads.add(block);
        assertEquals(sum(leaves(7), 7), sum(heads, 7));
    }

    @Test
    void refusesPartialsOutOfOrderOrOfAnotherLength() {
        assertThrows(IllegalStateException.class, () -> MergeTree.sum(List.of(leaf(1, 1, 1, 1), leaf(0, 1, 1, 1)), 2, 1));
        assertThrows(IllegalStateException.class, () -> MergeTree.sum(List.of(leaf(2, 1, 1, 1)), 2, 1));
        assertThrows(IllegalStateException.class, () -> MergeTree.sum(List.of(leaf(0, 1, 1, 1)), 1, 2));
        assertThrows(IllegalArgumentException.class, () -> MergeTree.sum(List.of(), 2, 3, 1, 2));
    }
}
