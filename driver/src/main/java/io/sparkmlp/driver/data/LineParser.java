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
 * <p>In scan mode ({@code x == null}) only the structure is checked (cell count, label cell, LIBSVM
 * indices), no feature value is parsed; the full parse checks every value.
 */
final class LineParser {
    private final TextLayout layout;
    private final String file;
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

    LineParser(TextLayout layout, String file, long splitStart) {
        this.layout = layout;
        this.file = file;
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
        return DataException.inSplit(file, splitStart, line, column, problem);
    }

    // ---------------------------------------------------------------- CSV

    private void parseCsv(byte[] b, int from, int to, float[] x, int off) {
        int columns = layout.columns();
        int labelColumn = layout.labelColumn();
        int cell = 0;
        int start = from;
        while (true) {
            int comma = indexOf(b, start, to, (byte) ',');
            int end = comma < 0 ? to : comma;
            if (cell >= columns) {
                throw wrongColumns(countCells(b, from, to));
            }
            int s = start;
            int e = end;
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (cell == labelColumn) {
                labelBytes = b;
                labelFrom = s;
                labelTo = e;
                labelString = null;
                labelCell = cell;
            } else if (x != null) {
                int feature = labelColumn >= 0 && cell > labelColumn ? cell - 1 : cell;
                x[off + feature] = feature(b, s, e, cell);
            }
            cell++;
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        if (cell != columns) {
            throw wrongColumns(cell);
        }
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
                        + numFeatures + " (the number of features)");
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
