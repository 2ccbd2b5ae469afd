package io.sparkmlp.driver.data;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;

import io.sparkmlp.driver.data.InputFiles.FirstLine;

/**
 * Pass 1 over a text data set: counts the rows of every Hadoop split (and collects the class labels and
 * the largest LIBSVM index) and checks every line's structure, without parsing feature values. The row
 * counts give each split the global index of its first row ({@link Scan#splitBase}). It also enforces the
 * limits that keep pass 2 from allocating what cannot fit: at most data.maxClasses distinct labels (a
 * real-valued target read as class labels) and, for LIBSVM without data.numFeatures, no index above
 * data.maxFeatures (one line with index 2,000,000,000 would make every block 8 GB wide). Both are checked
 * line by line in the tasks, so the message names the first line past the limit that a task met.
 */
final class CountingPass {

    /** Result of the first pass. */
    record Scan(long[] splitRows, long rows, Set<String> labels, int maxIndex) {
        /** Global index of the first row of every split. */
        long[] splitBase() {
            long[] base = new long[splitRows.length];
            for (int i = 1; i < base.length; i++) {
                base[i] = base[i - 1] + splitRows[i - 1];
            }
            return base;
        }
    }

    private CountingPass() {
    }

    /**
     * Counts rows per split; collects labels when {@code collectLabels}; checks every line's structure.
     *
     * @param path the data set's path as given, for messages
     * @param first the data set's first non-blank line (named when a header is all there is)
     * @param maxClasses most distinct labels accepted (data.maxClasses)
     * @param maxFeatures largest LIBSVM index accepted when the layout does not fix the feature count (data.maxFeatures)
     * @param errors runs the job, reporting a bad line with its line number in its file
     */
    static Scan run(JavaPairRDD<LongWritable, Text> lines, TextLayout layout, boolean collectLabels, String path,
                    FirstLine first, int maxClasses, int maxFeatures, ErrorResolver errors) {
        boolean widthUnknown = layout.kind() == TextLayout.Kind.LIBSVM && layout.numFeatures() == 0;
        JavaRDD<Object[]> summaries = ((JavaHadoopRDD<LongWritable, Text>) lines).mapPartitionsWithInputSplit(
                (split, it) -> {
                    SplitLines in = new SplitLines(split, it, layout);
                    LineParser parser = in.parser();
                    long rows = 0;
                    Set<String> labels = collectLabels ? new HashSet<>() : null;
                    while (in.next()) {
                        parser.line = in.line;
                        parser.parse(in.bytes, in.from, in.to, null, 0);
                        if (widthUnknown && parser.maxIndex > maxFeatures) {
                            throw parser.error(-1, "found index " + parser.maxIndex + ", expected at most data.maxFeatures = "
                                    + maxFeatures + " (raise data.maxFeatures for wider rows, or set data.numFeatures)");
                        }
                        if (collectLabels) {
                            parser.checkLabel();
                            if (labels.add(parser.label()) && labels.size() > maxClasses) {
                                throw parser.error(-1, tooManyClasses(maxClasses));
                            }
                        }
                        rows++;
                    }
                    return Collections.singletonList(new Object[] {rows, labels, parser.maxIndex}).iterator();
                }, true);
        List<Object[]> all = errors.run(summaries::collect);
        long[] splitRows = new long[all.size()];
        Set<String> labels = collectLabels ? new HashSet<>() : null;
        long rows = 0;
        int maxIndex = 0;
        for (int i = 0; i < all.size(); i++) {
            splitRows[i] = (Long) all.get(i)[0];
            rows += splitRows[i];
            if (collectLabels) {
                @SuppressWarnings("unchecked")
                Set<String> s = (Set<String>) all.get(i)[1];
                labels.addAll(s);
                if (labels.size() > maxClasses) {
                    throw DataException.of(path, tooManyClasses(maxClasses));
                }
            }
            maxIndex = Math.max(maxIndex, (Integer) all.get(i)[2]);
        }
        if (rows == 0) {
            if (layout.header()) {
                throw DataException.at(first.file(), first.line(), 0, "found only a header line"
                        + ", expected data rows after it");
            }
            throw DataException.of(path, "found no data rows, expected CSV or LIBSVM rows");
        }
        return new Scan(splitRows, rows, labels, maxIndex);
    }

    private static String tooManyClasses(int maxClasses) {
        return "found more than data.maxClasses = " + maxClasses + " distinct labels, expected class labels;"
                + " for a real-valued target set model.loss=mse";
    }
}
