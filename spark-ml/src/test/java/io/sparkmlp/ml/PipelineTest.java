package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MlpClassifier in spark.ml pipelines, with spark.ml's evaluators, in local[2]. */
class PipelineTest {

    private final SparkSession spark = Spark.session();

    private static Pipeline assembleScaleClassify(int features, MlpClassifier mlp) {
        VectorAssembler assembler = new VectorAssembler().setInputCols(Spark.featureNames(features)).setOutputCol("raw");
        StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features");
        return new Pipeline().setStages(new PipelineStage[] {assembler, scaler, mlp});
    }

    @Test
    void multiclassPipelineOnParquet(@TempDir Path tmp) {
        String parquet = tmp.resolve("blobs.parquet").toString();
        Spark.blobs(900, 3, 4, 11).write().parquet(parquet);
        Dataset<Row>[] split = spark.read().parquet(parquet).randomSplit(new double[] {0.8, 0.2}, 5);

        MlpClassifier mlp = new MlpClassifier().setHiddenLayers(new int[] {8}).setMaxIter(300).setStepSize(0.01).setSeed(3);
        PipelineModel fitted = assembleScaleClassify(4, mlp).fit(split[0]);
        Dataset<Row> predicted = fitted.transform(split[1]);

        List<String> columns = Arrays.asList(predicted.columns());
        assertEquals(List.of("x0", "x1", "x2", "x3", "label", "raw", "features", "prediction", "rawPrediction",
                "probability"), columns, "every input column kept, the three outputs after them");
        MlpClassificationModel model = (MlpClassificationModel) fitted.stages()[2];
        assertEquals(3, model.numClasses());
        assertEquals(4, model.numFeatures());
        assertEquals(split[1].count(), predicted.count());
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        Row first = predicted.first();
        Vector p = first.getAs("probability");
        assertEquals(3, p.size());
        assertEquals(1.0, Arrays.stream(p.toArray()).sum(), 1e-5);
        assertEquals((double) p.argmax(), first.<Double>getAs("prediction"), "prediction is the most probable class");
        assertArrayEquals(model.predictRaw((Vector) first.getAs("features")).toArray(),
                ((Vector) first.getAs("rawPrediction")).toArray(), 1e-12, "transform agrees with predictRaw");
    }

    @Test
    void binaryPipelineWorksWithBinaryClassificationEvaluator(@TempDir Path tmp) {
        String parquet = tmp.resolve("two.parquet").toString();
        Spark.blobs(600, 2, 3, 12).write().parquet(parquet);
        Dataset<Row>[] split = spark.read().parquet(parquet).randomSplit(new double[] {0.8, 0.2}, 5);

        PipelineModel fitted = assembleScaleClassify(3, new MlpClassifier().setHiddenLayers(new int[] {6})
                .setMaxIter(200).setStepSize(0.01)).fit(split[0]);
        Dataset<Row> predicted = fitted.transform(split[1]);

        MlpClassificationModel model = (MlpClassificationModel) fitted.stages()[2];
        assertEquals(2, model.numClasses());
        double auc = new BinaryClassificationEvaluator().evaluate(predicted);
        assertTrue(auc > 0.98, "area under ROC " + auc);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        Vector p = predicted.first().getAs("probability");
        assertEquals(2, p.size(), "one sigmoid output as two class probabilities");
    }

    @Test
    void stringLabelsThroughStringIndexerAndIndexToString() {
        Dataset<Row> blobs = Spark.blobs(600, 3, 2, 13);
        Dataset<Row> named = blobs.withColumn("species", functions.element_at(
                functions.array(functions.lit("cat"), functions.lit("dog"), functions.lit("bird")),
                blobs.col("label").cast("int").plus(1))).drop("label");
        StringIndexerModel indexer = new StringIndexer().setInputCol("species").setOutputCol("label").fit(named);
        MlpClassifier mlp = new MlpClassifier().setHiddenLayers(new int[] {8}).setMaxIter(300).setStepSize(0.01);
        IndexToString back = new IndexToString().setInputCol("prediction").setOutputCol("predictedSpecies")
                .setLabels(indexer.labelsArray()[0]);
        VectorAssembler assembler = new VectorAssembler().setInputCols(Spark.featureNames(2)).setOutputCol("features");
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {indexer, assembler, mlp, back}).fit(named);

        Dataset<Row> predicted = fitted.transform(named);
        long right = predicted.filter(predicted.col("species").equalTo(predicted.col("predictedSpecies"))).count();
        assertTrue(right > 0.95 * named.count(), right + " of " + named.count() + " names right");
        assertEquals(3, ((MlpClassificationModel) fitted.stages()[2]).numClasses(),
                "class count from the label column's metadata");
    }
}
