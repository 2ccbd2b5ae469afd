package io.sparkmlp.driver.data;

import java.util.List;

import org.apache.spark.api.java.JavaRDD;

/**
 * The data of a training job, ready to use: cached blocks ({@code MEMORY_ONLY}), already standardised
 * when {@code scaling} is set (features, and for regression the targets too).
 *
 * @param train training blocks, one per partition, rows in global order
 * @param validation validation blocks (same partition count), or null when there is no validation split
 * @param test test blocks, or null when there is neither a test file nor a test fraction
 * @param numFeatures features per row
 * @param labels class labels ↔ indices (block labels are indices), or null for regression
 * @param scaling the standardisation applied (statistics of the training split), or null when off
 * @param trainRows rows in {@code train}
 * @param validationRows rows in {@code validation} (0 when null)
 * @param testRows rows in {@code test} (0 when null)
 * @param featureNames CSV header names of the feature columns, or null
 * @param trainClassCounts rows of each class in {@code train}, or null for regression
 * @param trainPartitionRows rows of each block of {@code train} in partition order, as the load counted them, or
 *        null when not counted (then a job counts them when a run needs them)
 */
public record PreparedData(JavaRDD<Block> train, JavaRDD<Block> validation, JavaRDD<Block> test,
                           int numFeatures, LabelIndex labels, FeatureScaling scaling, long trainRows,
                           long validationRows, long testRows, List<String> featureNames,
                           long[] trainClassCounts, long[] trainPartitionRows) {

    /** Unpersists every cached RDD of this data. */
    public void unpersist() {
        for (JavaRDD<Block> rdd : new JavaRDD[] {train, validation, test}) {
            if (rdd != null) {
                rdd.unpersist(false);
            }
        }
    }
}
