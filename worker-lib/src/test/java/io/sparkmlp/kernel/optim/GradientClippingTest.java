package io.sparkmlp.kernel.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.kernel.Parameters;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void scalesDownToTheMaximumNorm() {
        float[] g = {3f, 4f};
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 1.0), 0.0);
        assertArrayEquals(new float[] {0.6f, 0.8f}, g, 1e-7f);

        float[] big = {-30f, 0f, 40f, 0f};
        assertEquals(50.0, GradientClipping.clipByGlobalNorm(big, 2.5), 0.0);
        // scale 2.5/50 = 0.05
        assertArrayEquals(new float[] {-1.5f, 0f, 2f, 0f}, big, 1e-6f);
        assertEquals(2.5, Parameters.l2Norm(big, 0, big.length), 1e-6);
    }

    @Test
    void leavesSmallOrEqualNormsAndZeroMaxNormAlone() {
        float[] g = {3f, 4f};
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 5.0), 0.0);
        assertArrayEquals(new float[] {3f, 4f}, g);
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 10.0), 0.0);
        assertArrayEquals(new float[] {3f, 4f}, g);
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 0.0), 0.0);
        assertArrayEquals(new float[] {3f, 4f}, g);
        assertEquals(0.0, GradientClipping.clipByGlobalNorm(new float[3], 1.0), 0.0);
        assertEquals(0.0, GradientClipping.clipByGlobalNorm(new float[0], 1.0), 0.0);
    }

    @Test
    void normIsAccumulatedInDouble() {
        // 2¹⁶ entries x = 1 + 2⁻¹², x² = 1 + 2⁻¹¹ + 2⁻²⁴: a float running sum near 2¹⁶ has an ulp of
        // 2⁻⁷ and would lose the fraction on every add (relative error ~1e-4); double keeps it.
        float x = 1f + 1f / 4096;
        float[] g = new float[1 << 16];
        java.util.Arrays.fill(g, x);
        double expected = Math.sqrt((double) g.length * ((double) x * x));
        assertEquals(expected, GradientClipping.clipByGlobalNorm(g, 0.0), expected * 1e-14);
    }

    @Test
    void nonFiniteGradientIsReportedNotHidden() {
        float[] g = {Float.NaN, 1f};
        assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(g, 1.0)));
        assertEquals(1f, g[1]);
        float[] h = {Float.POSITIVE_INFINITY, 1f};
        assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipByGlobalNorm(h, 1.0));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 1f}, h);
    }

    @Test
    void rejectsBadMaxNorm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientClipping.clipByGlobalNorm(new float[1], -1.0));
        assertEquals("maxNorm must be a finite number >= 0 (0 = off), found -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(new float[1], Double.NaN));
    }
}
