package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.LocalFs;
import io.sparkmlp.driver.output.RunOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop over Spark (local[2], the default transport, validation passes and keep-best) and over the
 * same blocks in memory give the same bits: what makes the in-memory tests of the loop stand for the real runs.
 */
class SparkTrainingDataTest {

    @TempDir
    Path tmp;

    @Test
    void sameBitsAsTheLoopOverTheSameBlocksInMemory() throws IOException {
        TrainConfig cfg = TrainConfig.load(null, List.of("data.format=synthetic", "synthetic.rows=1200",
                "synthetic.features=6", "synthetic.classes=3", "data.partitions=2", "data.validationFraction=0.2",
                "model.hidden=16", "train.batchSize=48", "train.maxSteps=40", "train.evalEvery=5",
                "train.earlyStoppingPatience=1000", "spark.master=local[2]", "spark.ui.enabled=false",
                "output.dir=" + tmp));
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        TrainResult spark;
        TrainResult memory;
        try (JavaSparkContext sc = SparkContexts.start("SparkTrainingDataTest", cfg.sparkConf())) {
            sc.setLogLevel("ERROR");
            PreparedData data = DataLoader.prepare(sc, cfg.data());
            spark = run(cfg, new SparkTrainingData(sc, data), tmp.resolve("spark"), log);
            InMemoryData blocks = new InMemoryData(data, data.train().collect(), data.validation().collect(),
                    data.test().collect(), UnaryOperator.identity());
            memory = run(cfg, blocks, tmp.resolve("memory"), log);
        }
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("sparkmlp: step transport persistent"), text);
        assertEquals(40, spark.steps());
        assertArrayEquals(spark.parameters().flat(), memory.parameters().flat());
        assertEquals(spark.weightsStep(), memory.weightsStep());
        assertEquals(spark.validation().lossSum(), memory.validation().lossSum());
        assertEquals(spark.test().lossSum(), memory.test().lossSum());
        assertArrayEquals(spark.test().confusion(), memory.test().confusion());
    }

    /** L-BFGS with the validation keys at their defaults trains on the validation rows too: Spark and memory agree. */
    @Test
    void lbfgsTrainsOnTheValidationRowsWithTheBitsOfTheLoopInMemory() throws IOException {
        TrainConfig cfg = TrainConfig.load(null, List.of("data.format=synthetic", "synthetic.rows=900",
                "synthetic.features=6", "synthetic.classes=3", "data.partitions=2", "model.hidden=8",
                "train.optimizer=lbfgs", "train.epochs=30", "spark.master=local[2]", "spark.ui.enabled=false",
                "output.dir=" + tmp));
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        TrainResult spark;
        TrainResult memory;
        PreparedData data;
        try (JavaSparkContext sc = SparkContexts.start("SparkTrainingDataTest", cfg.sparkConf())) {
            sc.setLogLevel("ERROR");
            data = DataLoader.prepare(sc, cfg.data());
            spark = run(cfg, new SparkTrainingData(sc, data), tmp.resolve("spark"), log);
            InMemoryData blocks = new InMemoryData(data, data.train().collect(), data.validation().collect(),
                    data.test().collect(), UnaryOperator.identity());
            memory = run(cfg, blocks, tmp.resolve("memory"), log);
        }
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(data.validationRows() > 0, "the data has a validation split");
        assertTrue(text.contains("sparkmlp: L-BFGS trains on the " + data.validationRows() + " validation rows too"), text);
        assertEquals(data.trainRows() + data.validationRows(), spark.data().trainRows());
        assertEquals(spark.data().trainRows(), java.util.Arrays.stream(spark.data().trainClassCounts()).sum());
        assertArrayEquals(memory.data().trainClassCounts(), spark.data().trainClassCounts());
        assertEquals(0, spark.data().validationRows());
        assertEquals(null, spark.validation());
        assertArrayEquals(spark.parameters().flat(), memory.parameters().flat());
        assertEquals(spark.steps(), memory.steps());
        assertEquals(spark.test().lossSum(), memory.test().lossSum());
    }

    private static TrainResult run(TrainConfig cfg, TrainingData data, Path dir, PrintStream log) throws IOException {
        FsPath out = LocalFs.PATH.of(dir);
        RunOutput output = RunOutput.prepare(out, false);
        return new Trainer(cfg, log).train(data, output, new Checkpointer(cfg, out, log), null);
    }
}
