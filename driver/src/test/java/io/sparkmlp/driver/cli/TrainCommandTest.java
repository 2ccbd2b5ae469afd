package io.sparkmlp.driver.cli;

import static io.sparkmlp.driver.cli.Cli.json;
import static io.sparkmlp.driver.cli.Cli.project;
import static io.sparkmlp.driver.cli.Cli.snapshot;
import static io.sparkmlp.driver.cli.Cli.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkmlp.driver.output.MetricsLog;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkmlp train} end to end in Spark local mode ({@code local[2]}): the example configs
 * learn what they should, runs are reproducible to the byte, the output files hold what scripts
 * rely on, and refused or diverging runs leave earlier output as it was.
 */
class TrainCommandTest {

    @TempDir
    static Path dir;

    /** A successful run: its output directory and what it printed. */
    record Run(Path out, Cli.Result result) {
        Path model() {
            return out.resolve(RunOutput.MODEL_FILE);
        }

        JsonNode summary() throws IOException {
            return json(out.resolve(RunOutput.SUMMARY_FILE));
        }

        List<String> metrics() throws IOException {
            return Files.readAllLines(out.resolve(RunOutput.METRICS_FILE), StandardCharsets.UTF_8);
        }
    }

    static Run trainOk(String name, String config, String... overrides) {
        Path out = dir.resolve(name);
        String[] all = Arrays.copyOf(overrides, overrides.length + 1);
        all[overrides.length] = "output.dir=" + out;
        Cli.Result r = train(config, all);
        assertEquals(0, r.exit(), r.toString());
        return new Run(out, r);
    }

    // ---- shared runs, each trained once, on first use ----

    private static Run synthetic;
    private static Run regression;
    private static Path regressionCsv;

    /** Small synthetic set, 3 partitions, 150 mini-batch steps. */
    static final String[] SYNTHETIC = {"data.format=synthetic", "synthetic.rows=20000", "synthetic.features=10",
            "synthetic.classes=3", "data.partitions=3", "model.hidden=16", "train.batchSize=128", "train.maxSteps=150",
            "train.logEvery=10", "train.evalEvery=50"};

    static synchronized Run synthetic() {
        if (synthetic == null) synthetic = trainOk("synthetic-a", null, SYNTHETIC);
        return synthetic;
    }

    /** y = 1.5·x1 − 2·x2 + 0.5·x3 + 3 + N(0, 0.1²), x uniform in [−1, 1): 1500 rows. */
    static synchronized Path regressionCsv() throws IOException {
        if (regressionCsv == null) {
            Random rnd = new Random(17);
            StringBuilder sb = new StringBuilder("x1,x2,x3,y\n");
            for (int i = 0; i < 1500; i++) {
                double x1 = 2 * rnd.nextDouble() - 1, x2 = 2 * rnd.nextDouble() - 1, x3 = 2 * rnd.nextDouble() - 1;
                double y = 1.5 * x1 - 2 * x2 + 0.5 * x3 + 3 + 0.1 * rnd.nextGaussian();
                sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f%n", x1, x2, x3, y));
            }
            regressionCsv = dir.resolve("linear.csv");
            Files.writeString(regressionCsv, sb.toString());
        }
        return regressionCsv;
    }

    static final double NOISE = 0.1;

    static synchronized Run regression() throws IOException {
        if (regression == null) {
            regression = trainOk("regression", null, "data.train=" + regressionCsv(), "model.loss=mse",
                    "data.testFraction=0.2", "data.validationFraction=0", "model.hidden=8", "model.activation=tanh",
                    "train.batchSize=64", "train.epochs=20", "train.learningRate=0.01");
        }
        return regression;
    }

    // ---- the example configs ----

