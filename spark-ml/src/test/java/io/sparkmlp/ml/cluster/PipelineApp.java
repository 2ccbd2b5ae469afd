package io.sparkmlp.ml.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.ml.MlpClassifier;
import java.io.File;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.SparkEnv;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The application {@link PipelineClusterIT} submits, as a user's would be: its own small jar, with
 * {@code sparkmlp-spark-ml.jar} given to spark-submit's {@code --jars}. It fits
 * {@link #pipeline()} on a Parquet training set, transforms a Parquet test set on the executors,
 * measures the accuracy with {@code MulticlassClassificationEvaluator}, saves the {@code PipelineModel},
 * loads it back and transforms the test set again, and writes what it found as JSON.
 * <p>
 * Arguments: TRAIN_PARQUET TEST_PARQUET MODEL_DIR RESULT_JSON. The result's fields: {@code accuracy},
 * {@code trainPartitions} (of the training frame as read), {@code testRows}, {@code executors} (the ids
 * of the executors whose tasks ran the transform), {@code differingCells} (cells of the two transforms'
 * rows that differ in any bit; 0 when the loaded model transforms as the fitted one).
 */
public final class PipelineApp {

    /** The numeric feature columns of the data sets. */
    static final String[] FEATURES = {"x0", "x1", "x2", "x3"};

    private PipelineApp() {
    }

    /**
     * VectorAssembler (x0..x3 → raw), StandardScaler (raw → features), MlpClassifier (one hidden layer of 8,
     * 200 steps, seed 3, 2 partitions): the pipeline fitted on the cluster and, for the reference, in local mode.
     */
    static Pipeline pipeline() {
        VectorAssembler assembler = new VectorAssembler().setInputCols(FEATURES).setOutputCol("raw");
        StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features");
        MlpClassifier mlp = new MlpClassifier().setHiddenLayers(new int[] {8}).setMaxIter(200).setStepSize(0.01)
                .setSeed(3).setPartitions(2);
        return new Pipeline().setStages(new PipelineStage[] {assembler, scaler, mlp});
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("expected TRAIN_PARQUET TEST_PARQUET MODEL_DIR RESULT_JSON, found "
                    + args.length + " arguments");
        }
        SparkSession spark = SparkSession.builder().appName("sparkmlp spark-ml pipeline on a cluster").getOrCreate();
        try {
            Dataset<Row> train = spark.read().parquet(args[0]);
            Dataset<Row> test = spark.read().parquet(args[1]);
            PipelineModel fitted = pipeline().fit(train);
            Dataset<Row> predicted = fitted.transform(test);
            double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
            List<String> executors = predicted.toJavaRDD().mapPartitions(PipelineApp::executorOf).collect();

            fitted.write().save(args[2]);
            PipelineModel loaded = PipelineModel.load(args[2]);
            List<Row> first = predicted.collectAsList();
            List<Row> again = loaded.transform(test).collectAsList();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("accuracy", accuracy);
            result.put("trainPartitions", train.javaRDD().getNumPartitions());
            result.put("testRows", first.size());
            result.put("executors", new TreeSet<>(executors));
            result.put("differingCells", differingCells(first, again));
            new ObjectMapper().writeValue(new File(args[3]), result);
        } finally {
            spark.stop();
        }
    }

    /** Runs through a partition's rows (so the transform is computed in this task) and names the executor. */
    private static Iterator<String> executorOf(Iterator<Row> rows) {
        while (rows.hasNext()) {
            rows.next();
        }
        return List.of(SparkEnv.get().executorId()).iterator();
    }

    /** Cells that differ between two lists of rows, comparing doubles and Vector entries by their bits; a missing row counts its cells. */
    static int differingCells(List<Row> a, List<Row> b) {
        int differing = 0;
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= a.size() || i >= b.size()) {
                differing += (i < a.size() ? a.get(i) : b.get(i)).length();
                continue;
            }
            Row r = a.get(i);
            Row s = b.get(i);
            for (int c = 0; c < Math.max(r.length(), s.length()); c++) {
                if (c >= r.length() || c >= s.length() || !sameBits(r.get(c), s.get(c))) {
                    differing++;
                }
            }
        }
        return differing;
    }

    private static boolean sameBits(Object u, Object v) {
        if (u instanceof Vector x && v instanceof Vector y) {
            return sameBits(x.toArray(), y.toArray());
        }
        if (u instanceof Double x && v instanceof Double y) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
        }
        return java.util.Objects.equals(u, v);
    }

    private static boolean sameBits(double[] x, double[] y) {
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                return false;
            }
        }
        return true;
    }
}
