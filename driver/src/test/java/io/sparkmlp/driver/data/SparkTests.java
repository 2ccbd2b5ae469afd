package io.sparkmlp.driver.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.DataFormat;

/** Shared helpers of the data tests: a local[2] context, options, files, collected blocks. */
final class SparkTests {
    private SparkTests() {
    }

    static JavaSparkContext context(String name) {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "2");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
        return sc;
    }

    /** Options for a file: no split, no scaling, 2 partitions. */
    static DataOptions file(String path) {
        return DataOptions.defaults().withTrain(path).withTestFraction(0).withValidationFraction(0)
                .withStandardize(false).withPartitions(2).withSeed(7);
    }

    static DataOptions with(DataOptions o, DataFormat format, Boolean header, String labelColumn) {
        return o.withFormat(format).withHeader(header).withLabelColumn(labelColumn);
    }

    static DataOptions split(DataOptions o, String test, double testFraction, double validationFraction,
                             boolean standardize, int partitions) {
        return o.withTest(test).withTestFraction(testFraction).withValidationFraction(validationFraction)
                .withStandardize(standardize).withPartitions(partitions);
    }

    static DataOptions regression(DataOptions o) {
        return o.withRegression(true);
    }

    static DataOptions numFeatures(DataOptions o, int n) {
        return o.withNumFeatures(n);
    }

    static DataOptions synthetic(long rows, int features, int classes, int informative, double flipY, long seed,
                                 int partitions, double testFraction, double validationFraction, boolean standardize) {
        DataOptions d = DataOptions.defaults();
        return d.withFormat(DataFormat.SYNTHETIC).withTestFraction(testFraction)
                .withValidationFraction(validationFraction).withStandardize(standardize).withPartitions(partitions)
                .withSeed(11).withSynthetic(d.synthetic().withRows(rows).withFeatures(features).withClasses(classes)
                        .withInformative(informative).withFlipY(flipY).withSeed(seed));
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    static Path writeGz(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    /** The project's data/ folder (tests run in driver/). */
    static String dataFile(String name) {
        Path p = Path.of("..", "data", name);
        if (!Files.exists(p)) {
            p = Path.of("data", name);
        }
        return p.toAbsolutePath().normalize().toString();
    }

    static List<Block> blocks(JavaRDD<Block> rdd) {
        return new ArrayList<>(rdd.collect());
    }

    /** All rows of the blocks, in block order: each row its features then its label. */
    static List<float[]> rows(JavaRDD<Block> rdd) {
        List<float[]> rows = new ArrayList<>();
        for (Block b : rdd.collect()) {
            for (int r = 0; r < b.rows(); r++) {
                float[] row = new float[b.features() + 1];
                System.arraycopy(b.x(), r * b.features(), row, 0, b.features());
                row[b.features()] = b.y()[r];
                rows.add(row);
            }
        }
        return rows;
    }
}
