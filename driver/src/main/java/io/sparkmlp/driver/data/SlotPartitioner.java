package io.sparkmlp.driver.data;

import org.apache.spark.Partitioner;

/** Key {@code p} (an Integer in {@code [0, n)}) goes to partition {@code p}: a shuffle that keeps a chosen layout. */
public final class SlotPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    public SlotPartitioner(int n) {
        this.n = n;
    }

    @Override
    public int numPartitions() {
        return n;
    }

    @Override
    public int getPartition(Object key) {
        return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotPartitioner p && p.n == n;
    }

    @Override
    public int hashCode() {
        return n;
    }
}
