package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save and load: estimator, models and a PipelineModel round-trip with bit-identical transforms; CLI model files. */
class PersistenceTest {

    private static final Dataset<Row> DATA = Spark.assembled(Spark.blobs(300, 3, 2, 31), 2);

    @Test
    void estimatorKeepsItsParams(@TempDir Path tmp) throws IOException {
        MlpClassifier mlp = new MlpClassifier().setStepSize(0.02).setHiddenLayers(new int[] {5, 3}).setSolver("gd")
                .setEpochs(7).setValidationIndicatorCol("isVal");
        mlp.save(tmp.resolve("mlp").toString());

        MlpClassifier back = MlpClassifier.load(tmp.resolve("mlp").toString());

        assertEquals(mlp.uid(), back.uid());
        assertEquals(0.02, back.getStepSize());
        assertArrayEquals(new int[] {5, 3}, back.getHiddenLayers());
        assertEquals("gd", back.getSolver());
        assertEquals(7, back.getEpochs());
        assertEquals("isVal", back.getValidationIndicatorCol());
        assertEquals(256, back.getBatchSize(), "a default stays the default");
        assertFalse(back.isSet(back.batchSize()));
    }

    @Test
    void modelAndPipelineModelTransformTheSameBitsAfterLoading(@TempDir Path tmp) throws IOException {
        MlpClassificationModel model = new MlpClassifier().setHiddenLayers(new int[] {4}).setMaxIter(60).fit(DATA);
        model.save(tmp.resolve("model").toString());
        MlpClassificationModel loaded = MlpClassificationModel.load(tmp.resolve("model").toString());
        assertEquals(model.uid(), loaded.uid());
        assertSameOutputs(model, loaded, DATA);

        Model inside = ModelFile.read(tmp.resolve("model").resolve("data").resolve(RunOutput.MODEL_FILE));
        assertEquals(model.model(), inside, "the saved directory holds the project's model file, as the CLI reads it");

        VectorAssembler assembler = new VectorAssembler().setInputCols(Spark.featureNames(2)).setOutputCol("features");
        Dataset<Row> raw = DATA.drop("features");
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {assembler,
                new MlpRegressor().setHiddenLayers(new int[] {4}).setMaxIter(60)}).fit(raw);
        pipeline.save(tmp.resolve("pipeline").toString());
        PipelineModel pipelineBack = PipelineModel.load(tmp.resolve("pipeline").toString());
        assertSameOutputs(pipeline, pipelineBack, raw);
    }

    @Test
    void aFitWritesWhatTheCliWritesOnlyWhenGivenAnOutputDir(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        MlpClassificationModel model = new MlpClassifier().setHiddenLayers(new int[] {4}).setMaxIter(20)
                .setOutputDir(dir.toString()).fit(DATA);

        assertEquals(model.model(), ModelFile.read(dir.resolve(RunOutput.MODEL_FILE)));
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(RunOutput.METRICS_FILE)));
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(RunOutput.SUMMARY_FILE)));
    }

    @Test
    void aModelFileOfTheCliLoadsAsASparkMlModel(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("blobs.csv");
        CliEquivalenceTest.writeCsv(Spark.blobs(300, 3, 2, 32), 2, csv);
        TrainConfig cfg = TrainConfig.load(null, List.of("data.train=" + csv, "model.hidden=4", "train.maxSteps=150", "train.learningRate=0.01",
                "output.dir=" + tmp.resolve("run")));
        Spark.cliTrain(cfg, tmp.resolve("run")).data().unpersist();

        MlpClassificationModel fromCli = MlpClassificationModel.fromModelFile(tmp.resolve("run").resolve(RunOutput.MODEL_FILE).toString());

        assertEquals(3, fromCli.numClasses());
        assertEquals(List.of("0", "1", "2"), fromCli.classLabels());
        Dataset<Row> predicted = fromCli.transform(DATA);
        double accuracy = predicted.filter(predicted.col("prediction").equalTo(predicted.col("label"))).count()
                / (double) DATA.count();
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }

    /** Every output column of every row, bit for bit. */
    static void assertSameOutputs(Transformer a, Transformer b, Dataset<Row> data) {
        List<Row> x = a.transform(data).collectAsList();
        List<Row> y = b.transform(data).collectAsList();
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            Row r = x.get(i);
            Row s = y.get(i);
            assertEquals(r.length(), s.length());
            for (int c = 0; c < r.length(); c++) {
                Object u = r.get(c);
                Object v = s.get(c);
                if (u instanceof Vector vu) {
                    assertArrayEquals(vu.toArray(), ((Vector) v).toArray(), 0.0, "row " + i + " column " + c);
                } else {
                    assertEquals(u, v, "row " + i + " column " + c);
                }
            }
        }
    }
}
