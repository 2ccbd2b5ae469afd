package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.transport.MergeTree;
import java.util.ArrayList;
import java.util.List;

/**
 * Who sends the weights to whom and adds whose partials, among the persistent stage's tasks: the
 * partitions {@code 0..n-1} are cut into aligned blocks of {@code blockSize} (a power of two); the driver
 * exchanges frames with the first task of each block only (its <i>head</i>: the driver's fan-out is the
 * number of blocks), and inside a block the tasks form a binomial tree: task {@code r} is the parent of
 * {@code r + 1, r + 2, r + 4, …} below the lowest set bit of {@code r} (below {@code blockSize} for a head),
 * its parent is {@code r} with that bit cleared. A task relays each request to its children, and hands up
 * the sum of the aligned block it heads, {@code [r, r + size(r))}, added in the order of {@link MergeTree},
 * so the driver's total has the same bits as the job transport's whatever the block size, and the timing.
 *
 * <p>Block size 1 is the star: every task is a head and answers the driver directly (no task-to-task
 * links). Block size {@code 2^⌈log2 n⌉} is one binomial tree under task 0. A task has at most
 * {@code log2 blockSize} children; the tree is {@code log2 blockSize} links deep.
 */
final class Tree {

    /**
     * {@code transport.fanout = auto}: fan-out {@link #AUTO_FANOUT} where {@link #modelSeconds} says it is
     * faster than the star, else the star.
     */
    static final int AUTO = 0;
    /** Under auto, the driver's fan-out when the tree is chosen (the model's best at 100 to 1,000 tasks). */
    static final int AUTO_FANOUT = 8;
    /** The model's link: 10 Gb/s. */
    static final double LINK_BYTES_PER_SECOND = 10e9 / 8;
    /** The model's one-way latency of a message, as measured on the standalone test cluster (BENCHMARKS.md). */
    static final double MESSAGE_SECONDS = 0.15e-3;
    /** The model's cost of adding one parameter of one partial, as measured on the driver (BENCHMARKS.md). */
    static final double MERGE_SECONDS_PER_PARAMETER = 1.0e-9;

    final int partitions;
    final int blockSize;

    /**
     * @param blockSize a power of two
     */
    Tree(int partitions, int blockSize) {
        if (partitions < 1 || blockSize < 1 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("tree of " + partitions + " partitions in blocks of " + blockSize);
        }
        this.partitions = partitions;
        this.blockSize = Math.min(blockSize, MergeTree.ceilPowerOfTwo(partitions));
    }

    /**
     * The tree in which the driver exchanges with at most {@code fanout} tasks (the smallest blocks that
     * give no more than that many heads); {@link #AUTO}: fan-out {@link #AUTO_FANOUT} when the model says it
     * is faster for a network of {@code parameters} than the star, else the star.
     */
    static Tree of(int partitions, int fanout, int parameters) {
        if (fanout < 0) throw new IllegalArgumentException("fan-out " + fanout);
        if (fanout == AUTO) {
            Tree star = new Tree(partitions, 1);
            Tree tree = of(partitions, AUTO_FANOUT, parameters);
            return tree.modelSeconds(parameters) < star.modelSeconds(parameters) ? tree : star;
        }
        int block = 1;
        while ((partitions + block - 1) / block > fanout) block <<= 1;
        return new Tree(partitions, block);
    }

    /**
     * The model of BENCHMARKS.md ("Star or tree"): the seconds a step's exchange takes (kernels not
     * counted) on links of {@link #LINK_BYTES_PER_SECOND}. With F heads and blocks of 2^d, the driver's
     * link carries F frames each way; inside a block a task with i children shares its link among them
     * (they are sent at once), so the frames on the way down a block's deepest path are d + (d−1) + … + 1,
     * and as many on the way up, where a task also adds its children's i partials; every link crossed
     * costs one message latency each way.
     */
    double modelSeconds(int parameters) {
        double frame = (double) StepProtocol.stepBody(parameters) / LINK_BYTES_PER_SECOND;
        int f = heads().length;
        int d = depth() - 1;
        double relayed = d * (d + 1) / 2.0;
        return 2 * (f + relayed) * frame + (f + relayed) * parameters * MERGE_SECONDS_PER_PARAMETER
                + 2 * depth() * MESSAGE_SECONDS;
    }

    boolean star() {
        return blockSize == 1;
    }

    /** Whether {@code r} exchanges with the driver. */
    boolean head(int r) {
        return r % blockSize == 0;
    }

    /** The heads, in partition order. */
    int[] heads() {
        int[] h = new int[(partitions + blockSize - 1) / blockSize];
        for (int i = 0; i < h.length; i++) h[i] = i * blockSize;
        return h;
    }

    /** The parent of {@code r}; -1 for a head (its parent is the driver). */
    int parent(int r) {
        return head(r) ? -1 : r - Integer.lowestOneBit(r);
    }

    /** The size of the aligned block {@code r} heads (it may run past the last partition). */
    int size(int r) {
        return head(r) ? blockSize : Integer.lowestOneBit(r);
    }

    /** The partitions of that block that exist: how many EVALUATED frames {@code r} hands up. */
    int extent(int r) {
        return Math.min(size(r), partitions - r);
    }

    /** The children of {@code r}, in partition order (the smallest block first). */
    int[] children(int r) {
        List<Integer> c = new ArrayList<>();
        for (int step = 1; step < size(r) && r + step < partitions; step <<= 1) c.add(r + step);
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Links from the driver to the deepest task. */
    int depth() {
        return Integer.numberOfTrailingZeros(blockSize) + 1;
    }

    @Override
    public String toString() {
        return star() ? "star of " + partitions + " tasks"
                : "tree of " + partitions + " tasks, " + heads().length + " under the driver, blocks of " + blockSize;
    }
}
