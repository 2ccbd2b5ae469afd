package io.sparkmlp.driver.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * The map side of the chunk shuffle for one source partition (a text split, a table partition): rows come
 * in global order from {@code first}; each goes to the buffer of its slot ({@link RowSplit}), and the
 * buffers become {@link Chunk}s keyed {@code slot·parts + target} whenever the rows cross into the next
 * target partition's range ({@link RowSplit#rangeStart}) and at the end.
 *
 * <p>Per row: {@link #begin(int)} with the row's slot, write its features into {@link #array()} at
 * {@link #offset()}, then {@link #commit(float)} with its label.
 */
final class ChunkWriter {
    private final long total;
    private final int parts;
    private final int features;
    private final Chunk.Buffer[] buffers = new Chunk.Buffer[RowSplit.SLOTS];
    private final List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
    private long row;
    private int target;
    private long targetEnd;
    private Chunk.Buffer current;
    private int offset;

    /**
     * @param first global index of the partition's first row
     * @param total rows of the whole data set
     */
    ChunkWriter(long first, long total, int parts, int features) {
        this.row = first;
        this.total = total;
        this.parts = parts;
        this.features = features;
        this.targetEnd = RowSplit.rangeStart(1, parts, total);
    }

    /** Global index of the next row. */
    long row() {
        return row;
    }

    /** Starts the next row, bound for {@code slot}: its features go to {@link #array()} at {@link #offset()}. */
    void begin(int slot) {
        while (row >= targetEnd) {
            flush();
            target++;
            targetEnd = RowSplit.rangeStart(target + 1, parts, total);
        }
        if (buffers[slot] == null) {
            buffers[slot] = new Chunk.Buffer(features);
        }
        current = buffers[slot];
        offset = current.offset();
    }

    /** The array the current row's features are written into (valid until the next {@link #begin}). */
    float[] array() {
        return current.array();
    }

    int offset() {
        return offset;
    }

    /** Ends the current row: its label {@code y}. */
    void commit(float y) {
        current.commit(row, y);
        row++;
    }

    /** The chunks of every row written, keyed {@code slot·parts + target}. */
    Iterator<Tuple2<Integer, Chunk>> finish() {
        flush();
        return out.iterator();
    }

    private void flush() {
        for (int slot = 0; slot < buffers.length; slot++) {
            if (buffers[slot] != null && !buffers[slot].isEmpty()) {
                out.add(new Tuple2<>(slot * parts + target, buffers[slot].take()));
            }
        }
    }
}
