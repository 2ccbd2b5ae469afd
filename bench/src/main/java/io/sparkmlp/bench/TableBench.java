package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.ml.MlpClassificationModel;
import io.sparkmlp.ml.MlpClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Tables in and out, on a 60,000 × 784 ten-class set (pixel-like values: integers 0..255, about 80%
 * zeros), in one JVM ({@code local[1]}, so the figures are per core):
 * <ol>
 * <li>the time to load, split, standardise and cache it from Parquet ({@code data.format=parquet}) and from
 *     CSV ({@code data.format=csv}), alternately, and the cached bytes of the training blocks over the raw
 *     float bytes of their rows;</li>
 * <li>{@code transform} rows/s of a 784-256-128-10 {@link MlpClassificationModel} against MLlib's
 *     {@link MultilayerPerceptronClassificationModel} of the same layers, on the same cached DataFrame,
 *     alternately ({@code write.format("noop")} runs every row through the model).</li>
 * </ol>
 *
 * <pre>bench/run-kernel-bench.sh --class TableBench [rows] [rounds]   (default 60000 3)</pre>
 */
public final class TableBench {

    private static final int FEATURES = 784;
    private static final int CLASSES = 10;

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("sparkmlp-tablebench-");
        System.out.printf(Locale.ROOT, "TableBench: %,d rows x %d features, %d classes, local[1], load %s%n", rows,
                FEATURES, CLASSES, ScaleBench.loadAverage());
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp TableBench",
                Map.of("spark.master", "local[1]", "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "1"))) {
            SparkSession spark = SparkSession.builder().getOrCreate();
            Dataset<Row> table = pixels(spark, rows);
            String csv = dir.resolve("set.csv").toString();
            String parquet = dir.resolve("set.parquet").toString();
            table.coalesce(1).write().option("header", "true").csv(csv);
            table.coalesce(1).write().parquet(parquet);

            DataOptions base = DataOptions.defaults().withTestFraction(0).withValidationFraction(0).withPartitions(1)
                    .withSeed(7).withStandardize(true);
            DataOptions fromCsv = base.withFormat(DataOptions.DataFormat.CSV).withTrain(csv).withHeader(true)
                    .withLabelColumn("label");
            DataOptions fromParquet = base.withFormat(DataOptions.DataFormat.PARQUET).withTrain(parquet);
            double[] csvSeconds = new double[rounds];
            double[] parquetSeconds = new double[rounds];
            long cachedCsv = 0;
            long cachedParquet = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                PreparedData a = DataLoader.prepare(sc, fromParquet);
                parquetSeconds[r] = (System.nanoTime() - t0) / 1e9;
                cachedParquet = ScaleBench.cachedBytes(sc, a.train());
                a.unpersist();
                t0 = System.nanoTime();
                PreparedData b = DataLoader.prepare(sc, fromCsv);
                csvSeconds[r] = (System.nanoTime() - t0) / 1e9;
                cachedCsv = ScaleBench.cachedBytes(sc, b.train());
                b.unpersist();
            }
            long raw = (long) rows * FEATURES * 4L;
            System.out.println();
            System.out.println("| source | load s (median of " + rounds + ") | each round | cached bytes | cached / raw |");
            System.out.println("|---|---:|---|---:|---:|");
            row("parquet", parquetSeconds, cachedParquet, raw);
            row("csv", csvSeconds, cachedCsv, raw);
            System.out.printf(Locale.ROOT, "parquet / csv load time: %.2f%n%n",
                    ScaleBench.median(parquetSeconds) / ScaleBench.median(csvSeconds));

            transform(spark, table, rounds);
        } finally {
            deleteTree(dir);
        }
        System.out.printf(Locale.ROOT, "load at end %s%n", ScaleBench.loadAverage());
    }

    private static void row(String source, double[] seconds, long cached, long raw) {
        StringBuilder each = new StringBuilder();
        for (double s : seconds) each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", s));
        System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %,d | %.3f |%n", source, ScaleBench.median(seconds), each,
                cached, (double) cached / raw);
    }

    /** Both models score the same cached vector DataFrame, alternately; rows/s of each round. */
    private static void transform(SparkSession spark, Dataset<Row> table, int rounds) {
        String[] inputs = new String[FEATURES];
        for (int j = 0; j < FEATURES; j++) inputs[j] = "x" + j;
        Dataset<Row> vectors = new VectorAssembler().setInputCols(inputs).setOutputCol("features").transform(table)
                .select("label", "features").coalesce(1).cache();
        long n = vectors.count();
        Dataset<Row> few = vectors.limit(512);
        // Weights do not change the cost of a forward pass: one step of each is enough for a model.
        MlpClassificationModel ours = new MlpClassifier().setHiddenLayers(new int[] {256, 128}).setMaxIter(1)
                .setSeed(1).fit(few);
        MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {FEATURES, 256, 128, CLASSES}).setMaxIter(1).setSeed(1).fit(few);
        score(ours.transform(vectors));    // warm-up: JIT, the kernel's buffers
        score(mllib.transform(vectors));
        double[] oursRate = new double[rounds];
        double[] mllibRate = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            oursRate[r] = n / score(ours.transform(vectors));
            mllibRate[r] = n / score(mllib.transform(vectors));
        }
        System.out.println("| transform, 784-256-128-10, 1 core | rows/s (median of " + rounds + ") | each round |");
        System.out.println("|---|---:|---|");
        System.out.printf(Locale.ROOT, "| sparkmlp MlpClassificationModel | %,.0f | %s |%n", ScaleBench.median(oursRate),
                list(oursRate));
        System.out.printf(Locale.ROOT, "| MLlib MultilayerPerceptronClassificationModel | %,.0f | %s |%n",
                ScaleBench.median(mllibRate), list(mllibRate));
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) ratios[r] = oursRate[r] / mllibRate[r];
        System.out.printf(Locale.ROOT, "sparkmlp / MLlib transform rows/s, per round: %s (median %.2f)%n", list(ratios),
                ScaleBench.median(ratios));
        vectors.unpersist();
    }

    /** Seconds to run every row of {@code scored} through its model (the noop sink materialises each row). */
    private static double score(Dataset<Row> scored) {
        long t0 = System.nanoTime();
        scored.write().format("noop").mode("overwrite").save();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String list(double[] v) {
        List<String> s = new ArrayList<>();
        for (double x : v) s.add(String.format(Locale.ROOT, x >= 100 ? "%,.0f" : "%.2f", x));
        return String.join(", ", s);
    }

    /** {@code rows} rows: label 0..9 and x0..x783, integers 0..255 of which about 80% are zero. */
    private static Dataset<Row> pixels(SparkSession spark, int rows) {
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col("id").mod(CLASSES).cast("double").as("label"));
        for (int j = 0; j < FEATURES; j++) {
            Column u = functions.rand(1000 + j);
            cols.add(functions.when(u.lt(0.8), 0.0).otherwise(functions.floor(functions.rand(5000 + j).multiply(256)))
                    .as("x" + j));
        }
        return spark.range(rows).select(cols.toArray(Column[]::new));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private TableBench() {
    }
}
