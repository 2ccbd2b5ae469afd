package io.sparkmlp.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Consecutive rows of one source split bound for one target partition: what the deterministic
 * re-partitioning shuffles. Blocks are chunks concatenated in order of {@link #firstRow}.
 */
final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Global index of the chunk's first row; rows within a chunk are consecutive in global order. */
    final long firstRow;
    final int rows;
    final float[] x;
    final float[] y;

    Chunk(long firstRow, int rows, float[] x, float[] y) {
        this.firstRow = firstRow;
        this.rows = rows;
        this.x = x;
        this.y = y;
    }

    /**
     * The block of partition {@code partition}: {@code chunks} sorted by first row and concatenated.
     *
     * @param chunks this partition's chunks, any order. Modified (sorted).
     */
    static Block assemble(int partition, int features, List<Chunk> chunks) {
        chunks.sort(Comparator.comparingLong(c -> c.firstRow));
        long rows = 0;
        for (Chunk c : chunks) {
            rows += c.rows;
        }
        if (rows * features > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("partition " + partition + " would hold " + rows + " rows × "
                    + features + " features, more than one Java array can; use more partitions");
        }
        if (chunks.size() == 1) {
            Chunk c = chunks.get(0);
            return new Block(partition, c.rows, features, c.x, c.y);
        }
        float[] x = new float[(int) (rows * features)];
        float[] y = new float[(int) rows];
        int r = 0;
        for (Chunk c : chunks) {
            System.arraycopy(c.x, 0, x, r * features, c.rows * features);
            System.arraycopy(c.y, 0, y, r, c.rows);
            r += c.rows;
        }
        return new Block(partition, (int) rows, features, x, y);
    }

    /** Growable row buffer on the map side: {@link #offset()}, write the row's features there, {@link #commit}. */
    static final class Buffer {
        private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
        private final int features;
        private long firstRow = -1;
        private int rows;
        private float[] x;
        private float[] y;

        Buffer(int features) {
            this.features = features;
            int capacity = Math.max(1, Math.min(64, (1 << 16) / Math.max(1, features)));
            this.x = new float[capacity * features];
            this.y = new float[capacity];
        }

        boolean isEmpty() {
            return rows == 0;
        }

        /** Offset in {@link #array()} of the next row's {@code features} values; grows the buffer as needed. */
        int offset() {
            if (rows == y.length) {
                long n = Math.min(2L * rows, MAX_ARRAY / Math.max(1, features));
                if (n <= rows) {
                    throw new IllegalStateException("more than " + rows + " rows of " + features
                            + " features in one buffer, more than one Java array can hold");
                }
                y = Arrays.copyOf(y, (int) n);
                x = Arrays.copyOf(x, (int) n * features);
            }
            return rows * features;
        }

        /** The features array the next row is written into (valid until the next {@link #offset()}). */
        float[] array() {
            return x;
        }

        /** Appends the row written at {@link #offset()}: global row index {@code row}, label {@code label}. */
        void commit(long row, float label) {
            if (rows == 0) {
                firstRow = row;
            }
            y[rows++] = label;
        }

        /** The rows buffered so far as a chunk (trimmed copies); the buffer is then empty. */
        Chunk take() {
            Chunk c = new Chunk(firstRow, rows, Arrays.copyOf(x, rows * features), Arrays.copyOf(y, rows));
            rows = 0;
            firstRow = -1;
            return c;
        }
    }
}
