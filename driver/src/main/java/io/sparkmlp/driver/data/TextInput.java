package io.sparkmlp.driver.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.LineRecordReader;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkmlp.driver.config.DataOptions;
import scala.Tuple2;

/**
 * One text data set (CSV or LIBSVM; a file, a directory of files or a glob; {@code .gz} and other Hadoop
 * codecs read transparently), read on the executors through Hadoop's {@link TextInputFormat}.
 *
 * <p>Files are taken in path order (names starting with {@code _} or {@code .} skipped), so the global
 * row index of every row (the rows of file 1, then file 2, ...; blank lines and headers are not rows) is
 * the same whatever the splits. Two passes: {@link #scan} counts the rows of every split (and collects
 * the class labels, the largest LIBSVM index), then {@link #blocks} parses the values and moves each row
 * to the partition owning its global index ({@link RowSplit#rangeStart}) with one shuffle of
 * {@link Chunk}s, concatenated in global order on the reduce side.
 *
 * <p>Errors come from tasks with a line number relative to their split; {@link #run} completes it to the
 * line within the file by counting the lines of the splits before (driver side, error path only).
 */
final class TextInput {
    /** At most this many distinct class labels (guards against a real-valued column taken for classes). */
    static final int MAX_CLASSES = 100_000;

    private static final Pattern LIBSVM_PAIR = Pattern.compile("\\d+:\\S*");

    /** What the caller requires of the data set. */
    record Expect(int numFeatures, String whose, boolean allowUnlabelled) {
        static final Expect FREE = new Expect(0, null, false);
    }

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

    private final String path;
    private final Configuration conf;
    private final Map<String, Path> files;
    private final TextLayout layout;
    private final String firstFile;
    private final long firstLine;
    private final JavaPairRDD<LongWritable, Text> lines;
    /** How the pass under way checks rows: what {@link #firstErrorBefore} re-checks on the error path. */
    private TextLayout checkLayout;
    private LabelIndex checkLabels;

    private TextInput(String path, Configuration conf, Map<String, Path> files, TextLayout layout,
                      String firstFile, long firstLine, JavaPairRDD<LongWritable, Text> lines) {
        this.path = path;
        this.conf = conf;
        this.files = files;
        this.layout = layout;
        this.firstFile = firstFile;
        this.firstLine = firstLine;
        this.lines = lines;
        this.checkLayout = layout;
    }

    TextLayout layout() {
        return layout;
    }

    String path() {
        return path;
    }

    /**
     * Lists the files of {@code pathString}, reads its first non-blank line on the driver and decides the
     * layout. Format (AUTO): a line whose tokens after the first all look like {@code index:value} is
     * LIBSVM, else CSV. CSV label column: data.labelColumn as a name of the first line (a header, then),
     * else as a 0-based index (a number is a name only when data.header=true and the header has it),
     * else the last column; unlabelled when {@code expect} allows it, no label column is given and the
     * line has exactly the expected number of features. CSV header: data.header, else detected (a cell
     * outside the label column that is not a number); with a header, the first non-blank line of every
     * file is skipped.
     *
     * @param minSplits Hadoop splits to ask for at least (parallelism of the read; not of the result)
     */
    static TextInput open(JavaSparkContext sc, String pathString, DataOptions opts, boolean regression,
                          Expect expect, int minSplits) {
        Configuration conf = sc.hadoopConfiguration();
        Map<String, Path> files = list(pathString, conf);
        // the first non-blank line of the data set
        String first = null;
        String firstFile = null;
        long firstLine = 0;
        for (Map.Entry<String, Path> f : files.entrySet()) {
            long[] lineNo = new long[1];
            first = firstNonBlankLine(f.getValue(), conf, lineNo, f.getKey());
            if (first != null) {
                firstFile = f.getKey();
                firstLine = lineNo[0];
                break;
            }
        }
        if (first == null) {
            throw DataException.of(pathString, files.size() == 1 ? "empty file, expected CSV or LIBSVM rows"
                    : "all " + files.size() + " files are empty, expected CSV or LIBSVM rows");
        }
        DataOptions.DataFormat format = opts.format();
        if (format == DataOptions.DataFormat.AUTO || format == null) {
            format = looksLikeLibsvm(first) ? DataOptions.DataFormat.LIBSVM : DataOptions.DataFormat.CSV;
        }
        TextLayout layout;
        if (format == DataOptions.DataFormat.LIBSVM) {
            int n = expect.numFeatures() > 0 ? expect.numFeatures() : opts.numFeatures();
            if (expect.numFeatures() > 0 && opts.numFeatures() > 0 && opts.numFeatures() != expect.numFeatures()) {
                throw DataException.of(pathString, "data.numFeatures is " + opts.numFeatures() + ", expected "
                        + expect.numFeatures() + " (" + expect.whose() + " number of features)");
            }
            layout = new TextLayout(TextLayout.Kind.LIBSVM, false, 0, -1, n, null, regression, expect.whose());
        } else if (format == DataOptions.DataFormat.CSV) {
            layout = csvLayout(first, firstFile, firstLine, opts, regression, expect);
        } else {
            throw new IllegalArgumentException("format " + format + " is not a text format");
        }
        JobConf job = new JobConf(conf);
        FileInputFormat.setInputPaths(job, files.values().toArray(new Path[0]));
        JavaPairRDD<LongWritable, Text> lines = sc.hadoopRDD(job, TextInputFormat.class, LongWritable.class,
                Text.class, Math.max(1, minSplits));
        return new TextInput(pathString, conf, files, layout, firstFile, firstLine, lines);
    }

