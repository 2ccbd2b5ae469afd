package io.sparkmlp.ml;

import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.report.Summaries;
import io.sparkmlp.driver.train.SparkTrainingData;
import io.sparkmlp.driver.train.TrainResult;
import io.sparkmlp.driver.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The tests' Spark: one local[2] session per test JVM, and generated data sets. */
final class Spark {

    private Spark() {
    }

    static SparkSession session() {
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName("sparkmlp spark-ml tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    /**
     * What {@code sparkmlp train} does with {@code cfg} (data from its data.* keys, the trainer, outputs in
     * {@code dir}), on this JVM's context and without the report; the returned data are cached until
     * unpersisted.
     */
    static TrainResult cliTrain(TrainConfig cfg, Path dir) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(session().sparkContext());
        RunOutput output = RunOutput.prepare(FsPath.of(dir.toString(), sc.hadoopConfiguration()), false);
        PrintStream log = new PrintStream(OutputStream.nullOutputStream());
        Checkpointer checkpoints = new Checkpointer(cfg, output.dir(), log);
        PreparedData data = DataLoader.prepare(sc, checkpoints.dataOptions(null));
        TrainResult result = new Trainer(cfg, log).train(new SparkTrainingData(sc, data), output, checkpoints, null);
        output.writeModel(Summaries.model(result, cfg));
        return result;
    }

    static String[] featureNames(int features) {
        String[] names = new String[features];
        for (int j = 0; j < features; j++) names[j] = "x" + j;
        return names;
    }

    /**
     * {@code classes} Gaussian blobs (unit variance; class c centred at radius 4, angle 2πc/classes in
     * the plane of x0 and x1, 0 in the other features) with numeric columns x0.. and a
     * double label 0..classes−1; values rounded to 3 decimals (so CSV text and doubles round to the
     * same floats).
     */
    static Dataset<Row> blobs(int rows, int classes, int features, long seed) {
        Random r = new Random(seed);
        double[][] centres = new double[classes][features];
        for (int c = 0; c < classes; c++) {
            centres[c][0] = 4 * Math.cos(2 * Math.PI * c / classes);
            centres[c][1] = 4 * Math.sin(2 * Math.PI * c / classes);
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int c = i % classes;
            Object[] v = new Object[features + 1];
            for (int j = 0; j < features; j++) v[j] = Math.round((centres[c][j] + r.nextGaussian()) * 1000) / 1000.0;
            v[features] = (double) c;
            out.add(RowFactory.create(v));
        }
        List<StructField> fields = new ArrayList<>();
        for (String n : featureNames(features)) fields.add(DataTypes.createStructField(n, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
        return session().createDataFrame(out, new StructType(fields.toArray(new StructField[0])));
    }

    /** The numeric columns x0.. of {@code df} assembled into a Vector column {@code features}. */
    static Dataset<Row> assembled(Dataset<Row> df, int features) {
        return new VectorAssembler().setInputCols(featureNames(features)).setOutputCol("features").transform(df);
    }
}
