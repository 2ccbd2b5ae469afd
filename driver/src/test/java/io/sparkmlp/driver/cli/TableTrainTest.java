package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.format = parquet | json} through the CLI: the same rows as the CSV example give the same
 * weights (the table path and the CSV path build the same blocks), and a table without the expected
 * columns is refused in one line.
 */
class TableTrainTest {

    @TempDir
    static Path tables;

    /** xor.csv's columns x1, x2, label as doubles. */
    private static String parquet;
    private static String json;
    /** The same rows with the label as a string and no numeric feature column besides it. */
    private static String badLabel;

    private static final List<String> RUN = List.of("data.header=true", "data.testFraction=0.25",
            "data.validationFraction=0", "model.hidden=8", "model.activation=tanh", "train.batchSize=full",
            "train.learningRate=0.05", "train.epochs=60", "data.partitions=2", "output.overwrite=true");

    @BeforeAll
    static void writeTables() {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("sparkmlp table tests")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Dataset<Row> xor = spark.read().option("header", "true").option("inferSchema", "true")
                    .csv(Cli.project("data/xor.csv"))
                    .selectExpr("cast(x1 as double) x1", "cast(x2 as double) x2", "cast(label as double) label")
                    .coalesce(1);
            parquet = tables.resolve("xor.parquet").toString();
            json = tables.resolve("xor.json").toString();
            badLabel = tables.resolve("bad.parquet").toString();
            xor.write().parquet(parquet);
            xor.write().json(json);
            xor.selectExpr("cast(label as string) label", "cast(x1 as string) name").write().parquet(badLabel);
        } finally {
            spark.stop();
        }
    }

    private static Cli.Result train(Path out, String... settings) {
        List<String> args = new java.util.ArrayList<>(RUN);
        args.add("output.dir=" + out);
        args.addAll(List.of(settings));
        return Cli.train(null, args.toArray(String[]::new));
    }

    private static int[] bits(float[] w) {
        int[] b = new int[w.length];
        for (int i = 0; i < w.length; i++) b[i] = Float.floatToRawIntBits(w[i]);
        return b;
    }

    @Test
    void parquetAndJsonTrainTheSameWeightsAsTheCsvFile(@TempDir Path runs) throws IOException {
        Cli.Result csv = train(runs.resolve("csv"), "data.format=csv", "data.train=" + Cli.project("data/xor.csv"));
        assertEquals(0, csv.exit(), csv::toString);
        Cli.Result pq = train(runs.resolve("parquet"), "data.format=parquet", "data.train=" + parquet);
        assertEquals(0, pq.exit(), pq::toString);
        Cli.Result js = train(runs.resolve("json"), "data.format=json", "data.train=" + json);
        assertEquals(0, js.exit(), js::toString);

        Model fromCsv = ModelFile.read(runs.resolve("csv").resolve(RunOutput.MODEL_FILE));
        Model fromParquet = ModelFile.read(runs.resolve("parquet").resolve(RunOutput.MODEL_FILE));
        Model fromJson = ModelFile.read(runs.resolve("json").resolve(RunOutput.MODEL_FILE));
        assertEquals(fromCsv.architecture(), fromParquet.architecture());
        assertEquals(fromCsv.classLabels(), fromParquet.classLabels());
        assertArrayEquals(bits(fromCsv.parameters().flat()), bits(fromParquet.parameters().flat()),
                "parquet and csv: the same weights");
        assertArrayEquals(bits(fromParquet.parameters().flat()), bits(fromJson.parameters().flat()),
                "json and parquet: the same weights");
        assertTrue(pq.out().contains("sparkmlp: loading data (parquet)"), pq::toString);
    }

    @Test
    void aMissingLabelColumnIsOneLineNamingTheColumns(@TempDir Path runs) {
        Cli.Result r = train(runs.resolve("x"), "data.format=parquet", "data.train=" + parquet, "data.labelColumn=y");
        assertEquals(List.of("sparkmlp: error: " + parquet + ": data.labelColumn = y: no such column; expected one of"
                + " [x1, x2, label]"), r.errors(), r::toString);
        assertTrue(r.exit() != 0);
    }

    @Test
    void aStringLabelAndNoNumericFeatureAreRefused(@TempDir Path runs) {
        Cli.Result r = train(runs.resolve("x"), "data.format=parquet", "data.train=" + badLabel);
        assertEquals(List.of("sparkmlp: error: " + badLabel + ": label column label is string, expected a numeric"
                + " column (class indices 0..k-1, or targets with model.loss=mse)"), r.errors(), r::toString);
    }

    @Test
    void aMissingPathAndATestFileAreRefusedInOneLine(@TempDir Path runs) {
        String missing = runs.resolve("none.parquet").toString();
        Cli.Result r = train(runs.resolve("x"), "data.format=parquet", "data.train=" + missing);
        assertEquals(1, r.errors().size(), r::toString);
        assertTrue(r.errors().get(0).startsWith("sparkmlp: error: " + missing + ": cannot be read as parquet: "),
                r::toString);
        Cli.Result t = train(runs.resolve("y"), "data.format=parquet", "data.train=" + parquet, "data.test=" + parquet);
        assertEquals(1, t.errors().size(), t::toString);
        assertTrue(t.errors().get(0).contains("data.test"), t::toString);
        assertTrue(t.errors().get(0).endsWith("expected unset with data.format = parquet (the test split is"
                + " data.testFraction of data.train)"), t::toString);
    }
}
