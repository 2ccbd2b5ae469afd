package io.sparkmlp.driver.data;

import java.io.Serializable;

/**
 * One partition's data as one dense block: {@code x} holds {@code rows × features} floats,
 * row-major, and {@code y} one label per row (a class index, or a regression target).
 * This is what is cached; its size is the raw {@code rows × (features + 1) × 4} bytes plus a few
 * object headers.
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final int rows;
    private final int features;
    private final float[] x;
    private final float[] y;

    public Block(int partition, int rows, int features, float[] x, float[] y) {
        if ((long) rows * features != x.length || y.length != rows) {
            throw new IllegalArgumentException("block of " + rows + " rows × " + features
                    + " features needs x of " + (long) rows * features + " and y of " + rows
                    + " values, found " + x.length + " and " + y.length);
        }
        this.partition = partition;
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.y = y;
    }

    /**
     * The rows of {@code first} followed by those of {@code second}, in the first's partition.
     *
     * @throws IllegalArgumentException when their feature counts differ
     */
    public static Block concat(Block first, Block second) {
        if (first.features != second.features) {
            throw new IllegalArgumentException("blocks of " + first.features + " and " + second.features
                    + " features: expected the same feature count");
        }
        float[] x = java.util.Arrays.copyOf(first.x, first.x.length + second.x.length);
        System.arraycopy(second.x, 0, x, first.x.length, second.x.length);
        float[] y = java.util.Arrays.copyOf(first.y, first.rows + second.rows);
        System.arraycopy(second.y, 0, y, first.rows, second.rows);
        return new Block(first.partition, first.rows + second.rows, first.features, x, y);
    }

    /** Index of the partition this block belongs to. */
    public int partition() {
        return partition;
    }

    public int rows() {
        return rows;
    }

    public int features() {
        return features;
    }

    /** rows × features, row-major. The block's own array: do not modify. */
    public float[] x() {
        return x;
    }

    /** One label per row. The block's own array: do not modify. */
    public float[] y() {
        return y;
    }
}
