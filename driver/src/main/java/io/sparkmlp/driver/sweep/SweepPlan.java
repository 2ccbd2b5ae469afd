package io.sparkmlp.driver.sweep;

import io.sparkmlp.driver.config.ConfigException;
import io.sparkmlp.driver.config.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's runs, each with its name and its whole configuration, all built (and so all checked) before the first
 * run starts. Run i's configuration is the file and the plain overrides with the i-th combination of swept values on
 * top and {@code output.dir = <sweep's output.dir>/runs/<name>}: exactly what {@code sparkmlp train FILE
 * KEY=VALUE... key=value... output.dir=...} would run.
 *
 * <p>A run's name is {@code key=value} for each swept key, joined by {@code _}: the key's last part
 * ({@code learningRate}) unless two swept keys share it, the value with {@code ,} as {@code x}
 * ({@code hidden=128x64}) and any character outside {@code [A-Za-z0-9.+-]} as {@code -}, so that it is a safe file
 * name on local disks, HDFS and object stores (and not a list of paths to Hadoop). Names that come out equal, or
 * longer than {@value #MAX_NAME} characters, get {@code -<run number>} appended.
 */
public final class SweepPlan {

    static final int MAX_NAME = 120;
    /** The folder of the runs under the sweep's output directory. */
    public static final String RUNS_DIR = "runs";

    /**
     * One run.
     *
     * @param number 1-based position in the sweep
     * @param values swept key → value, in the sweep lines' order
     * @param config its whole configuration
     */
    public record Run(int number, String name, Map<String, String> values, TrainConfig config) {
    }

    private final SweepSpec spec;
    private final TrainConfig base;
    private final List<Run> runs;

    private SweepPlan(SweepSpec spec, TrainConfig base, List<Run> runs) {
        this.spec = spec;
        this.base = base;
        this.runs = List.copyOf(runs);
    }

    /**
     * The plan of {@code sparkmlp sweep [FILE] [KEY=VALUE ...]}.
     *
     * @param file the configuration file, or null
     * @param args the overrides: {@code sweep.KEY=V1|V2} lines and plain {@code KEY=VALUE} settings
     * @throws ConfigException when the file, a setting, a sweep line or a run's combination is refused
     */
    public static SweepPlan of(Path file, List<String> args) {
        List<String> plain = args.stream().filter(a -> !SweepSpec.isSweepLine(a)).toList();
        TrainConfig base = TrainConfig.load(file, plain, SweepSpec::isSweepKey);
        if (base.train().resume()) {
            throw SweepSpec.refuse(base.source("train.resume"), "train.resume", "true", "false with sweep (started"
                    + " again, a sweep skips its finished runs and resumes unfinished ones from their checkpoints)");
        }
        SweepSpec spec = SweepSpec.read(file, args);
        List<Map<String, String>> combos = spec.combinations();
        List<String> names = names(spec.keys(), combos);
        String dir = stripSlash(base.output().dir());
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < combos.size(); i++) {
            Map<String, String> values = combos.get(i);
            List<String> overrides = new ArrayList<>(plain);
            values.forEach((k, v) -> overrides.add(k + "=" + v));
            overrides.add("output.dir=" + dir + "/" + RUNS_DIR + "/" + names.get(i));
            TrainConfig cfg;
            try {
                cfg = TrainConfig.load(file, overrides, SweepSpec::isSweepKey);
            } catch (ConfigException e) {
                throw againstSweepLine(e, spec, values, names.get(i));
            }
            requireSharedData(base, cfg, spec, values, names.get(i));
            runs.add(new Run(i + 1, names.get(i), values, cfg));
        }
        return new SweepPlan(spec, base, runs);
    }

    /**
     * A refusal of run {@code name}'s configuration, told against the sweep line when it is about a swept key (the
     * configuration saw the value as an override), else with the run named.
     */
    private static ConfigException againstSweepLine(ConfigException e, SweepSpec spec, Map<String, String> values,
                                                     String name) {
        if (e.key() != null && values.containsKey(e.key()) && TrainConfig.COMMAND_LINE.equals(e.source())) {
            SweepSpec.Axis a = spec.axis(e.key());
            String detail = e.detail() + (a.values().size() > 1 ? " (value \"" + e.value() + "\" of " + a.text() + ")" : "");
            return new ConfigException(a.source(), a.line(), a.values().size() > 1 ? e.value() : a.text(), detail, e);
        }
        return new ConfigException(e.source(), e.key(), e.value(), e.detail() + " (in sweep run " + name + ")", e);
    }

    private static String stripSlash(String dir) {
        String d = dir;
        while (d.length() > 1 && d.endsWith("/")) d = d.substring(0, d.length() - 1);
        return d;
    }

    /** The runs' names (see the class comment), unique. */
    static List<String> names(List<String> keys, List<Map<String, String>> combos) {
        Map<String, String> shortKeys = new LinkedHashMap<>();
        Set<String> tails = new HashSet<>();
        boolean clash = false;
        for (String k : keys) clash |= !tails.add(tail(k));
        for (String k : keys) shortKeys.put(k, clash ? k : tail(k));
        List<String> names = new ArrayList<>();
        Map<String, Integer> count = new HashMap<>();
        for (Map<String, String> values : combos) {
            StringBuilder sb = new StringBuilder();
            for (String k : keys) {
                if (sb.length() > 0) sb.append('_');
                sb.append(safe(shortKeys.get(k))).append('=').append(safe(values.get(k).replace(',', 'x')));
            }
            names.add(sb.toString());
            count.merge(sb.toString(), 1, Integer::sum);
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (count.get(n) > 1 || n.length() > MAX_NAME) {
                names.set(i, n.substring(0, Math.min(n.length(), MAX_NAME)) + "-" + (i + 1));
            }
        }
        return names;
    }

    private static String tail(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static String safe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '+'
                    || c == '-';
            sb.append(ok ? c : '-');
        }
        return sb.toString();
    }

    public SweepSpec spec() {
        return spec;
    }

    /** The configuration without swept values: the data, Spark, and {@code output.dir} (the sweep's directory). */
    public TrainConfig base() {
        return base;
    }

    public List<Run> runs() {
        return runs;
    }

    /**
     * Fails unless run {@code cfg} loads the data exactly as the sweep does: a swept key outside {@code data.*} and
     * {@code synthetic.*} may still change it ({@code model.loss} decides whether labels are classes or numbers).
     */
    private static void requireSharedData(TrainConfig base, TrainConfig cfg, SweepSpec spec, Map<String, String> values,
                                          String name) {
        if (cfg.data().equals(base.data())) return;
        for (SweepSpec.Axis a : spec.axes()) {
            if (!values.get(a.key()).equals(base.effective().get(a.key()))) {
                throw SweepSpec.refuse(a.source(), a.line(), a.text(), "a key that does not change how the data is"
                        + " loaded (the runs of a sweep share one dataset; run " + name + " with " + a.key() + " = "
                        + values.get(a.key()) + " would load it otherwise)");
            }
        }
        throw new IllegalStateException("run " + name + " loads other data than the sweep, with no swept key to blame");
    }
}
