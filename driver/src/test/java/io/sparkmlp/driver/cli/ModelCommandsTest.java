package io.sparkmlp.driver.cli;

import static io.sparkmlp.driver.cli.Cli.json;
import static io.sparkmlp.driver.cli.Cli.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkmlp.driver.train.RunOutput;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Matcher steps = Pattern.compile("\"steps\" : (\\d+)").matcher(out);
        assertTrue(steps.find(), out);
        assertEquals(summary.get("steps").asLong(), Long.parseLong(steps.group(1)));
    }
}
