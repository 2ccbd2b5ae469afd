package io.sparkmlp.kernel.optim;

/**
 * Learning rate as a function of the 0-based step {@code t}, with {@code η₀} = baseRate,
 * {@code W} = warmupSteps, {@code S} = decaySteps, {@code γ} = gamma, {@code T} = totalSteps and
 * {@code η_min} = minRate:
 * <pre>
 *   t &lt; W:     η(t) = η₀·(t+1)/W                                       (linear warm-up, reaches η₀ at t = W−1)
 *   CONSTANT:  η(t) = η₀
 *   STEP:      η(t) = η₀·γ^⌊(t−W)/S⌋
 *   COSINE:    η(t) = η_min + ½(η₀−η_min)(1 + cos(π·min(1, (t−W)/(T−W))))   (η₀ at t = W, η_min from t = T on)
 * </pre>
 * Validation: η₀ finite and &gt; 0; W ≥ 0; S ≥ 1; γ in (0, 1]; T ≥ 0; η_min finite and ≥ 0 (0 is
 * allowed: cosine decay to zero); for COSINE also T &gt; W and η_min ≤ η₀. Every field is checked
 * whatever the kind, so use the factories ({@link #constant}, {@link #step}, {@link #cosine}),
 * which fill the fields a kind ignores with valid neutral values (S = 1, γ = 1, T = 0, η_min = 0).
 *
 * @param kind shape after warm-up
 * @param baseRate η₀
 * @param warmupSteps W (0 = no warm-up)
 * @param decaySteps S, steps between decays (STEP)
 * @param gamma γ, decay factor per S steps (STEP)
 * @param totalSteps T, step at which the cosine reaches η_min (COSINE)
 * @param minRate η_min, final rate (COSINE)
 */
public record LrSchedule(ScheduleKind kind, double baseRate, long warmupSteps, long decaySteps, double gamma,
        long totalSteps, double minRate) {

    public LrSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("learning-rate schedule kind is required, found null");
        }
        if (!(baseRate > 0 && baseRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("baseRate must be a finite number > 0, found " + baseRate);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, found " + warmupSteps);
        }
        if (decaySteps < 1) {
            throw new IllegalArgumentException("decaySteps must be >= 1, found " + decaySteps);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], found " + gamma);
        }
        if (totalSteps < 0) {
            throw new IllegalArgumentException("totalSteps must be >= 0, found " + totalSteps);
        }
        if (!(minRate >= 0 && minRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("minRate must be a finite number >= 0, found " + minRate);
        }
        if (kind == ScheduleKind.COSINE) {
            if (totalSteps <= warmupSteps) {
                throw new IllegalArgumentException("cosine schedule needs totalSteps > warmupSteps, found totalSteps="
                        + totalSteps + ", warmupSteps=" + warmupSteps);
            }
            if (minRate > baseRate) {
                throw new IllegalArgumentException("cosine schedule needs minRate <= baseRate, found minRate="
                        + minRate + ", baseRate=" + baseRate);
            }
        }
    }

    /** {@code η(t) = η₀}, no warm-up. */
    public static LrSchedule constant(double baseRate) {
        return constant(baseRate, 0);
    }

    /** {@code η(t) = η₀} after {@code warmupSteps} of linear warm-up. */
    public static LrSchedule constant(double baseRate, long warmupSteps) {
        return new LrSchedule(ScheduleKind.CONSTANT, baseRate, warmupSteps, 1, 1.0, 0, 0.0);
    }

    /** {@code η(t) = η₀·γ^⌊(t−W)/S⌋} after {@code warmupSteps} W of linear warm-up. */
    public static LrSchedule step(double baseRate, long warmupSteps, long decaySteps, double gamma) {
        return new LrSchedule(ScheduleKind.STEP, baseRate, warmupSteps, decaySteps, gamma, 0, 0.0);
    }

    /** Cosine from η₀ at step W down to {@code minRate} at step {@code totalSteps}, after W steps of warm-up. */
    public static LrSchedule cosine(double baseRate, long warmupSteps, long totalSteps, double minRate) {
        return new LrSchedule(ScheduleKind.COSINE, baseRate, warmupSteps, 1, 1.0, totalSteps, minRate);
    }

    /**
     * η(t) by the formulas on this class. Pure and deterministic (uses {@code StrictMath}, so the
     * same on every JVM).
     *
     * @param step 0-based step number t, ≥ 0
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public double rate(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        if (step < warmupSteps) {
            return baseRate * (step + 1) / warmupSteps;
        }
        long s = step - warmupSteps;
        return switch (kind) {
            case CONSTANT -> baseRate;
            case STEP -> baseRate * StrictMath.pow(gamma, (double) (s / decaySteps));
            case COSINE -> {
                double progress = Math.min(1.0, (double) s / (totalSteps - warmupSteps));
                yield minRate + 0.5 * (baseRate - minRate) * (1.0 + StrictMath.cos(Math.PI * progress));
            }
        };
    }

    /** One line for logs and reports, listing only the fields the kind uses. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.configName()).append("(base_rate=").append(baseRate);
        if (warmupSteps > 0) sb.append(", warmup_steps=").append(warmupSteps);
        switch (kind) {
            case STEP -> sb.append(", decay_steps=").append(decaySteps).append(", gamma=").append(gamma);
            case COSINE -> sb.append(", total_steps=").append(totalSteps).append(", min_rate=").append(minRate);
            case CONSTANT -> { }
        }
        return sb.append(')').toString();
    }
}
