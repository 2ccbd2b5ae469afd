package io.sparkmlp.kernel.optim;

/**
 * Typed, validated configuration of the full-batch {@link Lbfgs} solver. With {@code f_k} the
 * objective at the k-th accepted point and {@code g_k} its gradient, the solver stops after
 * iteration k on the first of
 * <pre>
 *   GRADIENT:        ‖g_k‖₂ ≤ gradientTolerance · max(|f_k|, 1)
 *   TOLERANCE:       |f_k − f_{k−1}| / max(|f_k|, |f_{k−1}|, 1) &lt; tolerance
 *   MAX_ITERATIONS:  k ≥ maxIterations
 * </pre>
 * The objective is the mean data loss plus {@code (λ/2)·Σ w²} over the weights (not the biases),
 * λ = {@code weightDecay}: the L2 term whose gradient {@code λ·w} the first-order optimizers add.
 *
 * @param historySize m, the number of curvature pairs (s, y) kept, ≥ 1; default 10
 * @param tolerance relative loss change below which the solver stops, ≥ 0 (0 = off); default
 *        1e-6, Spark MLlib's {@code tol} for its MultilayerPerceptronClassifier
 * @param gradientTolerance gradient norm (relative to {@code max(|f|, 1)}) at or below which the
 *        solver stops, ≥ 0; default 1e-6, about where a float32 mean gradient stops carrying
 *        information (its rounding is ~1e-7 of the summed terms)
 * @param maxIterations accepted steps at most, ≥ 1; default 100, MLlib's {@code maxIter}
 * @param weightDecay λ ≥ 0; default 0 (off)
 */
public record LbfgsSpec(int historySize, double tolerance, double gradientTolerance, int maxIterations,
        double weightDecay) {

    public static final int DEFAULT_HISTORY_SIZE = 10;
    public static final double DEFAULT_TOLERANCE = 1e-6;
    public static final double DEFAULT_GRADIENT_TOLERANCE = 1e-6;
    public static final int DEFAULT_MAX_ITERATIONS = 100;

    public LbfgsSpec {
        if (historySize < 1) {
            throw new IllegalArgumentException("L-BFGS history size must be >= 1, found " + historySize);
        }
        checkNonNegative("tolerance", tolerance);
        checkNonNegative("gradient tolerance", gradientTolerance);
        if (maxIterations < 1) {
            throw new IllegalArgumentException("L-BFGS max iterations must be >= 1, found " + maxIterations);
        }
        checkNonNegative("weight decay", weightDecay);
    }

    /** m = 10, tolerance 1e-6, gradient tolerance 1e-6, 100 iterations, no weight decay. */
    public static LbfgsSpec defaults() {
        return new LbfgsSpec(DEFAULT_HISTORY_SIZE, DEFAULT_TOLERANCE, DEFAULT_GRADIENT_TOLERANCE,
                DEFAULT_MAX_ITERATIONS, 0.0);
    }

    public LbfgsSpec withHistorySize(int value) {
        return new LbfgsSpec(value, tolerance, gradientTolerance, maxIterations, weightDecay);
    }

    public LbfgsSpec withTolerance(double value) {
        return new LbfgsSpec(historySize, value, gradientTolerance, maxIterations, weightDecay);
    }

    public LbfgsSpec withGradientTolerance(double value) {
        return new LbfgsSpec(historySize, tolerance, value, maxIterations, weightDecay);
    }

    public LbfgsSpec withMaxIterations(int value) {
        return new LbfgsSpec(historySize, tolerance, gradientTolerance, value, weightDecay);
    }

    public LbfgsSpec withWeightDecay(double value) {
        return new LbfgsSpec(historySize, tolerance, gradientTolerance, maxIterations, value);
    }

    /** One line for logs and reports, e.g. {@code lbfgs(history=10, tol=1.0E-6, ...)}. */
    public String describe() {
        return "lbfgs(history=" + historySize + ", tol=" + tolerance + ", gradient_tol=" + gradientTolerance
                + ", max_iterations=" + maxIterations + ", weight_decay=" + weightDecay + ")";
    }

    private static void checkNonNegative(String field, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("L-BFGS " + field + " must be a finite number >= 0, found " + value);
        }
    }
}
