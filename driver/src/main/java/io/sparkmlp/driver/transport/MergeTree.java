package io.sparkmlp.driver.transport;

import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.kernel.Ranges;
import java.util.Arrays;
import java.util.List;

/**
 * The one association in which every transport adds the partial gradients of a step: a binary tree over
 * the partition indices, fixed by the partition count alone,
 *
 * <pre>
 * S(lo, 1)    = partial of partition lo                       (nothing when it used no rows)
 * S(lo, 2h)   = S(lo, h) + S(lo + h, h)                        (lo a multiple of 2h; a side without rows is left out)
 * total       = S(0, 2^⌈log2 partitions⌉)                      (partitions past the last are empty)
 * </pre>
 *
 * <p>Float addition is not associative, so the bits of a step depend on this order; fixing it makes them
 * independent of timing (which task answers first) and of how the sum travels: the job transport adds
 * the partials on the driver; the persistent transport's tasks add them along a tree among themselves
 * (a task heading the aligned block {@code [lo, lo + 2^k)} hands up {@code S(lo, 2^k)}), and the driver
 * adds the block sums in the same shape. Each transport hands {@link #sum} the partials it holds in
 * partition order, each standing for the partitions from its own index up to the next partial's
 * (those in between contributed nothing); it leaves out exactly the empty ones, so one function gives
 * every transport the same bits. The loss sums (doubles) follow the same tree; row counts are exact.
 *
 * <p>Versions before this class added the partials one after another in partition order
 * ({@code ((p0 + p1) + p2) + …}); from 3 partitions up the last bits of a step differ from theirs. A
 * checkpoint of such a version resumes (its weights are what they are); the steps after it follow this order.
 */
public final class MergeTree {

    private final int parameters;
    /** One buffer per tree level below the top, for right-hand sums; allocated as needed, kept between sums. */
    private final float[][] scratch = new float[32][];
    private List<GradientPartial> partials;
    private int next;
    private double loss;
    private long count;
    private long kernelNanos;
    /** The factor the top-level sum is multiplied by as it is written ({@link #meanInto}); NaN: none. */
    private float scale = Float.NaN;
    /** Whether the top-level sum of two halves was written already multiplied by {@link #scale}. */
    private boolean scaled;
    /** How the passes over the parameters run (element-wise: any cut gives the same bits). */
    private Ranges ranges = Ranges.SERIAL;

    /**
     * A merger that keeps its buffers from one sum to the next, for a transport that merges every step
     * (no allocation per step); one thread at a time.
     */
    public MergeTree(int parameters) {
        this.parameters = parameters;
    }

    /**
     * {@link #sum(List, int, int)} written into {@code into}, which the caller reuses from step to step;
     * the same bits.
     *
     * @param into {@code parameters} values. Modified: overwritten with the total, which the result's
     *        {@code gradSum} is (zeros when no partial used rows)
     */
    public GradientPartial sumInto(List<GradientPartial> partials, int partitions, float[] into) {
        if (partitions < 1) throw new IllegalArgumentException("partitions " + partitions + ", expected at least 1");
        return sumInto(partials, 0, ceilPowerOfTwo(partitions), into, -1);
    }

    /**
     * The mean gradient of a step, {@code total · (float) (1 / Σ count)}, written into {@code out} in the pass that
     * adds the top two halves (or read straight from a lone partial's array): the bits of {@link #sumInto} followed by
     * {@link GradientPartial#meanInto}, without their separate pass over the sum (and, for one partial, its copy).
     *
     * @param out {@code parameters} values. Modified: overwritten with the mean
     * @return the step's loss sum, row count and kernel time, with {@code out} (the mean, not the sum) as gradSum
     * @throws IllegalStateException when no partial used rows
     */
    public GradientPartial meanInto(List<GradientPartial> partials, int partitions, float[] out) {
        return meanInto(partials, partitions, out, Ranges.SERIAL);
    }

    /**
     * {@link #meanInto(List, int, float[])} with its passes over the parameters run by {@code ranges} (which may cut
     * them among threads); the same bits.
     */
    public GradientPartial meanInto(List<GradientPartial> partials, int partitions, float[] out, Ranges ranges) {
        if (partitions < 1) throw new IllegalArgumentException("partitions " + partitions + ", expected at least 1");
        if (out.length != parameters) throw new IllegalArgumentException("mean of " + parameters + " gradient values into " + out.length);
        long rows = 0;
        for (GradientPartial p : partials) rows += p.count();
        if (rows == 0) throw new IllegalStateException("no rows in this step");
        scale = (float) (1.0 / rows);
        scaled = false;
        this.ranges = ranges;
        try {
            return run(partials, 0, ceilPowerOfTwo(partitions), out, -1);
        } finally {
            scale = Float.NaN;
            this.ranges = Ranges.SERIAL;
        }
    }

    /**
     * {@link #sum(List, int, int, int, int)} written into {@code into}, which the caller reuses from step to step
     * (a task relaying its block's sum); the same bits.
     *
     * @param into {@code parameters} values. Modified: overwritten with the block's sum
     */
    public GradientPartial sumInto(List<GradientPartial> partials, int lo, int size, float[] into, int label) {
        checkBlock(lo, size);
        if (into.length != parameters) {
            throw new IllegalArgumentException("sum of " + parameters + " gradient values into " + into.length);
        }
        return run(partials, lo, size, into, label);
    }