    @Test
    void xorReachesFullTestAccuracy() throws IOException {
        Run run = trainOk("xor", project("conf/xor.properties"), "data.train=" + project("data/xor.csv"));
        JsonNode s = run.summary();
        assertEquals(1.0, s.get("test_accuracy").asDouble(), run.result().toString());
        assertEquals(300, s.get("steps").asLong()); // full batch, 300 epochs
        assertTrue(s.get("test_loss").asDouble() < 0.1, "test loss " + s.get("test_loss"));
        assertEquals("2-8-1", s.get("architecture").asText());
        assertTrue(run.result().out().contains("sparkmlp: test accuracy 1.0000"), run.result().out());
        // 2 features: the report draws the decision boundary over the test points
        String report = assertSelfContainedReport(run);
        assertTrue(report.contains("<h2 id=\"boundary\">"), "no decision boundary section");
        assertTrue(report.contains("alt=\"decision boundary\" src=\"data:image/png;base64,"), "no boundary chart");
        assertTrue(report.contains("rows of the test split"), "the points are the test split's");

        // predict with the binary model: one line per input row, in input order, p_0 + p_1 = 1
        Path predictions = dir.resolve("xor-predictions.csv");
        List<String> args = new java.util.ArrayList<>(List.of("predict", run.model().toString(), project("data/xor.csv"),
                predictions.toString()));
        args.addAll(Cli.SPARK);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        List<String> input = Files.readAllLines(Path.of(project("data/xor.csv")));
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(input.size(), lines.size(), "a header and one line per row");
        assertEquals("prediction,p_0,p_1", lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            String label = input.get(i).split(",")[2];
            assertEquals(label, cells[0], "row " + i + " (" + input.get(i) + "): " + lines.get(i));
            double p0 = Double.parseDouble(cells[1]), p1 = Double.parseDouble(cells[2]);
            assertEquals(1.0, p0 + p1, 1e-6, lines.get(i));
            assertTrue(label.equals("1") ? p1 > 0.5 : p0 > 0.5, lines.get(i));
        }
    }

