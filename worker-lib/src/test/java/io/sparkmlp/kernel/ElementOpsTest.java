package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast element-wise loops give the same bits as the plain loops they replace, on lengths and
 * offsets that exercise both the vector body and the scalar tail, with NaN, ±0, ±∞ mixed in.
 */
class ElementOpsTest {

    private static final float[] SPECIAL = {Float.NaN, -Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f};

    private static float[] values(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(4) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextFloat() * 4 - 2;
        }
        return v;
    }

    /** Bitwise equality (distinguishes −0 from +0; any NaN equals any NaN only by bits). */
    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + ", found " + actual[i]);
        }
    }

    @Test
    void reluDerivativeMatchesPlainLoopBitForBit() {
        Random rnd = new Random(11);
        for (int len : new int[] {0, 1, 7, 15, 16, 17, 33, 100, 1000}) {
            for (int off : new int[] {0, 3}) {
                float[] a = values(rnd, off + len + 5), d = values(rnd, off + len + 5);
                float[] expected = d.clone();
                for (int i = off; i < off + len; i++) if (!(a[i] > 0f)) expected[i] = 0f;
                Activation.RELU.multiplyDerivative(a, d, off, len);
                assertSameBits(expected, d, "relu len " + len + " off " + off);
            }
        }
    }

    @Test
    void leakyReluDerivativeMatchesPlainLoopBitForBit() {
        Random rnd = new Random(12);
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 1000}) {
            for (int off : new int[] {0, 5}) {
                float[] a = values(rnd, off + len + 5), d = values(rnd, off + len + 5);
                float[] expected = d.clone();
                for (int i = off; i < off + len; i++) if (!(a[i] > 0f)) expected[i] *= Activation.LEAKY_SLOPE;
                Activation.LEAKY_RELU.multiplyDerivative(a, d, off, len);
                assertSameBits(expected, d, "leaky relu len " + len + " off " + off);
            }
        }
    }

    @Test
    void leakyReluMatchesTheBranchingLoopBitForBit() {
        Random rnd = new Random(13);
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 1000}) {
            for (int off : new int[] {0, 5}) {
                float[] z = values(rnd, off + len + 5);
                float[] expected = z.clone();
                for (int i = off; i < off + len; i++) if (!(expected[i] > 0f)) expected[i] *= Activation.LEAKY_SLOPE;
                Activation.LEAKY_RELU.apply(z, off, len);
                assertSameBits(expected, z, "leaky relu len " + len + " off " + off);
            }
        }
    }

    @Test
    void columnSumsAddRowsInRowOrder() {
        Random rnd = new Random(13);
        for (int cols : new int[] {1, 3, 4, 10, 16, 17, 64, 130}) {
            for (int rows : new int[] {1, 2, 37}) {
                float[] d = new float[7 + rows * cols];
                for (int i = 0; i < d.length; i++) d[i] = (rnd.nextFloat() - 0.5f) * (float) Math.pow(10, rnd.nextInt(8));
                float[] g = values(rnd, cols + 9);
                float[] expected = g.clone();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) expected[4 + j] += d[7 + r * cols + j];
                }
                ElementOps.addColumnSums(d, 7, rows, cols, g, 4);
                assertSameBits(expected, g, "column sums " + rows + "×" + cols);
            }
        }
    }

    @Test
    void vectorPathIsOnInTests() {
        // the surefire JVM runs with --add-modules jdk.incubator.vector, so the tests above cover
        // the Vector API path; the scalar tail covers the fallback's arithmetic
        assertArrayEquals(new boolean[] {true}, new boolean[] {ElementOps.VECTOR});
    }
}
