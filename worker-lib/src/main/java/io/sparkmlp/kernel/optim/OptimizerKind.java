package io.sparkmlp.kernel.optim;

import java.util.Locale;

/**
 * The optimizers a run can use: the first-order update rules {@link Optimizers#create} knows
 * (formulas on the implementing classes, summarised on {@link OptimizerSpec}), and the full-batch
 * quasi-Newton solver {@link Lbfgs}, which is not a per-step update rule and is configured by an
 * {@link LbfgsSpec}.
 */
public enum OptimizerKind {
    /** {@code w ← w − η·g}. */
    SGD,
    /** Heavy ball, PyTorch convention: {@code v ← μ·v + g; w ← w − η·v}. */
    MOMENTUM,
    /** Nesterov momentum, PyTorch convention: {@code v ← μ·v + g; w ← w − η·(g + μ·v)}. */
    NESTEROV,
    /** Adam (Kingma &amp; Ba 2015) with L2 weight decay added to the gradient. */
    ADAM,
    /** AdamW (Loshchilov &amp; Hutter 2019): Adam with weight decay decoupled from the gradient. */
    ADAMW,
    /** Full-batch L-BFGS with a strong Wolfe line search ({@link Lbfgs}); no learning rate. */
    LBFGS,
    /**
     * Chosen by the training loop from the size of the problem: {@link #LBFGS} for small ones, {@link #ADAM}
     * otherwise. Resolved before training; never an update rule itself.
     */
    AUTO;

    /** Configuration name, e.g. {@code adamw}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name case-insensitively ({@code sgd}, {@code momentum},
     * {@code nesterov}, {@code adam}, {@code adamw}, {@code lbfgs}, {@code auto}); surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException naming the value found and the accepted names
     */
    public static OptimizerKind parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (OptimizerKind k : values()) {
                if (k.name().equals(n)) return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name
                + "', expected one of sgd, momentum, nesterov, adam, adamw, lbfgs, auto");
    }
}
