package io.sparkmlp.driver.data;

import java.util.Iterator;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.spark.TaskContext;

import scala.Tuple2;

/**
 * The non-blank lines of one split, as bytes: skips blank lines (LIBSVM: and comment lines), a UTF-8
 * byte-order mark at the start of a file and, with a header, the first non-blank line of a file.
 */
final class SplitLines {
    final String file;
    private final long start;
    private final Iterator<Tuple2<LongWritable, Text>> it;
    private final TextLayout layout;
    private boolean skipHeader;
    /** 1-based line number within the split of the current line. */
    long line;
    byte[] bytes;
    int from;
    int to;

    SplitLines(InputSplit split, Iterator<Tuple2<LongWritable, Text>> it, TextLayout layout) {
        FileSplit fs = (FileSplit) split;
        this.file = InputFiles.display(fs.getPath());
        this.start = fs.getStart();
        this.it = it;
        this.layout = layout;
        this.skipHeader = layout.header() && start == 0;
    }

    LineParser parser() {
        return new LineParser(layout, file, TaskContext.getPartitionId(), start);
    }

    boolean next() {
        while (it.hasNext()) {
            Text t = it.next()._2();
            line++;
            bytes = t.getBytes();
            from = 0;
            to = t.getLength();
            if (line == 1 && start == 0 && to >= 3
                    && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
                from = 3;
            }
            if (LineParser.blank(bytes, from, to, layout.kind())) {
                continue;
            }
            if (skipHeader) {
                skipHeader = false;
                continue;
            }
            return true;
        }
        return false;
    }
}
