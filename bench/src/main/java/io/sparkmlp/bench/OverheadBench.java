package io.sparkmlp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's measure: whole training runs of 784-256-128-10 over 60,000 synthetic rows (53,842 for training,
 * 6,158 for validation), SGD with momentum, batch 128 for 5 epochs and batch 1024 for 3, as a user runs them
 * ({@code bin/sparkmlp train}, a fresh JVM each, {@code spark.master} local[1] and local[2]; all the epochs: early
 * stopping and keep-best off), against PyTorch on
 * one thread running the same recipe ({@code bench/pytorch_recipe.py}: same steps, same number of validation
 * passes, timed as {@code train_seconds} is). In each round the runs alternate (ours local[1], PyTorch, ours
 * local[2]), so a burst of load on this shared machine hits all of them; ratios are taken within a round and
 * their median reported.
 *
 * <p>Per run of ours, from its outputs: {@code train_seconds} and samples/s ({@code summary.json}), the median
 * over metrics.csv rows of {@code step_ms − kernel_ms} (the time per step outside the kernel), the time from the
 * data cached to the end of the first step ({@code seconds_to_first_step}) and the median validation pass
 * ({@code validation_pass_seconds}).
 *
 * <pre>bench/run-kernel-bench.sh --class OverheadBench [--rounds 3] [--batches 128,1024] [--masters local[1],local[2]]
 *     [--python /usr/bin/python3]</pre>
 */
public final class OverheadBench {

    /** One kind of run: a batch size and its epochs. */
    private record Recipe(int batch, int epochs) {
    }

