package io.sparkmlp.driver.step;

import java.io.Serializable;

/**
 * One partition's contribution to a step: the gradient <em>sum</em> and loss sum over the
 * {@code count} rows it used. Sums, not means, so that merging is plain addition and the driver
 * divides once by the total count: the result is the exact mean gradient of the global batch,
 * whatever the partition sizes.
 *
 * <p>{@code gradSum} is held as given, not copied, and whether it is owned or a view depends on who
 * made the partial:
 * <ul>
 *   <li>owned (a fresh array nobody else writes): the partials of {@link PartitionWorker#gradient}
 *       (a clone of the worker's reused buffer), those Spark deserialises for the job transport, and
 *       the total of {@code MergeTree.sum};</li>
 *   <li>a view of a reused buffer: the partials of {@link PartitionWorker#gradientView} (the worker
 *       thread's buffer, which the persistent task sends at once, and which the in-process link hands
 *       to the driver as it is: the task writes it again only for the next request, which the driver
 *       sends after merging), the partials the persistent transport reads off a socket (that
 *       connection's receive buffer, overwritten by its next PARTIAL frame), and the total of
 *       {@code MergeTree.sumInto} (the caller's buffer). A transport may hold such
 *       partials only until its merge of the same step has returned, and the total it returns from
 *       {@code gradient} only until its next {@code gradient}.</li>
 * </ul>
 * Code that keeps a partial past the step it came in copies it.
 * With {@code count == 0}, {@code gradSum} may be empty.
 *
 * @param gradSum {@code Σ ∂loss/∂θ} over the rows, in the layout of {@code io.sparkmlp.kernel.Parameters}
 * @param kernelNanos time spent in {@code MlpKernel.gradient} for this partial; in a merged sum, the
 *        <em>maximum</em> over partitions (they run in parallel, so the slowest one bounds the step)
 */
public record GradientPartial(int partition, float[] gradSum, double lossSum, long count, long kernelNanos)
        implements Serializable {

    /** A partial without a kernel time. */
    public GradientPartial(int partition, float[] gradSum, double lossSum, long count) {
        this(partition, gradSum, lossSum, count, 0);
    }

    /** The mean gradient {@code Σ gradSum / Σ count}, written into {@code out}. Modified: out. */
    public void meanInto(float[] out) {
        if (count == 0) throw new IllegalStateException("no rows in this step");
        float inv = (float) (1.0 / count);
        for (int i = 0; i < out.length; i++) out[i] = gradSum[i] * inv;
    }

    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }
}
