package io.sparkmlp.kernel.io;

/**
 * A byte sequence that is not a readable sparkmlp model: wrong magic, unknown format version,
 * truncated, damaged (checksum mismatch), invalid header JSON, or contents that contradict the
 * architecture. The message is one line: {@code <source>: <what is wrong>: <found>, <expected>}.
 * Text from the file (a header key, a label) may hold anything, so line breaks become spaces and
 * other control characters ({@code U+0000–001F}, {@code U+007F–009F}, the Unicode line and paragraph
 * separators, unpaired surrogates) are written as a backslash, u and four hex digits: the line is safe
 * to print on a terminal.
 */
public final class ModelFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source where the bytes came from, e.g. a file path
     * @param problem what is wrong, with the value found and what was expected
     */
    public ModelFormatException(String source, String problem) {
        this(source, problem, null);
    }

    public ModelFormatException(String source, String problem, Throwable cause) {
        super(oneLine(source) + ": " + oneLine(problem), cause);
        this.source = source;
        this.problem = oneLine(problem);
    }

    /** Where the bytes came from (a path, or a name the caller gave). */
    public String source() {
        return source;
    }

    /** What is wrong, without the source: one line, control characters escaped. */
    public String problem() {
        return problem;
    }

    private static String oneLine(String s) {
        return PrintableText.escape(String.valueOf(s).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }
}
