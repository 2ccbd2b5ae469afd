package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.output.RunOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command with {@code file:} URIs instead of plain paths (Spark local mode): the same files, the
 * same model bytes, nothing besides them (no Hadoop {@code .crc} files).
 */
class FileUriCommandsTest {

    @TempDir
    Path dir;

    static final List<String> JOB = List.of("data.format=synthetic", "synthetic.rows=800", "synthetic.features=2",
            "synthetic.classes=3", "synthetic.clustersPerClass=1", "model.hidden=8", "train.batchSize=32", "train.maxSteps=40", "data.partitions=2",
            "train.checkpointEvery=10");

    private static Cli.Result train(String outputDir) {
        List<String> args = new ArrayList<>(JOB);
        args.add("output.dir=" + outputDir);
        return Cli.train(null, args.toArray(String[]::new));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(Cli::withoutTimings).toList();
    }

    @Test
    void trainResumeAndTheModelCommandsTakeFileUris() throws IOException {
        Path plain = dir.resolve("plain");
        Path uriRun = dir.resolve("uri");
        String uri = uriRun.toUri().toString();
        assertEquals(0, train(plain.toString()).exit());
        Cli.Result r = train(uri);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("sparkmlp: wrote file:" + uriRun.resolve(RunOutput.MODEL_FILE) + ", metrics.csv"), r.out());

        Map<String, byte[]> a = Cli.snapshot(plain);
        Map<String, byte[]> b = Cli.snapshot(uriRun);
        assertEquals(a.keySet(), b.keySet(), "the same files, nothing else");
        assertEquals(List.of(RunOutput.SUCCESS_FILE, "checkpoints/step-000000000020.ckpt", "checkpoints/step-000000000030.ckpt", RunOutput.METRICS_FILE,
                RunOutput.MODEL_FILE, RunOutput.REPORT_FILE, RunOutput.SUMMARY_FILE), List.copyOf(b.keySet()));
        assertArrayEquals(a.get(RunOutput.MODEL_FILE), b.get(RunOutput.MODEL_FILE));
        assertEquals(lines(plain.resolve(RunOutput.METRICS_FILE)), lines(uriRun.resolve(RunOutput.METRICS_FILE)));

        // resume from the URI: the result is byte-identical after losing the outputs
        byte[] model = b.get(RunOutput.MODEL_FILE);
        for (String f : List.of(RunOutput.MODEL_FILE, RunOutput.SUMMARY_FILE, RunOutput.METRICS_FILE)) Files.delete(uriRun.resolve(f));
        List<String> resume = new ArrayList<>(List.of("resume", uri));
        resume.addAll(Cli.SPARK);
        r = Cli.run(resume.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("sparkmlp: resuming from file:" + uriRun.resolve("checkpoints/step-000000000030.ckpt")), r.out());
        assertArrayEquals(model, Files.readAllBytes(uriRun.resolve(RunOutput.MODEL_FILE)));

        String modelUri = uriRun.resolve(RunOutput.MODEL_FILE).toUri().toString();
        r = Cli.run("inspect", modelUri);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith(String.format(Locale.ROOT, "model file:%s (%,d bytes)%n",
                uriRun.resolve(RunOutput.MODEL_FILE), model.length)), r.out());

        Path data = dir.resolve("points.csv");
        Files.writeString(data, "x0,x1,label\n0.5,-1.0,0\n-2.0,0.25,1\n", StandardCharsets.UTF_8);
        String predictions = dir.resolve("predictions.csv").toUri().toString();
        List<String> predict = new ArrayList<>(List.of("predict", modelUri, data.toString(), predictions, "data.header=true"));
        predict.addAll(Cli.SPARK);
        r = Cli.run(predict.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(3, Files.readAllLines(dir.resolve("predictions.csv")).size(), "header and two rows");
        r = Cli.run(predict.toArray(String[]::new));
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: output file:" + dir.resolve("predictions.csv")
                + ": file exists; expected a new file (or --overwrite)"), r.err().lines().toList());

        String json = dir.resolve("eval.json").toUri().toString();
        List<String> evaluate = new ArrayList<>(List.of("evaluate", modelUri, data.toString(), "--json", json, "data.header=true"));
        evaluate.addAll(Cli.SPARK);
        r = Cli.run(evaluate.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Cli.json(dir.resolve("eval.json")).get("rows").asLong() == 2, r.toString());
    }
}
