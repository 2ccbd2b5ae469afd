package io.sparkmlp.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;

/**
 * Standardisation {@code x'_j = (x_j − mean_j) / std_j}, and for regression also
 * {@code y' = (y − targetMean) / targetStd}, with statistics of the training split.
 *
 * <p>{@code std} is the population standard deviation {@code √(Σ(x − mean)² / n)} (as scikit-learn's
 * {@code StandardScaler}); a constant feature (std 0) gets std 1, so it becomes 0.
 */
public final class FeatureScaling implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] mean;
    private final float[] std;
    private final boolean scalesTarget;
    private final float targetMean;
    private final float targetStd;

    /** Features only. Arrays are copied; std values must be positive. */
    public FeatureScaling(float[] mean, float[] std) {
        this(mean, std, false, 0f, 1f);
    }

    /** Features and a regression target. Arrays are copied; std values must be positive. */
    public FeatureScaling(float[] mean, float[] std, float targetMean, float targetStd) {
        this(mean, std, true, targetMean, targetStd);
    }

    private FeatureScaling(float[] mean, float[] std, boolean scalesTarget, float targetMean, float targetStd) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("scaling needs one mean and one std per feature, found "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Float.isFinite(std[j]) || !Float.isFinite(mean[j])) {
                throw new IllegalArgumentException("feature " + j + ": mean " + mean[j] + ", std " + std[j]
                        + ", expected a finite mean and a finite positive std");
            }
        }
        if (scalesTarget && (!(targetStd > 0) || !Float.isFinite(targetStd) || !Float.isFinite(targetMean))) {
            throw new IllegalArgumentException("target mean " + targetMean + ", std " + targetStd
                    + ", expected a finite mean and a finite positive std");
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.scalesTarget = scalesTarget;
        this.targetMean = targetMean;
        this.targetStd = targetStd;
    }

    /**
     * Statistics of {@code train} in one pass: each block's count, mean and Σ(x − mean)² in double
     * (two passes over the block, in memory), merged in partition order with Chan et al.'s update
     * {@code δ = m_b − m_a, m = m_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n} — in partition order on the
     * driver, not with {@code treeAggregate} whose merge order follows task completion, so that the
     * result is bit-for-bit the same run after run.
     *
     * @param scaleTarget also standardise the labels (regression targets)
     * @throws DataException when {@code train} has no rows
     */
    public static FeatureScaling fit(JavaRDD<Block> train, boolean scaleTarget) {
        List<Moments> parts = train.map(b -> Moments.of(b, scaleTarget)).collect();
        Moments total = null;
        for (Moments m : parts) {
            total = total == null ? m : total.merge(m);
        }
        if (total == null || total.n == 0) {
            throw DataException.of("the training split has no rows, expected some to compute the scaling");
        }
        int f = total.mean.length;
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int j = 0; j < f; j++) {
            mean[j] = (float) total.mean[j];
            std[j] = positive(Math.sqrt(total.m2[j] / total.n));
        }
        if (scaleTarget) {
            return new FeatureScaling(mean, std, (float) total.targetMean, positive(Math.sqrt(total.targetM2 / total.n)));
        }
        return new FeatureScaling(mean, std);
    }

    private static float positive(double std) {
        float s = (float) std;
        return s > 0 && Float.isFinite(s) ? s : 1f;
    }

    /** Number of features. */
    public int features() {
        return mean.length;
    }

    /** Per-feature means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-feature standard deviations, all positive (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** True when labels are regression targets that are standardised too. */
    public boolean scalesTarget() {
        return scalesTarget;
    }

    /** Mean of the training targets (0 when {@link #scalesTarget()} is false). */
    public float targetMean() {
        return targetMean;
    }

    /** Standard deviation of the training targets (1 when {@link #scalesTarget()} is false). */
    public float targetStd() {
        return targetStd;
    }

    /** {@code y = y'·targetStd + targetMean}: a prediction back in the data's units. */
    public float unscaleTarget(float scaled) {
        return scalesTarget ? scaled * targetStd + targetMean : scaled;
    }

    /**
     * {@code block} standardised: a new block (the input is not modified).
     *
     * @throws IllegalArgumentException when the block's feature count differs from this scaling's
     */
    public Block apply(Block block) {
        return scale(block, new float[block.x().length], scalesTarget ? new float[block.y().length] : block.y());
    }

    /**
     * {@code block} standardised in place (its arrays are overwritten and reused): for freshly computed
     * blocks that nothing else holds, so that scaling does not need a second copy of a partition.
     */
    Block applyInPlace(Block block) {
        return scale(block, block.x(), block.y());
    }

    private Block scale(Block block, float[] out, float[] yOut) {
        int f = mean.length;
        if (block.features() != f) {
            throw new IllegalArgumentException("scaling of " + f + " features applied to a block of "
                    + block.features() + " features");
        }
        float[] x = block.x();
        for (int i = 0; i < x.length; i += f) {
            for (int j = 0; j < f; j++) {
                out[i + j] = (x[i + j] - mean[j]) / std[j];
            }
        }
        float[] y = block.y();
        if (scalesTarget) {
            for (int i = 0; i < y.length; i++) {
                yOut[i] = (y[i] - targetMean) / targetStd;
            }
        }
        return new Block(block.partition(), block.rows(), f, out, yOut);
    }

    /** {@code blocks} standardised (lazily, in each task), as new blocks. */
    public JavaRDD<Block> apply(JavaRDD<Block> blocks) {
        FeatureScaling self = this;
        return blocks.map(b -> self.apply(b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureScaling s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std)
                && scalesTarget == s.scalesTarget && targetMean == s.targetMean && targetStd == s.targetStd;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    /** Count, mean and sum of squared deviations per feature (and of the target), in double. */
    static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;
        long n;
        double[] mean;
        double[] m2;
        double targetMean;
        double targetM2;

        static Moments of(Block b, boolean target) {
            Moments m = new Moments();
            int f = b.features();
            int rows = b.rows();
            float[] x = b.x();
            m.n = rows;
            m.mean = new double[f];
            m.m2 = new double[f];
            if (rows == 0) {
                return m;
            }
            for (int i = 0; i < rows * f; i += f) {
                for (int j = 0; j < f; j++) {
                    m.mean[j] += x[i + j];
                }
            }
            for (int j = 0; j < f; j++) {
                m.mean[j] /= rows;
            }
            for (int i = 0; i < rows * f; i += f) {
                for (int j = 0; j < f; j++) {
                    double d = x[i + j] - m.mean[j];
                    m.m2[j] += d * d;
                }
            }
            if (target) {
                float[] y = b.y();
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += y[i];
                }
                m.targetMean = s / rows;
                double s2 = 0;
                for (int i = 0; i < rows; i++) {
                    double d = y[i] - m.targetMean;
                    s2 += d * d;
                }
                m.targetM2 = s2;
            }
            return m;
        }

        /** This and {@code o} merged (Chan et al.); returns a new object. */
        Moments merge(Moments o) {
            if (o.n == 0) {
                return this;
            }
            if (n == 0) {
                return o;
            }
            Moments r = new Moments();
            r.n = n + o.n;
            double wb = (double) o.n / r.n;
            double w = (double) n * o.n / r.n;
            r.mean = new double[mean.length];
            r.m2 = new double[mean.length];
            for (int j = 0; j < mean.length; j++) {
                double d = o.mean[j] - mean[j];
                r.mean[j] = mean[j] + d * wb;
                r.m2[j] = m2[j] + o.m2[j] + d * d * w;
            }
            double d = o.targetMean - targetMean;
            r.targetMean = targetMean + d * wb;
            r.targetM2 = targetM2 + o.targetM2 + d * d * w;
            return r;
        }
    }
}
