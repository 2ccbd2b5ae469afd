package io.sparkmlp.driver.step;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How a global mini-batch of {@code B} rows is split across partitions: in proportion to their
 * row counts, by largest remainder, so that {@code Σ b_p = B} exactly. Ties in the remainder go
 * to the lower partition index, so the plan is a pure function of the row counts and {@code B}.
 *
 * <p>Full-batch gradient descent is the plan with {@code b_p = n_p}.
 */
public final class BatchPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] partitionRows;
    private final int[] perPartition;
    private final long totalRows;
    private final int globalBatch;
    private final boolean fullBatch;

    private BatchPlan(long[] partitionRows, int[] perPartition, long totalRows, int globalBatch, boolean fullBatch) {
        this.partitionRows = partitionRows;
        this.perPartition = perPartition;
        this.totalRows = totalRows;
        this.globalBatch = globalBatch;
        this.fullBatch = fullBatch;
    }

    /**
     * @param partitionRows rows of each partition, in partition order
     * @param batch global batch size, 1 ≤ batch ≤ Σ rows
     */
    public static BatchPlan of(long[] partitionRows, int batch) {
        long total = Arrays.stream(partitionRows).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (batch < 1 || batch > total) {
            throw new IllegalArgumentException("train.batchSize = " + batch
                    + ": expected an integer in [1, " + total + "] (the training set has " + total + " rows), or full");
        }
        int n = partitionRows.length;
        int[] share = new int[n];
        long[] remainder = new long[n];
        long assigned = 0;
        for (int p = 0; p < n; p++) {
            long num = partitionRows[p] * (long) batch;
            share[p] = (int) (num / total);
            remainder[p] = num % total;
            assigned += share[p];
        }
        Integer[] order = new Integer[n];
        for (int p = 0; p < n; p++) order[p] = p;
        Arrays.sort(order, (a, b) -> remainder[a] != remainder[b] ? Long.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
        for (int i = 0; assigned < batch; i++) {
            int p = order[i % n];
            if (share[p] < partitionRows[p]) {
                share[p]++;
                assigned++;
            }
        }
        return new BatchPlan(partitionRows.clone(), share, total, batch, false);
    }

    /** Every row of every partition, every step. */
    public static BatchPlan fullBatch(long[] partitionRows) {
        long total = Arrays.stream(partitionRows).sum();
        if (total <= 0) throw new IllegalArgumentException("the training set is empty");
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("full batch of " + total + " rows is too large");
        int[] share = new int[partitionRows.length];
        for (int p = 0; p < share.length; p++) share[p] = (int) partitionRows[p];
        return new BatchPlan(partitionRows.clone(), share, total, (int) total, true);
    }

    public boolean isFullBatch() {
        return fullBatch;
    }

    public int globalBatch() {
        return globalBatch;
    }

    public long totalRows() {
        return totalRows;
    }

    public int partitions() {
        return perPartition.length;
    }

    /** {@code b_p}: rows partition {@code p} contributes to each step. */
    public int rowsPerStep(int partition) {
        return perPartition[partition];
    }

    /** {@code n_p}: rows partition {@code p} holds. */
    public long partitionRows(int partition) {
        return partitionRows[partition];
    }

    /** Steps per epoch, {@code ⌈N / B⌉}. */
    public long stepsPerEpoch() {
        return (totalRows + globalBatch - 1) / globalBatch;
    }

    /** Steps that make {@code epochs} passes over the data, {@code ⌈epochs·N / B⌉}. */
    public long stepsFor(long epochs) {
        return (epochs * totalRows + globalBatch - 1) / globalBatch;
    }

    /** Epochs completed after {@code steps} steps (fractional): {@code steps·B / N}. */
    public double epochsAfter(long steps) {
        return (double) steps * globalBatch / totalRows;
    }
}
