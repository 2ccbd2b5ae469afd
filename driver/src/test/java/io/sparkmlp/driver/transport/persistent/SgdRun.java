package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.List;

/** Plain SGD through a step transport, recording every step, and the bit-for-bit comparison of two such runs. */
final class SgdRun {

    private SgdRun() {
    }

    /**
     * {@code steps} steps of SGD from seed-1 weights; returns the gradient sums of every even step and the mean
     * gradients of every odd one ({@link StepTransport#meanGradient}), each with its (loss, count), followed by the final
     * weights.
     *
     * @param between run after every third step; null: nothing
     */
    static List<float[]> train(StepTransport transport, Architecture arch, int steps, Runnable between) {
        float[] w = Parameters.initialize(arch, 1).flat();
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            if (s % 2 == 0) {
                GradientPartial g = transport.gradient(w, s);
                out.add(g.gradSum().clone());
                out.add(new float[] {(float) g.lossSum(), g.count()});
                float inv = 0.1f / g.count();
                for (int i = 0; i < w.length; i++) w[i] -= inv * g.gradSum()[i];
            } else {
                float[] mean = new float[w.length];
                GradientPartial g = transport.meanGradient(w, s, mean);
                out.add(mean);
                out.add(new float[] {(float) g.lossSum(), g.count()});
                for (int i = 0; i < w.length; i++) w[i] -= 0.1f * mean[i];
            }
            if (between != null && s % 3 == 2) between.run();
        }
        out.add(w);
        return out;
    }

    static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            int[] e = bits(expected.get(i)), a = bits(actual.get(i));
            int at = i;
            assertArrayEquals(e, a, () -> "entry " + at + " differs");
        }
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
