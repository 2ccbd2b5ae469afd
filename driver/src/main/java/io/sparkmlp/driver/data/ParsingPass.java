package io.sparkmlp.driver.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

import scala.Tuple2;

/**
 * Pass 2 over a text data set: parses the values of every row and moves each row to the partition owning
 * its global index ({@link RowSplit#rangeStart}) with one shuffle of {@link Chunk}s, a few per split and
 * target partition, concatenated in global order on the reduce side.
 */
final class ParsingPass {

    private ParsingPass() {
    }

    /**
     * Parses every row and returns the blocks of all slots: partition {@code slot·parts + p} holds the
     * rows of slot {@code slot} ({@link RowSplit}) whose global index falls in partition {@code p}'s range,
     * in global order. Lazy (runs when an action runs; wrap it in {@link ErrorResolver#run}).
     *
     * @param finalLayout the layout with its number of features decided
     * @param labels class index, or null for regression / unlabelled (y = target, or NaN)
     */
    static JavaRDD<Block> blocks(JavaPairRDD<LongWritable, Text> lines, CountingPass.Scan scan, TextLayout finalLayout,
                                 LabelIndex labels, RowSplit split, int parts) {
        long[] base = scan.splitBase();
        long[] splitRows = scan.splitRows();
        long total = scan.rows();
        int features = finalLayout.numFeatures();
        JavaRDD<Tuple2<Integer, Chunk>> chunks = ((JavaHadoopRDD<LongWritable, Text>) lines)
                .mapPartitionsWithInputSplit((inputSplit, it) -> {
                    int splitIndex = TaskContext.getPartitionId();
                    SplitLines in = new SplitLines(inputSplit, it, finalLayout);
                    LineParser parser = in.parser();
                    List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
                    Chunk.Buffer[] buffers = new Chunk.Buffer[RowSplit.SLOTS];
                    long row = base[splitIndex];
                    int target = 0;
                    long targetEnd = RowSplit.rangeStart(1, parts, total);
                    while (in.next()) {
                        while (row >= targetEnd) {
                            flush(buffers, target, parts, out);
                            target++;
                            targetEnd = RowSplit.rangeStart(target + 1, parts, total);
                        }
                        int slot = split.slotOf(row);
                        if (buffers[slot] == null) {
                            buffers[slot] = new Chunk.Buffer(features);
                        }
                        Chunk.Buffer buffer = buffers[slot];
                        parser.line = in.line;
                        int off = buffer.offset();
                        parser.parse(in.bytes, in.from, in.to, buffer.array(), off);
                        float y;
                        if (!finalLayout.labelled()) {
                            y = Float.NaN;
                        } else if (labels != null) {
                            y = parser.classIndex(labels);
                        } else {
                            y = parser.target();
                        }
                        buffer.commit(row, y);
                        row++;
                    }
                    if (row != base[splitIndex] + splitRows[splitIndex]) {
                        throw new IllegalStateException("split " + splitIndex + " of " + in.file + " gave "
                                + (row - base[splitIndex]) + " rows, the first pass counted "
                                + splitRows[splitIndex] + " (did the input change?)");
                    }
                    flush(buffers, target, parts, out);
                    return out.iterator();
                }, false);
        return JavaPairRDD.fromJavaRDD(chunks)
                .partitionBy(new SlotPartitioner(RowSplit.SLOTS * parts))
                .mapPartitionsWithIndex((index, it) -> {
                    List<Chunk> list = new ArrayList<>();
                    while (it.hasNext()) {
                        list.add(it.next()._2());
                    }
                    return Collections.singletonList(Chunk.assemble(index % parts, features, list)).iterator();
                }, true);
    }

    private static void flush(Chunk.Buffer[] buffers, int target, int parts, List<Tuple2<Integer, Chunk>> out) {
        for (int slot = 0; slot < buffers.length; slot++) {
            if (buffers[slot] != null && !buffers[slot].isEmpty()) {
                out.add(new Tuple2<>(slot * parts + target, buffers[slot].take()));
            }
        }
    }
}