    // ------------------------------------------------------------------ pass 1

    /** Counts rows per split; collects labels when {@code collectLabels}; checks every line's structure. */
    Scan scan(boolean collectLabels) {
        TextLayout lay = layout;
        checkLayout = layout;
        checkLabels = null;
        JavaRDD<Object[]> summaries = ((JavaHadoopRDD<LongWritable, Text>) lines).mapPartitionsWithInputSplit(
                (split, it) -> {
                    SplitLines in = new SplitLines(split, it, lay);
                    LineParser parser = in.parser();
                    long rows = 0;
                    Set<String> labels = collectLabels ? new HashSet<>() : null;
                    while (in.next()) {
                        parser.line = in.line;
                        parser.parse(in.bytes, in.from, in.to, null, 0);
                        if (collectLabels) {
                            parser.checkLabel();
                            if (labels.add(parser.label()) && labels.size() > MAX_CLASSES) {
                                throw parser.error(-1, "found more than " + MAX_CLASSES + " distinct labels"
                                        + ", expected class labels (real-valued targets need a regression loss)");
                            }
                        }
                        rows++;
                    }
                    return Collections.singletonList(new Object[] {rows, labels, parser.maxIndex}).iterator();
                }, true);
        List<Object[]> all = run(summaries::collect);
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
                if (labels.size() > MAX_CLASSES) {
                    throw DataException.of(path, "found more than " + MAX_CLASSES + " distinct labels"
                            + ", expected class labels (real-valued targets need a regression loss)");
                }
            }
            maxIndex = Math.max(maxIndex, (Integer) all.get(i)[2]);
        }
        if (rows == 0) {
            if (layout.header()) {
                throw DataException.at(firstFile, firstLine, 0, "found only a header line"
                        + ", expected data rows after it");
            }
            throw DataException.of(path, "found no data rows, expected CSV or LIBSVM rows");
        }
        return new Scan(splitRows, rows, labels, maxIndex);
    }

    // ------------------------------------------------------------------ pass 2

    /**
     * Parses every row and returns the blocks of all slots: partition {@code slot·parts + p} holds the
     * rows of slot {@code slot} ({@link RowSplit}) whose global index falls in partition {@code p}'s range,
     * in global order. Lazy (runs when an action runs; wrap it in {@link #run}).
     *
     * @param finalLayout the layout with its number of features decided
     * @param labels class index, or null for regression / unlabelled (y = target, or NaN)
     */
    JavaRDD<Block> blocks(Scan scan, TextLayout finalLayout, LabelIndex labels, RowSplit split, int parts) {
        checkLayout = finalLayout;
        checkLabels = labels;
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

    // ------------------------------------------------------------------ errors

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
        Path file = files.get(d.file());
        if (file == null) {
            return d;
        }
        try {
            return d.resolved(countLines(file, d.splitStart(), conf));
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

    // ------------------------------------------------------------------ driver-side helpers

    /** The data files of {@code pathString} (file, directory or glob), keyed by display name, in path order. */
    static Map<String, Path> list(String pathString, Configuration conf) {
        if (pathString == null || pathString.isBlank()) {
            throw DataException.of("no data path given, expected a file, a directory or a glob");
        }
        List<Path> found = new ArrayList<>();
        try {
            Path p = new Path(pathString);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw DataException.of(pathString, "no such file or directory, expected a file, a directory or a glob");
            }
            for (FileStatus st : matches) {
                if (st.isDirectory()) {
                    for (FileStatus child : fs.listStatus(st.getPath())) {
                        if (child.isFile() && visible(child.getPath())) {
                            found.add(child.getPath());
                        }
                    }
                } else if (visible(st.getPath())) {
                    found.add(st.getPath());
                }
            }
        } catch (IOException e) {
            throw DataException.of(pathString, "cannot list (" + e + "), expected a readable file, directory or glob");
        }
        if (found.isEmpty()) {
            throw DataException.of(pathString, "no data files (names starting with _ or . are skipped)"
                    + ", expected a file, a directory or a glob");
        }
        found.sort((a, b) -> a.toString().compareTo(b.toString()));
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path f : found) {
            files.put(display(f), f);
        }
        return files;
    }

    private static boolean visible(Path p) {
        String name = p.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }

    /** How a file is named in messages: the plain path for local files, the full URI otherwise. */
    static String display(Path p) {
        String s = p.toString();
        return s.startsWith("file:") ? p.toUri().getPath() : s;
    }

    private static String firstNonBlankLine(Path file, Configuration conf, long[] lineNo, String display) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
            InputStream raw = fs.open(file);
            InputStream in = codec == null ? raw : codec.createInputStream(raw);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (n == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1);
                    }
                    if (!line.isBlank()) {
                        lineNo[0] = n;
                        return line;
                    }
                }
                return null;
            }
        } catch (IOException e) {
            throw DataException.of(display, "cannot read (" + e + "), expected a readable text file");
        }
    }

    static boolean looksLikeLibsvm(String line) {
        String[] tokens = line.strip().split("[ \t]+");
        if (tokens.length < 2) {
            return false;
        }
        for (int i = 1; i < tokens.length; i++) {
            if (tokens[i].startsWith("#")) {
                break;
            }
            if (!LIBSVM_PAIR.matcher(tokens[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static TextLayout csvLayout(String first, String file, long line, DataOptions opts, boolean regression,
                                        Expect expect) {
        List<String> cells;
        try {
            cells = TextLayout.splitCsv(first);
        } catch (IOException e) {
            throw DataException.at(file, line, 0, "found a malformed quoted CSV line (" + e.getMessage()
                    + "), expected RFC 4180 quoting on one line");
        }
        int n = cells.size();
        String lc = opts.labelColumn();
        Boolean header = opts.header();
        int labelColumn;
        // a name is looked up in the first line unless there is no header; a number is an index, unless
        // the header is declared and has a cell of that name
        boolean isIndex = lc != null && lc.strip().matches("-?\\d+");
        int byName = lc != null && !Boolean.FALSE.equals(header) && (!isIndex || Boolean.TRUE.equals(header))
                ? cells.indexOf(lc.strip()) : -1;
        if (byName >= 0) {
            labelColumn = byName;
            header = Boolean.TRUE;
        } else if (lc == null) {
            boolean unlabelled = expect.allowUnlabelled() && expect.numFeatures() > 0 && n == expect.numFeatures();
            labelColumn = unlabelled ? -1 : n - 1;
        } else {
            int index;
            try {
                index = Integer.parseInt(lc.strip());
            } catch (NumberFormatException e) {
                throw DataException.at(file, line, 0, "label column " + DataException.quote(lc) + " is not in "
                        + (Boolean.FALSE.equals(header) ? "the data (data.header=false, so no names)"
                        : "the first line " + cells) + ", expected a header name or a 0-based column index");
            }
            if (index < 0 || index >= n) {
                throw DataException.at(file, line, 0, "label column index " + index + " is out of range"
                        + ", expected 0.." + (n - 1) + " (the first line has " + n + " columns)");
            }
            labelColumn = index;
        }
        if (header == null) {
            header = false;
            for (int i = 0; i < n; i++) {
                if (i != labelColumn && !Numbers.isNumber(cells.get(i))) {
                    header = true;
                    break;
                }
            }
        }
        int features = labelColumn >= 0 ? n - 1 : n;
        if (expect.numFeatures() > 0 && features != expect.numFeatures()) {
            throw DataException.at(file, line, 0, "found " + n + " columns (" + features + (features == 1 ? " feature" : " features")
                    + (labelColumn >= 0 ? " and a label" : "") + "), expected " + (expect.numFeatures() + 1)
                    + " (" + expect.whose() + " " + expect.numFeatures() + " features and a label)"
                    + (expect.allowUnlabelled() && lc == null ? " or " + expect.numFeatures() + " (features only, unlabelled)" : ""));
        }
        if (expect.numFeatures() == 0 && opts.numFeatures() > 0 && features != opts.numFeatures()) {
            throw DataException.at(file, line, 0, "found " + n + " columns (" + features + " features and a label)"
                    + ", expected " + (opts.numFeatures() + 1) + " (data.numFeatures is " + opts.numFeatures() + ")");
        }
        if (features < 1) {
            throw DataException.at(file, line, 0, "found " + n + " column" + (n == 1 ? "" : "s")
                    + ", expected at least 2 (features and a label)"
                    + (looksLikeLibsvm(first) ? "; the line looks like LIBSVM (data.format=libsvm)" : ""));
        }
        List<String> names = header ? List.copyOf(cells) : null;
        return new TextLayout(TextLayout.Kind.CSV, header, n, labelColumn, features, names, regression, expect.whose());
    }

    // ------------------------------------------------------------------ reading one split

    /**
     * The non-blank lines of one split, as bytes: skips blank lines (LIBSVM: and comment lines), a UTF-8
     * byte-order mark at the start of a file and, with a header, the first non-blank line of a file.
     */
    static final class SplitLines {
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
            this.file = display(fs.getPath());
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
}
