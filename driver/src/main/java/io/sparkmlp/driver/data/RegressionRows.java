package io.sparkmlp.driver.data;

import java.util.SplittableRandom;

import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;

/**
 * scikit-learn's {@code make_regression} (without {@code effective_rank}: independent features), row by row:
 * <pre>
 *   x ~ N(0, I_F),   y = x·β + bias + ε,   ε ~ N(0, noise²)
 *   β_j ~ U[0, 100) for the first {@code informative} features, β_j = 0 for the others
 * </pre>
 * β is drawn from the seed alone; each row from its own stream. Unlike scikit-learn, rows and columns are
 * not shuffled: the informative features come first.
 */
final class RegressionRows implements SyntheticRows {
    private static final long serialVersionUID = 1L;

    private final double[] coefficients;
    private final double bias;
    private final double noise;

    RegressionRows(SyntheticOptions o, SplittableRandom setup) {
        if (o.informative() > o.features()) {
            throw new IllegalArgumentException("regression needs informative <= features, found " + o);
        }
        coefficients = new double[o.features()];
        for (int j = 0; j < o.informative(); j++) {
            coefficients[j] = 100 * setup.nextDouble();
        }
        bias = o.bias();
        noise = o.noise();
    }

    /** β_j, the true coefficient of feature {@code j}. */
    double coefficient(int j) {
        return coefficients[j];
    }

    @Override
    public float row(SplittableRandom r, float[] x, int off) {
        double y = bias;
        for (int j = 0; j < coefficients.length; j++) {
            double v = r.nextGaussian();
            x[off + j] = (float) v;
            y += coefficients[j] * v;
        }
        return (float) (y + noise * r.nextGaussian());
    }
}
