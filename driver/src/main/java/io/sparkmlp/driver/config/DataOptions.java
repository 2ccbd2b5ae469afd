package io.sparkmlp.driver.config;

import static io.sparkmlp.driver.config.Keys.*;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Where the data comes from and how it is prepared ({@code data.*} and {@code synthetic.*} keys).
 * Built and validated by {@link TrainConfig}; consumed by the data package. Elsewhere (tests, benchmarks,
 * a resumed run) start from {@link #defaults()} or a configuration's options and change what differs with
 * the {@code with...} methods.
 *
 * @param format csv, libsvm, synthetic, or auto (by content: a first line whose cells look like
 *               {@code index:value} is LIBSVM, otherwise CSV)
 * @param train training data path (any Hadoop-supported path; {@code .gz} read transparently); null for synthetic
 * @param test optional test data path; null means split {@code testFraction} off the training data
 * @param testFraction share of rows held out for testing when {@code test} is null, in [0, 1)
 * @param validationFraction share of the training split held out for validation (progress metric and
 *               early stopping), in [0, 1); 0 means no validation split
 * @param header CSV: first line is a header; null means detect it (a first line with a cell that is
 *               not a number in a feature column is a header)
 * @param labelColumn CSV: label column, by header name or 0-based index; null means the last column.
 *               Tabular formats: the label column's name; null means {@code label}
 * @param featuresColumn tabular formats: a Vector column of features; null means every numeric column
 *               but the label
 * @param numFeatures LIBSVM: number of features (indices 1..numFeatures); 0 means the largest index seen
 * @param standardize scale features to zero mean, unit variance (statistics from the training split)
 * @param partitions number of partitions (blocks); 0 means Spark's default parallelism
 * @param regression true when labels are real-valued targets (model.loss=mse); false: class labels
 * @param seed seed of the train/validation/test split
 * @param synthetic the generator's settings, used when format is synthetic
 * @param maxClasses classification: most distinct labels accepted (a real-valued target read as classes is refused)
 * @param maxFeatures most features per row accepted (CSV columns, largest LIBSVM index), checked before allocation
 */
public record DataOptions(
        DataFormat format,
        String train,
        String test,
        double testFraction,
        double validationFraction,
        Boolean header,
        String labelColumn,
        String featuresColumn,
        int numFeatures,
        boolean standardize,
        int partitions,
        boolean regression,
        long seed,
        SyntheticOptions synthetic,
        int maxClasses,
        int maxFeatures) implements Serializable {

    public enum DataFormat {
        AUTO, CSV, LIBSVM, SYNTHETIC, PARQUET, ORC, JSON, TABLE;

        /** Whether rows come through Spark SQL (a DataFrame) rather than the project's text readers. */
        public boolean tabular() {
            return this == PARQUET || this == ORC || this == JSON || this == TABLE;
        }
    }

    /** Every {@code data.*} and {@code synthetic.*} key at its default; no training path (see {@link #withTrain}). */
    public static DataOptions defaults() {
        return of(Keys.DEFAULTS);
    }

    /** The options of the keys' values in {@code r}; the paths are dropped for synthetic data. */
    static DataOptions of(Keys.Resolver r) {
        DataFormat format = r.get(DATA_FORMAT);
        boolean synthetic = format == DataFormat.SYNTHETIC;
        return new DataOptions(format, synthetic ? null : r.get(DATA_TRAIN), synthetic ? null : r.get(DATA_TEST),
                r.get(DATA_TEST_FRACTION), r.get(DATA_VALIDATION_FRACTION), r.get(DATA_HEADER),
                r.get(DATA_LABEL_COLUMN), r.get(DATA_FEATURES_COLUMN), r.get(DATA_NUM_FEATURES), r.get(DATA_STANDARDIZE), r.get(DATA_PARTITIONS),
                r.get(MODEL_LOSS) == LossKind.MSE, r.get(DATA_SEED), SyntheticOptions.of(r), r.get(DATA_MAX_CLASSES),
                r.get(DATA_MAX_FEATURES));
    }

    /** A copy with {@code format} replaced. */
    public DataOptions withFormat(DataFormat format) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code train} replaced. */
    public DataOptions withTrain(String train) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code test} replaced. */
    public DataOptions withTest(String test) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code testFraction} replaced. */
    public DataOptions withTestFraction(double testFraction) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code validationFraction} replaced. */
    public DataOptions withValidationFraction(double validationFraction) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code header} replaced. */
    public DataOptions withHeader(Boolean header) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code labelColumn} replaced. */
    public DataOptions withLabelColumn(String labelColumn) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code featuresColumn} replaced. */
    public DataOptions withFeaturesColumn(String featuresColumn) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code numFeatures} replaced. */
    public DataOptions withNumFeatures(int numFeatures) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code standardize} replaced. */
    public DataOptions withStandardize(boolean standardize) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code partitions} replaced. */
    public DataOptions withPartitions(int partitions) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code regression} replaced. */
    public DataOptions withRegression(boolean regression) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code seed} replaced. */
    public DataOptions withSeed(long seed) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code synthetic} replaced. */
    public DataOptions withSynthetic(SyntheticOptions synthetic) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code maxClasses} replaced. */
    public DataOptions withMaxClasses(int maxClasses) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code maxFeatures} replaced. */
    public DataOptions withMaxFeatures(int maxFeatures) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                featuresColumn, numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** The synthetic generators ({@code synthetic.kind}), after scikit-learn's {@code make_<kind>}. */
    public enum SyntheticKind { CLASSIFICATION, REGRESSION, MOONS, CIRCLES, BLOBS, XOR }

    /**
     * A synthetic data set, generated on the executors. The parameters keep scikit-learn's meanings
     * ({@code make_classification}, {@code make_regression}, {@code make_moons}, {@code make_circles},
     * {@code make_blobs}); each is documented on its key in {@link Keys} and {@code docs/CONFIG.md}.
     * A parameter the kind does not use is ignored.
     *
     * @param kind which generator
     * @param rows total rows (train and test together, split by {@code testFraction})
     * @param features classification, regression: number of features (the other kinds have 2)
     * @param classes classification: number of classes (≥ 2)
     * @param informative classification, regression: features that carry the signal
     * @param redundant classification: features that are linear combinations of the informative ones
     * @param repeated classification: copies of informative or redundant features
     * @param clustersPerClass classification: Gaussian clusters per class
     * @param classSep classification: half the side of the hypercube of cluster centres
     * @param weights classification: class proportions ({@code classes} or {@code classes − 1} values);
     *                empty: balanced
     * @param flipY classification: fraction of rows whose class is drawn again at random, in [0, 1]
     * @param hypercube classification: centres on the hypercube's vertices (false: a random polytope)
     * @param shift classification: added to every feature; NaN: per feature, uniform in [−classSep, classSep]
     * @param scale classification: every feature multiplied by it; NaN: per feature, uniform in [1, 101]
     * @param noise regression, moons, circles, xor: standard deviation of the Gaussian noise
     * @param bias regression: the intercept
     * @param factor circles: inner radius (the outer is 1), in [0, 1)
     * @param centers blobs: number of blobs (classes)
     * @param clusterStd blobs: standard deviation of each blob
     * @param seed generator seed; row i depends only on (seed, i)
     */
    public record SyntheticOptions(SyntheticKind kind, long rows, int features, int classes, int informative,
            int redundant, int repeated, int clustersPerClass, double classSep, List<Double> weights, double flipY,
            boolean hypercube, double shift, double scale, double noise, double bias, double factor, int centers,
            double clusterStd, long seed) implements Serializable {

        public SyntheticOptions {
            weights = List.copyOf(weights);
        }

        /**
         * A classification set with the other parameters at their defaults.
         *
         * @param flipY fraction of rows whose class is drawn again at random
         */
        public SyntheticOptions(long rows, int features, int classes, int informative, double flipY, long seed) {
            this(defaults().synthetic().withRows(rows).withFeatures(features).withClasses(classes)
                    .withInformative(informative).withFlipY(flipY).withSeed(seed));
        }

        private SyntheticOptions(SyntheticOptions o) {
            this(o.kind, o.rows, o.features, o.classes, o.informative, o.redundant, o.repeated, o.clustersPerClass,
                    o.classSep, o.weights, o.flipY, o.hypercube, o.shift, o.scale, o.noise, o.bias, o.factor, o.centers,
                    o.clusterStd, o.seed);
        }

        static SyntheticOptions of(Keys.Resolver r) {
            return new SyntheticOptions(r.get(SYNTHETIC_KIND), r.get(SYNTHETIC_ROWS), r.get(SYNTHETIC_FEATURES),
                    r.get(SYNTHETIC_CLASSES), r.get(SYNTHETIC_INFORMATIVE), r.get(SYNTHETIC_REDUNDANT),
                    r.get(SYNTHETIC_REPEATED), r.get(SYNTHETIC_CLUSTERS_PER_CLASS), r.get(SYNTHETIC_CLASS_SEP),
                    Arrays.stream(r.get(SYNTHETIC_WEIGHTS)).boxed().toList(), r.get(SYNTHETIC_FLIP_Y),
                    r.get(SYNTHETIC_HYPERCUBE), r.get(SYNTHETIC_SHIFT), r.get(SYNTHETIC_SCALE), r.get(SYNTHETIC_NOISE),
                    r.get(SYNTHETIC_BIAS), r.get(SYNTHETIC_FACTOR), r.get(SYNTHETIC_CENTERS),
                    r.get(SYNTHETIC_CLUSTER_STD), r.get(SYNTHETIC_SEED));
        }

        /** The number of classes the generator gives; 0 for regression. */
        public int classCount() {
            return switch (kind) {
                case CLASSIFICATION -> classes;
                case REGRESSION -> 0;
                case MOONS, CIRCLES, XOR -> 2;
                case BLOBS -> centers;
            };
        }

        /** The number of features the generator gives. */
        public int featureCount() {
            return kind == SyntheticKind.CLASSIFICATION || kind == SyntheticKind.REGRESSION ? features : 2;
        }

        /** A copy with {@code kind} replaced. */
        public SyntheticOptions withKind(SyntheticKind kind) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code rows} replaced. */
        public SyntheticOptions withRows(long rows) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code features} replaced. */
        public SyntheticOptions withFeatures(int features) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code classes} replaced. */
        public SyntheticOptions withClasses(int classes) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code informative} replaced. */
        public SyntheticOptions withInformative(int informative) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code redundant} replaced. */
        public SyntheticOptions withRedundant(int redundant) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code repeated} replaced. */
        public SyntheticOptions withRepeated(int repeated) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code clustersPerClass} replaced. */
        public SyntheticOptions withClustersPerClass(int clustersPerClass) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code classSep} replaced. */
        public SyntheticOptions withClassSep(double classSep) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code weights} replaced. */
        public SyntheticOptions withWeights(List<Double> weights) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code flipY} replaced. */
        public SyntheticOptions withFlipY(double flipY) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code hypercube} replaced. */
        public SyntheticOptions withHypercube(boolean hypercube) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code shift} replaced. */
        public SyntheticOptions withShift(double shift) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code scale} replaced. */
        public SyntheticOptions withScale(double scale) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code noise} replaced. */
        public SyntheticOptions withNoise(double noise) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code bias} replaced. */
        public SyntheticOptions withBias(double bias) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code factor} replaced. */
        public SyntheticOptions withFactor(double factor) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code centers} replaced. */
        public SyntheticOptions withCenters(int centers) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code clusterStd} replaced. */
        public SyntheticOptions withClusterStd(double clusterStd) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }

        /** A copy with {@code seed} replaced. */
        public SyntheticOptions withSeed(long seed) {
            return new SyntheticOptions(kind, rows, features, classes, informative, redundant, repeated,
                    clustersPerClass, classSep, weights, flipY, hypercube, shift, scale, noise, bias, factor, centers,
                    clusterStd, seed);
        }
    }
}