    /** What one run reported. */
    private record Result(double trainSeconds, double samplesPerSecond, long steps, int validations, double outsideMs,
                          double kernelMs, double stepMs, double toFirstStep, double validationPass) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int[] batches = {128, 1024};
        String[] masters = {"local[1]", "local[2]"};
        String python = "/usr/bin/python3";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batches" -> batches = KernelJmh.sizes(args[++i]);
                case "--masters" -> masters = args[++i].split(",(?=local)");
                case "--python" -> python = args[++i];
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "', expected --rounds --batches --masters --python");
            }
        }
        Path root = Path.of("").toAbsolutePath();
        Path out = root.resolve("bench/target/overhead");
        Files.createDirectories(out);
        System.out.printf(Locale.ROOT, "OverheadBench: 784-256-128-10, 60,000 synthetic rows, momentum 0.9, lr 0.01; %d rounds;"
                + " load %s%n", rounds, ScaleBench.loadAverage());
        Map<String, List<Result>> ours = new LinkedHashMap<>();
        Map<String, List<double[]>> torch = new LinkedHashMap<>();   // per recipe: {train_seconds, samples/s}
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int b : batches) {
                Recipe recipe = new Recipe(b, b <= 128 ? 5 : 3);
                double torchSps = Double.NaN;
                List<Result> thisRound = new ArrayList<>();
                for (int m = 0; m < masters.length; m++) {
                    Result res = runOurs(root, out, recipe, masters[m]);
                    thisRound.add(res);
                    ours.computeIfAbsent(key(recipe, masters[m]), k -> new ArrayList<>()).add(res);
                    System.out.printf(Locale.ROOT, "round %d batch %d %s: train %.2f s, %,.0f samples/s, outside kernel %.3f ms,"
                            + " first step %.2f s, validation pass %.1f ms (load %s)%n", r + 1, b, masters[m], res.trainSeconds,
                            res.samplesPerSecond, res.outsideMs, res.toFirstStep, res.validationPass * 1000, ScaleBench.loadAverage());
                    if (m == 0) {
                        double[] t = runTorch(python, root, recipe, res.steps, res.validations);
                        torchSps = t[1];
                        torch.computeIfAbsent("batch " + b, k -> new ArrayList<>()).add(t);
                        System.out.printf(Locale.ROOT, "round %d batch %d PyTorch 1 thread: train %.2f s, %,.0f samples/s%n",
                                r + 1, b, t[0], t[1]);
                    }
                }
                for (int m = 0; m < masters.length; m++) {
                    ratios.computeIfAbsent(key(recipe, masters[m]), k -> new ArrayList<>())
                            .add(thisRound.get(m).samplesPerSecond / torchSps);
                }
            }
        }
        System.out.println();
        System.out.println("| batch, epochs | run | train_seconds | samples/s | vs PyTorch 1 thread (same round) | step − kernel ms"
                + " | kernel ms | time to first step s | validation pass ms |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int b : batches) {
            Recipe recipe = new Recipe(b, b <= 128 ? 5 : 3);
            List<double[]> t = torch.get("batch " + b);
            System.out.printf(Locale.ROOT, "| %d, %d | PyTorch 1 thread | %.2f | %,.0f | 1 | | | | |%n", b, recipe.epochs,
                    median(t.stream().mapToDouble(x -> x[0]).toArray()), median(t.stream().mapToDouble(x -> x[1]).toArray()));
            for (String master : masters) {
                List<Result> rs = ours.get(key(recipe, master));
                List<Double> q = ratios.get(key(recipe, master));
                System.out.printf(Locale.ROOT, "| %d, %d | sparkmlp %s | %.2f | %,.0f | **%.2f×** (%s) | %.3f | %.3f | %.2f | %.1f |%n",
                        b, recipe.epochs, master, median(rs.stream().mapToDouble(Result::trainSeconds).toArray()),
                        median(rs.stream().mapToDouble(Result::samplesPerSecond).toArray()),
                        median(q.stream().mapToDouble(Double::doubleValue).toArray()), list(q),
                        median(rs.stream().mapToDouble(Result::outsideMs).toArray()),
                        median(rs.stream().mapToDouble(Result::kernelMs).toArray()),
                        median(rs.stream().mapToDouble(Result::toFirstStep).toArray()),
                        1000 * median(rs.stream().mapToDouble(Result::validationPass).toArray()));
            }
        }
    }

    private static String key(Recipe r, String master) {
        return r.batch + "/" + master;
    }

    private static Result runOurs(Path root, Path out, Recipe recipe, String master) throws IOException, InterruptedException {
        Path dir = out.resolve("b" + recipe.batch + "-" + master.replaceAll("[^0-9a-z]", ""));
        List<String> cmd = List.of(root.resolve("bin/sparkmlp").toString(), "train", "data.format=synthetic",
                "synthetic.rows=60000", "synthetic.features=784", "synthetic.classes=10", "data.testFraction=0",
                "model.hidden=256,128", "model.activation=relu", "train.optimizer=momentum", "train.learningRate=0.01",
                "train.batchSize=" + recipe.batch, "train.epochs=" + recipe.epochs, "train.earlyStoppingPatience=0",
                "train.keepBest=false", "spark.master=" + master,
                "spark.ui.enabled=false", "output.dir=" + dir, "output.overwrite=true");
        run(cmd, out.resolve("last-run.log"));
        String summary = Files.readString(dir.resolve("summary.json"), StandardCharsets.UTF_8);
        double[] outside = outsideKernel(dir.resolve("metrics.csv"));
        return new Result(number(summary, "train_seconds"), number(summary, "samples_per_second"),
                (long) number(summary, "steps"), (int) number(summary, "validation_passes"), outside[0], outside[1], outside[2],
                number(summary, "seconds_to_first_step"), number(summary, "validation_pass_seconds"));
    }

    /** PyTorch's {train_seconds, samples/s} for the same steps and validation passes. */
    private static double[] runTorch(String python, Path root, Recipe recipe, long steps, int validations)
            throws IOException, InterruptedException {
        Path log = root.resolve("bench/target/overhead/pytorch.json");
        run(List.of(python, root.resolve("bench/pytorch_recipe.py").toString(), "--batch", String.valueOf(recipe.batch),
                "--steps", String.valueOf(steps), "--validations", String.valueOf(validations), "--threads", "1"), log);
        String json = Files.readString(log, StandardCharsets.UTF_8);
        return new double[] {number(json, "train_seconds"), number(json, "samples_per_second")};
    }

    private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        int rc = pb.start().waitFor();
        if (rc != 0) throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc + "; see " + log);
    }

    /** Medians over the rows of metrics.csv: {step_ms − kernel_ms, kernel_ms, step_ms}. */
    static double[] outsideKernel(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int k = header.indexOf("kernel_ms"), s = header.indexOf("step_ms");
        double[] diff = new double[lines.size() - 1], kernel = new double[diff.length], step = new double[diff.length];
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",");
            kernel[i - 1] = Double.parseDouble(c[k]);
            step[i - 1] = Double.parseDouble(c[s]);
            diff[i - 1] = step[i - 1] - kernel[i - 1];
        }
        return new double[] {median(diff), median(kernel), median(step)};
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE]+|null)").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + key + " in " + json);
        return m.group(1).equals("null") ? Double.NaN : Double.parseDouble(m.group(1));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }

    private static String list(List<Double> v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
        return b.toString();
    }
}
