package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.train.SparkTrainingData;
import io.sparkmlp.driver.train.TrainResult;
import io.sparkmlp.driver.train.Trainer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Mean test accuracy of sparkmlp with its defaults against Spark MLlib's {@code MultilayerPerceptronClassifier} on the
 * small public sets in {@code data/} and a generated one ({@link #generated}), on identical random 60/40 train/test
 * splits, in one local[2] context.
 *
 * <pre>
 * for each set, for split s in 0..S−1:  rows shuffled by java.util.Random(s); the first ⌊0.6·n⌋ train, the rest test
 *     MLlib:            layers [d, 5, 4, k], L-BFGS, maxIter 100, tol 1e-6, seed s, features standardised with the
 *                       training split's mean and standard deviation (its documentation's network)
 *     sparkmlp 5,4:     the same split as CSV files (data.train, data.test), model.hidden=5,4, every other key default
 *     sparkmlp default: the same files, every key default (hidden 128,64)
 * reported: each split's accuracies, then the mean over the splits per set
 * </pre>
 *
 * sparkmlp standardises with its own defaults (data.standardize) and holds out its default validation share of the
 * training file, as a user's run does.
 *
 * <pre>bench/run-kernel-bench.sh --class AccuracyVsMllib [--splits 5] [--sets spark-multiclass,iris,...] [--set KEY=VALUE]…</pre>
 *
 * {@code --set} adds a key to both sparkmlp runs (to measure a candidate default).
 */
public final class AccuracyVsMllib {

    private AccuracyVsMllib() {
    }

    /** A data set in memory: features row by row, labels 0..k−1. */
    record Table(String name, double[][] x, int[] y, int classes) { }

    public static void main(String[] args) throws IOException {
        int splits = 5;
        List<String> sets = List.of("spark-multiclass", "spark-binary", "iris", "breast_cancer", "digits", "generated");
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--splits" -> splits = Integer.parseInt(args[++i]);
                case "--sets" -> sets = List.of(args[++i].split(","));
                case "--set" -> extra.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "', expected --splits --sets --set KEY=VALUE");
            }
        }
        Path tmp = Files.createTempDirectory("accuracy-vs-mllib");
        Map<String, double[]> means = new LinkedHashMap<>();
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp AccuracyVsMllib",
                Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"))) {
            SparkSession spark = SparkSession.builder().getOrCreate();
            System.out.printf(Locale.ROOT, "AccuracyVsMllib: %d splits, local[2], sparkmlp keys %s, load %s%n", splits,
                    extra.isEmpty() ? "default" : extra, ScaleBench.loadAverage());
            for (String set : sets) {
                Table t = set.equals("generated") ? generated(sc) : load(set);
                double[] sum = new double[3];
                for (int s = 0; s < splits; s++) {
                    int[][] split = split(t.y().length, s);
                    Path train = write(t, split[0], tmp.resolve(set + "-" + s + "-train.csv"));
                    Path test = write(t, split[1], tmp.resolve(set + "-" + s + "-test.csv"));
                    double mllib = mllib(spark, t, split, s);
                    List<String> small54 = new ArrayList<>(extra);
                    small54.add("model.hidden=5,4");
                    Run small = ours(sc, train, test, tmp.resolve(set + "-" + s + "-54"), small54);
                    Run wide = ours(sc, train, test, tmp.resolve(set + "-" + s + "-default"), extra);
                    System.out.printf(Locale.ROOT, "%s split %d: MLlib 5,4 %.4f | sparkmlp 5,4 %.4f (%s, %d steps, %.1f s)"
                                    + " | sparkmlp default %.4f (%s, %d steps, %.1f s)%n", set, s, mllib, small.accuracy,
                            small.optimizer, small.steps, small.seconds, wide.accuracy, wide.optimizer, wide.steps,
                            wide.seconds);
                    sum[0] += mllib;
                    sum[1] += small.accuracy;
                    sum[2] += wide.accuracy;
                }
                for (int i = 0; i < 3; i++) sum[i] /= splits;
                means.put(set + " (" + t.y().length + " × " + t.x()[0].length + ", " + t.classes() + " classes)", sum);
            }
        }
        System.out.printf(Locale.ROOT, "%n| set | MLlib, hidden 5,4 | sparkmlp defaults, hidden 5,4 | sparkmlp defaults |%n"
                + "|---|---|---|---|%n");
        means.forEach((k, m) -> System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", k, m[0], m[1], m[2]));
    }

    record Run(double accuracy, String optimizer, long steps, double seconds) { }

    /** sparkmlp with its defaults and {@code overrides} on the split's files, as {@code bin/sparkmlp train} runs it. */
    static Run ours(JavaSparkContext sc, Path train, Path test, Path out, List<String> overrides) throws IOException {
        List<String> keys = new ArrayList<>(List.of("data.train=" + train, "data.test=" + test, "output.dir=" + out,
                "output.overwrite=true"));
        keys.addAll(overrides);
        TrainConfig cfg = TrainConfig.load(null, keys);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        FsPath dir = FsPath.of(out.toString(), FsPath.configuration(cfg.sparkConf()));
        RunOutput output = RunOutput.prepare(dir, true, false);
        PreparedData data = DataLoader.prepare(sc, cfg.data());
        try {
            TrainResult r = new Trainer(cfg, quiet).train(new SparkTrainingData(sc, data), output,
                    new Checkpointer(cfg, dir, quiet), null);
            return new Run(r.test().accuracy(), r.optimizer().configName(), r.steps(), r.trainSeconds());
        } finally {
            data.train().unpersist();
            if (data.validation() != null) data.validation().unpersist();
            if (data.test() != null) data.test().unpersist();
        }
    }

    /** MLlib's documentation network on the split, features standardised by the training rows' statistics. */
    static double mllib(SparkSession spark, Table t, int[][] split, long seed) {
        int d = t.x()[0].length;
        double[] mean = new double[d], std = new double[d];
        for (int i : split[0]) for (int j = 0; j < d; j++) mean[j] += t.x()[i][j] / split[0].length;
        for (int i : split[0]) for (int j = 0; j < d; j++) std[j] += Math.pow(t.x()[i][j] - mean[j], 2) / (split[0].length - 1);
        for (int j = 0; j < d; j++) std[j] = std[j] > 0 ? Math.sqrt(std[j]) : 1;
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
        Dataset<Row> train = spark.createDataFrame(rows(t, split[0], mean, std), schema);
        Dataset<Row> test = spark.createDataFrame(rows(t, split[1], mean, std), schema);
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(new int[] {d, 5, 4, t.classes()})
                .setMaxIter(100).setTol(1e-6).setSeed(seed);
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(mlp.fit(train).transform(test));
    }

    private static List<Row> rows(Table t, int[] idx, double[] mean, double[] std) {
        List<Row> rows = new ArrayList<>();
        for (int i : idx) {
            double[] v = new double[mean.length];
            for (int j = 0; j < v.length; j++) v[j] = (t.x()[i][j] - mean[j]) / std[j];
            rows.add(RowFactory.create((double) t.y()[i], Vectors.dense(v)));
        }
        return rows;
    }

    /** Indices shuffled by {@code Random(seed)}: the first 60 % train, the rest test. */
    static int[][] split(int n, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) idx.add(i);
        java.util.Collections.shuffle(idx, new Random(seed));
        int cut = (int) (0.6 * n);
        return new int[][] {idx.subList(0, cut).stream().mapToInt(Integer::intValue).toArray(),
                idx.subList(cut, n).stream().mapToInt(Integer::intValue).toArray()};
    }

    /** The rows as CSV with a header {@code f0,…,label}, label last. */
    static Path write(Table t, int[] idx, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < t.x()[0].length; j++) sb.append('f').append(j).append(',');
        sb.append("label\n");
        for (int i : idx) {
            for (double v : t.x()[i]) sb.append(v).append(',');
            sb.append(t.y()[i]).append('\n');
        }
        return Files.writeString(file, sb);
    }

    static Table load(String set) throws IOException {
        return switch (set) {
            case "spark-multiclass" -> libsvm(set, Path.of("data/sample_multiclass_classification_data.txt"));
            case "spark-binary" -> libsvm(set, Path.of("data/sample_binary_classification_data.txt"));
            case "iris" -> sklearn(set, Path.of("data/sklearn_iris.csv"), true);
            case "breast_cancer" -> sklearn(set, Path.of("data/sklearn_breast_cancer.csv"), true);
            case "digits" -> sklearn(set, Path.of("data/sklearn_digits.csv.gz"), false);
            default -> throw new IllegalArgumentException("unknown set '" + set
                    + "', expected spark-multiclass, spark-binary, iris, breast_cancer, digits or generated");
        };
    }

    /**
     * A set of sparkmlp's generator: {@code synthetic.kind=classification}, 1,500 rows, 20 features (8 informative,
     * 4 redundant), 4 classes of 2 clusters each, class_sep 1, 1 % flipped labels, seed 11; unstandardised.
     */
    static Table generated(JavaSparkContext sc) {
        TrainConfig cfg = TrainConfig.load(null, List.of("data.format=synthetic", "synthetic.kind=classification",
                "synthetic.rows=1500", "synthetic.features=20", "synthetic.informative=8", "synthetic.redundant=4",
                "synthetic.classes=4", "synthetic.seed=11", "data.testFraction=0", "data.validationFraction=0",
                "data.standardize=false", "data.partitions=1"));
        PreparedData data = DataLoader.prepare(sc, cfg.data());
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (var b : data.train().collect()) {
            for (int r = 0; r < b.rows(); r++) {
                double[] row = new double[b.features()];
                for (int j = 0; j < row.length; j++) row[j] = b.x()[r * b.features() + j];
                x.add(row);
                y.add((int) b.y()[r]);
            }
        }
        data.unpersist();
        return new Table("generated", x.toArray(new double[0][]), y.stream().mapToInt(Integer::intValue).toArray(), 4);
    }

    /** LIBSVM lines {@code label i:v …} (1-based indices) as dense rows. */
    static Table libsvm(String name, Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        int d = 0;
        for (String l : lines) {
            String[] cells = l.trim().split("\\s+");
            for (int c = 1; c < cells.length; c++) d = Math.max(d, Integer.parseInt(cells[c].substring(0, cells[c].indexOf(':'))));
        }
        double[][] x = new double[lines.size()][d];
        int[] y = new int[lines.size()];
        int k = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).trim().split("\\s+");
            y[i] = (int) Double.parseDouble(cells[0]);
            k = Math.max(k, y[i] + 1);
            for (int c = 1; c < cells.length; c++) {
                int colon = cells[c].indexOf(':');
                x[i][Integer.parseInt(cells[c].substring(0, colon)) - 1] = Double.parseDouble(cells[c].substring(colon + 1));
            }
        }
        return new Table(name, x, y, k);
    }

    /** scikit-learn's bundled CSV: features then the label; with {@code header}, a first line {@code n,d,names…}. */
    static Table sklearn(String name, Path file, boolean header) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l);
        }
        if (header) lines = lines.subList(1, lines.size());
        double[][] x = new double[lines.size()][];
        int[] y = new int[lines.size()];
        int k = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            x[i] = new double[cells.length - 1];
            for (int j = 0; j < x[i].length; j++) x[i][j] = Double.parseDouble(cells[j]);
            y[i] = (int) Double.parseDouble(cells[cells.length - 1]);
            k = Math.max(k, y[i] + 1);
        }
        return new Table(name, x, y, k);
    }
}
