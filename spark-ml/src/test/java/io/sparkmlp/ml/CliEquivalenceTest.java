package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.train.TrainResult;
import io.sparkmlp.kernel.io.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One data set, two ways in: the CLI's CSV reader, and {@code spark.read.csv} + {@code VectorAssembler}
 * into MlpClassifier. Same rows, same settings ⇒ the same weights, bit for bit; and the same DataFrame
 * fitted twice ⇒ the same model.
 */
class CliEquivalenceTest {

    /** {@code df}'s columns x0.., label as a CSV file with a header. */
    static void writeCsv(Dataset<Row> df, int features, Path csv) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", Spark.featureNames(features)) + ",label");
        for (Row r : df.collectAsList()) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < features; j++) sb.append(r.getDouble(j)).append(',');
            lines.add(sb.append((int) r.getDouble(features)).toString());
        }
        Files.write(csv, lines, StandardCharsets.UTF_8);
    }

    @Test
    void csvThroughTheCliAndThroughADataFrameGiveTheSameWeights(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("blobs.csv");
        writeCsv(Spark.blobs(500, 3, 4, 41), 4, csv);

        // The CLI's path: sparkmlp train with data.train = the file (no test split: spark.ml has none).
        TrainConfig cfg = TrainConfig.load(null, List.of("data.train=" + csv, "data.testFraction=0",
                "model.hidden=8,4", "train.maxSteps=60", "train.optimizer=momentum", "output.dir=" + tmp.resolve("run")));
        TrainResult cli = Spark.cliTrain(cfg, tmp.resolve("run"));
        cli.data().unpersist();

        // The Spark way: read the same file as a DataFrame.
        Dataset<Row> df = Spark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(csv.toString());
        MlpClassifier mlp = new MlpClassifier().setHiddenLayers(new int[] {8, 4}).setMaxIter(60).setSolver("momentum");
        Model fromFrame = mlp.fit(Spark.assembled(df, 4)).model();

        assertEquals(cli.parameters().architecture(), fromFrame.parameters().architecture());
        assertArrayEquals(cli.parameters().flat(), fromFrame.parameters().flat(), 0f, "weights, bit for bit");
        assertEquals(List.of("0", "1", "2"), fromFrame.classLabels());

        Model again = mlp.fit(Spark.assembled(df, 4)).model();
        assertArrayEquals(fromFrame.parameters().flat(), again.parameters().flat(), 0f, "same DataFrame, same bits");
    }
}
