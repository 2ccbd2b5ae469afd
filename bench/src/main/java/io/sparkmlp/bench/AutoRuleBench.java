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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What {@code train.optimizer=auto} should choose: test accuracy and training seconds of full-batch L-BFGS and of
 * mini-batch Adam (each with every other key at its default) on generated classification sets of N rows and networks
 * of P parameters, one set loaded once and trained on by each optimizer in turn, in one local[2] context.
 *
 * <pre>
 * for each case "N:F:H" (rows, features, hidden sizes): synthetic.kind=classification, synthetic.rows=N·10/7
 *   (a tenth of them test, then a tenth of the rest validation: about N training rows), synthetic.features=F,
 *   synthetic.classes=10, synthetic.informative=min(F, 20), synthetic.clustersPerClass=2, model.hidden=H
 *   runs: train.optimizer=lbfgs | adam [| adam with train.lrSchedule=cosine, with --schedule]
 * reported: per run the optimizer, test accuracy, steps, train_seconds and seconds_to_best
 * </pre>
 *
 * L-BFGS is left out of a case whose N·P exceeds {@code --lbfgs-max-work} (default 4e9: a run would take many
 * minutes here); the log says so.
 *
 * <pre>bench/run-kernel-bench.sh --class AutoRuleBench [--lbfgs-max-work W] [--schedule] N:F:H…</pre>
 */
public final class AutoRuleBench {

    private AutoRuleBench() {
    }

    public static void main(String[] args) throws IOException {
        double maxWork = 4e9;
        boolean schedule = false;
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lbfgs-max-work" -> maxWork = Double.parseDouble(args[++i]);
                case "--schedule" -> schedule = true;
                default -> cases.add(args[i]);
            }
        }
        if (cases.isEmpty()) {
            cases = List.of("1000:20:32,16", "1000:50:128,64", "10000:20:32,16", "10000:50:128,64", "10000:784:256,128",
                    "100000:20:32,16", "100000:50:128,64", "1000000:20:32,16");
        }
        Path tmp = Files.createTempDirectory("auto-rule");
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp AutoRuleBench",
                Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"))) {
            System.out.printf(Locale.ROOT, "AutoRuleBench: local[2], load %s%n", ScaleBench.loadAverage());
            System.out.println("| training rows N | features | hidden | parameters P | N·P | optimizer | test accuracy"
                    + " | steps | train s | s to best |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (String c : cases) {
                String[] p = c.split(":");
                long rows = Long.parseLong(p[0]);
                int features = Integer.parseInt(p[1]);
                List<String> data = List.of("data.format=synthetic", "synthetic.kind=classification",
                        "synthetic.rows=" + (rows * 10 / 7), "synthetic.features=" + features, "synthetic.classes=10",
                        "synthetic.informative=" + Math.min(features, 20), "synthetic.clustersPerClass=2",
                        "synthetic.seed=5", "data.testFraction=0.3", "model.hidden=" + p[2]);
                TrainConfig base = TrainConfig.load(null, withOut(data, tmp.resolve("load")));
                PreparedData prepared = DataLoader.prepare(sc, base.data());
                try {
                    List<List<String>> runs = new ArrayList<>();
                    runs.add(List.of("train.optimizer=lbfgs"));
                    runs.add(List.of("train.optimizer=adam"));
                    if (schedule) runs.add(List.of("train.optimizer=adam", "train.lrSchedule=cosine"));
                    for (List<String> run : runs) {
                        List<String> keys = new ArrayList<>(data);
                        keys.addAll(run);
                        TrainConfig cfg = TrainConfig.load(null, withOut(keys, tmp.resolve("run")));
                        long params = paramsOf(features, p[2]);
                        double work = (double) prepared.trainRows() * params;
                        if (run.get(0).endsWith("lbfgs") && work > maxWork) {
                            System.out.printf(Locale.ROOT, "| %d | %d | %s | %d | %.2g | lbfgs | left out (N·P > %.0g) | | | |%n",
                                    prepared.trainRows(), features, p[2], params, work, maxWork);
                            continue;
                        }
                        TrainResult r = train(sc, cfg, prepared, tmp.resolve("run"));
                        System.out.printf(Locale.ROOT, "| %d | %d | %s | %d | %.2g | %s | %.4f | %d | %.1f | %.1f |%n",
                                prepared.trainRows(), features, p[2], params, work, String.join(" ", run)
                                        .replace("train.optimizer=", "").replace("train.lrSchedule=", ""),
                                r.test().accuracy(), r.steps(), r.trainSeconds(), r.secondsToBest());
                    }
                } finally {
                    prepared.unpersist();
                }
            }
            System.out.printf(Locale.ROOT, "load at end %s%n", ScaleBench.loadAverage());
        }
    }

    private static List<String> withOut(List<String> keys, Path out) {
        List<String> all = new ArrayList<>(keys);
        all.add("output.dir=" + out);
        all.add("output.overwrite=true");
        return all;
    }

    /** Parameters of a features-hidden…-10 network. */
    static long paramsOf(int features, String hidden) {
        long total = 0;
        int in = features;
        List<Integer> sizes = new ArrayList<>();
        for (String h : hidden.split(",")) sizes.add(Integer.parseInt(h));
        sizes.add(10);
        for (int out : sizes) {
            total += (long) in * out + out;
            in = out;
        }
        return total;
    }

    private static TrainResult train(JavaSparkContext sc, TrainConfig cfg, PreparedData data, Path out) throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        FsPath dir = FsPath.of(out.toString(), FsPath.configuration(cfg.sparkConf()));
        RunOutput output = RunOutput.prepare(dir, true, false);
        return new Trainer(cfg, quiet).train(new SparkTrainingData(sc, data), output, new Checkpointer(cfg, dir, quiet),
                null);
    }
}
