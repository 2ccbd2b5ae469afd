package io.sparkmlp.driver.data;

import java.util.function.Supplier;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.CountingPass.Scan;
import io.sparkmlp.driver.data.InputFiles.FirstLine;
import io.sparkmlp.driver.data.LayoutDetector.Expect;

/**
 * One text data set (CSV or LIBSVM; a file, a directory of files or a glob; {@code .gz} and other Hadoop
 * codecs read transparently), read on the executors through Hadoop's {@link TextInputFormat}: the steps
 * of reading it, each done by its own class.
 *
 * <ol>
 *   <li>{@link InputFiles} lists the files in path order, so the global row index of every row (the rows
 *       of file 1, then file 2, ...; blank lines and headers are not rows) is the same whatever the
 *       splits, and reads the first non-blank line;</li>
 *   <li>{@link LayoutDetector} decides the format, header and label column from that line;</li>
 *   <li>{@link CountingPass} ({@link #scan}) counts the rows of every split and collects the labels;</li>
 *   <li>{@link ParsingPass} ({@link #blocks}) parses the values into blocks;</li>
 *   <li>{@link ErrorResolver} ({@link #run}) turns a task's error into the first bad line of the data
 *       set, with its line number in its file.</li>
 * </ol>
 */
final class TextInput {

    private final InputFiles files;
    private final FirstLine first;
    private final TextLayout layout;
    private final JavaPairRDD<LongWritable, Text> lines;
    private final ErrorResolver errors;
    private final DataOptions opts;

    private TextInput(InputFiles files, FirstLine first, TextLayout layout, JavaPairRDD<LongWritable, Text> lines,
                      DataOptions opts) {
        this.opts = opts;
        this.files = files;
        this.first = first;
        this.layout = layout;
        this.lines = lines;
        this.errors = new ErrorResolver(files, lines);
    }

    TextLayout layout() {
        return layout;
    }

    String path() {
        return files.path();
    }

    /**
     * Lists the files of {@code pathString}, reads its first non-blank line on the driver and decides the
     * layout ({@link LayoutDetector}).
     *
     * @param minSplits Hadoop splits to ask for at least (parallelism of the read; not of the result)
     */
    static TextInput open(JavaSparkContext sc, String pathString, DataOptions opts, boolean regression,
                          Expect expect, int minSplits) {
        InputFiles files = InputFiles.list(pathString, sc.hadoopConfiguration());
        FirstLine first = files.firstLine();
        TextLayout layout = LayoutDetector.detect(first, pathString, opts, regression, expect);
        JobConf job = new JobConf(files.conf());
        FileInputFormat.setInputPaths(job, files.paths());
        JavaPairRDD<LongWritable, Text> lines = sc.hadoopRDD(job, TextInputFormat.class, LongWritable.class,
                Text.class, Math.max(1, minSplits));
        return new TextInput(files, first, layout, lines, opts);
    }

    /** Pass 1 ({@link CountingPass}): rows per split; the class labels when {@code collectLabels}. */
    Scan scan(boolean collectLabels) {
        errors.checking(layout, null);
        return CountingPass.run(lines, layout, collectLabels, files.path(), first, opts.maxClasses(), opts.maxFeatures(),
                errors);
    }

    /**
     * Pass 2 ({@link ParsingPass}): the shuffle giving the blocks of each slot, lazily (wrap the action in
     * {@link #run}).
     *
     * @param finalLayout the layout with its number of features decided
     * @param labels class index, or null for regression / unlabelled (y = target, or NaN)
     */
    ChunkShuffle blocks(Scan scan, TextLayout finalLayout, LabelIndex labels, RowSplit split, int parts) {
        errors.checking(finalLayout, labels);
        return ParsingPass.blocks(lines, scan, finalLayout, labels, split, parts);
    }

    /**
     * Runs a Spark action on this input; a {@link DataException} from a task is rethrown as the first bad
     * line of the data set with its exact line number ({@link ErrorResolver}).
     */
    <T> T run(Supplier<T> action) {
        return errors.run(action);
    }
}
