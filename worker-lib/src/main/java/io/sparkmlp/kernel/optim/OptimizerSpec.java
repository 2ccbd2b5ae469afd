package io.sparkmlp.kernel.optim;

/**
 * Typed, validated optimizer configuration. With {@code g} the mean mini-batch gradient, {@code η}
 * the learning rate of the step (from an {@link LrSchedule}) and {@code λ} = {@code weightDecay}:
 * <pre>
 *   clip:      if c &gt; 0 and ‖g‖₂ &gt; c:  g ← g·c/‖g‖₂                  (c = clipNorm)
 *   L2 decay:  g ← g + λ·w        (SGD, MOMENTUM, NESTEROV, ADAM; weights only)
 *   SGD:       w ← w − η·g
 *   MOMENTUM:  v ← μ·v + g;  w ← w − η·v
 *   NESTEROV:  v ← μ·v + g;  w ← w − η·(g + μ·v)
 *   ADAM:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − η·m̂/(√v̂ + ε),
 *              m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
 *   ADAMW:     w ← w − η·λ·w (weights only), then the ADAM update without L2 decay
 * </pre>
 * Clipping comes first, so it bounds the data gradient, not the decay term. Weight decay never
 * touches biases. Fields a kind does not use (e.g. {@code beta1} for SGD) are still validated, so
 * a bad value is never silently carried along.
 *
 * @param kind update rule
 * @param momentum μ for MOMENTUM and NESTEROV, in [0, 1); default 0.9
 * @param beta1 β₁ for ADAM and ADAMW, in [0, 1); default 0.9
 * @param beta2 β₂ for ADAM and ADAMW, in [0, 1); default 0.999
 * @param epsilon ε for ADAM and ADAMW, &gt; 0; default 1e-8
 * @param weightDecay λ ≥ 0; default 0 (off)
 * @param clipNorm maximum global L2 norm of the gradient, ≥ 0; default 0 (off)
 */
public record OptimizerSpec(OptimizerKind kind, double momentum, double beta1, double beta2,
        double epsilon, double weightDecay, double clipNorm) {

    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    public OptimizerSpec {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind is required, found null");
        }
        checkUnitInterval("momentum", momentum);
        checkUnitInterval("beta1", beta1);
        checkUnitInterval("beta2", beta2);
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("epsilon must be a finite number > 0, found " + epsilon);
        }
        checkNonNegative("weightDecay", weightDecay);
        checkNonNegative("clipNorm", clipNorm);
    }

    /** The defaults for {@code kind}: μ 0.9, β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay, no clipping. */
    public static OptimizerSpec defaults(OptimizerKind kind) {
        return new OptimizerSpec(kind, DEFAULT_MOMENTUM, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, 0.0, 0.0);
    }

    public OptimizerSpec withMomentum(double value) {
        return new OptimizerSpec(kind, value, beta1, beta2, epsilon, weightDecay, clipNorm);
    }

    public OptimizerSpec withBetas(double b1, double b2) {
        return new OptimizerSpec(kind, momentum, b1, b2, epsilon, weightDecay, clipNorm);
    }

    public OptimizerSpec withEpsilon(double value) {
        return new OptimizerSpec(kind, momentum, beta1, beta2, value, weightDecay, clipNorm);
    }

    public OptimizerSpec withWeightDecay(double value) {
        return new OptimizerSpec(kind, momentum, beta1, beta2, epsilon, value, clipNorm);
    }

    public OptimizerSpec withClipNorm(double value) {
        return new OptimizerSpec(kind, momentum, beta1, beta2, epsilon, weightDecay, value);
    }

    /** True when λ is applied to the weights directly (AdamW) rather than added to the gradient. */
    public boolean decoupledWeightDecay() {
        return kind == OptimizerKind.ADAMW;
    }

    /** One line for logs and reports, listing only the fields the kind uses, e.g. {@code adam(beta1=0.9, ...)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.configName()).append('(');
        switch (kind) {
            case MOMENTUM, NESTEROV -> sb.append("momentum=").append(momentum).append(", ");
            case ADAM, ADAMW -> sb.append("beta1=").append(beta1).append(", beta2=").append(beta2)
                    .append(", epsilon=").append(epsilon).append(", ");
            case SGD -> { }
        }
        sb.append("weight_decay=").append(weightDecay);
        sb.append(", clip_norm=").append(clipNorm > 0 ? Double.toString(clipNorm) : "off");
        return sb.append(')').toString();
    }

    private static void checkUnitInterval(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), found " + value);
        }
    }

    private static void checkNonNegative(String field, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0 (0 = off), found " + value);
        }
    }
}