    @Test
    void multiclassSampleDataLearnsTheClasses() throws IOException {
        Run run = trainOk("multiclass", project("conf/multiclass.properties"),
                "data.train=" + project("data/sample_multiclass_classification_data.txt"));
        JsonNode s = run.summary();
        double accuracy = s.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.93, "test accuracy " + accuracy + "\n" + run.result());
        assertEquals("4-5-4-3", s.get("architecture").asText());
        long test = s.get("test_rows").asLong();
        long trainRows = s.get("train_rows").asLong();
        assertEquals(150, test + trainRows);
        assertTrue(test > 40 && test < 80, "a 40 % split of 150 rows, found " + test); // by a hash of the row index
    }

    // ---- report.html ----

    @Test
    void reportHoldsEverySectionWithEmbeddedCharts() throws IOException {
        String report = assertSelfContainedReport(synthetic());
        for (String id : List.of("curves", "learning-rate", "gradient-norms", "timing", "confusion", "per-class", "data",
                "architecture", "config")) {
            assertTrue(report.contains("<h2 id=\"" + id + "\">"), "section " + id + " missing");
        }
        for (String alt : List.of("loss against step", "validation accuracy against step", "learning rate against step",
                "per-layer gradient norms against step", "time per step against step", "per-class precision, recall and F1",
                "class balance")) {
            assertTrue(report.contains("alt=\"" + alt + "\" src=\"data:image/png;base64,"), "chart " + alt + " missing");
        }
        assertFalse(report.contains("<h2 id=\"boundary\">"), "10 features: no decision boundary");
        // the facts in the tables: architecture 10-16-3, parameter counts, config keys, the data's rows
        assertTrue(report.contains("<td>10</td><td>16</td>"), "layer 0 row");
        assertTrue(report.contains(String.format(Locale.ROOT, "<th>%,d</th>", 10 * 16 + 16 + 16 * 3 + 3)), "total parameters");
        assertTrue(report.contains("<td class=\"k\">train.batchSize</td><td class=\"k\">128</td>"), "effective config");
        assertTrue(report.contains("<td class=\"k\">training rows</td><td class=\"k\">"
                + synthetic().summary().get("train_rows").asLong() + "</td>"), "data summary");
    }

    /** report.html exists, embeds its images and refers to nothing outside itself; returns it. */
    static String assertSelfContainedReport(Run run) throws IOException {
        Path file = run.out().resolve(RunOutput.REPORT_FILE);
        assertTrue(Files.isRegularFile(file), "no " + file);
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"), "not a whole page");
        assertFalse(html.contains("http://") || html.contains("https://"), "refers to the network");
        Matcher src = Pattern.compile("(src|href)=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            assertTrue(src.group(2).startsWith("data:image/png;base64,"), "refers to " + src.group(2));
            images++;
        }
        assertTrue(images >= 4, images + " images");
        // each embedded image is a PNG
        Matcher png = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
        while (png.find()) {
            byte[] bytes = java.util.Base64.getDecoder().decode(png.group(1));
            assertEquals(0x89, bytes[0] & 0xff, "PNG signature");
            assertEquals('P', bytes[1]);
        }
        return html;
    }

    // ---- reproducibility ----

    @Test
    void sameConfigGivesTheSameModelBytesAndAnotherSeedOthers() throws IOException {
        Run a = synthetic();
        Run b = trainOk("synthetic-b", null, SYNTHETIC);
        assertEquals(-1, Files.mismatch(a.model(), b.model()), "two runs of one configuration differ");
        // the logged losses, learning rates and gradient norms too (samples_per_second, elapsed_seconds,
        // kernel_ms and step_ms are timings)
        List<String> ma = a.metrics(), mb = b.metrics();
        assertEquals(ma.size(), mb.size());
        for (int i = 0; i < ma.size(); i++) {
            assertEquals(Cli.withoutTimings(ma.get(i)), Cli.withoutTimings(mb.get(i)), "metrics.csv line " + (i + 1));
        }

        String[] otherSeed = Arrays.copyOf(SYNTHETIC, SYNTHETIC.length + 1);
        otherSeed[SYNTHETIC.length] = "train.seed=43";
        Run c = trainOk("synthetic-c", null, otherSeed);
        assertNotEquals(-1L, Files.mismatch(a.model(), c.model()), "another seed gave the same model");
    }

    // ---- what the output directory holds ----

    @Test
    void summaryHoldsTheMetricsScriptsReadAndMetricsCsvARowPerLoggedStep() throws IOException {
        Run run = synthetic();
        JsonNode s = run.summary();
        for (String key : List.of("test_accuracy", "test_loss", "steps", "epochs", "train_seconds", "samples_per_second")) {
            assertTrue(s.hasNonNull(key), "summary.json lacks " + key + ": " + s);
        }
        assertEquals(150, s.get("steps").asLong()); // train.maxSteps
        long trainRows = s.get("train_rows").asLong();
        assertEquals(150.0 * 128 / trainRows, s.get("epochs").asDouble(), 1e-12);
        assertEquals(3, s.get("partitions").asInt());
        assertEquals(20000, trainRows + s.get("validation_rows").asLong() + s.get("test_rows").asLong());
        double accuracy = s.get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.5 && accuracy <= 1, "test accuracy " + accuracy); // 3 classes: chance is 1/3
        assertTrue(Double.isFinite(s.get("test_loss").asDouble()) && s.get("test_loss").asDouble() > 0);
        assertTrue(s.get("train_seconds").asDouble() > 0);
        double rate = s.get("samples_per_second").asDouble();
        assertEquals(150 * 128 / s.get("train_seconds").asDouble(), rate, rate * 1e-9);
        assertEquals(3, s.get("test_confusion").size());
        assertEquals("10-16-3", s.get("architecture").asText());

        List<String> lines = run.metrics();
        assertEquals(MetricsLog.HEADER + ",grad_norm_l0,grad_norm_l1,kernel_ms,step_ms", lines.get(0));
        assertEquals(1 + 150 / 10, lines.size(), "header and one row per 10 steps");
        int columns = lines.get(0).split(",").length;
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            assertEquals(columns, cells.length, "line " + (i + 1) + ": " + lines.get(i));
            long step = Long.parseLong(cells[0]);
            assertEquals(10L * i, step, "line " + (i + 1));
            assertEquals(step * 128.0 / trainRows, Double.parseDouble(cells[1]), 1e-6);
            assertTrue(Double.parseDouble(cells[2]) > 0, "train_loss, line " + (i + 1));
            // validation every 50 steps: empty before the first evaluation, then the last one
            assertEquals(step < 50, cells[3].isEmpty(), "val_loss, line " + (i + 1) + ": " + lines.get(i));
            assertEquals(step < 50, cells[4].isEmpty(), "val_metric, line " + (i + 1));
            assertEquals(0.001, Double.parseDouble(cells[5]), 1e-12); // adam's default rate, constant
            double gradNorm = Double.parseDouble(cells[6]);
            assertTrue(gradNorm > 0, "grad_norm, line " + (i + 1));
            // per-layer norms of the same (unclipped) mean gradient: their root sum of squares is the global norm
            double l0 = Double.parseDouble(cells[9]), l1 = Double.parseDouble(cells[10]);
            assertEquals(gradNorm, Math.sqrt(l0 * l0 + l1 * l1), 1e-4 * gradNorm, "line " + (i + 1));
            double kernelMs = Double.parseDouble(cells[11]), stepMs = Double.parseDouble(cells[12]);
            assertTrue(kernelMs > 0 && kernelMs <= stepMs, "the kernel runs inside the step, line " + (i + 1));
        }
        assertFalse(Files.exists(run.out().resolve(RunOutput.METRICS_FILE + ".partial")));
    }

    @Test
    void regressionReportsRmseInTheTargetsUnits() throws IOException {
        Run run = regression();
        JsonNode s = run.summary();
        assertTrue(s.hasNonNull("test_rmse"), s.toString());
        assertTrue(s.hasNonNull("test_loss"), s.toString());
        assertTrue(s.get("test_accuracy").isNull(), "regression has no accuracy: " + s.get("test_accuracy"));
        assertEquals("output identity_mse", "output " + s.get("output").asText());
        double rmse = s.get("test_rmse").asDouble();
        // the noise is 0.1 and the target's spread about 1.5: a fitted line lands near the noise, not below it
        assertTrue(rmse > 0.09 && rmse < 0.2, "test rmse " + rmse + "\n" + run.result());
        // in the target's units: the loss is ½·(o − t)² on standardised targets, the rmse scaled back by their std
        Model.TargetScaling target = ModelFile.read(run.model()).targetScaling();
        assertTrue(target != null && target.std() > 1.2 && target.std() < 1.8, "target scaling " + target);
        double lossRmse = Math.sqrt(2 * s.get("test_loss").asDouble()) * target.std();
        assertEquals(lossRmse, rmse, 1e-4 * rmse);
        List<String> lines = run.metrics();
        assertTrue(lines.get(0).startsWith(MetricsLog.HEADER + ",grad_norm_l0,"), lines.get(0));
        assertTrue(lines.size() >= 2);
    }

    // ---- refusals ----

    /**
     * A directory another run holds (here a run of this JVM that has it open) is refused in one line naming the lock
     * and its holder, even with output.overwrite; a crashed run's lock is reported as stale with how to remove it; in
     * both cases nothing in the directory changes.
     */
    @Test
    void aDirectoryAnotherRunHoldsIsRefusedAndAStaleLockIsReported() throws Exception {
        Path held = dir.resolve("held");
        try (RunOutput other = RunOutput.open(io.sparkmlp.driver.output.LocalFs.PATH.of(held), false, false)) {
            Path lock = held.resolve(io.sparkmlp.driver.output.RunLock.FILE);
            String holder = Files.readString(lock).strip();
            Map<String, byte[]> before = snapshot(held);
            Cli.Result r = train(null, "data.format=synthetic", "output.dir=" + held, "output.overwrite=true");
            assertEquals(Failures.CONFIG, r.exit(), r.toString());
            assertEquals(List.of("sparkmlp: error: output.dir = " + held + ": locked by another run (" + lock + ": "
                    + holder + "); expected a directory no other run is writing (wait for that run or choose another"
                    + " output.dir; if that run has died, delete " + lock + ")"), r.err().lines().toList());
            assertSnapshot(before, snapshot(held));
        }

        Path crashed = dir.resolve("crashed");
        Files.createDirectories(crashed);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path lock = crashed.resolve(io.sparkmlp.driver.output.RunLock.FILE);
        String holder = "run=1 host=" + java.net.InetAddress.getLocalHost().getHostName() + " pid=" + gone.pid()
                + " started=2026-01-01T00:00:00Z";
        Files.writeString(lock, holder + "\n");
        Map<String, byte[]> before = snapshot(crashed);
        Cli.Result r = train(null, "data.format=synthetic", "output.dir=" + crashed, "output.overwrite=true");
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: output.dir = " + crashed + ": locked by a run that is no longer running ("
                + lock + ": " + holder + "); expected no lock: if no run is writing " + crashed + ", delete " + lock
                + " and start again"), r.err().lines().toList());
        assertSnapshot(before, snapshot(crashed));
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefusedAndLeftAsItWas() throws IOException {
        Path occupied = dir.resolve("occupied");
        Files.createDirectories(occupied.resolve("sub"));
        Files.write(occupied.resolve(RunOutput.MODEL_FILE), new byte[] {1, 2, 3, 4});
        Files.writeString(occupied.resolve(RunOutput.SUMMARY_FILE), "{\"test_accuracy\": 0.5}");
        Files.writeString(occupied.resolve("sub/notes.txt"), "mine");
        Map<String, byte[]> before = snapshot(occupied);

        Cli.Result r = train(project("conf/xor.properties"), "data.train=" + project("data/xor.csv"),
                "output.dir=" + occupied, "output.overwrite=false");
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: output.dir = " + occupied
                + ": directory exists and is not empty; expected a new directory (or set output.overwrite=true)"),
                r.err().lines().toList(), "one line on stderr, naming output.dir: " + r);
        assertSnapshot(before, snapshot(occupied));

        // settings without effect are accepted with a warning (here before the refusal)
        r = train(null, "data.format=synthetic", "train.momentum=0.5", "output.dir=" + occupied);
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: warning: command line: train.momentum = \"0.5\" has no effect: train.optimizer = auto (adam or lbfgs)",
                "sparkmlp: error: output.dir = " + occupied
                        + ": directory exists and is not empty; expected a new directory (or set output.overwrite=true)"),
                r.err().lines().toList());
        assertSnapshot(before, snapshot(occupied));

        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        r = train(null, "data.format=synthetic", "output.dir=" + file);
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: output.dir = " + file + ": exists and is not a directory"), r.err().lines().toList());
        assertEquals("x", Files.readString(file));
    }

    /** A copy of an earlier run's output directory, for refusals that must leave it as it was. */
    static Path copyOfEarlierRun(String name) throws IOException {
        Path out = dir.resolve(name);
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> e : snapshot(regression().out()).entrySet()) Files.write(out.resolve(e.getKey()), e.getValue());
        return out;
    }

    @Test
    void fewerThanTwoClassesAndABatchLargerThanTheTrainingSetAreRefused() throws IOException {
        Path out = copyOfEarlierRun("refusals");
        Map<String, byte[]> before = snapshot(out);

        Path oneClass = dir.resolve("one-class.csv");
        Files.write(oneClass, List.of("x1,x2,y", "0,0,yes", "0,1,yes", "1,0,yes", "1,1,yes"));
        Cli.Result r = train(null, "data.train=" + oneClass, "output.dir=" + out, "output.overwrite=true");
        assertEquals(Failures.INPUT, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: " + oneClass + ": found 1 class ['yes'], expected at least 2 classes for "
                + "classification (real-valued targets need a regression loss)"), r.errors(), r.toString());
        assertSnapshot(before, snapshot(out));

        r = train(project("conf/xor.properties"), "data.train=" + project("data/xor.csv"), "train.batchSize=1000",
                "output.dir=" + out, "output.overwrite=true");
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        Matcher m = Pattern.compile("^sparkmlp: error: train.batchSize = 1000: expected at most the (\\d+) rows of the "
                + "training split \\(or full\\)$").matcher(r.errors().isEmpty() ? "" : r.errors().get(0));
        assertTrue(m.matches() && r.errors().size() == 1, r.toString());
        assertTrue(Long.parseLong(m.group(1)) < 100, "xor.csv has 100 rows, some of them test rows: " + m.group(1));
        assertSnapshot(before, snapshot(out));
    }

    @Test
    void divergenceStopsWithTheStepAndKeepsTheEarlierRun() throws IOException {
        Run earlier = regression();
        Path out = dir.resolve("diverge");
        Files.createDirectories(out);
        for (Map.Entry<String, byte[]> e : snapshot(earlier.out()).entrySet()) Files.write(out.resolve(e.getKey()), e.getValue());
        Map<String, byte[]> before = snapshot(out);

        Cli.Result r = train(null, "data.train=" + regressionCsv(), "model.loss=mse", "data.testFraction=0.2",
                "data.validationFraction=0", "model.hidden=8", "model.activation=tanh", "train.batchSize=64",
                "train.epochs=20", "train.optimizer=sgd", "train.learningRate=1e6", "output.dir=" + out,
                "output.overwrite=true");
        assertEquals(Failures.DIVERGED, r.exit(), r.toString());
        List<String> errors = r.errors();
        assertEquals(1, errors.size(), r.toString());
        Matcher m = Pattern.compile("^sparkmlp: error: training diverged at step (\\d+) \\(loss (NaN|Infinity|[-0-9.E]+)\\): "
                + "expected a finite loss; try a smaller train.learningRate \\(now 1000000\\.0\\) or set train.clipNorm; "
                + "no checkpoint was written \\(train.checkpointEvery = 0\\)$").matcher(errors.get(0));
        assertTrue(m.matches(), errors.get(0));
        long step = Long.parseLong(m.group(1));
        assertTrue(step >= 1 && step <= 469, "step " + step); // at most 20 epochs of 1500 rows in batches of 64
        assertFalse(r.out().contains("step " + (step + 1) + "/"), "trained on past the divergence:\n" + r.out());
        assertSnapshot(before, snapshot(out));
    }

    static void assertSnapshot(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertEquals(before.keySet(), after.keySet(), "files in the directory");
        for (String f : before.keySet()) assertArrayEquals(before.get(f), after.get(f), f + " changed");
    }
}
