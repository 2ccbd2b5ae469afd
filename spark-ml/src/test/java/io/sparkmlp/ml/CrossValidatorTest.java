package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tuning: CrossValidator over the learning rate with two fits at a time in local[2]. Each fit's 2
 * partitions would need both task slots for the persistent transport; the fits must neither wait on
 * each other for ever nor fail.
 */
class CrossValidatorTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void crossValidatesTheLearningRateTwoFitsAtATime() {
        Dataset<Row> data = Spark.assembled(Spark.blobs(400, 3, 3, 21), 3);
        MlpClassifier mlp = new MlpClassifier().setHiddenLayers(new int[] {6}).setMaxIter(100).setSeed(5);
        ParamMap[] grid = new ParamGridBuilder().addGrid(mlp.stepSize(), new double[] {1e-5, 0.01}).build();
        CrossValidator cv = new CrossValidator().setEstimator(mlp).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setParallelism(2).setSeed(9);

        CrossValidatorModel fitted = cv.fit(data);

        double[] metrics = fitted.avgMetrics();
        assertEquals(2, metrics.length);
        assertTrue(metrics[1] > 0.9, "learning rate 0.01: accuracy " + metrics[1]);
        assertTrue(metrics[1] > metrics[0], "100 steps at 1e-5 learn less than at 0.01: " + metrics[0] + " vs " + metrics[1]);
        MlpClassificationModel best = assertInstanceOf(MlpClassificationModel.class, fitted.bestModel());
        assertEquals(0.01, ((MlpClassifier) best.parent()).getStepSize());
    }
}
