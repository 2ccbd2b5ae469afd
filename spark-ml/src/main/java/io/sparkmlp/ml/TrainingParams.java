package io.sparkmlp.ml;

import io.sparkmlp.driver.config.KeyDoc;
import io.sparkmlp.driver.config.TrainConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training settings of the CLI as spark.ml Params: one Param per CLI training key, with the key's
 * meaning and default read from the CLI's key table ({@link TrainConfig#keyDocs()}), so the two cannot
 * drift apart (a test checks it). This class adds only what spark.ml needs on top: the Param's name
 * (MLlib's where MLlib has the setting: {@code stepSize} is the learning rate, {@code maxIter} the step
 * limit, {@code solver} the optimizer) and its Java type.
 *
 * <p>A key whose default follows from other keys (the learning rate from the optimizer, ...) gets a
 * Param without a default: left unset, the CLI's rule applies. The keys that only say how to read a
 * file ({@link #FILE_KEYS}) have no Param: the DataFrame replaces them.
 */
final class TrainingParams {

    /** A Param's Java type, and how its value is written as the CLI key's text. */
    enum Kind { INT, LONG, DOUBLE, BOOLEAN, STRING, INT_ARRAY }

    /**
     * One Param of the table.
     *
     * @param word the CLI's word for {@code wordValue} ({@code auto}, {@code full}), or null
     */
    record Entry(String param, String key, Kind kind, String word, long wordValue) {
        Entry(String param, String key, Kind kind) {
            this(param, key, kind, null, 0);
        }
    }

    /** Every CLI training key, in the key table's order, with its Param. */
    static final List<Entry> ENTRIES = List.of(
            new Entry("validationFraction", "data.validationFraction", Kind.DOUBLE),
            new Entry("maxClasses", "data.maxClasses", Kind.INT),
            new Entry("maxFeatures", "data.maxFeatures", Kind.INT),
            new Entry("standardize", "data.standardize", Kind.BOOLEAN),
            new Entry("partitions", "data.partitions", Kind.INT),
            new Entry("splitSeed", "data.seed", Kind.LONG),
            new Entry("hiddenLayers", "model.hidden", Kind.INT_ARRAY),
            new Entry("activation", "model.activation", Kind.STRING),
            new Entry("backend", "model.backend", Kind.STRING),
            new Entry("batchSize", "train.batchSize", Kind.INT, "full", -1),
            new Entry("epochs", "train.epochs", Kind.INT, "auto", 0),
            new Entry("maxIter", "train.maxSteps", Kind.LONG),
            new Entry("solver", "train.optimizer", Kind.STRING),
            new Entry("lbfgsHistory", "train.lbfgs.history", Kind.INT),
            new Entry("tol", "train.tol", Kind.DOUBLE),
            new Entry("stepSize", "train.learningRate", Kind.DOUBLE),
            new Entry("momentum", "train.momentum", Kind.DOUBLE),
            new Entry("beta1", "train.beta1", Kind.DOUBLE),
            new Entry("beta2", "train.beta2", Kind.DOUBLE),
            new Entry("weightDecay", "train.weightDecay", Kind.DOUBLE),
            new Entry("clipNorm", "train.clipNorm", Kind.DOUBLE),
            new Entry("lrSchedule", "train.lrSchedule", Kind.STRING),
            new Entry("warmupSteps", "train.warmupSteps", Kind.LONG),
            new Entry("decaySteps", "train.decaySteps", Kind.LONG),
            new Entry("gamma", "train.gamma", Kind.DOUBLE),
            new Entry("minLearningRate", "train.minLearningRate", Kind.DOUBLE),
            new Entry("seed", "train.seed", Kind.LONG),
            new Entry("evalEvery", "train.evalEvery", Kind.LONG, "auto", 0),
            new Entry("earlyStoppingPatience", "train.earlyStoppingPatience", Kind.INT, "auto", -1),
            new Entry("keepBest", "train.keepBest", Kind.BOOLEAN),
            new Entry("checkpointEvery", "train.checkpointEvery", Kind.LONG),
            new Entry("resume", "train.resume", Kind.BOOLEAN),
            new Entry("transport", "train.transport", Kind.STRING),
            new Entry("logEvery", "train.logEvery", Kind.LONG, "auto", 0),
            new Entry("transportPort", "transport.port", Kind.STRING),
            new Entry("transportConnectTimeout", "transport.connectTimeout", Kind.LONG, "auto", 0),
            new Entry("transportHandshakeTimeout", "transport.handshakeTimeout", Kind.LONG, "auto", 0),
            new Entry("transportStepTimeout", "transport.stepTimeout", Kind.LONG, "auto", 0),
            new Entry("transportStartTimeout", "transport.startTimeout", Kind.LONG, "auto", 0),
            new Entry("transportMaxHandshakes", "transport.maxHandshakes", Kind.INT),
            new Entry("transportEncrypt", "transport.encrypt", Kind.BOOLEAN),
            new Entry("transportFanout", "transport.fanout", Kind.INT, "auto", 0),
            new Entry("outputOverwrite", "output.overwrite", Kind.BOOLEAN));

    /**
     * CLI keys without a Param, each for a reason: how to read files (the DataFrame replaces them), the
     * synthetic generator, the loss (the estimator's class decides it: cross-entropy for
     * {@link MlpClassifier}, mse for {@link MlpRegressor}), and the output directory (the Param
     * {@code outputDir} has no default: a fit keeps its outputs in memory unless it is set), and the
     * test split (spark.ml evaluates on data the user holds out).
     */
    static final Set<String> FILE_KEYS = Set.of("data.format", "data.train", "data.test", "data.testFraction",
            "data.header", "data.labelColumn", "data.featuresColumn", "data.numFeatures", "model.loss", "output.dir");

    /** The CLI keys under this prefix are all about synthetic data: no Param either. */
    static final String SYNTHETIC_PREFIX = "synthetic.";

    /** The CLI's key docs, by key. */
    static final Map<String, KeyDoc> DOCS = TrainConfig.keyDocs().stream()
            .collect(Collectors.toMap(KeyDoc::key, d -> d, (a, b) -> a, LinkedHashMap::new));

    /** Each key's effective text when nothing is set: its default, or the derived default's value. */
    private static final Map<String, String> EFFECTIVE_DEFAULTS =
            TrainConfig.fromMap(Map.of("data.train", "defaults"), "defaults").effective();

    private final Map<String, Param<?>> byName = new LinkedHashMap<>();
    private final Map<Param<?>, Entry> entries = new LinkedHashMap<>();

    /** Creates the Params for {@code owner} (with its uid) and sets their defaults on it. */
    TrainingParams(Params owner) {
        String uid = owner.uid();
        for (Entry e : ENTRIES) {
            KeyDoc d = DOCS.get(e.key());
            if (d == null) {
                throw new IllegalStateException("Param " + e.param() + " stands for CLI key " + e.key()
                        + ", which the CLI does not have (renamed?)");
            }
            String doc = d.doc() + " (CLI key " + e.key() + "; default: " + d.defaultValue() + ")";
            Param<?> p = switch (e.kind()) {
                case INT -> new IntParam(uid, e.param(), doc);
                case LONG -> new LongParam(uid, e.param(), doc);
                case DOUBLE -> new DoubleParam(uid, e.param(), doc);
                case BOOLEAN -> new BooleanParam(uid, e.param(), doc);
                case STRING -> new Param<String>(uid, e.param(), doc);
                case INT_ARRAY -> new IntArrayParam(owner, e.param(), doc);
            };
            byName.put(e.param(), p);
            entries.put(p, e);
            if (hasFixedDefault(e.key())) {
                @SuppressWarnings("unchecked")
                Param<Object> po = (Param<Object>) p;
                owner.setDefault(po, value(e, EFFECTIVE_DEFAULTS.get(e.key())));
            }
        }
        byName.put("layers", new IntArrayParam(owner, "layers", "MLlib's layer sizes: input, hidden..., output"
                + " (classes; 1 for regression); when set, the hidden sizes come from it (hiddenLayers unset) and the"
                + " input and output sizes are checked against the data"));
        byName.put("validationIndicatorCol", new Param<String>(uid, "validationIndicatorCol", "A boolean column:"
                + " true marks a validation row; unset: validation rows by validationFraction"));
        byName.put("outputDir", new Param<String>(uid, "outputDir", "Where a fit writes model.sparkmlp, metrics.csv,"
                + " summary.json and checkpoints (what the CLI's output.dir accepts); unset: outputs stay in memory"));
    }

    /** True when the key's default is a value rather than a rule over other keys. */
    static boolean hasFixedDefault(String key) {
        return DOCS.get(key).defaultValue().equals(EFFECTIVE_DEFAULTS.get(key));
    }

    @SuppressWarnings("unchecked")
    <P extends Param<?>> P get(String name) {
        return (P) byName.get(name);
    }

    /** The Params, in table order. */
    Iterable<Param<?>> params() {
        return byName.values();
    }

    Entry entry(Param<?> p) {
        return entries.get(p);
    }

    /** The typed value of a CLI key's text. */
    static Object value(Entry e, String text) {
        if (e.word() != null && text.equalsIgnoreCase(e.word())) {
            return e.kind() == Kind.INT ? (Object) (int) e.wordValue() : (Object) e.wordValue();
        }
        return switch (e.kind()) {
            case INT -> Integer.parseInt(text);
            case LONG -> Long.parseLong(text);
            case DOUBLE -> Double.parseDouble(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            case STRING -> text;
            case INT_ARRAY -> text.isBlank() || text.equalsIgnoreCase("none") ? new int[0]
                    : Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        };
    }

    /** The CLI key's text of a Param value. */
    static String text(Entry e, Object value) {
        if (e.word() != null && value instanceof Number n && n.longValue() == e.wordValue()) {
            return e.word();
        }
        if (value instanceof int[] sizes) {
            return sizes.length == 0 ? "none"
                    : Arrays.stream(sizes).mapToObj(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
