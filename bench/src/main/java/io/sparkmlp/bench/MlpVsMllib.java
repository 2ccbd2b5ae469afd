package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.optim.OptimizerKind;
import io.sparkmlp.kernel.optim.Optimizer;
import io.sparkmlp.kernel.optim.OptimizerSpec;
import io.sparkmlp.kernel.optim.Optimizers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
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
 * sparkmlp against Spark MLlib's {@code MultilayerPerceptronClassifier} on the same data and layers, in one
 * local[2] context: a synthetic 10-class set (default 250,000 rows × 100 features, 20% held out for test,
 * standardised), prepared once by {@code DataLoader} and turned into a cached DataFrame from the very same
 * blocks, so both see identical rows. Order: ours, MLlib L-BFGS, MLlib gd, ours again.
 *
 * <p>MLlib: layers {@code [100, 128, 64, 10]} (sigmoid hidden layers, softmax output — MLlib has no other),
 * {@code maxIter} as given, defaults otherwise (blockSize 128, tol 1e-6, stepSize 0.03 for gd), seed 1.
 * Reported: fit time, iterations ({@code summary().totalIterations()}), test accuracy.
 *
 * <p>Ours: 100-128-64-10 ReLU, softmax cross-entropy, the job transport and the optimizer the trainer uses,
 * evaluating test accuracy every {@code evalEvery} steps with the training clock stopped. Reported: the
 * training time at the first evaluation whose test accuracy reaches MLlib's.
 *
 * <pre>bench/run-kernel-bench.sh --class MlpVsMllib [--rows 250000] [--maxIter 50] [--epochs 3] [--batch 1024]
 *     [--lr 0.003] [--evalEvery 20] [--backend AUTO]</pre>
 */
public final class MlpVsMllib {

    record Point(long step, double epochs, double seconds, double accuracy) { }

