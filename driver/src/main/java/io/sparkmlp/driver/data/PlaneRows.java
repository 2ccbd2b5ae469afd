package io.sparkmlp.driver.data;

import java.util.SplittableRandom;

import io.sparkmlp.driver.config.DataOptions.SyntheticKind;
import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;

/**
 * The two-feature shapes, for decision-boundary pictures; each row's class is drawn uniformly, then its point:
 * <pre>
 *   moons    t ~ U[0, π):   class 0 (cos t, sin t),   class 1 (1 − cos t, ½ − sin t)     + N(0, noise² I)
 *   circles  θ ~ U[0, 2π):  class 0 (cos θ, sin θ),   class 1 factor·(cos θ, sin θ)      + N(0, noise² I)
 *   xor      p ~ U[−1, 1)²: class [p_1 > 0] xor [p_2 > 0]                                 + N(0, noise² I)
 *   blobs    class k of {@code centers}: μ_k + N(0, clusterStd² I),  μ_k ~ U[−10, 10)² from the seed
 * </pre>
 * As scikit-learn's {@code make_moons}, {@code make_circles} and {@code make_blobs}, except that the angle
 * is drawn per row rather than spaced evenly, and the classes are balanced in expectation rather than exactly.
 * xor has no scikit-learn generator: the class is that of the point before the noise.
 */
final class PlaneRows implements SyntheticRows {
    private static final long serialVersionUID = 1L;

    private final SyntheticKind kind;
    private final double noise;
    private final double factor;
    private final double clusterStd;
    /** blobs: centres × 2, row-major; null for the other shapes. */
    private final double[] centres;

    PlaneRows(SyntheticOptions o, SplittableRandom setup) {
        kind = o.kind();
        if (kind == SyntheticKind.CLASSIFICATION || kind == SyntheticKind.REGRESSION) {
            throw new IllegalArgumentException("not a two-feature shape: " + kind);
        }
        noise = o.noise();
        factor = o.factor();
        clusterStd = o.clusterStd();
        if (kind == SyntheticKind.BLOBS) {
            centres = new double[2 * o.centers()];
            for (int i = 0; i < centres.length; i++) {
                centres[i] = -10 + 20 * setup.nextDouble();
            }
        } else {
            centres = null;
        }
    }

    /** blobs: coordinate {@code j} of the centre of blob {@code k}. */
    double centre(int k, int j) {
        return centres[2 * k + j];
    }

    @Override
    public float row(SplittableRandom r, float[] x, int off) {
        double a;
        double b;
        int k;
        switch (kind) {
            case MOONS -> {
                k = r.nextInt(2);
                double t = Math.PI * r.nextDouble();
                a = k == 0 ? StrictMath.cos(t) : 1 - StrictMath.cos(t);
                b = k == 0 ? StrictMath.sin(t) : 0.5 - StrictMath.sin(t);
            }
            case CIRCLES -> {
                k = r.nextInt(2);
                double t = 2 * Math.PI * r.nextDouble();
                double radius = k == 0 ? 1 : factor;
                a = radius * StrictMath.cos(t);
                b = radius * StrictMath.sin(t);
            }
            case XOR -> {
                a = 2 * r.nextDouble() - 1;
                b = 2 * r.nextDouble() - 1;
                k = (a > 0) != (b > 0) ? 1 : 0;
            }
            case BLOBS -> {
                k = r.nextInt(centres.length / 2);
                a = centres[2 * k] + clusterStd * r.nextGaussian();
                b = centres[2 * k + 1] + clusterStd * r.nextGaussian();
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        if (kind != SyntheticKind.BLOBS) {
            a += noise * r.nextGaussian();
            b += noise * r.nextGaussian();
        }
        x[off] = (float) a;
        x[off + 1] = (float) b;
        return k;
    }
}
