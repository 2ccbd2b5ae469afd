package io.sparkmlp.driver.step;

/**
 * Which rows of a partition a step uses, in O(rows used) time and O(1) memory.
 *
 * <p>Partition {@code p} with {@code n} rows contributes {@code b} rows per step. It walks an
 * endless sequence of positions {@code t·b, t·b+1, ...}; position {@code q} lies in epoch
 * {@code e = ⌊q/n⌋} and maps to row {@code π_{e,p}(q mod n)}, where {@code π_{e,p}} is a
 * pseudo-random permutation of {@code [0, n)} keyed by {@code (seed, epoch, partition)}. So every
 * row is visited exactly once per epoch, each epoch in a fresh order, and the rows of step
 * {@code t} follow from {@code t} alone: the sampler has no state to checkpoint or to lose when a
 * task is retried.
 *
 * <p>The permutation is a balanced Feistel network on the smallest power-of-four domain that
 * holds {@code n}, with cycle walking to stay inside {@code [0, n)} (expected fewer than four
 * rounds of walking per index). Being computed point by point, it never materialises the
 * O(n) shuffle that a whole-partition shuffle or Bernoulli sampling would cost per step.
 */
public final class RowSampler {

    private static final int ROUNDS = 4;

    private RowSampler() {
    }

    /**
     * Writes the row indices that partition {@code partition} uses at step {@code step}.
     *
     * @param rows partition row count {@code n ≥ 1}
     * @param perStep rows used per step {@code b}, {@code 1 ≤ b ≤ n}
     * @param out receives {@code b} row indices. Modified.
     */
    public static void rowsForStep(long seed, int partition, long rows, int perStep, long step, int[] out) {
        if (rows < 1 || perStep < 0 || perStep > rows) {
            throw new IllegalArgumentException("partition " + partition + ": cannot take " + perStep + " rows per step from " + rows);
        }
        long start = step * perStep;
        long epoch = start / rows;
        long pos = start % rows;
        int halfBits = halfBits(rows);
        long key = epochKey(seed, epoch, partition);
        for (int i = 0; i < perStep; i++) {
            out[i] = (int) permute(pos, rows, halfBits, key);
            pos++;
            if (pos == rows) {
                pos = 0;
                epoch++;
                key = epochKey(seed, epoch, partition);
            }
        }
    }

    /** The epoch that position {@code step·perStep} of a partition of {@code rows} rows lies in. */
    public static long epochOf(long rows, int perStep, long step) {
        return step * perStep / rows;
    }

    static long epochKey(long seed, long epoch, int partition) {
        return mix64(mix64(mix64(seed) ^ epoch) + partition);
    }

    static int halfBits(long n) {
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
        bits = Math.max(bits, 2);
        return (bits + 1) / 2;
    }

    /** {@code π(i)}: a bijection of {@code [0, n)} for a given key. */
    static long permute(long i, long n, int halfBits, long key) {
        long x = i;
        do {
            x = feistel(x, halfBits, key);
        } while (x >= n);
        return x;
    }

    private static long feistel(long x, int halfBits, long key) {
        long mask = (1L << halfBits) - 1;
        long left = x >>> halfBits;
        long right = x & mask;
        for (int r = 0; r < ROUNDS; r++) {
            long f = mix64(right ^ (key + r * 0x9E3779B97F4A7C15L)) & mask;
            long t = right;
            right = left ^ f;
            left = t;
        }
        return (left << halfBits) | right;
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): a strong 64-bit mixing bijection. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