    public static void main(String[] args) {
        long rows = 250_000;
        int maxIter = 50, epochs = 3, batch = 1024, evalEvery = 20;
        double lr = 0.003;
        Backend backend = Backend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--maxIter" -> maxIter = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--lr" -> lr = Double.parseDouble(args[++i]);
                case "--evalEvery" -> evalEvery = Integer.parseInt(args[++i]);
                case "--backend" -> backend = Backend.parse(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "', expected --rows --maxIter --epochs --batch --lr --evalEvery --backend");
            }
        }
        int features = 100, classes = 10;
        int[] layers = {features, 128, 64, classes};
        System.out.printf(Locale.ROOT, "MlpVsMllib: %,d rows x %d features, %d classes, layers 100-128-64-10, local[2], load %s%n",
                rows, features, classes, ScaleBench.loadAverage());
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp MlpVsMllib", Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"))) {
            SparkSession spark = SparkSession.builder().getOrCreate();
            DataOptions opts = DataOptions.defaults()
                    .withFormat(DataOptions.DataFormat.SYNTHETIC)
                    .withTestFraction(0.2)
                    .withValidationFraction(0)
                    .withStandardize(true)
                    .withPartitions(2)
                    .withSeed(7)
                    .withSynthetic(new DataOptions.SyntheticOptions(rows, features, classes, 20, 0.01, 7));
            long t0 = System.nanoTime();
            PreparedData data = DataLoader.prepare(sc, opts);
            System.out.printf(Locale.ROOT, "ours: data prepared (generate, standardise, cache) in %.1f s: %,d train, %,d test rows%n",
                    secondsSince(t0), data.trainRows(), data.testRows());
            StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
            t0 = System.nanoTime();
            Dataset<Row> trainDf = spark.createDataFrame(toRows(data.train()), schema).cache();
            Dataset<Row> testDf = spark.createDataFrame(toRows(data.test()), schema).cache();
            System.out.printf(Locale.ROOT, "MLlib: DataFrames of the same blocks cached (%,d + %,d rows) in %.1f s%n",
                    trainDf.count(), testDf.count(), secondsSince(t0));

            Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, layers);
            List<Point> ours1 = ours(sc, data, arch, backend, batch, lr, epochs, evalEvery);
            String[] solvers = {"l-bfgs", "gd"};
            double[] fit = new double[2], acc = new double[2];
            int[] iters = new int[2];
            for (int s = 0; s < 2; s++) {
                MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(layers).setMaxIter(maxIter)
                        .setSeed(1L).setSolver(solvers[s]);
                t0 = System.nanoTime();
                MultilayerPerceptronClassificationModel model = mlp.fit(trainDf);
                fit[s] = secondsSince(t0);
                iters[s] = model.summary().totalIterations();
                acc[s] = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(testDf));
                System.out.printf(Locale.ROOT, "MLlib %s: fit %.1f s, %d iterations, test accuracy %.4f (load %s)%n", solvers[s],
                        fit[s], iters[s], acc[s], ScaleBench.loadAverage());
            }
            List<Point> ours2 = ours(sc, data, arch, backend, batch, lr, epochs, evalEvery);
            System.out.printf(Locale.ROOT, "%nload at end %s%n%n", ScaleBench.loadAverage());

            System.out.println("| MLlib solver | maxIter | fit s | iterations | test accuracy | ours: time to that accuracy, run 1 / run 2 (s) | steps / epochs (run 1) | speed-up (run 1 / run 2) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (int s = 0; s < 2; s++) {
                Point a = reach(ours1, acc[s]), b = reach(ours2, acc[s]);
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %d | %.4f | %s / %s | %s | %s / %s |%n", solvers[s], maxIter, fit[s], iters[s],
                        acc[s], a == null ? "not reached" : String.format(Locale.ROOT, "%.1f", a.seconds()),
                        b == null ? "not reached" : String.format(Locale.ROOT, "%.1f", b.seconds()),
                        a == null ? "-" : String.format(Locale.ROOT, "%d / %.2f", a.step(), a.epochs()),
                        a == null ? "-" : String.format(Locale.ROOT, "%.1f×", fit[s] / a.seconds()),
                        b == null ? "-" : String.format(Locale.ROOT, "%.1f×", fit[s] / b.seconds()));
            }
            Point last1 = ours1.get(ours1.size() - 1), last2 = ours2.get(ours2.size() - 1);
            System.out.printf(Locale.ROOT, "%nours after %d epochs (batch %d, adam lr %s): test accuracy %.4f / %.4f in %.1f / %.1f s of training%n",
                    epochs, batch, lr, last1.accuracy(), last2.accuracy(), last1.seconds(), last2.seconds());
        }
    }

    static Point reach(List<Point> curve, double target) {
        for (Point p : curve) if (p.accuracy() >= target) return p;
        return null;
    }

    static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Trains from scratch for {@code epochs}; the test accuracy curve against training time (evaluation not counted). */
    static List<Point> ours(JavaSparkContext sc, PreparedData data, Architecture arch, Backend backend, int batch, double lr,
                            int epochs, int evalEvery) {
        long[] partRows = DataLoader.partitionRows(data.train());
        BatchPlan plan = BatchPlan.of(partRows, batch);
        long steps = plan.stepsFor(epochs);
        StepContext ctx = new StepContext(arch, backend, 3, plan);
        Evaluator.Task task = new Evaluator.Task(arch, backend, arch.outputSize(), 1f);
        float[] w = Parameters.initialize(arch, 1).flat();
        float[] g = new float[w.length];
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.ADAM), arch);
        List<Point> curve = new ArrayList<>();
        double train = 0;
        try (JobTransport t = new JobTransport(sc, data.train(), ctx, steps)) {
            for (long s = 0; s < steps; s++) {
                long t0 = System.nanoTime();
                GradientPartial sum = t.gradient(w, s);
                sum.meanInto(g);
                opt.step(w, g, lr);
                train += secondsSince(t0);
                if ((s + 1) % evalEvery == 0 || s + 1 == steps) {
                    EvalMetrics m = Evaluator.evaluate(sc, data.test(), task, w, "test");
                    curve.add(new Point(s + 1, plan.epochsAfter(s + 1), train, m.accuracy()));
                }
            }
        }
        StringBuilder sb = new StringBuilder("ours: test accuracy by training time:");
        for (int i = 0; i < curve.size(); i += Math.max(1, curve.size() / 12)) {
            Point p = curve.get(i);
            sb.append(String.format(Locale.ROOT, " %.1fs=%.4f", p.seconds(), p.accuracy()));
        }
        Point last = curve.get(curve.size() - 1);
        sb.append(String.format(Locale.ROOT, " ... %.1fs=%.4f (%d steps)", last.seconds(), last.accuracy(), last.step()));
        System.out.println(sb);
        return curve;
    }

    static JavaRDD<Row> toRows(JavaRDD<Block> blocks) {
        return blocks.flatMap(b -> new Iterator<Row>() {
            int r = 0;

            @Override
            public boolean hasNext() {
                return r < b.rows();
            }

            @Override
            public Row next() {
                int f = b.features();
                double[] v = new double[f];
                for (int j = 0; j < f; j++) v[j] = b.x()[r * f + j];
                return RowFactory.create((double) b.y()[r++], Vectors.dense(v));
            }
        });
    }
}
