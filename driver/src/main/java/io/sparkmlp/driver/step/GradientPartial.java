package io.sparkmlp.driver.step;

import java.io.Serializable;
import java.util.List;

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
 *       (a clone of the worker's reused buffer), those Spark deserialises for the job transport,
 *       those the persistent transport's in-process link hands over (the worker's partial itself),
 *       and the total of {@link #sumInOrder};</li>
 *   <li>a view of a reused buffer: the partials the persistent transport reads off a socket
 *       ({@code StepServer.Connection.readPartial}), whose {@code gradSum} is that connection's
 *       receive buffer, overwritten when the connection reads its next PARTIAL frame (the next
 *       step). Only {@code PersistentTransport.gradient} may hold them, and only until its
 *       {@link #sumInOrder} of the same step has returned.</li>
 * </ul>
 * Code that keeps a partial past the step it came in keeps the total of {@link #sumInOrder}.
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

    /**
     * Adds partials in the order given (the transports pass them in partition order, so the float
     * additions, and thus the bits of the result, are the same run after run).
     *
     * @return the total, in a new array
     */
    public static GradientPartial sumInOrder(List<GradientPartial> partials, int parameterCount) {
        float[] sum = new float[parameterCount];
        double loss = 0;
        long count = 0;
        long kernelNanos = 0;
        int previous = -1;
        for (GradientPartial p : partials) {
            if (p.partition <= previous) {
                throw new IllegalStateException("partials out of order: partition " + p.partition + " after " + previous);
            }
            previous = p.partition;
            kernelNanos = Math.max(kernelNanos, p.kernelNanos);
            if (p.count == 0) continue;
            float[] g = p.gradSum;
            if (g.length != parameterCount) {
                throw new IllegalStateException("partition " + p.partition + " sent " + g.length + " gradient values, expected " + parameterCount);
            }
            for (int i = 0; i < parameterCount; i++) sum[i] += g[i];
            loss += p.lossSum;
            count += p.count;
        }
        return new GradientPartial(-1, sum, loss, count, kernelNanos);
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
