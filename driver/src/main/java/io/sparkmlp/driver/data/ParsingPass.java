package io.sparkmlp.driver.data;

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
     * Parses every row into chunks for the shuffle whose slot {@code slot} ({@link RowSplit}) holds, in
     * partition {@code p}, the rows of that slot whose global index falls in partition {@code p}'s range, in
     * global order. Lazy (runs when an action runs; wrap it in {@link ErrorResolver#run}).
     *
     * @param finalLayout the layout with its number of features decided
     * @param labels class index, or null for regression / unlabelled (y = target, or NaN)
     */
    static ChunkShuffle blocks(JavaPairRDD<LongWritable, Text> lines, CountingPass.Scan scan, TextLayout finalLayout,
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
                    ChunkWriter out = new ChunkWriter(base[splitIndex], total, parts, features);
                    while (in.next()) {
                        out.begin(split.slotOf(out.row()));
                        parser.line = in.line;
                        parser.parse(in.bytes, in.from, in.to, out.array(), out.offset());
                        float y;
                        if (!finalLayout.labelled()) {
                            y = Float.NaN;
                        } else if (labels != null) {
                            y = parser.classIndex(labels);
                        } else {
                            y = parser.target();
                        }
                        out.commit(y);
                    }
                    long rows = out.row() - base[splitIndex];
                    if (rows != splitRows[splitIndex]) {
                        throw new IllegalStateException("split " + splitIndex + " of " + in.file + " gave "
                                + rows + " rows, the first pass counted " + splitRows[splitIndex]
                                + " (did the input change?)");
                    }
                    return out.finish();
                }, false);
        return new ChunkShuffle(chunks, parts, features);
    }
}
