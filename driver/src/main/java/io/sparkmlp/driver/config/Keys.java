package io.sparkmlp.driver.config;

import io.sparkmlp.kernel.optim.ScheduleKind;
import io.sparkmlp.kernel.optim.OptimizerKind;
import static io.sparkmlp.driver.config.ValueType.anyLong;
import static io.sparkmlp.driver.config.ValueType.bool;
import static io.sparkmlp.driver.config.ValueType.choice;
import static io.sparkmlp.driver.config.ValueType.choices;
import static io.sparkmlp.driver.config.ValueType.intAtLeast;
import static io.sparkmlp.driver.config.ValueType.intAtLeastOr;
import static io.sparkmlp.driver.config.ValueType.layerSizes;
import static io.sparkmlp.driver.config.ValueType.longAtLeast;
import static io.sparkmlp.driver.config.ValueType.longAtLeastOr;
import static io.sparkmlp.driver.config.ValueType.number;
import static io.sparkmlp.driver.config.ValueType.numberList;
import static io.sparkmlp.driver.config.ValueType.numberOr;
import static io.sparkmlp.driver.config.ValueType.oneOf;
import static io.sparkmlp.driver.config.ValueType.optionalText;
import static io.sparkmlp.driver.config.ValueType.portRange;
import static io.sparkmlp.driver.config.ValueType.text;

