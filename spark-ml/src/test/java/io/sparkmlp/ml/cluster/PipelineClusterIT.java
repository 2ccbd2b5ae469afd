package io.sparkmlp.ml.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.driver.cluster.AppJars;
import io.sparkmlp.driver.cluster.SparkCluster;
import io.sparkmlp.driver.cluster.SparkClusterExtension;
import io.sparkmlp.driver.cluster.SubmitResult;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spark.ml face on a real cluster (a Master and two one-core Workers in their own JVMs), reached as
 * a user reaches it: {@link PipelineApp} in its own jar, submitted with spark-submit in client mode and
 * {@code --jars spark-ml/target/sparkmlp-spark-ml.jar}. One submission for the class:
 * <ul>
 *   <li>{@code Pipeline(VectorAssembler, StandardScaler, MlpClassifier)} fits on Parquet in two partitions,
 *       transforms on the executors, scores well with {@code MulticlassClassificationEvaluator}, and the
 *       saved and reloaded {@code PipelineModel} transforms the same bits;</li>
 *   <li>the model file inside the saved directory ({@code stages/2_*}{@code /data/model.sparkmlp}) is
 *       byte-identical (weights, feature scaling, metadata) to that of the same pipeline fitted in this JVM in {@code local[2]} on the same
 *       files: the determinism contract holds on a cluster.</li>
 * </ul>
 */
class PipelineClusterIT {

    @RegisterExtension
    static final SparkClusterExtension CLUSTER =
            new SparkClusterExtension(SparkCluster.builder().workers(2).coresPerWorker(1).workerMemory("1g"));

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path train;
    private static Path test;
    private static Path clusterModel;
    private static SubmitResult submission;
    private static JsonNode result;

    /** Writes the data sets (in this JVM's local Spark), then submits {@link PipelineApp} to the cluster once. */
    @BeforeAll
    static void fitOnTheCluster() throws IOException {
        Path dir = CLUSTER.cluster().dir().resolve("pipeline");
        train = dir.resolve("train.parquet");
        test = dir.resolve("test.parquet");
        SparkSession spark = localSession();
        blobs(spark, 2400, 21).repartition(2).write().parquet(train.toString());
        blobs(spark, 600, 22).repartition(2).write().parquet(test.toString());

        Path appJar = AppJars.build(dir.resolve("pipeline-app.jar"), PipelineApp.class);
        Path sparkMlJar = CLUSTER.cluster().settings().requireAppJar();
        clusterModel = dir.resolve("cluster-model");
        Path resultFile = dir.resolve("result.json");
        submission = CLUSTER.cluster().submit(appJar)
                .jars(sparkMlJar)
                .conf("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                .timeout(RUN_TIMEOUT)
                .args(train.toString(), test.toString(), clusterModel.toString(), resultFile.toString())
                .run();
        System.out.printf("pipeline on the cluster: %d ms%n", submission.elapsed().toMillis());
        assertTrue(submission.succeeded(), submission::describe);
        result = JSON.readTree(resultFile.toFile());
        System.out.println("cluster result: " + result);
    }

    @Test
    void aPipelineFitsOnTheClusterTransformsOnTheExecutorsAndRoundTrips() {
        assertEquals(2, result.path("trainPartitions").asInt(), result::toString);
        assertEquals(600, result.path("testRows").asInt(), result::toString);
        double accuracy = result.path("accuracy").asDouble();
        assertTrue(accuracy > 0.95, () -> "accuracy " + accuracy);
        List<String> executors = new ArrayList<>();
        result.path("executors").forEach(e -> executors.add(e.asText()));
        assertFalse(executors.isEmpty(), result::toString);
        assertFalse(executors.contains("driver"), () -> "the transform ran on the driver: " + executors);
        assertEquals(0, result.path("differingCells").asInt(-1),
                () -> "the loaded PipelineModel transforms differently: " + result);
    }

    @Test
    void theSavedModelFileHasTheWeightsOfALocalFit() throws IOException {
        Path localModel = CLUSTER.cluster().dir().resolve("pipeline").resolve("local-model");
        SparkSession spark = localSession();
        long t0 = System.nanoTime();
        PipelineApp.pipeline().fit(spark.read().parquet(train.toString())).write().save(localModel.toString());
        System.out.printf("the same pipeline in local[2]: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        Model local = ModelFile.read(modelFile(localModel));
        Model cluster = ModelFile.read(modelFile(clusterModel));
        assertArrayEquals(local.parameters().flat(), cluster.parameters().flat(),
                "the weights of the cluster's fit differ from those of the local[2] fit");
        assertArrayEquals(local.featureMean(), cluster.featureMean(), "feature means");
        assertArrayEquals(local.featureStd(), cluster.featureStd(), "feature standard deviations");
        assertArrayEquals(Files.readAllBytes(modelFile(localModel)), Files.readAllBytes(modelFile(clusterModel)),
                "the cluster's model file " + modelFile(clusterModel) + " differs from the local[2] fit's "
                        + modelFile(localModel));
    }

    /** The model file of the MlpClassificationModel, the third stage of a saved PipelineModel. */
    private static Path modelFile(Path pipelineDir) throws IOException {
        try (Stream<Path> stages = Files.list(pipelineDir.resolve("stages"))) {
            List<Path> mlp = stages.filter(s -> s.getFileName().toString().startsWith("2_")).toList();
            assertEquals(1, mlp.size(), () -> "the third stage in " + pipelineDir + ": " + mlp);
            Path file = mlp.get(0).resolve("data").resolve(RunOutput.MODEL_FILE);
            assertTrue(Files.isRegularFile(file), () -> "no model file " + file);
            return file;
        }
    }

    private static SparkSession localSession() {
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName("sparkmlp spark-ml cluster test (local reference)")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    /**
     * Three Gaussian blobs (unit variance; class c centred at radius 4, angle 2πc/3 in the plane of x0
     * and x1, 0 in x2 and x3), double columns x0..x3 and a double label 0..2.
     */
    private static Dataset<Row> blobs(SparkSession spark, int rows, long seed) {
        Random r = new Random(seed);
        int features = PipelineApp.FEATURES.length;
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            Object[] v = new Object[features + 1];
            for (int j = 0; j < features; j++) {
                double centre = j == 0 ? 4 * Math.cos(2 * Math.PI * c / 3) : j == 1 ? 4 * Math.sin(2 * Math.PI * c / 3) : 0;
                v[j] = centre + r.nextGaussian();
            }
            v[features] = (double) c;
            out.add(RowFactory.create(v));
        }
        List<StructField> fields = new ArrayList<>();
        for (String n : PipelineApp.FEATURES) {
            fields.add(DataTypes.createStructField(n, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
        return spark.createDataFrame(out, new StructType(fields.toArray(new StructField[0])));
    }
}
