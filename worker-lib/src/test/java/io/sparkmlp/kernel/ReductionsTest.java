package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The step's reductions: the sum of squares is exactly its definition (eight lanes in index order,
 * added lane by lane), whichever path runs (the Vector API one when the tests run with the module, as
 * the build runs them), and close to the exact sum; the finiteness check finds a NaN or ±∞ anywhere.
 */
class ReductionsTest {

    /** The definition, written out plainly. */
    private static double eightLanes(float[] v, int off, int len) {
        double[] s = new double[8];
        for (int i = 0; i < len; i++) {
            double x = v[off + i];
            s[i % 8] += x * x;
        }
        double total = s[0];
        for (int j = 1; j < 8; j++) total += s[j];
        return total;
    }

    @Test
    void sumOfSquaresIsTheEightLaneDefinitionBitForBit() {
        Random rnd = new Random(5);
        for (int len : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 63, 1000, 235_146}) {
            for (int off : new int[] {0, 1, 5}) {
                float[] v = new float[off + len + 3];
                for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 4));
                double expected = eightLanes(v, off, len);
                double found = Reductions.sumOfSquares(v, off, len);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(found),
                        "len " + len + " off " + off + ": expected " + expected + ", found " + found
                                + " (vector path " + Reductions.VECTOR + ")");
                double sequential = 0;
                for (int i = off; i < off + len; i++) sequential += (double) v[i] * v[i];
                assertEquals(sequential, found, 1e-12 * sequential, "len " + len + " off " + off);
            }
        }
    }

    @Test
    void layerNormsAndTheGlobalNormComeFromTheSameSums() {
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 13, 9, 5, 3);
        float[] g = new float[arch.parameterCount()];
        Random rnd = new Random(8);
        for (int i = 0; i < g.length; i++) g[i] = (float) rnd.nextGaussian();
        double[] norms = new double[arch.numLayers()];
        double global = Reductions.layerNorms(arch, g, norms);
        double total = 0;
        for (int l = 0; l < norms.length; l++) {
            double s = eightLanes(g, arch.weightOffset(l), arch.layerParameterCount(l));
            assertEquals(Math.sqrt(s), norms[l], 0.0, "layer " + l);
            total += s;
        }
        assertEquals(Math.sqrt(total), global, 0.0);
        assertEquals(Parameters.l2Norm(g, 0, g.length), global, 1e-12 * global);
        assertThrows(IllegalArgumentException.class, () -> Reductions.layerNorms(arch, new float[3], norms));
    }

    @Test
    void allFiniteFindsANonFiniteValueAnywhere() {
        for (int len : new int[] {0, 1, 3, 8, 17, 64, 1001}) {
            float[] v = new float[len];
            for (int i = 0; i < len; i++) v[i] = i % 2 == 0 ? -0f : 3e38f;
            assertTrue(Reductions.allFinite(v), "len " + len);
            for (int at = 0; at < len; at += Math.max(1, len / 7)) {
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    float keep = v[at];
                    v[at] = bad;
                    assertFalse(Reductions.allFinite(v), bad + " at " + at + " of " + len);
                    v[at] = keep;
                }
            }
            if (len > 0) {
                v[len - 1] = Float.NaN;
                assertFalse(Reductions.allFinite(v), "NaN last of " + len);
            }
        }
    }
}
