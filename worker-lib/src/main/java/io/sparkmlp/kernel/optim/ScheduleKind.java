package io.sparkmlp.kernel.optim;

import java.util.Locale;

/** Learning-rate schedule shapes after the warm-up; formulas on {@link LrSchedule#rate(long)}. */
public enum ScheduleKind {
    /** {@code η(t) = η₀}. */
    CONSTANT,
    /** {@code η(t) = η₀·γ^⌊(t−W)/S⌋}. */
    STEP,
    /** {@code η(t) = η_min + ½(η₀−η_min)(1 + cos(π·min(1, (t−W)/(T−W))))}. */
    COSINE;

    /** Configuration name, e.g. {@code cosine}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code constant}, {@code step} or {@code cosine}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the value found and the accepted names
     */
    public static ScheduleKind parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (ScheduleKind k : values()) {
                if (k.name().equals(n)) return k;
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + name
                + "', expected one of constant, step, cosine");
    }
}
