package io.sparkmlp.driver.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The values one key accepts: a parser from trimmed text to a typed value, its inverse (a value to
 * the text that parses back to it), the Java type of the values, and the phrase that completes
 * "expected ..." in an error. Parsers reject with {@link Invalid}, whose expectation may be more
 * precise than the type's (e.g. which layer of {@code model.hidden} is bad).
 */
final class ValueType<T> {

    /** A rejected value; {@code expected} is null to use the type's own phrase. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String expected;

        Invalid(String expected) {
            super(expected, null, false, false);
            this.expected = expected;
        }
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    /** Plain decimal or scientific notation; no hex, no NaN/Infinity, no {@code d}/{@code f} suffix. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private final String expected;
    private final Class<T> valueClass;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ValueType(String expected, Class<T> valueClass, Function<String, T> parser,
                      Function<T, String> formatter) {
        this.expected = expected;
        this.valueClass = valueClass;
        this.parser = parser;
        this.formatter = formatter;
    }

    /** Completes "expected ...", e.g. {@code a number > 0}. */
    String expected() {
        return expected;
    }

    /** The typed value of trimmed text {@code s}; throws {@link Invalid}. Null is a valid result for optional types. */
    T parse(String s) {
        return parser.apply(s);
    }

    /** The text that {@link #parse} reads back as {@code value}. */
    String format(T value) {
        return formatter.apply(value);
    }

    Class<T> valueClass() {
        return valueClass;
    }

    // ---- the types ----

    /** Free text; empty is null, which means {@code emptyMeans}. */
    static ValueType<String> optionalText(String what, String emptyMeans) {
        return new ValueType<>(what + " (empty: " + emptyMeans + ")", String.class, s -> s.isEmpty() ? null : s,
                v -> v == null ? "" : v);
    }

    /** Free text that must not be empty. */
    static ValueType<String> text(String what) {
        return new ValueType<>("a non-empty " + what, String.class, s -> {
            if (s.isEmpty()) throw new Invalid(null);
            return s;
        }, v -> v);
    }

    static ValueType<Boolean> bool() {
        return choice(Boolean.class, choices("true", Boolean.TRUE, "false", Boolean.FALSE));
    }

