package io.sparkmlp.driver.data;

import java.io.Serializable;

/**
 * Which split a row belongs to, from a hash of (seed, global row index) alone: deterministic, and
 * independent of partitioning and of the order tasks run in.
 *
 * <p>{@code u = unit(mix(seed, row))} uniform in [0, 1): test when {@code u < testFraction}; otherwise
 * {@code v = (u − testFraction) / (1 − testFraction)}, uniform in [0, 1) over the remaining rows, and
 * validation when {@code v < validationFraction}; else training.
 */
final class RowSplit implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int TRAIN = 0;
    static final int VALIDATION = 1;
    static final int TEST = 2;
    /** Slots of the shuffle: each split gets its own range of partitions. */
    static final int SLOTS = 3;

    private final long seed;
    private final double testFraction;
    private final double validationFraction;

    RowSplit(long seed, double testFraction, double validationFraction) {
        if (!(testFraction >= 0 && testFraction < 1 && validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("test and validation fractions must be in [0, 1), found "
                    + testFraction + " and " + validationFraction);
        }
        this.seed = mix64(seed ^ 0x5DEECE66DL);
        this.testFraction = testFraction;
        this.validationFraction = validationFraction;
    }

    /** Every row in {@link #TRAIN}. */
    static RowSplit all() {
        return new RowSplit(0, 0, 0);
    }

    int slotOf(long row) {
        if (testFraction == 0 && validationFraction == 0) {
            return TRAIN;
        }
        double u = (mix64(seed + mix64(row)) >>> 11) * 0x1.0p-53;
        if (u < testFraction) {
            return TEST;
        }
        double v = (u - testFraction) / (1 - testFraction);
        return v < validationFraction ? VALIDATION : TRAIN;
    }

    boolean hasTest() {
        return testFraction > 0;
    }

    boolean hasValidation() {
        return validationFraction > 0;
    }

    /** SplitMix64's finalizer: a bijection of longs that scrambles every bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * First global row of partition {@code p} of {@code parts} over {@code rows} rows:
     * {@code ⌊p·rows/parts⌋}, so sizes differ by at most one. Computed without overflow.
     */
    static long rangeStart(int p, int parts, long rows) {
        return (rows / parts) * p + (rows % parts) * p / parts;
    }
}
