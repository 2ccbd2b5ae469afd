package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.junit.jupiter.api.Test;

/** MlpRegressor with RegressionEvaluator: a target far from 0 and 1, predicted in its own units. */
class RegressorTest {

    @Test
    void learnsATargetInItsOwnUnits() {
        Random r = new Random(51);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double y = 100 + 30 * a - 20 * b + 10 * a * b + r.nextGaussian();
            rows.add(RowFactory.create(i % 2 == 0 ? Vectors.dense(a, b) : Vectors.sparse(2, new int[] {0, 1},
                    new double[] {a, b}), y));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        Dataset<Row>[] split = Spark.session().createDataFrame(rows, schema).randomSplit(new double[] {0.8, 0.2}, 3);

        MlpRegressionModel model = new MlpRegressor().setHiddenLayers(new int[] {16}).setMaxIter(1500).setStepSize(0.01)
                .fit(split[0]);
        Dataset<Row> predicted = model.transform(split[1]);

        double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(predicted);
        double labelStd = split[1].agg(org.apache.spark.sql.functions.stddev("label")).first().getDouble(0);
        assertTrue(rmse < 0.1 * labelStd, "rmse " + rmse + " for a target of std " + labelStd);
        double meanPrediction = predicted.agg(org.apache.spark.sql.functions.avg("prediction")).first().getDouble(0);
        double meanLabel = predicted.agg(org.apache.spark.sql.functions.avg("label")).first().getDouble(0);
        assertEquals(meanLabel, meanPrediction, 0.1 * labelStd, "predictions in target units");
        assertEquals(2, model.numFeatures());
        Row first = predicted.first();
        assertEquals(model.predict(first.getAs("features")), first.<Double>getAs("prediction"), 0.0);
    }
}
