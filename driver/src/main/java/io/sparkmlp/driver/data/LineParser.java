package io.sparkmlp.driver.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the lines of one split into dense rows, straight from the line's bytes (one per task; mutable).
 *
 * <p>CSV: lines without a quote character are split at commas by hand, cells trimmed of spaces and tabs;
 * lines with one go through commons-csv ({@link TextLayout#splitCsv}). LIBSVM:
 * {@code label index:value ...}, indices 1-based and strictly increasing, separated by spaces or tabs,
 * anything after {@code #} a comment.
 *
 * <p>In scan mode ({@code x == null}) only the label cell is located (CSV) and the indices checked
 * (LIBSVM); no feature value is parsed. The full parse checks everything.
 */
final class LineParser {
    private final TextLayout layout;
    private final String file;
    private final int split;
    private final long splitStart;
    /** 1-based line within the split of the line being parsed. */
    long line;

    /** The label cell of the last parsed line: bytes [labelFrom, labelTo) of the line, or a decoded string. */
    private byte[] labelBytes;
    private int labelFrom;
    private int labelTo;
    private String labelString;
    private int labelCell;
    /** LIBSVM: largest index of the lines parsed so far. */
    int maxIndex;

    LineParser(TextLayout layout, String file, int split, long splitStart) {
        this.layout = layout;
        this.file = file;
        this.split = split;
        this.splitStart = splitStart;
    }

    /**
     * Parses {@code b[from, to)}, a line that is not blank.
     *
     * @param x row output: {@code numFeatures} values at {@code off}, or null to only check the structure. Modified.
     */
    void parse(byte[] b, int from, int to, float[] x, int off) {
        if (layout.kind() == TextLayout.Kind.CSV) {
            if (indexOf(b, from, to, (byte) '"') >= 0) {
                parseQuotedCsv(new String(b, from, to - from, StandardCharsets.UTF_8), x, off);
            } else {
                parseCsv(b, from, to, x, off);
            }
        } else {
            parseLibsvm(b, from, to, x, off);
        }
    }

    /** The last line's label as a string. */
    String label() {
        if (labelString == null) {
            labelString = new String(labelBytes, labelFrom, labelTo - labelFrom, StandardCharsets.UTF_8);
        }
        return labelString;
    }

    /** The last line's label as a class index of {@code labels}; an unknown label is an error. */
    int classIndex(LabelIndex labels) {
        String s = label();
        int k = labels.indexOf(s);
        if (k < 0) {
            throw error(labelCell, "found label " + DataException.quote(s) + ", expected one of the known classes " + labels.describe(20));
        }
        return k;
    }

    /**
     * Checks the last line's label as the full parse would: a known class of {@code labels}, else a
     * finite target for regression, else a non-empty label (the scan, which collects the labels).
     */
    void checkLabel(LabelIndex labels) {
        if (!layout.labelled()) {
            return;
        }
        if (labels != null) {
            classIndex(labels);
        } else if (layout.regression()) {
            target();
        } else {
            checkLabel();
        }
    }

    /** Checks that the last line has a (non-empty) label; for the scan, which collects labels. */
    void checkLabel() {
        if (layout.labelled() && label().isEmpty()) {
            throw error(labelCell, "found an empty label cell in " + layout.describeColumn(labelCell)
                    + ", expected a class label or target");
        }
    }

    /** The last line's label as a regression target (a finite number). */
    float target() {
        float v;
        try {
            v = labelString != null ? toFloat(labelString) : Numbers.parseFloat(labelBytes, labelFrom, labelTo);
        } catch (Numbers.Malformed e) {
            throw error(labelCell, "found target " + DataException.quote(label())
                    + ", expected a number (regression target)");
        }
        if (!Float.isFinite(v)) {
            throw error(labelCell, "found target " + DataException.quote(label())
                    + ", expected a finite float32 number (regression target)");
        }
        return v;
    }

    /** An error at the current line; {@code cell} is 0-based (CSV) or -1 for none. */
    DataException error(int cell, String problem) {
        int column = layout.kind() == TextLayout.Kind.CSV && cell >= 0 ? cell + 1 : 0;
        return DataException.inSplit(file, split, splitStart, line, column, problem);
    }

    // ---------------------------------------------------------------- CSV

    private void parseCsv(byte[] b, int from, int to, float[] x, int off) {
        if (x == null) {
            scanCsvLabel(b, from, to);
            return;
        }
        int columns = layout.columns();
        int labelColumn = layout.labelColumn();
        int cell = 0;
        int i = from;
        while (true) {
            if (cell >= columns) {
                throw wrongColumns(countCells(b, from, to));
            }
            if (cell == labelColumn) {
                int s = i;
                int comma = indexOf(b, i, to, (byte) ',');
                i = comma < 0 ? to : comma;
                setLabel(b, s, i, cell);
            } else {
                int feature = labelColumn >= 0 && cell > labelColumn ? cell - 1 : cell;
                i = parseCell(b, i, to, x, off + feature, cell);
            }
            cell++;
            if (i >= to) {
                break;
            }
            i++;                                   // b[i] was the comma: the next cell starts after it
        }
        if (cell != columns) {
            throw wrongColumns(cell);
        }
    }

    /**
     * Parses the cell starting at {@code i} into {@code x[index]} and returns the position of the comma
     * ending it (or {@code to}). Fast path: the number is scanned in place and must be followed by
     * optional spaces and a comma or the end of the line; anything else takes the exact-bounds path.
     */
    private int parseCell(byte[] b, int i, int to, float[] x, int index, int cell) {
        int s = skipSpace(b, i, to);
        long scanned = Numbers.scan(b, s, to);
        int e = Numbers.end(scanned);
        if (e >= 0) {
            int k = skipSpace(b, e, to);
            if (k == to || b[k] == ',') {
                float v = Numbers.value(scanned);
                if (Float.isFinite(v)) {
                    x[index] = v;
                    return k;
                }
            }
        }
        int comma = indexOf(b, s, to, (byte) ',');
        int end = comma < 0 ? to : comma;
        int t = end;
        while (t > s && (b[t - 1] == ' ' || b[t - 1] == '\t')) {
            t--;
        }
        x[index] = feature(b, s, t, cell);
        return end;
    }

    /** Start of the cell that ends at {@code end}: after the previous comma, or {@code from}. */
    private static int cellStart(byte[] b, int from, int end) {
        int i = end - 1;
        while (i >= from && b[i] != ',') {
            i--;
        }
        return i + 1;
    }

    /** Records the label cell {@code b[s, e)}, trimmed. */
    private void setLabel(byte[] b, int s, int e, int cell) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        labelBytes = b;
        labelFrom = s;
        labelTo = e;
        labelString = null;
        labelCell = cell;
    }

    /**
     * Scan mode: finds only the label cell (from the end of the line when it is the last column); the
     * cell count is checked by the full parse.
     */
    private void scanCsvLabel(byte[] b, int from, int to) {
        int labelColumn = layout.labelColumn();
        if (labelColumn < 0) {
            return;
        }
        if (labelColumn == layout.columns() - 1) {
            setLabel(b, cellStart(b, from, to), to, labelColumn);
            return;
        }
        int s = from;
        for (int c = 0; c < labelColumn; c++) {
            int comma = indexOf(b, s, to, (byte) ',');
            if (comma < 0) {
                throw wrongColumns(c + 1);
            }
            s = comma + 1;
        }
        int comma = indexOf(b, s, to, (byte) ',');
        setLabel(b, s, comma < 0 ? to : comma, labelColumn);
    }

    private void parseQuotedCsv(String line, float[] x, int off) {
        List<String> cells;
        try {
            cells = TextLayout.splitCsv(line);
        } catch (IOException e) {
            throw error(-1, "found a malformed quoted CSV line (" + e.getMessage()
                    + "), expected RFC 4180 quoting on one line");
        }
        if (cells.size() != layout.columns()) {
            throw wrongColumns(cells.size());
        }
        int labelColumn = layout.labelColumn();
        for (int cell = 0; cell < cells.size(); cell++) {
            String v = cells.get(cell);
            if (cell == labelColumn) {
                labelString = v;
                labelBytes = null;
                labelCell = cell;
            } else if (x != null) {
                byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                int feature = labelColumn >= 0 && cell > labelColumn ? cell - 1 : cell;
                x[off + feature] = feature(bytes, 0, bytes.length, cell);
            }
        }
    }

    private float feature(byte[] b, int s, int e, int cell) {
        float v;
        try {
            v = Numbers.parseFloat(b, s, e);
        } catch (Numbers.Malformed ex) {
            throw error(cell, "found " + DataException.quote(new String(b, s, e - s, StandardCharsets.UTF_8))
                    + " in " + layout.describeColumn(cell) + ", expected a number");
        }
        if (!Float.isFinite(v)) {
            throw error(cell, "found " + DataException.quote(new String(b, s, e - s, StandardCharsets.UTF_8))
                    + " in " + layout.describeColumn(cell) + ", expected a finite float32 feature (no NaN or Inf)");
        }
        return v;
    }

    private DataException wrongColumns(int found) {
        return error(-1, "found " + found + (found == 1 ? " column" : " columns") + ", expected "
                + layout.columns() + " (as in the first line of the data)");
    }

    private static int countCells(byte[] b, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            if (b[i] == ',') {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- LIBSVM

    private void parseLibsvm(byte[] b, int from, int to, float[] x, int off) {
        int hash = indexOf(b, from, to, (byte) '#');
        if (hash >= 0) {
            to = hash;
        }
        int numFeatures = layout.numFeatures();
        if (x != null) {
            Arrays.fill(x, off, off + numFeatures, 0f);
        }
        int i = skipSpace(b, from, to);
        int labelEnd = skipToken(b, i, to);
        labelBytes = b;
        labelFrom = i;
        labelTo = labelEnd;
        labelString = null;
        labelCell = -1;
        if (indexOf(b, i, labelEnd, (byte) ':') >= 0) {
            throw error(-1, "found " + token(b, i, labelEnd) + " where the label should be"
                    + ", expected a label before the index:value pairs");
        }
        int previous = 0;
        i = skipSpace(b, labelEnd, to);
        while (i < to) {
            int end = skipToken(b, i, to);
            int colon = indexOf(b, i, end, (byte) ':');
            if (colon < 0) {
                throw error(-1, "found " + token(b, i, end) + " after the label, expected index:value");
            }
            long index = 0;
            boolean digits = colon > i;
            for (int k = i; k < colon && digits; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    digits = false;
                } else if (index <= Integer.MAX_VALUE) {
                    index = index * 10 + (b[k] - '0');
                }
            }
            if (!digits) {
                throw error(-1, "found " + token(b, i, end) + ", expected index:value with a whole-number index");
            }
            if (index == 0) {
                throw error(-1, "found index 0 in " + token(b, i, end) + ", expected 1-based indices (1, 2, ...)");
            }
            if (index <= previous) {
                throw error(-1, "found index " + index + " after index " + previous + " in " + token(b, i, end)
                        + ", expected strictly increasing indices");
            }
            if (numFeatures > 0 && index > numFeatures) {
                throw error(-1, "found index " + index + " in " + token(b, i, end) + ", expected at most "
                        + numFeatures + " (" + (layout.featuresOf() == null ? "the" : layout.featuresOf())
                        + " number of features)");
            }
            if (index > Integer.MAX_VALUE - 8) {
                throw error(-1, "found index " + index + ", expected an index below " + (Integer.MAX_VALUE - 8));
            }
            previous = (int) index;
            if (x != null) {
                float v;
                try {
                    v = Numbers.parseFloat(b, colon + 1, end);
                } catch (Numbers.Malformed ex) {
                    throw error(-1, "found value " + token(b, colon + 1, end) + " for index " + index
                            + ", expected a number");
                }
                if (!Float.isFinite(v)) {
                    throw error(-1, "found value " + token(b, colon + 1, end) + " for index " + index
                            + ", expected a finite float32 feature (no NaN or Inf)");
                }
                x[off + previous - 1] = v;
            }
            i = skipSpace(b, end, to);
        }
        if (previous > maxIndex) {
            maxIndex = previous;
        }
    }

    private static String token(byte[] b, int from, int to) {
        return DataException.quote(new String(b, from, to - from, StandardCharsets.UTF_8));
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int skipToken(byte[] b, int i, int to) {
        while (i < to && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static float toFloat(String s) throws Numbers.Malformed {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Numbers.parseFloat(bytes, 0, bytes.length);
    }

    /** True when {@code b[from, to)} holds only spaces and tabs (LIBSVM: or starts with a comment). */
    static boolean blank(byte[] b, int from, int to, TextLayout.Kind kind) {
        for (int i = from; i < to; i++) {
            if (b[i] == '#' && kind == TextLayout.Kind.LIBSVM) {
                return true;
            }
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
