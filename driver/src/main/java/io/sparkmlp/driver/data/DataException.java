package io.sparkmlp.driver.data;

/**
 * Bad input data: one line naming where (file, line, column), the value found and what was expected,
 * e.g. {@code /data/iris.csv:17:3: found 'abc' in column 3 'petal_len', expected a number}.
 * Line and column numbers are 1-based, as an editor shows them (column = CSV cell, not character).
 *
 * <p>Thrown inside Spark tasks and therefore serializable (strings and numbers only). Spark wraps a
 * task's exception in a {@code SparkException} whose cause is the deserialized original; driver code
 * gets it back with {@link #unwrap(Throwable)}.
 *
 * <p>A task reading a split that starts in the middle of a file knows only the line's position
 * within its split ({@link #splitStart()} &gt; 0); {@link DataLoader} completes it to the line number
 * within the file before rethrowing, so callers of the loader always see exact line numbers.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final int column;
    private final long splitStart;
    private final int split;
    private final String problem;

    private DataException(String file, long line, int column, int split, long splitStart, String problem) {
        super(format(file, line, column, splitStart, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.split = split;
        this.splitStart = splitStart;
        this.problem = problem;
    }

    /** An error about a whole path or data set (no line), e.g. {@code path: empty file, expected ...}. */
    public static DataException of(String file, String problem) {
        return new DataException(file, 0, 0, -1, 0, problem);
    }

    /** An error that names no file (e.g. a model/data mismatch). */
    public static DataException of(String problem) {
        return new DataException(null, 0, 0, -1, 0, problem);
    }

    /** An error at {@code file:line[:column]}; column 0 means none. */
    public static DataException at(String file, long line, int column, String problem) {
        return new DataException(file, line, column, -1, 0, problem);
    }

    /**
     * An error at the {@code localLine}-th line (1-based) of split (partition) {@code split}, which starts
     * at byte {@code splitStart} of {@code file}; {@code splitStart == 0} makes it an exact line.
     */
    static DataException inSplit(String file, int split, long splitStart, long localLine, int column, String problem) {
        return new DataException(file, localLine, column, split, splitStart, problem);
    }

    /** The same error with {@code linesBefore} added to the split-relative line: an exact line number. */
    DataException resolved(long linesBefore) {
        DataException e = new DataException(file, linesBefore + line, column, split, 0, problem);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The file named, or null. */
    public String file() {
        return file;
    }

    /** 1-based line in {@link #file()}, or 0 when the error has no line; split-relative while {@link #splitStart()} &gt; 0. */
    public long line() {
        return line;
    }

    /** 1-based CSV column, or 0 when the error has none. */
    public int column() {
        return column;
    }

    /** Byte offset of the split the line is counted from; 0 once the line number is exact. */
    public long splitStart() {
        return splitStart;
    }

    /** Index of the input split (task partition) that raised it, or -1. */
    int split() {
        return split;
    }

    /** The message without its location prefix. */
    public String problem() {
        return problem;
    }

    /**
     * The first {@code DataException} in {@code t}'s cause chain (Spark wraps a failed task's
     * exception as the cause of a {@code SparkException}), or null when there is none.
     */
    public static DataException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DataException d) {
                return d;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /**
     * What a driver-side caller should rethrow for {@code t}: the {@code DataException} inside it if any,
     * else {@code t} itself when unchecked, else {@code t} wrapped in an {@code IllegalStateException}.
     */
    public static RuntimeException unwrap(Throwable t) {
        DataException d = find(t);
        if (d != null) {
            return d;
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(t.getMessage(), t);
    }

    private static String format(String file, long line, int column, long splitStart, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
        }
        if (line > 0) {
            sb.append(':');
            if (splitStart > 0) {
                sb.append("(line ").append(line).append(" of the split at byte ").append(splitStart).append(')');
            } else {
                sb.append(line);
            }
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        if (sb.length() > 0) {
            sb.append(": ");
        }
        return sb.append(problem).toString();
    }

    /**
     * {@code value} quoted for a message: control characters (C0, DEL, C1) and the Unicode line and paragraph
     * separators escaped, so the message stays one line; long values cut to 60 characters.
     */
    static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        if (value.isEmpty()) {
            return "an empty cell";
        }
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(value.length(), 60);
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        if (n < value.length()) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
