package io.sparkmlp.driver.data;

import java.nio.charset.StandardCharsets;

/**
 * Strict decimal parsing straight from a line's bytes, without allocating.
 *
 * <p>Grammar: {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, plus the words
 * {@code nan}, {@code inf}, {@code infinity} (any case, optionally signed), which parse to NaN / ±∞ so
 * that callers can report them as such. Anything else (Java's {@code 1f}, {@code 0x1p3}, spaces, empty)
 * is malformed.
 *
 * <p>Float results are correctly rounded. Fast path: with the mantissa's digits as an integer
 * {@code m < 2^53} and a decimal exponent {@code |e| ≤ 22}, {@code d = m·10^e} (or {@code m/10^-e}) is one
 * correctly rounded double operation on exact operands; {@code (float) d} is then the correctly rounded
 * float unless {@code d} lies exactly halfway between two floats (the only case where double rounding
 * can differ), which goes, like every other case, through {@link Float#parseFloat}.
 */
final class Numbers {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** Thrown for malformed text; carries no message (the caller knows the cell and builds the error). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super(null, null, false, false);
        }
    }

    private Numbers() {
    }

    /** Parses {@code b[from, to)} as a float (may be NaN or ±∞ for the special words or overflow). */
    static float parseFloat(byte[] b, int from, int to) throws Malformed {
        long r = scan(b, from, to);
        if (end(r) == to) {
            return value(r);
        }
        if (end(r) < 0) {
            return special(b, from, to);
        }
        throw Malformed.INSTANCE;
    }

    /** The end position packed in a {@link #scan} result; -1 when no number starts at {@code from}. */
    static int end(long scanned) {
        return (int) (scanned >> 32);
    }

    /** The value packed in a {@link #scan} result. */
    static float value(long scanned) {
        return Float.intBitsToFloat((int) scanned);
    }

    /**
     * Parses the longest prefix of {@code b[from, to)} that is a decimal number by the grammar of the class
     * doc (the special words excluded), without allocating: returns {@code end << 32 | floatBits}, where
     * {@code end} is the position after the number, or -1 (and no value) when no number starts at
     * {@code from}. Read it with {@link #end} and {@link #value}.
     */
    static long scan(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long m = 0;
        int digits = 0;        // significant digits accumulated into m
        int fractionDigits = 0;
        boolean anyDigit = false;
        boolean exact = true;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            anyDigit = true;
            if (digits < 18) {
                m = m * 10 + (b[i] - '0');
                if (m != 0) {
                    digits++;
                }
            } else {
                exact = false;
            }
            i++;
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                anyDigit = true;
                if (digits < 18) {
                    m = m * 10 + (b[i] - '0');
                    fractionDigits++;
                    if (m != 0) {
                        digits++;
                    }
                } else {
                    exact = false;
                }
                i++;
            }
        }
        if (!anyDigit) {
            return -1L << 32;
        }
        int exponent = 0;
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            int j = i + 1;
            boolean expNegative = false;
            if (j < to && (b[j] == '-' || b[j] == '+')) {
                expNegative = b[j] == '-';
                j++;
            }
            if (j < to && b[j] >= '0' && b[j] <= '9') {    // else the 'e' is not part of the number
                while (j < to && b[j] >= '0' && b[j] <= '9') {
                    if (exponent < 100_000) {
                        exponent = exponent * 10 + (b[j] - '0');
                    }
                    j++;
                }
                if (expNegative) {
                    exponent = -exponent;
                }
                i = j;
            }
        }
        float f;
        if (m == 0 && exact) {
            f = negative ? -0.0f : 0.0f;
        } else {
            f = exact ? fast(m, exponent - fractionDigits) : Float.NaN;
            if (Float.isNaN(f)) {
                f = Float.parseFloat(new String(b, from, i - from, StandardCharsets.ISO_8859_1));
            } else if (negative) {
                f = -f;
            }
        }
        return ((long) i << 32) | (Float.floatToRawIntBits(f) & 0xFFFFFFFFL);
    }

    /** {@code m·10^e} correctly rounded to float, or NaN when the fast path does not apply (see class doc). */
    private static float fast(long m, int e) {
        while (m >= (1L << 53) && e < 0 && m % 10 == 0) {   // trailing zeros of a long mantissa
            m /= 10;
            e++;
        }
        if (m < (1L << 53) && e >= -22 && e <= 22) {
            double d = e >= 0 ? m * POW10[e] : m / POW10[-e];
            if (d >= Float.MIN_NORMAL && d <= Float.MAX_VALUE
                    && (Double.doubleToRawLongBits(d) & 0x1FFFFFFFL) != 0x10000000L) {
                return (float) d;
            }
        }
        return Float.NaN;
    }

    /** Parses a strict decimal (see the class doc) from a string, as a double; for labels and header detection. */
    static double parseDouble(String s) throws Malformed {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        float f = parseFloat(b, 0, b.length);          // validates the grammar
        if (Float.isNaN(f)) {
            return Double.NaN;
        }
        if (Float.isInfinite(f) && (s.indexOf('n') >= 0 || s.indexOf('N') >= 0)) {
            return f;                                   // the words inf / infinity, not an overflow
        }
        return Double.parseDouble(s);
    }

    /** True when {@code s} is a number by the strict grammar (NaN and infinities included). */
    static boolean isNumber(String s) {
        try {
            parseDouble(s);
            return true;
        } catch (Malformed e) {
            return false;
        }
    }

    private static float special(byte[] b, int from, int to) throws Malformed {
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        int n = to - i;
        if (n == 3 && eq(b, i, "nan")) {
            return Float.NaN;
        }
        if ((n == 3 && eq(b, i, "inf")) || (n == 8 && eq(b, i, "infinity"))) {
            return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        throw Malformed.INSTANCE;
    }

    private static boolean eq(byte[] b, int from, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            int ch = b[from + k] | 0x20;
            if (ch != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
