package io.sparkmlp.driver.config;

/**
 * A job configuration that cannot be used, reported on one line:
 * {@code <source>: <key> = "<value>": <detail>}, e.g.
 * {@code conf/x.properties: train.learningRate = "-1": expected a number > 0}.
 *
 * <p>The source is the configuration file as given, {@code command line} for a {@code KEY=VALUE}
 * override, or the source named to {@link TrainConfig#fromMap}. A key that is not set renders as
 * {@code <key> is not set}; an error about the file itself has no key and no value.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String key;
    private final String value;
    private final String detail;

    /**
     * @param source file or "command line"; never null
     * @param key the key concerned, or null for an error about the file or an override as a whole
     * @param value the value found (untrimmed text is fine, it is quoted), or null when not set
     * @param detail what was expected or what is wrong, e.g. {@code expected a number > 0}
     */
    public ConfigException(String source, String key, String value, String detail) {
        this(source, key, value, detail, null);
    }

    public ConfigException(String source, String key, String value, String detail, Throwable cause) {
        super(format(source, key, value, detail), cause);
        this.source = source;
        this.key = key;
        this.value = value;
        this.detail = detail;
    }

    /** {@code <source>: <key> = "<value>": expected <expectation>}. */
    static ConfigException expected(String source, String key, String value, String expectation) {
        return new ConfigException(source, key, value, "expected " + expectation);
    }

    /** Where the bad setting came from: a file path, "command line", or a {@code fromMap} source. */
    public String source() {
        return source;
    }

    /** The key concerned; null for an error about the file or a malformed override. */
    public String key() {
        return key;
    }

    /** The value found; null when the key is not set. */
    public String value() {
        return value;
    }

    /** What was expected or what is wrong (the message's tail). */
    public String detail() {
        return detail;
    }

    private static String format(String source, String key, String value, String detail) {
        StringBuilder sb = new StringBuilder(source).append(": ");
        if (key != null) {
            sb.append(key).append(value == null ? " is not set" : " = " + quote(value));
        } else if (value != null) {
            sb.append(quote(value));
        }
        if (key != null || value != null) {
            sb.append(": ");
        }
        return sb.append(detail).toString();
    }

    /** Double-quoted, with control characters escaped so the message stays on one line. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
