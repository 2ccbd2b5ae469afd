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
        return new DataOptions(DataFormat.AUTO, path, null, 0, 0, null, null, 0, false, 2, false, 7, null);
    }

    static DataOptions with(DataOptions o, DataFormat format, Boolean header, String labelColumn) {
        return new DataOptions(format, o.train(), o.test(), o.testFraction(), o.validationFraction(), header,
                labelColumn, o.numFeatures(), o.standardize(), o.partitions(), o.regression(), o.seed(), o.synthetic());
    }

    static DataOptions split(DataOptions o, String test, double testFraction, double validationFraction,
                             boolean standardize, int partitions) {
        return new DataOptions(o.format(), o.train(), test, testFraction, validationFraction, o.header(),
                o.labelColumn(), o.numFeatures(), standardize, partitions, o.regression(), o.seed(), o.synthetic());
    }

    static DataOptions regression(DataOptions o) {
        return new DataOptions(o.format(), o.train(), o.test(), o.testFraction(), o.validationFraction(), o.header(),
                o.labelColumn(), o.numFeatures(), o.standardize(), o.partitions(), true, o.seed(), o.synthetic());
    }

    static DataOptions numFeatures(DataOptions o, int n) {
        return new DataOptions(o.format(), o.train(), o.test(), o.testFraction(), o.validationFraction(), o.header(),
                o.labelColumn(), n, o.standardize(), o.partitions(), o.regression(), o.seed(), o.synthetic());
    }

    static DataOptions synthetic(long rows, int features, int classes, int informative, double noise, long seed,
                                 int partitions, double testFraction, double validationFraction, boolean standardize) {
        return new DataOptions(DataFormat.SYNTHETIC, null, null, testFraction, validationFraction, null, null, 0,
                standardize, partitions, false, 11,
                new DataOptions.SyntheticOptions(rows, features, classes, informative, noise, seed));
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
