package io.sparkmlp.driver.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.InputFiles.FirstLine;

/**
 * Decides how a text data set's lines are read ({@link TextLayout}) from its first non-blank line, on the
 * driver. Format (AUTO): a line whose tokens after the first all look like {@code index:value} is LIBSVM,
 * else CSV. CSV label column: data.labelColumn as a name of the first line (a header, then), else as a
 * 0-based index (a number is a name only when data.header=true and the header has it), else the last
 * column; unlabelled when {@code expect} allows it, no label column is given and the line has exactly the
 * expected number of features. CSV header: data.header, else a label column found by name, else decided by
 * {@link #decideHeader} and said in one log line; with a header, the first non-blank line of every file is
 * skipped. Row width: more than data.maxFeatures features (CSV columns; LIBSVM data.numFeatures) is refused
 * here, before any pass over the data.
 */
final class LayoutDetector {

    private static final Logger LOG = LoggerFactory.getLogger(LayoutDetector.class);
    private static final Pattern LIBSVM_PAIR = Pattern.compile("\\d+:\\S*");
    /** Cells that stand for a missing value in a data row (compared in lower case), not for a column name. */
    static final Set<String> MISSING_MARKERS = Set.of("", "?", "na", "n/a", "nan", "null", "none", "-");

    /**
     * What {@link #decideHeader} decided about a first row.
     *
     * @param header the first row is a header
     * @param notice the one line that says so, for the log
     */
    record HeaderDecision(boolean header, String notice) { }

    /** What the caller requires of the data set. */
    record Expect(int numFeatures, String whose, boolean allowUnlabelled) {
        static final Expect FREE = new Expect(0, null, false);
    }

    private LayoutDetector() {
    }

    /** The layout of the data set at {@code path}, whose first non-blank line is {@code first}. */
    static TextLayout detect(FirstLine first, String path, DataOptions opts, boolean regression, Expect expect) {
        DataOptions.DataFormat format = opts.format();
        if (format == DataOptions.DataFormat.AUTO || format == null) {
            format = looksLikeLibsvm(first.text()) ? DataOptions.DataFormat.LIBSVM : DataOptions.DataFormat.CSV;
        }
        if (format == DataOptions.DataFormat.LIBSVM) {
            int n = expect.numFeatures() > 0 ? expect.numFeatures() : opts.numFeatures();
            if (expect.numFeatures() > 0 && opts.numFeatures() > 0 && opts.numFeatures() != expect.numFeatures()) {
                throw DataException.of(path, "data.numFeatures is " + opts.numFeatures() + ", expected "
                        + expect.numFeatures() + " (" + expect.whose() + " number of features)");
            }
            if (expect.numFeatures() == 0 && opts.numFeatures() > opts.maxFeatures()) {
                throw DataException.of(path, "data.numFeatures is " + opts.numFeatures() + ", expected at most "
                        + "data.maxFeatures = " + opts.maxFeatures() + " (raise data.maxFeatures for wider rows)");
            }
            return new TextLayout(TextLayout.Kind.LIBSVM, false, 0, -1, n, null, regression, expect.whose());
        } else if (format == DataOptions.DataFormat.CSV) {
            return csvLayout(first, opts, regression, expect);
        } else {
            throw new IllegalArgumentException("format " + format + " is not a text format");
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

    private static TextLayout csvLayout(FirstLine firstLine, DataOptions opts, boolean regression, Expect expect) {
        String first = firstLine.text();
        String file = firstLine.file();
        long line = firstLine.line();
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
            HeaderDecision decision = decideHeader(cells, labelColumn, file, line);
            LOG.info(decision.notice());
            header = decision.header();
        }
        int features = labelColumn >= 0 ? n - 1 : n;
        if (expect.numFeatures() == 0 && features > opts.maxFeatures()) {
            throw DataException.at(file, line, 0, "found " + n + " columns (" + features + " features), expected at most "
                    + "data.maxFeatures = " + opts.maxFeatures() + " features (raise data.maxFeatures for wider rows)");
        }
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

    /**
     * Whether the first row of a CSV file without data.header is a header. The rule, over the row's cells
     * outside the label column ("feature cells"):
     * <ol>
     *   <li>a feature cell that is neither a number nor a missing-value marker ({@link #MISSING_MARKERS}, such as
     *       {@code ?} or {@code NA}) makes it a header;</li>
     *   <li>else, when the whole row is the column numbers {@code 0,1,…,n−1} or {@code 1,2,…,n} (what pandas
     *       writes for integer column names with {@code index=False}), it is refused as ambiguous: it may as
     *       well be a data row;</li>
     *   <li>else it is data (a row with missing-value markers then fails where they are, with its line).</li>
     * </ol>
     * Every decision comes with a line that says which and why.
     *
     * @throws DataException for the ambiguous row of rule 2, asking for data.header
     */
    static HeaderDecision decideHeader(List<String> cells, int labelColumn, String file, long line) {
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i == labelColumn || Numbers.isNumber(c)) {
                continue;
            }
            if (!MISSING_MARKERS.contains(c.toLowerCase(Locale.ROOT))) {
                return new HeaderDecision(true, notice(file, "a header", "cell " + (i + 1) + " " + DataException.quote(c)
                        + " is not a number"));
            }
            markers.add(DataException.quote(c));
        }
        int start = columnNumbersFrom(cells);
        if (start >= 0) {
            throw DataException.at(file, line, 0, "found the first row " + String.join(",", cells) + ", the column"
                    + " numbers " + start + ".." + (start + cells.size() - 1) + ": a header (as pandas writes with"
                    + " index=False) or a data row; expected data.header=true or data.header=false to decide");
        }
        return new HeaderDecision(false, notice(file, "data", markers.isEmpty()
                ? "every feature cell is a number"
                : "its only other cells are missing-value markers (" + String.join(", ", markers) + ")"));
    }

    private static String notice(String file, String taken, String because) {
        return "data.header not set: first row of " + file + " taken as " + taken + " because " + because
                + "; set data.header=true|false to decide";
    }

    /** 0 or 1 when the cells are exactly the integers {@code s, s+1, …} from that start (at least 2 cells), else -1. */
    private static int columnNumbersFrom(List<String> cells) {
        if (cells.size() < 2) {
            return -1;
        }
        for (int start = 0; start <= 1; start++) {
            boolean all = true;
            for (int i = 0; i < cells.size() && all; i++) {
                all = cells.get(i).equals(Integer.toString(start + i));
            }
            if (all) {
                return start;
            }
        }
        return -1;
    }
}
