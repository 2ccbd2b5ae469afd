package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Architecture;

/** Creates optimizers from their spec. */
public final class Optimizers {

    private Optimizers() {
    }

    /**
     * A fresh optimizer for parameters of {@code arch}: zero steps, zero moments, state arrays of
     * {@code arch.parameterCount()} entries, weight-decay mask built from the layer offsets.
     *
     * @throws IllegalArgumentException if an argument is null, or the kind is {@link OptimizerKind#LBFGS}
     *         (a full-batch solver, built by {@link Lbfgs#forNetwork})
     */
    public static Optimizer create(OptimizerSpec spec, Architecture arch) {
        if (spec == null || arch == null) {
            throw new IllegalArgumentException("optimizer spec and architecture are required, found spec="
                    + spec + ", arch=" + arch);
        }
        return switch (spec.kind()) {
            case SGD -> new Sgd(spec, arch);
            case MOMENTUM, NESTEROV -> new Momentum(spec, arch);
            case ADAM, ADAMW -> new Adam(spec, arch);
            case LBFGS -> throw new IllegalArgumentException("optimizer kind lbfgs is a full-batch solver, not a step"
                    + " rule; expected sgd, momentum, nesterov, adam or adamw here (L-BFGS is built by Lbfgs.forNetwork)");
            case AUTO -> throw new IllegalArgumentException("optimizer kind auto is resolved by the training loop before"
                    + " an optimizer is built; expected sgd, momentum, nesterov, adam or adamw here");
        };
    }
}
