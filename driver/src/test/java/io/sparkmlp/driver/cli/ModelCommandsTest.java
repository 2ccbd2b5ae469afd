package io.sparkmlp.driver.cli;

import static io.sparkmlp.driver.cli.Cli.json;
import static io.sparkmlp.driver.cli.Cli.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate}, {@code predict} and {@code inspect} on a model trained here (Spark local
 * mode) on Spark's multiclass sample data, with the test rows in a file of their own.
 */
class ModelCommandsTest {

    @TempDir
    static Path dir;
    static Path trainFile;
    static Path testFile;
    static Path run;
    static Path model;
    static JsonNode summary;

    /** Rows 1 and 3 of every 5 of the sample data are the test file (60 rows), the rest training (90). */
    @BeforeAll
    static void trainAModel() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(project("data/sample_multiclass_classification_data.txt")));
        List<String> train = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) (i % 5 == 1 || i % 5 == 3 ? test : train).add(lines.get(i));
        trainFile = dir.resolve("train.txt");
        testFile = dir.resolve("test.txt");
        Files.write(trainFile, train);
        Files.write(testFile, test);
        run = dir.resolve("run");
        Cli.Result r = Cli.train(project("conf/multiclass.properties"), "data.train=" + trainFile, "data.test=" + testFile,
                "train.batchSize=30", "train.epochs=25", "train.learningRate=0.05", "output.dir=" + run);
        assertEquals(0, r.exit(), r.toString());
        model = run.resolve(RunOutput.MODEL_FILE);
        summary = json(run.resolve(RunOutput.SUMMARY_FILE));
        assertEquals(90, summary.get("train_rows").asLong());
        assertEquals(60, summary.get("test_rows").asLong());
        // a model that tells the classes apart, so that the comparisons below mean something
        assertTrue(summary.get("test_accuracy").asDouble() > 0.75, summary.toString());
    }

    private static List<String> withSpark(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(Cli.SPARK);
        return all;
    }

    @Test
    void evaluateGivesTheTrainingsTestMetrics() throws IOException {
        Path metrics = dir.resolve("eval.json");
        Cli.Result r = Cli.run(withSpark("evaluate", model.toString(), testFile.toString(), "--json", metrics.toString())
                .toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        double accuracy = summary.get("test_accuracy").asDouble();
        assertTrue(r.out().lines().anyMatch(l -> l.equals(String.format(Locale.ROOT, "accuracy %.6f", accuracy))),
                "expected accuracy " + accuracy + "\n" + r);
        assertTrue(r.out().lines().anyMatch(l -> l.equals("rows 60")), r.out());
        JsonNode m = json(metrics);
        assertEquals(accuracy, m.get("accuracy").asDouble(), 0.0);
        assertEquals(60, m.get("rows").asLong());
        double loss = summary.get("test_loss").asDouble();
        assertEquals(loss, m.get("loss").asDouble(), 1e-6 * loss);
        // the confusion matrix agrees with the training's
        JsonNode trained = summary.get("test_confusion");
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(trained.get(i).get(j).asLong(), m.get("confusion").get(i * 3 + j).asLong(), "confusion " + i + "," + j);
            }
        }
    }

    @Test
    void evaluateOnMissingDataIsOneLine() {
        Path missing = dir.resolve("no-such-data.txt");
        Cli.Result r = Cli.run(withSpark("evaluate", model.toString(), missing.toString()).toArray(String[]::new));
        assertEquals(Failures.INPUT, r.exit(), r.toString());
        List<String> errors = r.errors();
        assertEquals(1, errors.size(), r.toString());
        assertTrue(errors.get(0).contains(missing.toString()), r.toString());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + r);
    }

    @Test
    void predictWritesOneLinePerRowInInputOrder() throws IOException {
        Path out = dir.resolve("predictions.csv");
        Cli.Result r = Cli.run(withSpark("predict", model.toString(), testFile.toString(), out.toString())
                .toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("sparkmlp: wrote 60 predictions to " + out), r.out());
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(61, lines.size(), "header and 60 rows");
        assertEquals("prediction,p_0,p_1,p_2", lines.get(0));

        // what the model predicts for each input row, in file order, computed here without Spark
        Model m = ModelFile.read(model);
        List<String> input = Files.readAllLines(testFile);
        float[] x = new float[input.size() * 4];
        int[] labels = new int[input.size()];
        for (int i = 0; i < input.size(); i++) {
            String[] cells = input.get(i).trim().split("\\s+");
            labels[i] = (int) Double.parseDouble(cells[0]);
            for (int c = 1; c < cells.length; c++) {
                String[] kv = cells[c].split(":");
                x[i * 4 + Integer.parseInt(kv[0]) - 1] = Float.parseFloat(kv[1]);
            }
        }
        m.standardize(x, 0, input.size());
        float[] expected = new float[input.size() * 3];
        new MlpKernel(m.architecture(), Backend.JAVA).predict(x, 0, input.size(), m.parameters().flat(), expected, 0);

        int correct = 0;
        for (int i = 0; i < input.size(); i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(4, cells.length, "line " + (i + 2));
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                double p = Double.parseDouble(cells[1 + j]);
                assertTrue(p >= 0 && p <= 1, "line " + (i + 2) + ": " + lines.get(i + 1));
                assertEquals(expected[i * 3 + j], p, 1e-5, "row " + i + " of the input, class " + j);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5, "line " + (i + 2) + ": " + lines.get(i + 1));
            String predicted = m.classLabels().get(MlpKernel.predictedClass(expected, i * 3, 3));
            assertEquals(predicted, cells[0], "row " + i);
            if (predicted.equals(m.classLabels().get(labels[i]))) correct++;
        }
        assertEquals(summary.get("test_accuracy").asDouble(), correct / 60.0, 1e-12);

        // an existing file is not replaced without --overwrite
        byte[] before = Files.readAllBytes(out);
        Cli.Result again = Cli.run(withSpark("predict", model.toString(), testFile.toString(), out.toString())
                .toArray(String[]::new));
        assertEquals(Failures.CONFIG, again.exit(), again.toString());
        assertEquals(List.of("sparkmlp: error: output " + out + ": file exists; expected a new file (or --overwrite)"),
                again.err().lines().toList());
        assertEquals(-1, Files.mismatch(out, writeTemp(before)));
    }

    private static Path writeTemp(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "bytes", ".bin");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void inspectPrintsTheArchitectureAndParameterCount() {
        Cli.Result r = Cli.run("inspect", model.toString());
        assertEquals(0, r.exit(), r.toString());
        String out = r.out();
        assertTrue(out.contains("architecture 4-5-4-3, hidden activation sigmoid, output softmax_cross_entropy"), out);
        // 5·(4+1) + 4·(5+1) + 3·(4+1) = 25 + 24 + 15
        assertTrue(out.contains("layer 0: 4 -> 5 (sigmoid), 25 parameters"), out);
        assertTrue(out.contains("layer 1: 5 -> 4 (sigmoid), 24 parameters"), out);
        assertTrue(out.contains("layer 2: 4 -> 3 (softmax_cross_entropy), 15 parameters"), out);
        assertTrue(out.contains("total: 64 parameters"), out);
        assertTrue(out.contains("classes 3: [0, 1, 2]"), out);
        assertTrue(out.contains("feature standardisation on"), out);
        // provenance: version, steps, seed, data, config; metrics
        assertTrue(out.contains("trained by sparkmlp "), out);
        Matcher steps = Pattern.compile("(?m)^training\n(?:  .*\n)*?  steps (\\d+)$").matcher(out);
        assertTrue(steps.find(), out);
        assertEquals(summary.get("steps").asLong(), Long.parseLong(steps.group(1)));
        assertTrue(out.contains("\n  seed 42\n"), out);
        assertTrue(out.contains("\ndata\n") && out.contains("\n  train " + trainFile + "\n"), out);
        assertTrue(out.contains("\n  train_rows 90\n"), out);
        assertTrue(out.contains("\nconfig\n"), out);
        assertTrue(out.contains("\n  model.hidden = 5,4\n"), out);
        assertFalse(out.contains("synthetic."), "synthetic keys of a file-trained model: " + out);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "\n  test_accuracy %.6g\n",
                summary.get("test_accuracy").asDouble())) || summary.get("test_accuracy").asDouble() == 1.0, out);

        Cli.Result raw = Cli.run("inspect", "--json", model.toString());
        assertEquals(0, raw.exit(), raw.toString());
        assertTrue(raw.out().contains("\"steps\" : " + summary.get("steps").asLong()), raw.out());
    }

    /**
     * Labels and metadata come from the model file: inspect prints them with terminal control characters escaped (text
     * and --json), and the predictions CSV holds them as cells a spreadsheet shows as text (RFC 4180 quoting, a formula
     * prefix behind a quote mark).
     */
    @Test
    void labelsAndMetadataFromTheFileCannotControlTheTerminalOrTheSpreadsheet() throws IOException {
        Model trained = ModelFile.read(model);
        Map<String, Object> info = new LinkedHashMap<>(trained.info());
        info.put("note", "\u001b]0;owned\u0007\u009b2J\u202eevil");
        Model hostile = trained.withClassLabels(List.of("\u001b[31mred", "=HYPERLINK(\"http://x\")", "-2"))
                .withInfo(info);
        Path file = dir.resolve("hostile.sparkmlp");
        ModelFile.write(file, hostile);

        for (String flag : List.of("", "--json")) {
            Cli.Result r = Cli.run(flag.isEmpty() ? new String[] {"inspect", file.toString()}
                    : new String[] {"inspect", flag, file.toString()});
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().chars().noneMatch(c -> c != '\n' && (Character.isISOControl(c) || c == '\u202e')),
                    "a control character reached the terminal: " + r.out());
            if (flag.isEmpty()) {
                assertTrue(r.out().contains("\nclasses 3: [\\u001b[31mred, =HYPERLINK(\"http://x\"), -2]\n"), r.out());
                assertTrue(r.out().contains("\nnote \\u001b]0;owned\\u0007\\u009b2J\\u202eevil\n"), r.out());
            }
        }

        assertEquals("prediction,p_\u001b[31mred,\"p_=HYPERLINK(\"\"http://x\"\")\",p_-2", PredictCommand.header(hostile));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", PredictCommand.csvCell("=HYPERLINK(\"http://x\")"));
        assertEquals("'@SUM(A1)", PredictCommand.csvCell("@SUM(A1)"));
        assertEquals("\"'+1,2\"", PredictCommand.csvCell("+1,2"));
        assertEquals("'\tx", PredictCommand.csvCell("\tx"));
        assertEquals("\"'\rx\"", PredictCommand.csvCell("\rx"));
        assertEquals("'-cmd", PredictCommand.csvCell("-cmd"));
        assertEquals("-2", PredictCommand.csvCell("-2"), "a number is not a formula");
        assertEquals("+1.5e3", PredictCommand.csvCell("+1.5e3"));
        assertEquals("\"a\nb\"", PredictCommand.csvCell("a\nb"));
        assertEquals("cat", PredictCommand.csvCell("cat"));
    }

    /** A run's model is not read while a run holds its directory: it may be the old model or the new, unfinished. */
    @Test
    void aModelInADirectoryARunIsWritingIsRefused() throws IOException {
        Path lock = run.resolve(io.sparkmlp.driver.output.RunLock.FILE);
        Files.writeString(lock, "run=x host=h pid=1 started=2026-01-01T00:00:00Z\n");
        try {
            for (String command : List.of("evaluate", "predict")) {
                List<String> args = new ArrayList<>(List.of(command, model.toString(), testFile.toString()));
                if (command.equals("predict")) args.add(dir.resolve("locked.csv").toString());
                assertEquals("sparkmlp: error: " + model + ": a run is writing its directory (" + lock + " exists);"
                        + " expected a finished run's model, with _SUCCESS beside it",
                        refused(Failures.CONFIG, args.toArray(String[]::new)));
            }
            assertFalse(Files.exists(dir.resolve("locked.csv")));
        } finally {
            Files.delete(lock);
        }
        assertTrue(Files.exists(run.resolve(RunOutput.SUCCESS_FILE)), "the training run marked its outputs complete");
    }

    // ---- bad input at evaluate / predict: one line, exit 3, the model and earlier outputs untouched ----

    /** Runs a command that must be refused with exactly one error line; returns it. */
    private static String refused(int code, String... args) {
        Cli.Result r = Cli.run((args[0].equals("inspect") ? List.of(args) : withSpark(args)).toArray(String[]::new));
        assertEquals(code, r.exit(), r.toString());
        assertEquals(1, r.errors().size(), r.toString());
        return r.errors().get(0);
    }

    private static Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void aLabelOutsideTheModelsClassesIsRefusedAtEvaluateAndPredict() throws IOException {
        Path data = write("unknown-label.txt", "1 1:0.1 2:0.2 3:0.3 4:0.4", "7 1:0.1 2:0.2 3:0.3 4:0.4");
        byte[] modelBefore = Files.readAllBytes(model);
        Path metrics = write("earlier-metrics.json", "{\"earlier\": true}");
        String line = refused(Failures.INPUT, "evaluate", model.toString(), data.toString(), "--json", metrics.toString());
        // file:line, the value found, what was expected
        assertTrue(line.contains(data + ":2"), line);
        assertTrue(line.contains("'7'") && line.contains("known classes") && line.contains("'0', '1', '2'"), line);
        assertEquals("{\"earlier\": true}", Files.readString(metrics).trim(), "--json file replaced");

        Path predictions = write("earlier-predictions.csv", "prediction", "0");
        line = refused(Failures.INPUT, "predict", model.toString(), data.toString(), predictions.toString(), "--overwrite");
        assertTrue(line.contains(data + ":2") && line.contains("'7'"), line);
        assertEquals(List.of("prediction", "0"), Files.readAllLines(predictions), "earlier predictions damaged");
        assertFalse(Files.exists(dir.resolve(".earlier-predictions.csv.partial")), "partial file left behind");
        assertTrue(java.util.Arrays.equals(modelBefore, Files.readAllBytes(model)), "model changed");
    }

    @Test
    void dataWithAnotherFeatureCountThanTheModelIsRefused() throws IOException {
        // LIBSVM: an index beyond the model's 4 features
        Path libsvm = write("five-features.txt", "1 1:0.1 2:0.2 3:0.3 4:0.4", "0 1:0.1 5:0.5");
        String line = refused(Failures.INPUT, "evaluate", model.toString(), libsvm.toString());
        assertTrue(line.contains(libsvm + ":2"), line);
        assertTrue(line.contains("5") && line.contains("4"), line);
        // CSV: 2 feature columns and a label where the model takes 4 features (with or without a label)
        Path csv = write("two-features.csv", "0.1,0.2,1", "0.4,0.5,2");
        Path predictions = write("earlier-predictions-2.csv", "prediction", "1");
        line = refused(Failures.INPUT, "predict", model.toString(), csv.toString(), predictions.toString(), "--overwrite",
                "data.format=csv", "data.header=false");
        assertTrue(line.contains(csv + ":1"), line);
        assertTrue(line.contains("found 3 columns") && line.contains("expected 5") && line.contains("model's 4 features"), line);
        assertTrue(line.contains("or 4 (features only, unlabelled)"), line);
        assertEquals(List.of("prediction", "1"), Files.readAllLines(predictions), "earlier predictions damaged");
    }

    @Test
    void aModelOfAnUnknownFormatVersionIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        Path future = dir.resolve("future.sparkmlp");
        Files.write(future, bytes);
        for (String command : List.of("inspect", "evaluate")) {
            List<String> args = new ArrayList<>(List.of(command, future.toString()));
            if (command.equals("evaluate")) args.add(testFile.toString());
            String line = refused(Failures.INPUT, args.toArray(String[]::new));
            assertEquals("sparkmlp: error: " + future + ": unknown format version: found 2, this build reads 1", line, command);
        }
        // truncated: both lengths named
        Path truncated = dir.resolve("truncated.sparkmlp");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(model), 100));
        String line = refused(Failures.INPUT, "inspect", truncated.toString());
        assertTrue(line.contains(truncated.toString()) && line.contains("100"), line);
    }
}
