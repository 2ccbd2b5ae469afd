package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.driver.data.DataException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Labels that are not what spark.ml expects are refused in one line naming the value and the row. */
class BadLabelsTest {

    /** 40 rows labelled 0/1 but row {@code bad}, labelled {@code label}; in 2 partitions. */
    private static Dataset<Row> withLabel(int bad, Double label) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(Vectors.dense(i, -i), i == bad ? label : (Double) (double) (i % 2)));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType, true);
        return Spark.session().createDataFrame(rows, schema).repartition(2);
    }

    private static String refusal(MlpParams<?> estimator, Dataset<Row> data) {
        DataException e = assertThrows(DataException.class, () -> {
            if (estimator instanceof MlpClassifier c) c.fit(data);
            else ((MlpRegressor) estimator).fit(data);
        });
        return e.getMessage();
    }

    /** Where row {@code bad} of {@link #withLabel} ended up in the frame's order. */
    private static int rowOf(Dataset<Row> df, int bad) {
        List<Row> rows = df.collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            if (((org.apache.spark.ml.linalg.Vector) rows.get(i).get(0)).apply(0) == bad) return i;
        }
        throw new AssertionError("row " + bad + " not found");
    }

    private static final String CLASS_INDEX = "expected a class index 0, 1, 2, ... (a whole number >= 0, as spark.ml"
            + " expects; StringIndexer makes one from other labels)";

    @Test
    void classLabelsThatAreNotClassIndices() {
        Dataset<Row> half = withLabel(33, 0.5);
        assertEquals("DataFrame: column 'label', row " + rowOf(half, 33) + ": found 0.5, " + CLASS_INDEX,
                refusal(new MlpClassifier().setMaxIter(1), half));
        Dataset<Row> negative = withLabel(7, -1.0);
        assertEquals("DataFrame: column 'label', row " + rowOf(negative, 7) + ": found -1.0, " + CLASS_INDEX,
                refusal(new MlpClassifier().setMaxIter(1), negative));
        Dataset<Row> missing = withLabel(12, null);
        assertEquals("DataFrame: column 'label', row " + rowOf(missing, 12) + ": found null, expected a class index",
                refusal(new MlpClassifier().setMaxIter(1), missing));
    }

    @Test
    void regressionTargetsMustBeFinite() {
        Dataset<Row> nan = withLabel(3, Double.NaN);
        assertEquals("DataFrame: column 'label', row " + rowOf(nan, 3) + ": found NaN, expected a finite number",
                refusal(new MlpRegressor().setMaxIter(1), nan));
    }

    @Test
    void mllibLayersMustFitTheData() {
        Dataset<Row> twoClasses = withLabel(0, 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MlpClassifier().setLayers(new int[] {2, 4, 3}).setMaxIter(1).fit(twoClasses));
        assertEquals(": layers = [2, 4, 3]: expected input size 2 (the features) and output size 2 (the classes)",
                e.getMessage().substring(e.getMessage().indexOf(':')));
        assertEquals(2, new MlpClassifier().setLayers(new int[] {2, 4, 2}).setMaxIter(1).fit(twoClasses).numClasses(),
                "MLlib's two outputs for two classes");
    }
}