import io.sparkmlp.driver.config.DataOptions.DataFormat;
import io.sparkmlp.driver.config.DataOptions.SyntheticKind;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one table of configuration keys: name, accepted values, default and a line of doc each.
 * Every default lives here, including the ones derived from other keys (the learning rate from
 * the optimizer, the seeds from {@code train.seed}, ...). {@link TrainConfig} reads values only
 * through these keys; {@code docs/CONFIG.md} lists them (a test keeps the two in step), and other
 * faces of the trainer (the spark.ml Params) read the same table through {@link #all()}.
 */
public final class Keys {

    /** What a derived default may look at: other keys' typed values and the configuration file. */
    interface Resolver {
        <T> T get(Key<T> key);

        /** The configuration file, or null when there is none. */
        Path configFile();
    }

    /**
     * A key's default.
     *
     * @param doc the default as documented: the value itself, or how it is derived
     * @param value the default's text for a given configuration ({@code ""}: not set)
     */
    record Default(String doc, Function<Resolver, String> value) { }

    /**
     * One key: its name, the values it accepts (as text, and as a Java type), its default and what it
     * does. Keys are compared by identity: there is one instance per name, a constant of {@link Keys}.
     *
     * @param <T> the typed value; null is a valid value of optional keys ({@code data.test}: not set)
     */
    public static final class Key<T> {
        private final String name;
        private final ValueType<T> type;
        private final Default dflt;
        private final String doc;

        private Key(String name, ValueType<T> type, Default dflt, String doc) {
            this.name = name;
            this.type = type;
            this.dflt = dflt;
            this.doc = doc;
        }

        /** The key as written in a configuration, e.g. {@code train.learningRate}. */
        public String name() {
            return name;
        }

        /** One line saying what the key does. */
        public String doc() {
            return doc;
        }

        /** The Java type of the key's values: a boxed primitive, {@code String}, {@code int[]}, {@code double[]}, enum. */
        public Class<T> valueClass() {
            return type.valueClass();
        }

        /** The values accepted, as the phrase completing "expected ...", e.g. {@code a number > 0}. */
        public String expected() {
            return type.expected();
        }

        /** The default as documented: the value itself, or how it derives from other keys. */
        public String defaultDoc() {
            return dflt.doc();
        }

        /** The default with every other key at its default; null for a key unset by default ({@code data.test}). */
        public T defaultValue() {
            return DEFAULTS.get(this);
        }

        /**
         * The typed value of {@code text} (trimmed first), as a configuration file would give it.
         *
         * @param source where the text comes from, for the error, e.g. a file or {@code command line}
         * @throws ConfigException when the key does not accept the text: source, key, value, expectation
         */
        public T parse(String text, String source) {
            String t = text.trim();
            try {
                return type.parse(t);
            } catch (ValueType.Invalid e) {
                throw ConfigException.expected(source, name, t, e.expected != null ? e.expected : type.expected());
            }
        }

        /** The text of {@code value} that {@link #parse} reads back as an equal value. */
        public String format(T value) {
            return type.format(value);
        }

        /** Name, values, default and doc, as {@code docs/CONFIG.md} lists them. */
        public KeyDoc describe() {
            return new KeyDoc(name, type.expected(), dflt.doc(), doc);
        }

        Default dflt() {
            return dflt;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, Key<?>> REGISTRY = new LinkedHashMap<>();

    // ---- data.* ----
    public static final Key<DataFormat> DATA_FORMAT = key("data.format", oneOf(DataFormat.class), fixed("auto"),
            "Data format: csv, libsvm, synthetic, parquet, orc, json (Spark's readers; data.train a path), table (data.train"
                    + " a table name of Spark's catalog); auto reads the first line of data.train: index:value cells mean"
                    + " libsvm, otherwise csv");
    public static final Key<String> DATA_TRAIN = key("data.train", optionalText("path", "none"), unset("(none)"),
            "Training data path (local, hdfs://, s3a://, ...; .gz is read transparently);"
                    + " required unless data.format=synthetic");
    public static final Key<String> DATA_TEST = key("data.test", optionalText("path", "none"), unset("(none)"),
            "Test data path; unset: hold out data.testFraction of the training data");
    public static final Key<Double> DATA_TEST_FRACTION = key("data.testFraction", number(0, true, 1, false), fixed("0.2"),
            "Share of the rows held out for testing when data.test is unset (synthetic: of synthetic.rows)");
    public static final Key<Double> DATA_VALIDATION_FRACTION = key("data.validationFraction", number(0, true, 1, false),
            fixed("0.1"), "Share of the training split held out for validation (progress, early stopping); 0: none");
    public static final Key<Boolean> DATA_HEADER = key("data.header",
            choice(Boolean.class, choices("auto", (Boolean) null, "true", Boolean.TRUE, "false", Boolean.FALSE)),
            fixed("auto"),
            "CSV: the first line is a header; auto: it is one when a feature cell is neither a number nor a missing-value"
                    + " marker (?, NA, NaN, null, none, -, empty), it is refused as ambiguous when it is the column numbers"
                    + " 0,1,... or 1,2,... (a pandas header), else it is data; the decision is logged in one line");
    public static final Key<String> DATA_LABEL_COLUMN = key("data.labelColumn",
            optionalText("column name or 0-based index", "the last column"), unset("(last column)"),
            "CSV: the label column, by header name or 0-based index; parquet, orc, json, table: the label column's"
                    + " name (default label; class labels are 0..k-1, as spark.ml expects)");
    public static final Key<String> DATA_FEATURES_COLUMN = key("data.featuresColumn",
            optionalText("column name", "every other numeric column"), unset("(every other numeric column)"),
            "parquet, orc, json, table: a Vector column holding the features (dense or sparse);"
                    + " unset: every numeric column but the label, in schema order");
    public static final Key<Integer> DATA_NUM_FEATURES = key("data.numFeatures", intAtLeast(0), fixed("0"),
            "LIBSVM: number of features (indices 1..n); 0: the largest index seen."
                    + " Ignored (with a warning) for csv and synthetic");
    public static final Key<Integer> DATA_MAX_CLASSES = key("data.maxClasses", intAtLeast(2), fixed("1000"),
            "Classification: refuse data with more distinct labels than this (a real-valued target read as classes;"
                    + " model.loss=mse trains a regression); counted in the first pass over the data");
    public static final Key<Integer> DATA_MAX_FEATURES = key("data.maxFeatures", intAtLeast(1), fixed("100000"),
            "Refuse data whose rows are wider than this many features (CSV columns, the largest LIBSVM index),"
                    + " checked in the first pass before any block is allocated");
    public static final Key<Boolean> DATA_STANDARDIZE = key("data.standardize", bool(), fixed("true"),
            "Scale features to zero mean and unit variance, with statistics of the training split");
    public static final Key<Integer> DATA_PARTITIONS = key("data.partitions", intAtLeast(0), fixed("0"),
            "Number of partitions (data blocks); 0: Spark's default parallelism");
    public static final Key<Long> DATA_SEED = key("data.seed", anyLong(),
            derived("train.seed", r -> String.valueOf(r.get(Keys.TRAIN_SEED))),
            "Seed of the train/validation/test split");

    // ---- synthetic.* ----
    public static final Key<SyntheticKind> SYNTHETIC_KIND = key("synthetic.kind", oneOf(SyntheticKind.class),
            fixed("classification"),
            "Synthetic data: the generator, as scikit-learn's make_<kind>: classification, regression (real-valued"
                    + " labels, model.loss=mse), or the two-feature moons, circles, blobs and xor");
    public static final Key<Long> SYNTHETIC_ROWS = key("synthetic.rows", longAtLeast(1), fixed("100000"),
            "Synthetic data: rows in total (train and test together)");
    public static final Key<Integer> SYNTHETIC_FEATURES = key("synthetic.features", intAtLeast(1), fixed("20"),
            "Synthetic data: number of features (classification, regression; the other kinds have 2)");
    public static final Key<Integer> SYNTHETIC_CLASSES = key("synthetic.classes", intAtLeast(2), fixed("2"),
            "Synthetic data: number of classes (classification; n_classes)");
    public static final Key<Integer> SYNTHETIC_INFORMATIVE = key("synthetic.informative", intAtLeast(1),
            derived("min(synthetic.features, 10); classification: min(synthetic.features - synthetic.redundant"
                    + " - synthetic.repeated, 10), at least 1", r -> String.valueOf(Math.max(1, Math.min(10,
                    r.get(Keys.SYNTHETIC_FEATURES) - (r.get(Keys.SYNTHETIC_KIND) != SyntheticKind.CLASSIFICATION ? 0
                            : r.get(Keys.SYNTHETIC_REDUNDANT) + r.get(Keys.SYNTHETIC_REPEATED)))))),
            "Synthetic data: features that carry the signal (n_informative): classification, the Gaussian clusters"
                    + " live in them; regression, the ones with a non-zero coefficient");
    public static final Key<Integer> SYNTHETIC_REDUNDANT = key("synthetic.redundant", intAtLeast(0), fixed("0"),
            "Synthetic data, classification: features that are random linear combinations of the informative ones"
                    + " (n_redundant)");
    public static final Key<Integer> SYNTHETIC_REPEATED = key("synthetic.repeated", intAtLeast(0), fixed("0"),
            "Synthetic data, classification: features that copy randomly chosen informative or redundant ones"
                    + " (n_repeated); the features after informative, redundant and repeated are N(0, 1) noise");
    public static final Key<Integer> SYNTHETIC_CLUSTERS_PER_CLASS = key("synthetic.clustersPerClass", intAtLeast(1),
            fixed("2"), "Synthetic data, classification: Gaussian clusters per class (n_clusters_per_class);"
                    + " synthetic.classes x this must be <= 2^synthetic.informative");
    public static final Key<Double> SYNTHETIC_CLASS_SEP = key("synthetic.classSep", number(0, true, Double.NaN, false),
            fixed("1"), "Synthetic data, classification: half the side of the hypercube whose vertices are the cluster"
                    + " centres (class_sep); larger is easier");
    public static final Key<double[]> SYNTHETIC_WEIGHTS = key("synthetic.weights", numberList(), fixed("none"),
            "Synthetic data, classification: class proportions (weights), synthetic.classes values (scaled to sum 1)"
                    + " or one fewer (the last class gets the rest of 1); none: balanced");
    public static final Key<Double> SYNTHETIC_FLIP_Y = key("synthetic.flipY", number(0, true, 1, true), fixed("0.01"),
            "Synthetic data, classification: fraction of rows whose class is drawn again uniformly at random,"
                    + " possibly the same (flip_y)");
    public static final Key<Boolean> SYNTHETIC_HYPERCUBE = key("synthetic.hypercube", bool(), fixed("true"),
            "Synthetic data, classification: cluster centres on the hypercube's vertices; false: on a random"
                    + " polytope (each centre and each axis scaled by a uniform draw)");
    public static final Key<Double> SYNTHETIC_SHIFT = key("synthetic.shift", numberOr(Double.NaN, false, "random"),
            fixed("0"), "Synthetic data, classification: added to every feature (shift); random: per feature,"
                    + " uniform in [-synthetic.classSep, synthetic.classSep]");
    public static final Key<Double> SYNTHETIC_SCALE = key("synthetic.scale", numberOr(0, false, "random"),
            fixed("1"), "Synthetic data, classification: every feature multiplied by it, after the shift (scale);"
                    + " random: per feature, uniform in [1, 101]");
    public static final Key<Double> SYNTHETIC_NOISE = key("synthetic.noise", number(0, true, Double.NaN, false),
            fixed("0"), "Synthetic data: standard deviation of the Gaussian noise added to the label (regression)"
                    + " or to the points (moons, circles, xor); classification flips labels with synthetic.flipY");
    public static final Key<Double> SYNTHETIC_BIAS = key("synthetic.bias", number(Double.NaN, false, Double.NaN, false),
            fixed("0"), "Synthetic data, regression: the intercept of the linear model (bias)");
    public static final Key<Double> SYNTHETIC_FACTOR = key("synthetic.factor", number(0, true, 1, false), fixed("0.8"),
            "Synthetic data, circles: radius of the inner circle, the outer one's being 1 (factor)");
    public static final Key<Integer> SYNTHETIC_CENTERS = key("synthetic.centers", intAtLeast(2), fixed("3"),
            "Synthetic data, blobs: number of blobs, one class each, centres uniform in [-10, 10]^2 (centers)");
    public static final Key<Double> SYNTHETIC_CLUSTER_STD = key("synthetic.clusterStd",
            number(0, true, Double.NaN, false), fixed("1"),
            "Synthetic data, blobs: standard deviation of each blob (cluster_std)");
    public static final Key<Long> SYNTHETIC_SEED = key("synthetic.seed", anyLong(),
            derived("train.seed", r -> String.valueOf(r.get(Keys.TRAIN_SEED))),
            "Synthetic data: generator seed");

    // ---- model.* ----
    public static final Key<int[]> MODEL_HIDDEN = key("model.hidden", layerSizes(), fixed("128,64"),
            "Hidden layer sizes, input side first; empty or none: no hidden layer");
    public static final Key<Activation> MODEL_ACTIVATION = key("model.activation", oneOf(Activation.class),
            fixed("leaky_relu"), "Activation of the hidden layers (leaky_relu, slope 0.01 below zero: a unit of a small"
                    + " network cannot die as a relu unit can; BENCHMARKS.md)");
    public static final Key<LossKind> MODEL_LOSS = key("model.loss", oneOf(LossKind.class),
            derived("mse for synthetic.kind=regression with data.format=synthetic, cross_entropy otherwise",
                    r -> r.get(DATA_FORMAT) == DataFormat.SYNTHETIC && r.get(SYNTHETIC_KIND) == SyntheticKind.REGRESSION
                            ? "mse" : "cross_entropy"),
            "Loss: cross_entropy (classification, softmax output) or mse (regression, real-valued labels)");
    public static final Key<Backend> MODEL_BACKEND = key("model.backend", oneOf(Backend.class), fixed("auto"),
            "Matrix products: auto (an optimised native BLAS such as OpenBLAS if present, not the reference BLAS;"
                    + " else vector if the JVM has jdk.incubator.vector, else java), vector (our Vector API sgemm),"
                    + " java (netlib pure Java), native (whichever native BLAS the system has), or ejml (slow reference)");

    // ---- train.* ----
    public static final Key<Integer> TRAIN_BATCH_SIZE = key("train.batchSize",
            intAtLeastOr(1, "full", TrainOptions.FULL_BATCH), fixed("256"),
            "Global mini-batch size, split across partitions; full: the whole training split every step");
    public static final Key<Integer> TRAIN_EPOCHS = key("train.epochs", intAtLeastOr(1, "auto", TrainOptions.AUTO),
            fixed("auto"), "Passes over the training split; auto: the training loop chooses."
                    + " lbfgs: the most full-batch evaluations (steps), one pass each");
    public static final Key<Long> TRAIN_MAX_STEPS = key("train.maxSteps", longAtLeast(0), fixed("0"),
            "Stop after this many steps (lbfgs: loss and gradient evaluations over the training split); 0: no limit");
    public static final Key<OptimizerKind> TRAIN_OPTIMIZER = key("train.optimizer", oneOf(OptimizerKind.class),
            fixed("auto"), "Update rule: sgd, momentum, nesterov, adam, adamw (mini-batch steps), lbfgs (full-batch"
                    + " L-BFGS with a strong Wolfe line search: no learning rate; a step is one loss and gradient evaluation"
                    + " over the training split; stops at train.tol), or auto: lbfgs when training rows × parameters"
                    + " <= 3e8 and no mini-batch key (train.batchSize, train.learningRate, train.lrSchedule,"
                    + " train.warmupSteps, train.clipNorm, train.beta1, train.beta2) is set, adam"
                    + " otherwise (BENCHMARKS.md); the log says which and why");
    public static final Key<Double> TRAIN_LEARNING_RATE = key("train.learningRate", number(0, false, Double.NaN, false),
            derived("0.001 for adam/adamw/auto, 0.01 otherwise", r -> switch (r.get(Keys.TRAIN_OPTIMIZER)) {
                case ADAM, ADAMW, AUTO -> "0.001";
                case SGD, MOMENTUM, NESTEROV, LBFGS -> "0.01";
            }), "Base learning rate (not used by lbfgs, whose line search chooses each step's length)");
    public static final Key<Double> TRAIN_MOMENTUM = key("train.momentum", number(0, true, 1, false), fixed("0.9"),
            "Momentum coefficient (optimizer momentum or nesterov)");
    public static final Key<Double> TRAIN_BETA1 = key("train.beta1", number(0, true, 1, false), fixed("0.9"),
            "First-moment decay (optimizer adam or adamw)");
    public static final Key<Double> TRAIN_BETA2 = key("train.beta2", number(0, true, 1, false), fixed("0.999"),
            "Second-moment decay (optimizer adam or adamw)");
    public static final Key<Double> TRAIN_WEIGHT_DECAY = key("train.weightDecay", number(0, true, Double.NaN, false),
            derived("0.01 for adamw, 0.001 for lbfgs (also when auto chooses it), 0 otherwise",
                    r -> r.get(Keys.TRAIN_OPTIMIZER) == OptimizerKind.ADAMW ? "0.01"
                            : r.get(Keys.TRAIN_OPTIMIZER) == OptimizerKind.LBFGS ? String.valueOf(TrainOptions.LBFGS_WEIGHT_DECAY)
                            : "0"),
            "Weight decay: decoupled for adamw, an L2 penalty for the others (lbfgs: (λ/2)·Σw² added to the loss it"
                    + " minimises), on weights, not biases; 0: none");
    public static final Key<Integer> TRAIN_LBFGS_HISTORY = key("train.lbfgs.history", intAtLeast(1), fixed("10"),
            "lbfgs: the number of curvature pairs (s, y) kept for the inverse Hessian estimate");
    public static final Key<Double> TRAIN_TOL = key("train.tol", number(0, true, Double.NaN, false), fixed("1e-6"),
            "lbfgs: stop when the relative loss change of an iteration, |f_k − f_k−1| / max(|f_k|, |f_k−1|, 1), falls"
                    + " below this (Spark MLlib's tol); 0: off");
    public static final Key<Double> TRAIN_CLIP_NORM = key("train.clipNorm", number(0, true, Double.NaN, false), fixed("0"),
            "Clip the gradient's global L2 norm to this value; 0: no clipping (lbfgs: must be 0)");
    public static final Key<ScheduleKind> TRAIN_LR_SCHEDULE = key("train.lrSchedule", oneOf(ScheduleKind.class),
            fixed("constant"), "Learning rate schedule after warm-up (lbfgs: must be constant)");
    public static final Key<Long> TRAIN_WARMUP_STEPS = key("train.warmupSteps", longAtLeast(0), fixed("0"),
            "Linear learning rate warm-up over this many steps; 0: none (lbfgs: must be 0)");
    public static final Key<Long> TRAIN_DECAY_STEPS = key("train.decaySteps", longAtLeast(1), fixed("1000"),
            "Step schedule: multiply the learning rate by train.gamma every this many steps");
    public static final Key<Double> TRAIN_GAMMA = key("train.gamma", number(0, false, 1, true), fixed("0.5"),
            "Step schedule: the factor applied every train.decaySteps steps");
    public static final Key<Double> TRAIN_MIN_LEARNING_RATE = key("train.minLearningRate",
            number(0, true, Double.NaN, false), fixed("0"),
            "Cosine schedule: the learning rate at the end (<= train.learningRate)");
    public static final Key<Long> TRAIN_SEED = key("train.seed", anyLong(), fixed("42"),
            "Job seed; every random choice (initial weights, shuffles, splits, synthetic data) derives from it");
    public static final Key<Long> TRAIN_EVAL_EVERY = key("train.evalEvery", longAtLeastOr(1, "auto", TrainOptions.AUTO),
            fixed("auto"), "Evaluate on the validation split every this many steps (lbfgs: accepted iterations); auto: about"
                    + " 50 times a run, fewer when that would make the validation passes more than about a tenth of the run's"
                    + " arithmetic (a training row counted as three forward passes, a validation row as one): every"
                    + " max(⌈steps/50⌉, ⌈validation rows / (0.3 · batch)⌉) steps");
    public static final Key<Integer> TRAIN_EARLY_STOPPING_PATIENCE = key("train.earlyStoppingPatience",
            intAtLeastOr(0, "auto", TrainOptions.AUTO_PATIENCE), fixed("auto"),
            "Stop after this many evaluations without a better validation loss; 0: off (needs data.validationFraction"
                    + " > 0); auto: max(5, a tenth of the run's evaluations), off without a validation split or with"
                    + " fewer than 30 validation rows (too few to stop on)");
    public static final Key<Boolean> TRAIN_KEEP_BEST = key("train.keepBest", bool(), fixed("true"),
            "End with the weights of the evaluation with the lowest validation loss (with a validation split of at"
                    + " least 30 rows, unless set explicitly); false: the last weights");
    public static final Key<Long> TRAIN_CHECKPOINT_EVERY = key("train.checkpointEvery", longAtLeast(0), fixed("0"),
            "Write a checkpoint to output.dir/checkpoints every this many steps (the newest two are kept); 0: off");
    public static final Key<Boolean> TRAIN_RESUME = key("train.resume", bool(), fixed("false"),
            "Continue from the newest good checkpoint in output.dir (also: the resume command)");
    public static final Key<Transport> TRAIN_TRANSPORT = key("train.transport", oneOf(Transport.class), fixed("persistent"),
            "How a step travels: persistent (one long-lived barrier stage that also runs the validation passes;"
                    + " weights and partials over TCP, in memory in local mode; needs a task slot per partition: left at"
                    + " the default with fewer slots, job is used) or job (one Spark job per step and per validation pass)");
    public static final Key<Long> TRAIN_LOG_EVERY = key("train.logEvery", longAtLeastOr(1, "auto", TrainOptions.AUTO),
            fixed("auto"),
            "Log progress and write a metrics.csv row every this many steps; auto: the training loop chooses");

    // ---- transport.* ----
    public static final Key<int[]> TRANSPORT_PORT = key("transport.port", portRange(), fixed("0"),
            "Port of the persistent transport's step server on the driver: 0 any free port, or a port or range"
                    + " LOW-HIGH (the first free one is taken) for clusters that open only fixed ports");
    public static final Key<Long> TRANSPORT_CONNECT_TIMEOUT = key("transport.connectTimeout",
            longAtLeastOr(1, "auto", TransportOptions.AUTO), fixed("auto"),
            "Seconds a persistent task may take to connect to the step server; auto: spark.network.timeout (120 s)");
    public static final Key<Long> TRANSPORT_HANDSHAKE_TIMEOUT = key("transport.handshakeTimeout",
            longAtLeastOr(1, "auto", TransportOptions.AUTO), fixed("auto"),
            "Seconds from a connection's accept to its complete, authenticated hello (an absolute deadline);"
                    + " auto: spark.network.timeout");
    public static final Key<Long> TRANSPORT_STEP_TIMEOUT = key("transport.stepTimeout",
            longAtLeastOr(1, "auto", TransportOptions.AUTO), fixed("auto"),
            "Seconds the driver waits for one task's answer to a step (and a task for the next step);"
                    + " auto: 15 x spark.network.timeout (30 min)");
    public static final Key<Long> TRANSPORT_START_TIMEOUT = key("transport.startTimeout",
            longAtLeastOr(1, "auto", TransportOptions.AUTO), fixed("auto"),
            "Seconds the driver waits for all tasks of the persistent stage to connect; auto: 7.5 x spark.network.timeout"
                    + " (15 min)");
    public static final Key<Integer> TRANSPORT_MAX_HANDSHAKES = key("transport.maxHandshakes", intAtLeast(1), fixed("64"),
            "Connections the step server authenticates at once; more are refused (and logged, rate-limited)");
    public static final Key<Boolean> TRANSPORT_ENCRYPT = key("transport.encrypt", bool(), fixed("false"),
            "Encrypt and authenticate every step frame (AES-GCM) even when Spark's own authentication and encryption"
                    + " are off; on whenever spark.authenticate, spark.network.crypto.enabled or spark.ssl.enabled is");
    public static final Key<Integer> TRANSPORT_FANOUT = key("transport.fanout", intAtLeastOr(1, "auto", (int) TransportOptions.AUTO),
            fixed("auto"), "How many persistent tasks the driver sends each step's weights to and reads partials from; they"
                    + " relay them to the others along a tree among the tasks and add their partials (the same bits at any"
                    + " fan-out). At least the partition count: the star (the driver talks to every task); auto: 8 where the"
                    + " model of BENCHMARKS.md (10 Gb/s links) says that is faster than the star, else the star");

    // ---- output.* ----
    public static final Key<String> OUTPUT_DIR = key("output.dir", text("path"),
            derived("runs/NAME for a file NAME.properties, runs/sparkmlp without a file", Keys::defaultOutputDir),
            "Output directory: model, metrics.csv, summary.json, report, checkpoints; a path on the driver's disk or a"
                    + " Hadoop URI (hdfs://, s3a://, file:)");
    public static final Key<Boolean> OUTPUT_OVERWRITE = key("output.overwrite", bool(), fixed("false"),
            "Replace an earlier run's files in output.dir; false: refuse to start if it holds a run");

    /** Every key, in table order. */
    static final List<Key<?>> ALL = List.copyOf(REGISTRY.values());

    /** Key by name. */
    static final Map<String, Key<?>> BY_NAME = Collections.unmodifiableMap(REGISTRY);

    /**
     * Keys that were renamed, old name → new name. A configuration using an old name is refused with the new
     * one; a checkpoint written before the rename is read with its keys renamed ({@link TrainConfig#renameKeys}).
     */
    static final Map<String, String> RENAMED = Map.of(
            "train.stepSize", TRAIN_DECAY_STEPS.name());    // Spark MLlib's stepSize is the learning rate

    /** Prefix of the keys passed to Spark unchecked. */
    static final String SPARK_PREFIX = "spark.";

    /** Every key at its default: what {@link Key#defaultValue()} and the options' {@code defaults()} read. */
    static final Resolver DEFAULTS = new Resolver() {
        @Override
        public <T> T get(Key<T> key) {
            return key.type.parse(key.dflt.value().apply(this));
        }

        @Override
        public Path configFile() {
            return null;
        }
    };

    private Keys() { }

    private static <T> Key<T> key(String name, ValueType<T> type, Default dflt, String doc) {
        Key<T> k = new Key<>(name, type, dflt, doc);
        if (REGISTRY.putIfAbsent(name, k) != null) {
            throw new IllegalStateException("configuration key defined twice: " + name);
        }
        return k;
    }

    private static Default fixed(String value) {
        return new Default(value, r -> value);
    }

    private static Default unset(String doc) {
        return new Default(doc, r -> "");
    }

    private static Default derived(String doc, Function<Resolver, String> value) {
        return new Default(doc, value);
    }

    /** {@code runs/mnist} for {@code conf/mnist.properties}; {@code runs/sparkmlp} without a file. */
    private static String defaultOutputDir(Resolver r) {
        Path file = r.configFile();
        if (file == null || file.getFileName() == null) {
            return "runs/sparkmlp";
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return "runs/" + base;
    }

    /** Every key (not counting {@code spark.*}), in table order: data, synthetic, model, train, output. */
    public static List<Key<?>> all() {
        return ALL;
    }

    /** The key named {@code name}, or null when there is none (a {@code spark.*} key, a typo, a renamed key). */
    public static Key<?> byName(String name) {
        return BY_NAME.get(name);
    }

    static List<KeyDoc> docs() {
        List<KeyDoc> docs = new ArrayList<>(ALL.size());
        for (Key<?> k : ALL) {
            docs.add(k.describe());
        }
        return List.copyOf(docs);
    }
}
