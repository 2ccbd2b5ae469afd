package io.sparkmlp.driver.sweep;

import io.sparkmlp.driver.config.ConfigException;
import io.sparkmlp.driver.config.TrainConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a sweep tries: the {@code sweep.<key>=v1|v2|...} lines of a configuration file and of the command line
 * ({@code |} separates the values, since values such as {@code model.hidden=128,64} hold commas), and
 * {@code sweep.mode}: {@code grid} (default), every combination, the last key varying fastest; or {@code zip}, the
 * i-th value of every key together (all keys with as many values).
 *
 * <p>Refused, each in one line naming the source and the key: no sweep line; a key of the shared dataset
 * ({@code data.*}, {@code synthetic.*}), of the shared SparkContext ({@code spark.*}), of the sweep's own place
 * ({@code output.*}) or {@code train.resume}; an empty value or one given twice; a plain {@code KEY=VALUE} override of a
 * swept key; zip lines of different lengths; more than {@value #MAX_RUNS} runs. Unknown keys and malformed values are
 * refused by {@link TrainConfig} when the runs' configurations are built ({@link SweepPlan}), and reported against
 * the sweep line.
 */
public final class SweepSpec {

    /** The prefix of a sweep line's key. */
    public static final String PREFIX = "sweep.";
    /** The key choosing how the lines combine. */
    public static final String MODE_KEY = "sweep.mode";
    /** Most runs a sweep may have: a typo in a grid should not start a week of training. */
    public static final int MAX_RUNS = 1000;

    /** How the lines combine. */
    public enum Mode { GRID, ZIP }

    /**
     * One swept key.
     *
     * @param key the configuration key, without {@value #PREFIX}
     * @param values its values, in the order given
     * @param source the file or {@code command line}, for errors
     * @param text the line's value as written, for errors
     */
    public record Axis(String key, List<String> values, String source, String text) {
        /** The sweep line's key, {@value #PREFIX} + key. */
        public String line() {
            return PREFIX + key;
        }
    }

    private final List<Axis> axes;
    private final Mode mode;
    private final List<String> plainOverrides;

    private SweepSpec(List<Axis> axes, Mode mode, List<String> plainOverrides) {
        this.axes = List.copyOf(axes);
        this.mode = mode;
        this.plainOverrides = List.copyOf(plainOverrides);
    }

    /** Whether {@code key} is a sweep line's, which {@link TrainConfig} leaves to the sweep. */
    public static boolean isSweepKey(String key) {
        return key.trim().startsWith(PREFIX);
    }

    /** Whether the command-line argument {@code override} is a sweep line ({@code sweep.KEY=...}). */
    static boolean isSweepLine(String override) {
        int eq = override.indexOf('=');
        return eq > 0 && isSweepKey(override.substring(0, eq));
    }

    /**
     * Reads the sweep lines of {@code file} (may be null) and of {@code overrides} (a command-line line replaces the
     * file's of the same key). Call after {@link TrainConfig#load} has accepted the file, which reports a missing or
     * malformed file.
     *
     * @throws ConfigException as listed in the class comment
     */
    public static SweepSpec read(Path file, List<String> overrides) {
        Map<String, String[]> lines = new LinkedHashMap<>(); // key → {value, source}
        if (file != null) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new ConfigException(file.toString(), null, null, "cannot be read (" + e + ")", e);
            }
            for (String k : new TreeMap<>(toMap(p)).keySet()) {
                if (isSweepKey(k)) lines.put(k.trim(), new String[] {p.getProperty(k).trim(), file.toString()});
            }
        }
        List<String> plain = new ArrayList<>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (isSweepLine(o)) {
                String key = o.substring(0, eq).trim();
                lines.remove(key);
                lines.put(key, new String[] {o.substring(eq + 1).trim(), TrainConfig.COMMAND_LINE});
            } else {
                plain.add(o);
            }
        }
        String where = file == null ? TrainConfig.COMMAND_LINE : file.toString();
        return of(lines, where, plain);
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new HashMap<>();
        for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
        return m;
    }

    /**
     * The sweep of {@code lines} (sweep key → {value, source}), checked.
     *
     * @param where the source named when there is no sweep line at all
     * @param plainOverrides the other {@code KEY=VALUE} overrides, checked not to set a swept key
     */
    static SweepSpec of(Map<String, String[]> lines, String where, List<String> plainOverrides) {
        Mode mode = Mode.GRID;
        List<Axis> axes = new ArrayList<>();
        for (Map.Entry<String, String[]> e : lines.entrySet()) {
            String line = e.getKey();
            String text = e.getValue()[0];
            String source = e.getValue()[1];
            if (line.equals(MODE_KEY)) {
                mode = switch (text.toLowerCase(Locale.ROOT)) {
                    case "grid" -> Mode.GRID;
                    case "zip" -> Mode.ZIP;
                    default -> throw refuse(source, line, text,
                            "grid (every combination) or zip (the i-th values together)");
                };
                continue;
            }
            String key = line.substring(PREFIX.length());
            checkSweepable(source, line, text, key);
            axes.add(new Axis(key, values(source, line, text), source, text));
        }
        if (axes.isEmpty()) {
            throw new ConfigException(where, null, null, "expected at least one sweep line, sweep.KEY=V1|V2|..."
                    + " (e.g. sweep.train.learningRate=0.1|0.01)");
        }
        for (String o : plainOverrides) {
            int eq = o.indexOf('=');
            String key = eq < 0 ? o : o.substring(0, eq).trim();
            for (Axis a : axes) {
                if (a.key().equals(key)) {
                    throw refuse(TrainConfig.COMMAND_LINE, key, o.substring(eq + 1).trim(),
                            "no plain setting of a swept key (" + a.line() + " in " + a.source() + "); give "
                                    + a.line() + "=V1|V2|... to change its values");
                }
            }
        }
        SweepSpec spec = new SweepSpec(axes, mode, plainOverrides);
        spec.checkSize();
        return spec;
    }

    private static void checkSweepable(String source, String line, String text, String key) {
        String why = key.isEmpty() ? "a configuration key after sweep."
                : key.startsWith("data.") || key.startsWith("synthetic.")
                ? "a key that does not change the data (the runs of a sweep share one loaded or generated dataset;"
                        + " sweep data.* and synthetic.* with one sweep per dataset)"
                : key.startsWith("spark.") ? "a key other than spark.* (the runs share one SparkContext)"
                : key.startsWith("output.") ? "a key other than output.* (each run writes to output.dir/runs/NAME)"
                : key.equals("train.resume") ? "a key other than train.resume (a sweep resumes its unfinished runs"
                        + " itself when started again)"
                : null;
        if (why != null) throw refuse(source, line, text, why);
    }

    /** The values of one line, split at {@code |} and trimmed; none empty, none twice. */
    static List<String> values(String source, String line, String text) {
        String[] parts = text.split("\\|", -1);
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String v = parts[i].trim();
            if (v.isEmpty()) {
                throw refuse(source, line, text, "values separated by | with none empty (value "
                        + (i + 1) + " of " + parts.length + " is empty)");
            }
            if (!seen.add(v)) {
                throw refuse(source, line, text, "each value once (\"" + v + "\" is given twice)");
            }
        }
        return List.copyOf(seen);
    }

    private void checkSize() {
        if (mode == Mode.ZIP) {
            Axis first = axes.get(0);
            for (Axis a : axes) {
                if (a.values().size() != first.values().size()) {
                    throw refuse(a.source(), a.line(), a.text(), first.values().size()
                            + " values with sweep.mode = zip, as " + first.line() + " has; found " + a.values().size());
                }
            }
        }
        long runs = runCount();
        if (runs > MAX_RUNS) {
            Axis last = axes.get(axes.size() - 1);
            throw refuse(last.source(), last.line(), last.text(), "at most " + MAX_RUNS
                    + " runs in one sweep; these lines make " + runs);
        }
    }

    private long runCount() {
        if (mode == Mode.ZIP) return axes.get(0).values().size();
        long n = 1;
        for (Axis a : axes) n = Math.min(Long.MAX_VALUE / 2, n * a.values().size());
        return n;
    }

    public List<Axis> axes() {
        return axes;
    }

    public Mode mode() {
        return mode;
    }

    /** The command line's {@code KEY=VALUE} overrides that are not sweep lines: every run gets them. */
    public List<String> plainOverrides() {
        return plainOverrides;
    }

    /** The swept keys, in order. */
    public List<String> keys() {
        return axes.stream().map(Axis::key).toList();
    }

    /**
     * The combinations, in order: with {@code grid} every combination, the last line varying fastest; with
     * {@code zip} the i-th values together. Each maps key → value in the lines' order.
     */
    public List<Map<String, String>> combinations() {
        List<Map<String, String>> out = new ArrayList<>();
        if (mode == Mode.ZIP) {
            for (int i = 0; i < axes.get(0).values().size(); i++) {
                Map<String, String> m = new LinkedHashMap<>();
                for (Axis a : axes) m.put(a.key(), a.values().get(i));
                out.add(m);
            }
            return out;
        }
        out.add(new LinkedHashMap<>());
        for (Axis a : axes) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : a.values()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(a.key(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code <source>: <key> = "<value>": expected <expectation>}. */
    static ConfigException refuse(String source, String key, String value, String expectation) {
        return new ConfigException(source, key, value, "expected " + expectation);
    }

    /** The axis of {@code key}. */
    Axis axis(String key) {
        for (Axis a : axes) if (a.key().equals(key)) return a;
        throw new IllegalArgumentException("not swept: " + key);
    }
}
