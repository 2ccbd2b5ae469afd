package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.MergeTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tree's shape, and the sum it hands the driver: for every partition count and block size, the
 * tasks adding their children's block sums as {@link TreeRelay} does give the driver the bits of the
 * partials added on the driver (the job transport).
 */
class TreeTest {

    private static final int P = 1000;

    @Test
    void fanOutSetsTheBlocks() {
        assertEquals(1, Tree.of(8, 8, P).blockSize, "the star");
        assertEquals(1, Tree.of(8, 100, P).blockSize);
        assertEquals(2, Tree.of(8, 4, P).blockSize);
        assertEquals(8, Tree.of(8, 1, P).blockSize, "one tree under task 0");
        assertEquals(4, Tree.of(13, 4, P).blockSize);
        assertArrayEquals(new int[] {0, 4, 8, 12}, Tree.of(13, 4, P).heads());
        assertEquals(1, Tree.of(8, Tree.AUTO, P).blockSize, "auto: the star up to AUTO_FANOUT tasks");
        assertEquals(Tree.AUTO_FANOUT, Tree.of(1000, Tree.AUTO, 235_146).heads().length, "auto: a tree for a large network");
        assertEquals(1, Tree.of(100, Tree.AUTO, 100).blockSize, "auto: the star where messages cost more than bytes");
    }

    @Test
    void aBinomialTreeInEachBlock() {
        Tree t = new Tree(13, 8);
        assertArrayEquals(new int[] {1, 2, 4}, t.children(0));
        assertArrayEquals(new int[] {5, 6}, t.children(4));
        assertArrayEquals(new int[] {9, 10, 12}, t.children(8));
        assertArrayEquals(new int[] {}, t.children(12), "12 heads 12..15, of which only 12 exists");
        assertEquals(-1, t.parent(8));
        assertEquals(4, t.parent(6));
        assertEquals(6, t.parent(7));
        assertEquals(1, t.extent(12));
        assertEquals(4, t.extent(4));
        assertEquals(4, t.depth());
    }

    /** Each partition has one parent, lies in its parent's block, and every block is covered by its head's subtree. */
    @Test
    void everyTaskIsReachedOnceFromItsHead() {
        for (int n = 1; n <= 40; n++) {
            for (int block = 1; block <= 64; block <<= 1) {
                Tree t = new Tree(n, block);
                int[] reached = new int[n];
                for (int h : t.heads()) reach(t, h, reached);
                for (int p = 0; p < n; p++) assertEquals(1, reached[p], "partition " + p + " of " + t);
                for (int p = 0; p < n; p++) {
                    for (int c : t.children(p)) {
                        assertEquals(p, t.parent(c));
                        assertTrue(c > p && c + t.size(c) <= p + t.size(p), t + ": child " + c + " of " + p);
                    }
                }
            }
        }
    }

    private static void reach(Tree t, int p, int[] reached) {
        reached[p]++;
        for (int c : t.children(p)) reach(t, c, reached);
    }

    @Test
    void theTreeSumHasTheBitsOfTheDriversSumAtEveryBlockSize() {
        Random random = new Random(3);
        int parameters = 64;
        for (int n = 1; n <= 33; n++) {
            List<GradientPartial> leaves = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                boolean rows = random.nextInt(5) != 0;
                float[] g = new float[rows ? parameters : 0];
                for (int i = 0; i < g.length; i++) g[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
                leaves.add(new GradientPartial(p, g, rows ? random.nextDouble() * 1e6 : 0, rows ? 1 + random.nextInt(9) : 0));
            }
            GradientPartial expected = MergeTree.sum(leaves, n, parameters);
            for (int block = 1; block <= 64; block <<= 1) {
                Tree t = new Tree(n, block);
                List<GradientPartial> heads = new ArrayList<>();
                for (int h : t.heads()) heads.add(handedUp(t, h, leaves, parameters));
                GradientPartial actual = MergeTree.sum(heads, n, parameters);
                assertEquals(expected.count(), actual.count());
                assertEquals(Double.doubleToRawLongBits(expected.lossSum()), Double.doubleToRawLongBits(actual.lossSum()), t.toString());
                for (int i = 0; i < parameters; i++) {
                    assertEquals(Float.floatToRawIntBits(expected.gradSum()[i]), Float.floatToRawIntBits(actual.gradSum()[i]),
                            t + ", parameter " + i);
                }
            }
        }
    }

    /** What task {@code p} hands up: its own partial and its children's, added as {@link TreeRelay#sum} adds them. */
    private static GradientPartial handedUp(Tree t, int p, List<GradientPartial> leaves, int parameters) {
        List<GradientPartial> parts = new ArrayList<>();
        parts.add(leaves.get(p));
        for (int c : t.children(p)) parts.add(handedUp(t, c, leaves, parameters));
        return MergeTree.sum(parts, p, t.size(p), parameters, p);
    }
}
