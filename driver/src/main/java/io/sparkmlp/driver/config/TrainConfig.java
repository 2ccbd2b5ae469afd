package io.sparkmlp.driver.config;

import static io.sparkmlp.driver.config.Keys.*;

import io.sparkmlp.driver.config.DataOptions.DataFormat;
import io.sparkmlp.driver.config.DataOptions.SyntheticKind;
import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;
import io.sparkmlp.driver.config.Keys.Key;
import io.sparkmlp.kernel.optim.OptimizerKind;
import io.sparkmlp.kernel.optim.ScheduleKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A job's configuration: a Java properties file plus {@code KEY=VALUE} overrides (later ones
 * win), typed and validated here, in one place, against the one table of keys and defaults
 * ({@code Keys}; listed by {@link #keyDocs()} and in {@code docs/CONFIG.md}).
 *
 * <ul>
 *   <li>Keys are case-sensitive; values are trimmed. {@code spark.*} keys pass to Spark as they
 *       are (Spark checks them). A renamed key ({@code train.stepSize}) is refused with its new
 *       name. Any other key not in the table is refused, with the closest known key suggested.</li>
 *   <li>Every malformed value is refused with one line naming the source (the file, or
 *       {@code command line}), the key, the value found and what was expected:
 *       {@code conf/x.properties: train.learningRate = "-1": expected a number > 0}.</li>
 *   <li>Settings that have no effect with the rest of the configuration (e.g.
 *       {@code data.numFeatures} for csv, {@code train.beta1} for sgd) are accepted and listed in
 *       {@link #warnings()}, so one file can switch format or optimizer with an override.</li>
 *   <li>Relative paths are kept as given: they resolve against the working directory, not the
 *       configuration file's folder.</li>
 * </ul>
 *
 * Needs no SparkContext.
 */
public final class TrainConfig {

    /** The source named in errors about {@code KEY=VALUE} overrides. */
    public static final String COMMAND_LINE = "command line";

    /** The source reported by {@link #source} for a key left at its default. */
    public static final String DEFAULT = "default";

    /** Shortest share of the rows left for training after the test and validation splits. */
    static final double MIN_TRAINING_SHARE = 0.1;

    /** A user's setting of one key, and where it came from. */
    private record Setting(String value, String source) { }

    private final DataOptions data;
    private final ModelOptions model;
    private final TrainOptions train;
    private final OutputOptions output;
    private final TransportOptions transport;
    private final Map<String, String> sparkConf;
    private final Map<String, String> effective;
    private final Map<String, String> sources;
    private final Map<String, String> settings;
    private final List<String> warnings;

    private TrainConfig(DataOptions data, ModelOptions model, TrainOptions train, OutputOptions output,
                        TransportOptions transport, Map<String, String> sparkConf, Map<String, String> effective, Map<String, String> sources,
                        Map<String, String> settings, List<String> warnings) {
        this.data = data;
        this.model = model;
        this.train = train;
        this.output = output;
        this.transport = transport;
        this.sparkConf = sparkConf;
        this.effective = effective;
        this.sources = sources;
        this.settings = settings;
        this.warnings = warnings;
    }

    // ---- building ----

    /**
     * Reads {@code file} (UTF-8 properties; may be null: defaults and overrides only), then applies
     * {@code overrides} in order, each {@code KEY=VALUE} (split at the first '='; later ones win).
     *
     * @throws ConfigException when the file is missing or unreadable, a key is set twice in it, an
     *         override has no '=', a key is unknown, or a value is invalid
     */
    public static TrainConfig load(Path file, List<String> overrides) {
        return load(file, overrides, key -> false);
    }

    /**
     * {@link #load(Path, List)}, leaving out the file's keys that {@code readElsewhere} accepts: keys of another
     * reader of the same file (the {@code sweep.*} lines of a sweep), which would otherwise be refused as unknown.
     */
    public static TrainConfig load(Path file, List<String> overrides, Predicate<String> readElsewhere) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        if (file != null) {
            readFile(file, settings);
            settings.keySet().removeIf(readElsewhere);
        }
        if (overrides != null) {
            for (String o : overrides) {
                int eq = o == null ? -1 : o.indexOf('=');
                if (eq < 0) {
                    throw new ConfigException(COMMAND_LINE, null, String.valueOf(o),
                            "expected KEY=VALUE (an override needs '=')");
                }
                String key = o.substring(0, eq).trim();
                if (key.isEmpty()) {
                    throw new ConfigException(COMMAND_LINE, null, o, "expected KEY=VALUE with a non-empty KEY");
                }
                settings.remove(key); // re-insert so iteration shows the latest setting's order
                settings.put(key, new Setting(o.substring(eq + 1).trim(), COMMAND_LINE));
            }
        }
        String primary = file != null ? file.toString() : COMMAND_LINE;
        return build(settings, file, primary);
    }

    /**
     * A configuration from key → value pairs, all attributed to {@code source} in errors; no
     * configuration file (so {@code output.dir} defaults to {@code runs/sparkmlp}).
     */
    public static TrainConfig fromMap(Map<String, String> values, String source) {
        Objects.requireNonNull(source, "source");
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            String key = e.getKey().trim();
            if (e.getValue() == null) {
                throw new ConfigException(source, key, null, "expected a value, found null");
            }
            settings.put(key, new Setting(e.getValue().trim(), source));
        }
        return build(settings, null, source);
    }

    private static void readFile(Path file, Map<String, Setting> settings) {
        String src = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigException(src, null, null, "is a directory, expected a properties file");
        }
        Properties props = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                Object earlier = super.put(key, value);
                if (earlier != null) {
                    throw new ConfigException(src, String.valueOf(key), String.valueOf(value),
                            "key set twice in this file (also " + ConfigException.quote(String.valueOf(earlier).trim())
                                    + "); expected each key once");
                }
                return null;
            }
        };
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(src, null, null,
                    "no such file, expected a job configuration (properties file)", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(src, null, null, "not valid UTF-8, expected a UTF-8 properties file", e);
        } catch (IOException e) {
            throw new ConfigException(src, null, null, "cannot be read (" + e + ")", e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(src, null, null, "malformed properties file (" + e.getMessage() + ")", e);
        }
        for (String key : new TreeMap<>(toStrings(props)).keySet()) {
            settings.put(key.trim(), new Setting(props.getProperty(key).trim(), src));
        }
    }

    private static Map<String, String> toStrings(Properties p) {
        Map<String, String> m = new HashMap<>();
        for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
        return m;
    }

    /** Validation and defaults, in one place. Order: unknown keys, each key's type (table order), cross-key rules. */
    private static TrainConfig build(Map<String, Setting> settings, Path file, String primary) {
        // 1. unknown keys; spark.* aside
        Map<String, String> spark = new TreeMap<>();
        Map<String, Setting> sorted = new TreeMap<>(settings);
        for (Map.Entry<String, Setting> e : sorted.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty()) {
                throw new ConfigException(e.getValue().source(), null, "=" + e.getValue().value(),
                        "expected KEY=VALUE with a non-empty KEY");
            }
            if (key.startsWith(SPARK_PREFIX)) {
                spark.put(key, e.getValue().value());
            } else if (RENAMED.containsKey(key)) {
                throw new ConfigException(e.getValue().source(), key, e.getValue().value(),
                        "this key was renamed; expected " + RENAMED.get(key) + " instead");
            } else if (!BY_NAME.containsKey(key)) {
                String guess = Spelling.suggest(key, BY_NAME.keySet());
                throw new ConfigException(e.getValue().source(), key, e.getValue().value(), "unknown key"
                        + (guess != null ? "; did you mean \"" + guess + "\"?"
                                         : "; the known keys are listed in docs/CONFIG.md"));
            }
        }

        // 2. each key parsed by its type
        Resolved r = new Resolved(settings, file);
        for (Key<?> k : ALL) {
            r.get(k);
        }

        // 3. the typed options
        DataFormat format = r.get(DATA_FORMAT);
        boolean synthetic = format == DataFormat.SYNTHETIC;
        DataOptions data = DataOptions.of(r);
        SyntheticOptions syn = data.synthetic();
        ModelOptions model = new ModelOptions(r.get(MODEL_HIDDEN), r.get(MODEL_ACTIVATION), r.get(MODEL_LOSS),
                r.get(MODEL_BACKEND));
        TrainOptions train = TrainOptions.of(r);
        OutputOptions output = new OutputOptions(r.get(OUTPUT_DIR), r.get(OUTPUT_OVERWRITE));

        // 4. rules across keys
        if (!synthetic && data.train() == null) {
            throw new ConfigException(r.isSet(DATA_TRAIN) ? r.source(DATA_TRAIN) : primary, DATA_TRAIN.name(),
                    r.isSet(DATA_TRAIN) ? "" : null,
                    "expected a training data path (required unless data.format = synthetic)");
        }
        if (format.tabular() && data.test() != null) {
            throw r.invalid(DATA_TEST, "unset with data.format = " + ValueType.configName(format)
                    + " (the test split is data.testFraction of data.train)");
        }
        if (synthetic) {
            checkSynthetic(r, syn, model.loss());
        }
        double testShare = data.test() == null ? data.testFraction() : 0;
        double trainShare = (1 - testShare) * (1 - data.validationFraction());
        if (trainShare < MIN_TRAINING_SHARE) {
            Key<Double> blame = r.isSet(DATA_VALIDATION_FRACTION) ? DATA_VALIDATION_FRACTION : DATA_TEST_FRACTION;
            throw r.invalid(blame, String.format(Locale.ROOT,
                    "fractions leaving at least %.0f%% of the rows for training; data.testFraction = %s and "
                            + "data.validationFraction = %s leave %.1f%%",
                    100 * MIN_TRAINING_SHARE, r.text(DATA_TEST_FRACTION), r.text(DATA_VALIDATION_FRACTION),
                    100 * trainShare));
        }
        if (train.minLearningRate() > train.learningRate()) {
            throw r.invalid(TRAIN_MIN_LEARNING_RATE,
                    "a number in [0, train.learningRate = " + r.text(TRAIN_LEARNING_RATE) + "]");
        }
        if (train.earlyStoppingPatience() > 0 && data.validationFraction() == 0) {
            throw r.invalid(TRAIN_EARLY_STOPPING_PATIENCE,
                    "0 when data.validationFraction = 0 (early stopping watches the validation split)");
        }
        if (train.optimizer() == OptimizerKind.LBFGS) {
            // the line search chooses each step's length from full-batch evaluations: these would change nothing
            if (train.lrSchedule() != ScheduleKind.CONSTANT) {
                throw r.invalid(TRAIN_LR_SCHEDULE, "constant with train.optimizer = lbfgs (it has no learning rate)");
            }
            if (train.warmupSteps() > 0) {
                throw r.invalid(TRAIN_WARMUP_STEPS, "0 with train.optimizer = lbfgs (it has no learning rate)");
            }
            if (train.clipNorm() > 0) {
                throw r.invalid(TRAIN_CLIP_NORM, "0 with train.optimizer = lbfgs (its line search bounds each step)");
            }
            if (r.isSet(TRAIN_BATCH_SIZE) && !train.fullBatch()) {
                throw r.invalid(TRAIN_BATCH_SIZE, "full with train.optimizer = lbfgs (every evaluation uses the whole"
                        + " training split)");
            }
        }
        if (train.resume() && output.overwrite()) {
            throw r.invalid(OUTPUT_OVERWRITE,
                    "false with train.resume = true (overwriting would delete the checkpoint to resume from)");
        }

        // 5. settings without effect
        List<String> warnings = new ArrayList<>();
        if (synthetic) {
            r.warnIfSet(warnings, "data.format = synthetic", DATA_TRAIN, DATA_TEST, DATA_HEADER, DATA_LABEL_COLUMN,
                    DATA_NUM_FEATURES);
            r.warnIfSet(warnings, "synthetic.kind = " + ValueType.configName(syn.kind()), ALL.stream()
                    .filter(k -> k.name().startsWith("synthetic.") && !syntheticKeysOf(syn.kind()).contains(k))
                    .toArray(Key<?>[]::new));
        } else {
            r.warnIfSet(warnings, "data.format is not synthetic",
                    ALL.stream().filter(k -> k.name().startsWith("synthetic.")).toArray(Key<?>[]::new));
        }
        if (format == DataFormat.CSV) {
            r.warnIfSet(warnings, "data.format = csv (the columns give the feature count)", DATA_NUM_FEATURES);
        }
        if (format == DataFormat.LIBSVM) {
            r.warnIfSet(warnings, "data.format = libsvm", DATA_HEADER, DATA_LABEL_COLUMN);
        }
        if (format.tabular()) {
            r.warnIfSet(warnings, "data.format = " + ValueType.configName(format) + " (the schema gives the columns)",
                    DATA_HEADER, DATA_NUM_FEATURES);
        } else {
            r.warnIfSet(warnings, "data.format = " + ValueType.configName(format) + " (only tables have named"
                    + " Vector columns)", DATA_FEATURES_COLUMN);
        }
        if (data.test() != null) {
            r.warnIfSet(warnings, "data.test is set", DATA_TEST_FRACTION);
        }
        String optimizer = "train.optimizer = " + ValueType.configName(train.optimizer());
        switch (train.optimizer()) {
            case SGD -> r.warnIfSet(warnings, optimizer, TRAIN_MOMENTUM, TRAIN_BETA1, TRAIN_BETA2);
            case MOMENTUM, NESTEROV -> r.warnIfSet(warnings, optimizer, TRAIN_BETA1, TRAIN_BETA2);
            case ADAM, ADAMW -> r.warnIfSet(warnings, optimizer, TRAIN_MOMENTUM);
            case LBFGS -> r.warnIfSet(warnings, optimizer + " (no learning rate)", TRAIN_LEARNING_RATE, TRAIN_MOMENTUM,
                    TRAIN_BETA1, TRAIN_BETA2, TRAIN_DECAY_STEPS, TRAIN_GAMMA, TRAIN_MIN_LEARNING_RATE);
            case AUTO -> r.warnIfSet(warnings, optimizer + " (adam or lbfgs)", TRAIN_MOMENTUM);
        }
        if (train.optimizer() != OptimizerKind.LBFGS && train.optimizer() != OptimizerKind.AUTO) {
            r.warnIfSet(warnings, optimizer, TRAIN_LBFGS_HISTORY, TRAIN_TOL);
        }
        if (train.optimizer() != OptimizerKind.LBFGS) { // lbfgs warned above about every schedule key
            switch (train.lrSchedule()) {
                case CONSTANT -> r.warnIfSet(warnings, "train.lrSchedule = constant", TRAIN_DECAY_STEPS, TRAIN_GAMMA,
                        TRAIN_MIN_LEARNING_RATE);
                case STEP -> r.warnIfSet(warnings, "train.lrSchedule = step", TRAIN_MIN_LEARNING_RATE);
                case COSINE -> r.warnIfSet(warnings, "train.lrSchedule = cosine", TRAIN_DECAY_STEPS, TRAIN_GAMMA);
            }
        }

        Map<String, String> effective = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        for (Key<?> k : ALL) {
            effective.put(k.name(), r.text(k));
            sources.put(k.name(), r.source(k));
        }
        for (String k : spark.keySet()) {
            sources.put(k, settings.get(k).source());
        }
        Map<String, String> set = new TreeMap<>();
        settings.forEach((k, s) -> set.put(k, s.value()));
        return new TrainConfig(data, model, train, output, TransportOptions.of(r), Collections.unmodifiableMap(spark),
                Collections.unmodifiableMap(effective), Collections.unmodifiableMap(sources),
                Collections.unmodifiableMap(set), List.copyOf(warnings));
    }

    /** The {@code synthetic.*} keys that the generator {@code kind} reads. */
    static List<Key<?>> syntheticKeysOf(SyntheticKind kind) {
        List<Key<?>> keys = new ArrayList<>(List.of(SYNTHETIC_KIND, SYNTHETIC_ROWS, SYNTHETIC_SEED));
        keys.addAll(switch (kind) {
            case CLASSIFICATION -> List.of(SYNTHETIC_FEATURES, SYNTHETIC_CLASSES, SYNTHETIC_INFORMATIVE,
                    SYNTHETIC_REDUNDANT, SYNTHETIC_REPEATED, SYNTHETIC_CLUSTERS_PER_CLASS, SYNTHETIC_CLASS_SEP,
                    SYNTHETIC_WEIGHTS, SYNTHETIC_FLIP_Y, SYNTHETIC_HYPERCUBE, SYNTHETIC_SHIFT, SYNTHETIC_SCALE);
            case REGRESSION -> List.of(SYNTHETIC_FEATURES, SYNTHETIC_INFORMATIVE, SYNTHETIC_NOISE, SYNTHETIC_BIAS);
            case MOONS, XOR -> List.of(SYNTHETIC_NOISE);
            case CIRCLES -> List.of(SYNTHETIC_NOISE, SYNTHETIC_FACTOR);
            case BLOBS -> List.of(SYNTHETIC_CENTERS, SYNTHETIC_CLUSTER_STD);
        });
        return keys;
    }

    /** The rules across the {@code synthetic.*} keys of the generator chosen, and between it and the loss. */
    private static void checkSynthetic(Resolved r, SyntheticOptions syn, LossKind loss) {
        String kind = "synthetic.kind = " + ValueType.configName(syn.kind());
        boolean regression = syn.kind() == SyntheticKind.REGRESSION;
        if (regression != (loss == LossKind.MSE)) {
            throw r.invalid(MODEL_LOSS, (regression ? "mse with " : "cross_entropy with ") + kind
                    + (regression ? " (real-valued labels)" : " (class labels; synthetic.kind = regression gives"
                    + " real-valued labels)"));
        }
        if (syn.kind() == SyntheticKind.CLASSIFICATION && r.isSet(SYNTHETIC_NOISE)) {
            // before the generators, synthetic.noise was the label-flip fraction: refuse rather than ignore it
            throw r.invalid(SYNTHETIC_NOISE, "no setting with " + kind + ": its fraction of random labels is"
                    + " synthetic.flipY (synthetic.noise is the Gaussian noise of regression, moons, circles, xor)");
        }
        if (syn.kind() == SyntheticKind.REGRESSION && syn.informative() > syn.features()) {
            throw r.invalid(SYNTHETIC_INFORMATIVE, "an integer from 1 to synthetic.features = " + syn.features());
        }
        if (syn.kind() != SyntheticKind.CLASSIFICATION) {
            return;
        }
        int others = syn.redundant() + syn.repeated();
        if (others >= syn.features()) {
            Key<Integer> blame = r.isSet(SYNTHETIC_REDUNDANT) ? SYNTHETIC_REDUNDANT : SYNTHETIC_REPEATED;
            throw r.invalid(blame, "synthetic.redundant + synthetic.repeated < synthetic.features = "
                    + syn.features() + " (at least one informative feature)");
        }
        if (syn.informative() + others > syn.features()) {
            throw r.invalid(SYNTHETIC_INFORMATIVE, "an integer from 1 to synthetic.features = " + syn.features()
                    + (others == 0 ? "" : " - synthetic.redundant - synthetic.repeated = "
                    + (syn.features() - others)));
        }
        if (syn.informative() < 62 && (long) syn.classes() * syn.clustersPerClass() > 1L << syn.informative()) {
            Key<Integer> blame = r.isSet(SYNTHETIC_CLUSTERS_PER_CLASS) ? SYNTHETIC_CLUSTERS_PER_CLASS
                    : r.isSet(SYNTHETIC_CLASSES) ? SYNTHETIC_CLASSES : SYNTHETIC_INFORMATIVE;
            throw r.invalid(blame, "synthetic.classes x synthetic.clustersPerClass = "
                    + (long) syn.classes() * syn.clustersPerClass() + " at most 2^synthetic.informative = "
                    + (1L << syn.informative()) + " (one hypercube vertex per cluster)");
        }
        List<Double> w = syn.weights();
        if (!w.isEmpty()) {
            double sum = w.stream().mapToDouble(Double::doubleValue).sum();
            if (w.size() != syn.classes() && w.size() != syn.classes() - 1) {
                throw r.invalid(SYNTHETIC_WEIGHTS, syn.classes() + " or " + (syn.classes() - 1)
                        + " proportions (synthetic.classes = " + syn.classes() + "), found " + w.size());
            }
            if (w.size() == syn.classes() ? sum <= 0 : sum > 1) {
                throw r.invalid(SYNTHETIC_WEIGHTS, w.size() == syn.classes() ? "proportions with a positive sum"
                        : "proportions summing to at most 1 (the last class gets the rest)");
            }
        }
    }

    /** Effective text and typed value of each key, defaults filled in on first use. */
    private static final class Resolved implements Keys.Resolver {
        private final Map<String, Setting> settings;
        private final Path file;
        private final Map<String, String> text = new HashMap<>();
        private final Map<String, Object> values = new HashMap<>();

        Resolved(Map<String, Setting> settings, Path file) {
            this.settings = settings;
            this.file = file;
        }

        @Override
        public Path configFile() {
            return file;
        }

        boolean isSet(Key<?> k) {
            return settings.containsKey(k.name());
        }

        String source(Key<?> k) {
            Setting s = settings.get(k.name());
            return s == null ? DEFAULT : s.source();
        }

        /** The effective text: the user's trimmed value, or the default's. */
        String text(Key<?> k) {
            String t = text.get(k.name());
            if (t == null) {
                Setting s = settings.get(k.name());
                t = s != null ? s.value() : k.dflt().value().apply(this);
                text.put(k.name(), t);
            }
            return t;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(Key<T> k) {
            if (values.containsKey(k.name())) {
                return (T) values.get(k.name());
            }
            T v = k.parse(text(k), source(k));
            values.put(k.name(), v);
            return v;
        }

        ConfigException invalid(Key<?> k, String expectation) {
            return ConfigException.expected(source(k), k.name(), text(k), expectation);
        }

        void warnIfSet(List<String> warnings, String because, Key<?>... keys) {
            for (Key<?> k : keys) {
                if (isSet(k)) {
                    warnings.add(source(k) + ": " + k.name() + " = " + ConfigException.quote(text(k))
                            + " has no effect: " + because);
                }
            }
        }
    }

    // ---- the configuration ----

    public DataOptions data() {
        return data;
    }

    public ModelOptions model() {
        return model;
    }

    public TrainOptions train() {
        return train;
    }

    public OutputOptions output() {
        return output;
    }

    public TransportOptions transport() {
        return transport;
    }

    /** Every {@code spark.*} key the user set, with its trimmed value, sorted by key; passed to Spark as is. */
    public Map<String, String> sparkConf() {
        return sparkConf;
    }

    /** Every known key with its effective text (the user's trimmed value or the default), sorted by key. */
    public Map<String, String> effective() {
        return effective;
    }

    /**
     * Exactly what the user set (file and overrides, {@code spark.*} included), trimmed, sorted by
     * key: with {@link #fromMap} it rebuilds this configuration, without the warnings a reload
     * of {@link #effective()} gives for unused sections.
     */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * This configuration with other training options, everything else (settings, sources, effective text) as it
     * is: for a value the training loop resolves, such as the optimizer {@code train.optimizer = auto} chose.
     */
    public TrainConfig withTrain(TrainOptions train) {
        return new TrainConfig(data, model, train, output, transport, sparkConf, effective, sources, settings, warnings);
    }

    /** True when the user set {@code key} (in the file or an override), even to its default value. */
    public boolean isSet(Key<?> key) {
        return !sources.get(key.name()).equals(DEFAULT);
    }

    /**
     * Where a key's value came from: the file as given, {@value #COMMAND_LINE}, the
     * {@link #fromMap} source, or {@value #DEFAULT}; null for a key neither known nor set.
     */
    public String source(String key) {
        return sources.get(key);
    }

    /** One line per setting that has no effect with the rest of the configuration (see the class comment). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The effective configuration as properties text, every known key then the {@code spark.*}
     * keys, each line annotated with where its value came from; for logs and provenance.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        int width = 0;
        for (String k : effective.keySet()) width = Math.max(width, k.length());
        for (String k : sparkConf.keySet()) width = Math.max(width, k.length());
        for (Map.Entry<String, String> e : effective.entrySet()) {
            line(sb, width, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : sparkConf.entrySet()) {
            line(sb, width, e.getKey(), e.getValue());
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, int width, String key, String value) {
        String kv = String.format("%-" + width + "s = %s", key, value);
        sb.append(String.format("%-" + (width + 24) + "s # %s%n", kv, sources.get(key)));
    }

    @Override
    public String toString() {
        return "TrainConfig" + effective + (sparkConf.isEmpty() ? "" : " " + sparkConf);
    }

    // ---- the keys ----

    /** The known keys (not counting {@code spark.*}), in table order: data, synthetic, model, train, transport, output. */
    public static List<String> knownKeys() {
        return ALL.stream().map(Key::name).toList();
    }

    /** Each known key with its values, default and a line of doc, in table order. */
    public static List<KeyDoc> keyDocs() {
        return Keys.docs();
    }

    /**
     * {@code keys} (key → text, e.g. a checkpoint's configuration) with every key renamed since it was
     * written given its new name; for reading files written before a rename. The result is sorted by key.
     */
    public static Map<String, String> renameKeys(Map<String, String> keys) {
        Map<String, String> m = new TreeMap<>();
        keys.forEach((k, v) -> m.put(RENAMED.getOrDefault(k, k), v));
        return Collections.unmodifiableMap(m);
    }
}
