package io.sparkmlp.driver.config;

import java.io.Serializable;

/**
 * Where the data comes from and how it is prepared ({@code data.*} and {@code synthetic.*} keys).
 * Built and validated by {@link TrainConfig}; consumed by the data package.
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
        SyntheticOptions synthetic) implements Serializable {

    public enum DataFormat { AUTO, CSV, LIBSVM, SYNTHETIC }

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
            implements Serializable { }
}
