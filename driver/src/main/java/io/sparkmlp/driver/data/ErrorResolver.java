package io.sparkmlp.driver.data;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.LineRecordReader;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

/**
 * Turns a task's {@link DataException} about a text data set into the error a user reads: the first bad
 * line of the data set (not whichever task failed first), with its line number in its file. A task knows
 * only its line within its split; the lines of the splits before it are counted here, on the driver, on
 * the error path only.
 */
final class ErrorResolver {

    private final InputFiles files;
    private final JavaPairRDD<LongWritable, Text> lines;
    /** How the pass under way checks rows: what {@link #firstErrorBefore} re-checks on the error path. */
    private TextLayout checkLayout;
    private LabelIndex checkLabels;

    ErrorResolver(InputFiles files, JavaPairRDD<LongWritable, Text> lines) {
        this.files = files;
        this.lines = lines;
    }

    /** The checks of the pass under way: its layout, and the class index when labels must be known ones. */
    void checking(TextLayout layout, LabelIndex labels) {
        this.checkLayout = layout;
        this.checkLabels = labels;
    }

    /**
     * Runs a Spark action on this input; a {@link DataException} from a task is rethrown with its exact
     * line number, anything else as {@link DataException#unwrap}.
     */
    <T> T run(Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            throw resolve(e);
        }
    }

    /**
     * {@code t} as {@link DataException#unwrap} gives it, made deterministic and exact: when the failing
     * task read split {@code k > 0}, splits {@code 0..k-1} are re-checked (a job on the error path only)
     * and the first error in file order is reported, not whichever task failed first; its split-relative
     * line is then made a line number within the file.
     */
    RuntimeException resolve(Throwable t) {
        DataException d = DataException.find(t);
        if (d == null) {
            return DataException.unwrap(t);
        }
        if (d.split() > 0) {
            DataException earlier = firstErrorBefore(d.split());
            if (earlier != null) {
                d = earlier;
            }
        }
        if (d.splitStart() <= 0) {
            return d;
        }
        Path file = files.file(d.file());
        if (file == null) {
            return d;
        }
        try {
            return d.resolved(countLines(file, d.splitStart(), files.conf()));
        } catch (IOException e) {
            d.addSuppressed(e);
            return d;
        }
    }

    /** The first error of splits {@code [0, split)} by the checks of the pass under way, or null. */
    private DataException firstErrorBefore(int split) {
        TextLayout lay = checkLayout;
        LabelIndex labels = checkLabels;
        JavaRDD<DataException> errors = ((JavaHadoopRDD<LongWritable, Text>) lines).mapPartitionsWithInputSplit(
                (inputSplit, it) -> {
                    SplitLines in = new SplitLines(inputSplit, it, lay);
                    LineParser parser = in.parser();
                    float[] x = lay.numFeatures() > 0 ? new float[lay.numFeatures()] : null;
                    try {
                        while (in.next()) {
                            parser.line = in.line;
                            parser.parse(in.bytes, in.from, in.to, x, 0);
                            parser.checkLabel(labels);
                        }
                    } catch (DataException e) {
                        return Collections.singletonList(e).iterator();
                    }
                    return Collections.<DataException>emptyIterator();
                }, true);
        try {
            List<DataException> found = DataLoader.partitionRange(errors, 0, split).collect();
            return found.isEmpty() ? null : found.get(0);
        } catch (RuntimeException e) {
            return null;                       // keep the error we have
        }
    }

    /**
     * Lines (records) of {@code file} that belong to the splits before byte {@code end}: a
     * {@link LineRecordReader} over [0, end) reads exactly the lines that the splits covering that range
     * read, by the same rule (a split owns the lines that start in (start, end], plus line 1 for start 0).
     */
    static long countLines(Path file, long end, Configuration conf) throws IOException {
        LineRecordReader reader = new LineRecordReader(conf, new FileSplit(file, 0, end, (String[]) null));
        try {
            LongWritable key = reader.createKey();
            Text value = reader.createValue();
            long n = 0;
            while (reader.next(key, value)) {
                n++;
            }
            return n;
        } finally {
            reader.close();
        }
    }
}
