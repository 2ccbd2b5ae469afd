package io.sparkmlp.driver.config;

import static io.sparkmlp.driver.config.Keys.*;

import java.io.Serializable;

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
 * @param labelColumn CSV: label column, by header name or 0-based index; null means the last column
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
        int numFeatures,
        boolean standardize,
        int partitions,
        boolean regression,
        long seed,
        SyntheticOptions synthetic,
        int maxClasses,
        int maxFeatures) implements Serializable {

    public enum DataFormat { AUTO, CSV, LIBSVM, SYNTHETIC }

    /** The options with {@code data.maxClasses} and {@code data.maxFeatures} at their defaults. */
    public DataOptions(DataFormat format, String train, String test, double testFraction, double validationFraction,
                       Boolean header, String labelColumn, int numFeatures, boolean standardize, int partitions,
                       boolean regression, long seed, SyntheticOptions synthetic) {
        this(format, train, test, testFraction, validationFraction, header, labelColumn, numFeatures, standardize,
                partitions, regression, seed, synthetic, DATA_MAX_CLASSES.defaultValue(), DATA_MAX_FEATURES.defaultValue());
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
                r.get(DATA_LABEL_COLUMN), r.get(DATA_NUM_FEATURES), r.get(DATA_STANDARDIZE), r.get(DATA_PARTITIONS),
                r.get(MODEL_LOSS) == LossKind.MSE, r.get(DATA_SEED), SyntheticOptions.of(r), r.get(DATA_MAX_CLASSES),
                r.get(DATA_MAX_FEATURES));
    }

    /** A copy with {@code format} replaced. */
    public DataOptions withFormat(DataFormat format) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code train} replaced. */
    public DataOptions withTrain(String train) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code test} replaced. */
    public DataOptions withTest(String test) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code testFraction} replaced. */
    public DataOptions withTestFraction(double testFraction) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code validationFraction} replaced. */
    public DataOptions withValidationFraction(double validationFraction) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code header} replaced. */
    public DataOptions withHeader(Boolean header) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code labelColumn} replaced. */
    public DataOptions withLabelColumn(String labelColumn) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code numFeatures} replaced. */
    public DataOptions withNumFeatures(int numFeatures) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code standardize} replaced. */
    public DataOptions withStandardize(boolean standardize) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code partitions} replaced. */
    public DataOptions withPartitions(int partitions) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code regression} replaced. */
    public DataOptions withRegression(boolean regression) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code seed} replaced. */
    public DataOptions withSeed(long seed) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code synthetic} replaced. */
    public DataOptions withSynthetic(SyntheticOptions synthetic) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code maxClasses} replaced. */
    public DataOptions withMaxClasses(int maxClasses) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /** A copy with {@code maxFeatures} replaced. */
    public DataOptions withMaxFeatures(int maxFeatures) {
        return new DataOptions(format, train, test, testFraction, validationFraction, header, labelColumn,
                numFeatures, standardize, partitions, regression, seed, synthetic, maxClasses, maxFeatures);
    }

    /**
     * A classification set in the spirit of scikit-learn's {@code make_classification}.
     *
     * @param rows total rows (train and test together, split by {@code testFraction})
     * @param features total features
     * @param classes number of classes (≥ 2)
     * @param informative features that carry the class signal (≤ features); the rest are noise
     * @param noise fraction of labels replaced by a uniformly random class, in [0, 1]
     * @param seed generator seed; rows of partition p depend only on (seed, p)
     */
    public record SyntheticOptions(long rows, int features, int classes, int informative, double noise, long seed)
            implements Serializable {

        static SyntheticOptions of(Keys.Resolver r) {
            return new SyntheticOptions(r.get(SYNTHETIC_ROWS), r.get(SYNTHETIC_FEATURES), r.get(SYNTHETIC_CLASSES),
                    r.get(SYNTHETIC_INFORMATIVE), r.get(SYNTHETIC_NOISE), r.get(SYNTHETIC_SEED));
        }

        /** A copy with {@code rows} replaced. */
        public SyntheticOptions withRows(long rows) {
            return new SyntheticOptions(rows, features, classes, informative, noise, seed);
        }

        /** A copy with {@code features} replaced. */
        public SyntheticOptions withFeatures(int features) {
            return new SyntheticOptions(rows, features, classes, informative, noise, seed);
        }

        /** A copy with {@code classes} replaced. */
        public SyntheticOptions withClasses(int classes) {
            return new SyntheticOptions(rows, features, classes, informative, noise, seed);
        }

        /** A copy with {@code informative} replaced. */
        public SyntheticOptions withInformative(int informative) {
            return new SyntheticOptions(rows, features, classes, informative, noise, seed);
        }

        /** A copy with {@code noise} replaced. */
        public SyntheticOptions withNoise(double noise) {
            return new SyntheticOptions(rows, features, classes, informative, noise, seed);
        }

        /** A copy with {@code seed} replaced. */
        public SyntheticOptions withSeed(long seed) {
            return new SyntheticOptions(rows, features, classes, informative, noise, seed);
        }
    }
}