    /**
     * The sum of all partitions of a step, {@code S(0, 2^⌈log2 partitions⌉)}.
     *
     * @param partials in increasing partition order, each below {@code partitions}; a partition may be missing
     *        (it contributed nothing) or stand for a block of partitions it heads
     * @return the total, in a new array; its {@code kernelNanos} is the maximum of the partials'
     */
    public static GradientPartial sum(List<GradientPartial> partials, int partitions, int parameters) {
        if (partitions < 1) throw new IllegalArgumentException("partitions " + partitions + ", expected at least 1");
        return sum(partials, 0, ceilPowerOfTwo(partitions), parameters, -1);
    }

    /**
     * {@code S(lo, size)}: the sum of the aligned block {@code [lo, lo + size)}, handed up as partition {@code label}.
     *
     * @param partials in increasing partition order, all in the block
     * @param size a power of two that divides {@code lo}
     */
    public static GradientPartial sum(List<GradientPartial> partials, int lo, int size, int parameters, int label) {
        checkBlock(lo, size);
        return new MergeTree(parameters).run(partials, lo, size, new float[parameters], label);
    }

    private static void checkBlock(int lo, int size) {
        if (size < 1 || Integer.bitCount(size) != 1 || lo % size != 0) {
            throw new IllegalArgumentException("block [" + lo + ", " + lo + " + " + size + ") is not aligned to a power of two");
        }
    }

    private GradientPartial run(List<GradientPartial> partials, int lo, int size, float[] out, int label) {
        check(partials, lo, size, parameters);
        this.partials = partials;
        next = 0;
        loss = 0;
        count = 0;
        kernelNanos = 0;
        float[] sum = block(lo, size, out, 0);
        if (sum == null) {
            Arrays.fill(out, 0f);
        } else if (!Float.isNaN(scale)) {
            if (!scaled) {
                float f = scale;
                ranges.forEach(parameters, (from, to) -> {
                    for (int i = from; i < to; i++) out[i] = sum[i] * f; // one partial, or one side of the top
                });
            }
        } else if (sum != out) {
            System.arraycopy(sum, 0, out, 0, parameters); // the block is one partial: the caller gets its own copy
        }
        GradientPartial total = new GradientPartial(label, out, sum != null ? loss : 0, count, kernelNanos);
        this.partials = null;
        return total;
    }

    private static void check(List<GradientPartial> partials, int lo, int size, int parameters) {
        int previous = lo - 1;
        for (GradientPartial p : partials) {
            if (p.partition() <= previous || p.partition() >= lo + size) {
                throw new IllegalStateException("partials out of order or outside [" + lo + ", " + (lo + size) + "): partition "
                        + p.partition() + " after " + previous);
            }
            previous = p.partition();
            if (p.count() != 0 && p.gradSum().length != parameters) {
                throw new IllegalStateException("partition " + p.partition() + " sent " + p.gradSum().length
                        + " gradient values, expected " + parameters);
            }
        }
    }

    /** The smallest power of two at least {@code n} (n ≥ 1). */
    public static int ceilPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * {@code S(lo, size)} and its loss sum (into {@link #loss}), consuming the partials of the block: the array that
     * holds it, which is a partial's own {@code gradSum} when the block has one partial that used rows (not copied),
     * else {@code dst} (each sum of two halves is written in one pass, {@code dst[i] = left[i] + right[i]}, so no
     * half is copied before it is added); null (dst and loss untouched) when none of them used rows.
     */
    private float[] block(int lo, int size, float[] dst, int depth) {
        if (next >= partials.size() || partials.get(next).partition() >= lo + size) return null;
        GradientPartial first = partials.get(next);
        boolean alone = next + 1 >= partials.size() || partials.get(next + 1).partition() >= lo + size;
        if (first.partition() == lo && alone) {
            next++;
            kernelNanos = Math.max(kernelNanos, first.kernelNanos());
            if (first.count() == 0) return null;
            loss = first.lossSum();
            count += first.count();
            return first.gradSum();
        }
        int half = size >>> 1;
        float[] left = block(lo, half, dst, depth + 1);
        if (left == null) return block(lo + half, half, dst, depth + 1);
        double leftLoss = loss;
        if (scratch[depth] == null) scratch[depth] = new float[parameters];
        float[] right = block(lo + half, half, scratch[depth], depth + 1);
        if (right == null) {
            loss = leftLoss;
            return left;
        }
        if (depth == 0 && !Float.isNaN(scale)) {
            float f = scale;
            ranges.forEach(parameters, (from, to) -> {
                for (int i = from; i < to; i++) dst[i] = (left[i] + right[i]) * f;
            });
            scaled = true;
        } else {
            ranges.forEach(parameters, (from, to) -> {
                for (int i = from; i < to; i++) dst[i] = left[i] + right[i];
            });
        }
        loss = leftLoss + loss;
        return dst;
    }
}
