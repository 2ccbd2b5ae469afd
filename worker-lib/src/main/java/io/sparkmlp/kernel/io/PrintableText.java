package io.sparkmlp.kernel.io;

import java.util.Locale;

/**
 * Text from a file or a user, made safe to print on a terminal and to keep on one line: C0 and C1
 * control characters (ESC and CSI among them, CR and LF too), DEL, the Unicode line and paragraph
 * separators, the bidirectional embedding, override and isolate controls, and unpaired surrogates are
 * written as a backslash, {@code u} and four hex digits; everything else, surrogate pairs included,
 * is kept. Used by every message and listing that shows text the project did not write itself.
 */
public final class PrintableText {

    private PrintableText() {
    }

    /** {@code text} with the characters above escaped; {@code "null"} for null. */
    public static String escape(String text) {
        String s = String.valueOf(text);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069') || Character.isSurrogate(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
