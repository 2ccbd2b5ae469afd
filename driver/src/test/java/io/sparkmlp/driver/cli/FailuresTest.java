package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.ConfigException;
import io.sparkmlp.driver.data.DataException;
import io.sparkmlp.driver.train.DivergenceException;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What went wrong → one line on stderr and an exit code; bad command lines that need no Spark. */
class FailuresTest {

    @TempDir
    Path dir;

    private static String report(Throwable e, int expectedCode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(expectedCode, Failures.report(e, err), e.toString());
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitCodesAndOneLineMessages() {
        assertEquals("sparkmlp: error: a.properties: train.learningRate = \"-1\": expected a number > 0\n",
                report(new ConfigException("a.properties", "train.learningRate", "-1", "expected a number > 0"), Failures.CONFIG));
        assertEquals("sparkmlp: error: output.dir = x: exists and is not a directory\n",
                report(new RunOutput.OutputDirectoryException("output.dir = x: exists and is not a directory"), Failures.CONFIG));
        String data = report(DataException.of("d.csv", "bad row"), Failures.INPUT);
        assertEquals(1, data.lines().count(), data);
        assertTrue(data.startsWith("sparkmlp: error: ") && data.contains("d.csv") && data.contains("bad row"), data);
        // a bad row found in a task reaches the driver wrapped in Spark's exception: still one line
        String wrapped = report(new SparkException("Job aborted", DataException.of("d.csv", "bad row")), Failures.INPUT);
        assertEquals(data, wrapped);
        assertEquals("sparkmlp: error: m.sparkmlp: truncated\n",
                report(new ModelFormatException("m.sparkmlp", "truncated"), Failures.INPUT));
        String diverged = report(new DivergenceException(17, Double.NaN, 0.5), Failures.DIVERGED);
        assertEquals(1, diverged.lines().count(), diverged);
        assertTrue(diverged.contains("training diverged at step 17 (loss NaN)"), diverged);
        // room for what was kept (the checkpointing names its last good checkpoint here)
        assertEquals("sparkmlp: error: training diverged at step 17 (loss Infinity): expected a finite loss; "
                + "try a smaller train.learningRate (now 0.5) or set train.clipNorm; "
                + "the last good checkpoint (step 10) is kept at run/checkpoint\n", report(new DivergenceException(17, Double.POSITIVE_INFINITY, 0.5,
                "the last good checkpoint (step 10) is kept at run/checkpoint"), Failures.DIVERGED));
        // anything else is a bug or the environment: the stack trace too, exit 1
        String bug = report(new IllegalStateException("boom"), 1);
        assertTrue(bug.startsWith("sparkmlp: error: java.lang.IllegalStateException: boom\n"), bug);
        assertTrue(bug.lines().count() > 1, bug);
    }

    @Test
    void aMissingModelFileIsOneLine() {
        Path missing = dir.resolve("no-such.sparkmlp");
        for (String command : List.of("inspect", "evaluate", "predict")) {
            List<String> args = new java.util.ArrayList<>(List.of(command, missing.toString()));
            if (!command.equals("inspect")) args.add(dir.resolve("data.csv").toString());
            if (command.equals("predict")) args.add(dir.resolve("out.csv").toString());
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(Failures.INPUT, r.exit(), command + ": " + r);
            assertEquals(List.of("sparkmlp: error: " + missing + ": no such file"), r.err().lines().toList(), command + ": " + r);
        }
    }

    @Test
    void aCorruptModelFileIsOneLine() throws IOException {
        Path bad = dir.resolve("bad.sparkmlp");
        Files.write(bad, "not a model at all".getBytes(StandardCharsets.US_ASCII));
        Cli.Result r = Cli.run("inspect", bad.toString());
        assertEquals(Failures.INPUT, r.exit(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("sparkmlp: error: ") && lines.get(0).contains(bad.toString()), r.toString());
    }

    @Test
    void badCommandLinesNeedNoSpark() {
        Cli.Result r = Cli.run("train", dir.resolve("missing.properties").toString());
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: " + dir.resolve("missing.properties")
                + ": no such file, expected a job configuration (properties file)"), r.err().lines().toList());

        r = Cli.run("train", "data.format=synthetic", "train.learningrate=0.1");
        assertEquals(Failures.CONFIG, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: command line: train.learningrate = \"0.1\": unknown key; "
                + "did you mean \"train.learningRate\"?"), r.err().lines().toList());

        r = Cli.run("no-such-command");
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("no-such-command"), r.toString());
    }
}
