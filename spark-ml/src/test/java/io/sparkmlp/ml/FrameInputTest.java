package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.FrameInput;
import io.sparkmlp.driver.data.PreparedData;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The driver's DataFrame conversion: numeric columns, dense and sparse vectors give the same blocks; the indicator column. */
class FrameInputTest {

    private static DataOptions options(double validationFraction) {
        return DataOptions.defaults()
                .withTrain("frame")
                .withTestFraction(0)
                .withValidationFraction(validationFraction)
                .withStandardize(true)
                .withPartitions(2)
                .withSeed(7);
    }

    private static float[] allX(PreparedData d) {
        List<Block> blocks = d.train().collect();
        int n = blocks.stream().mapToInt(b -> b.x().length).sum();
        float[] x = new float[n];
        int at = 0;
        for (Block b : blocks) {
            System.arraycopy(b.x(), 0, x, at, b.x().length);
            at += b.x().length;
        }
        return x;
    }

    @Test
    void numericColumnsDenseAndSparseVectorsGiveTheSameBlocks() {
        Dataset<Row> df = Spark.assembled(Spark.blobs(200, 3, 3, 61), 3).cache();
        UDF1<Vector, Vector> sparse = Vector::toSparse;
        Dataset<Row> sparseDf = df.withColumn("sparse", functions.udf(sparse, SQLDataTypes.VectorType())
                .apply(df.col("features")));

        PreparedData numeric = FrameInput.prepare(df, new FrameInput.Columns("label", null, List.of("x0", "x1", "x2"),
                null), options(0.1), 0);
        PreparedData dense = FrameInput.prepare(df, FrameInput.Columns.ofVector("label", "features", null), options(0.1), 0);
        PreparedData fromSparse = FrameInput.prepare(sparseDf, FrameInput.Columns.ofVector("label", "sparse", null),
                options(0.1), 0);

        assertEquals(2, numeric.train().getNumPartitions());
        assertArrayEquals(allX(numeric), allX(dense), 0f);
        assertArrayEquals(allX(numeric), allX(fromSparse), 0f);
        assertEquals(numeric.trainRows(), dense.trainRows());
        assertEquals(200, numeric.trainRows() + numeric.validationRows());
        assertEquals(List.of("x0", "x1", "x2"), numeric.featureNames());
        for (PreparedData d : List.of(numeric, dense, fromSparse)) d.unpersist();
    }

    @Test
    void theIndicatorColumnPicksTheValidationRows() {
        Dataset<Row> df = Spark.assembled(Spark.blobs(200, 2, 2, 62), 2)
                .withColumn("isVal", functions.col("x0").gt(3.5));
        long flagged = df.filter("isVal").count();

        PreparedData d = FrameInput.prepare(df, FrameInput.Columns.ofVector("label", "features", "isVal"), options(0.5), 0);

        assertEquals(flagged, d.validationRows(), "validation rows are the flagged ones, not validationFraction's");
        assertEquals(200 - flagged, d.trainRows());
        d.unpersist();
    }
}