    /** One of an enum's constants, by lower-case name ({@code leaky_relu}); case and '-' for '_' are forgiven. */
    static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            byName.put(configName(e), e);
        }
        return choice(type, byName);
    }

    /** The configuration name of an enum constant: its name in lower case. */
    static String configName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** One of fixed words (matched case-insensitively), each with its value of {@code type}, which may be null. */
    static <T> ValueType<T> choice(Class<T> type, Map<String, T> byWord) {
        Map<String, T> words = new LinkedHashMap<>(byWord);
        return new ValueType<>("one of " + String.join(", ", words.keySet()), type, s -> {
            String w = s.toLowerCase(Locale.ROOT).replace('-', '_');
            if (!words.containsKey(w)) throw new Invalid(null);
            return words.get(w);
        }, v -> {
            for (Map.Entry<String, T> e : words.entrySet()) {
                if (Objects.equals(e.getValue(), v)) return e.getKey();
            }
            throw new IllegalArgumentException(v + " is not one of " + words.values());
        });
    }

    /** An ordered word → value map; values may be null. */
    static <T> Map<String, T> choices(String w1, T v1, String w2, T v2) {
        Map<String, T> m = new LinkedHashMap<>();
        m.put(w1, v1);
        m.put(w2, v2);
        return m;
    }

    static <T> Map<String, T> choices(String w1, T v1, String w2, T v2, String w3, T v3) {
        Map<String, T> m = choices(w1, v1, w2, v2);
        m.put(w3, v3);
        return m;
    }

    /** An integer ≥ {@code min}. */
    static ValueType<Integer> intAtLeast(int min) {
        return intAtLeastOr(min, null, 0);
    }

    /** An integer ≥ {@code min}, or {@code word} standing for {@code wordValue}. */
    static ValueType<Integer> intAtLeastOr(int min, String word, int wordValue) {
        ValueType<Long> l = longAtLeastOr(min, word, wordValue, Integer.MAX_VALUE);
        return new ValueType<>(l.expected, Integer.class, s -> Math.toIntExact(l.parse(s)),
                v -> l.format(v.longValue()));
    }

    /** A 64-bit integer ≥ {@code min}. */
    static ValueType<Long> longAtLeast(long min) {
        return longAtLeastOr(min, null, 0);
    }

    /** A 64-bit integer ≥ {@code min}, or {@code word} standing for {@code wordValue}. */
    static ValueType<Long> longAtLeastOr(long min, String word, long wordValue) {
        return longAtLeastOr(min, word, wordValue, Long.MAX_VALUE);
    }

    /** Any 64-bit integer. */
    static ValueType<Long> anyLong() {
        return longAtLeastOr(Long.MIN_VALUE, null, 0, Long.MAX_VALUE);
    }

    private static ValueType<Long> longAtLeastOr(long min, String word, long wordValue, long max) {
        String range = min == Long.MIN_VALUE ? "an integer" : "an integer >= " + min;
        String expected = word == null ? range : range + " or " + word;
        String overflow = (word == null ? "" : word + " or ") + "an integer from " + min + " to " + max;
        return new ValueType<>(expected, Long.class, s -> {
            if (word != null && s.equalsIgnoreCase(word)) return wordValue;
            if (!INTEGER.matcher(s).matches()) throw new Invalid(null);
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new Invalid(overflow);
            }
            if (v < min) throw new Invalid(null);
            if (v > max) throw new Invalid(overflow);
            return v;
        }, v -> word != null && v == wordValue ? word : Long.toString(v));
    }

    /**
     * A finite decimal number in a range; a NaN bound means "no bound on that side".
     * The phrase reads {@code a number > 0}, {@code a number >= 0} or {@code a number in [0, 1)}.
     */
    static ValueType<Double> number(double lo, boolean loInclusive, double hi, boolean hiInclusive) {
        String expected;
        if (Double.isNaN(hi)) {
            expected = Double.isNaN(lo) ? "a number" : "a number " + (loInclusive ? ">= " : "> ") + fmt(lo);
        } else {
            expected = "a number in " + (loInclusive ? "[" : "(") + fmt(lo) + ", " + fmt(hi)
                    + (hiInclusive ? "]" : ")");
        }
        return new ValueType<>(expected, Double.class, s -> {
            if (!DECIMAL.matcher(s).matches()) throw new Invalid(null);
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) throw new Invalid(null);
            boolean ok = Double.isNaN(lo) || (loInclusive ? v >= lo : v > lo);
            ok &= Double.isNaN(hi) || (hiInclusive ? v <= hi : v < hi);
            if (!ok) throw new Invalid(null);
            return v;
        }, v -> BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());
    }

    /**
     * {@link #number} or {@code word}, which stands for NaN (a value the caller draws at random, for example);
     * reads {@code a number >= 0 or random}.
     */
    static ValueType<Double> numberOr(double lo, boolean loInclusive, String word) {
        ValueType<Double> n = number(lo, loInclusive, Double.NaN, false);
        return new ValueType<>(n.expected + " or " + word, Double.class,
                s -> s.equalsIgnoreCase(word) ? Double.NaN : n.parse(s),
                v -> Double.isNaN(v) ? word : n.format(v));
    }

    /** {@code 0.9,0.1} → {0.9, 0.1}, each a number >= 0; {@code ""} or {@code none} → an empty array. */
    static ValueType<double[]> numberList() {
        String expected = "comma-separated numbers, each >= 0 (empty or none: not set)";
        ValueType<Double> n = number(0, true, Double.NaN, false);
        return new ValueType<>(expected, double[].class, s -> {
            if (s.isEmpty() || s.equalsIgnoreCase("none")) return new double[0];
            String[] parts = s.split(",", -1);
            double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    v[i] = n.parse(parts[i].trim());
                } catch (Invalid e) {
                    throw new Invalid(expected + "; value " + (i + 1) + " is "
                            + (parts[i].isBlank() ? "empty" : ConfigException.quote(parts[i].trim())));
                }
            }
            return v;
        }, v -> v.length == 0 ? "none" : Arrays.stream(v).mapToObj(n::format).collect(Collectors.joining(",")));
    }

    /** {@code 128,64} → {1, 2}; {@code ""} or {@code none} → no hidden layer. */
    static ValueType<int[]> layerSizes() {
        String expected = "comma-separated layer sizes, each an integer >= 1 (empty or none: no hidden layer)";
        return new ValueType<>(expected, int[].class, s -> {
            if (s.isEmpty() || s.equalsIgnoreCase("none")) return new int[0];
            String[] parts = s.split(",", -1);
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                boolean ok = INTEGER.matcher(p).matches() && p.length() <= 10;
                long v = ok ? Long.parseLong(p) : 0;
                if (!ok || v < 1 || v > Integer.MAX_VALUE) {
                    throw new Invalid(expected + "; layer " + (i + 1) + " is "
                            + (p.isEmpty() ? "empty" : ConfigException.quote(p)));
                }
                sizes.add((int) v);
            }
            return sizes.stream().mapToInt(Integer::intValue).toArray();
        }, v -> v.length == 0 ? "none" : Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    }

    /** {@code 0} (any free port), {@code 40000} or {@code 40000-40100} → {lo, hi}, 0 ≤ lo ≤ hi ≤ 65535 (lo = hi = 0: any). */
    static ValueType<int[]> portRange() {
        String expected = "0 (any free port), a port from 1 to 65535, or a range LOW-HIGH of such ports";
        Pattern form = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?");
        return new ValueType<>(expected, int[].class, s -> {
            Matcher m = form.matcher(s);
            if (!m.matches()) throw new Invalid(null);
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (hi > 65535 || lo > hi || (lo == 0 && hi != 0)) throw new Invalid(null);
            return new int[] {lo, hi};
        }, v -> v[0] == v[1] ? Integer.toString(v[0]) : v[0] + "-" + v[1]);
    }

    /** 0.5 → "0.5", 1.0 → "1". */
    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
