package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.CheckpointCodec;
import io.sparkmlp.driver.checkpoint.CheckpointStore;
import io.sparkmlp.driver.output.LocalFs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and resume in Spark local mode, in this JVM: a run that checkpoints writes the same
 * model as one that does not; a run continued from a checkpoint (the newest one damaged, so the one
 * before) writes the same model bytes and the same metrics as the uninterrupted run; a checkpoint of
 * another configuration is refused. The cluster versions (a killed driver) are in ClusterTrainingIT.
 */
class ResumeLocalTest {

    @TempDir
    Path tmp;

    static final List<String> CONFIG = List.of("data.format=synthetic", "synthetic.rows=2000", "synthetic.features=8",
            "synthetic.classes=3", "model.hidden=16", "train.batchSize=64", "train.maxSteps=100", "data.partitions=2",
            "train.evalEvery=10", "train.earlyStoppingPatience=1000", "spark.master=local[2]", "spark.ui.enabled=false");

    /** Runs the CLI in this JVM; returns exit code, stdout and stderr. */
    record Run(int code, String out, String err) {
        String describe() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run cli(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, oldOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, oldErr), true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(new String[0]));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static List<String> train(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(CONFIG);
        args.add("output.dir=" + dir);
        args.addAll(List.of(more));
        return args;
    }

    /** The metrics rows without the columns that measure time (samples/s, elapsed). */
    static List<String> metricsWithoutTimes(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("metrics.csv")).stream()
                .map(l -> String.join(",", Arrays.asList(l.split(",", -1)).subList(0, 7))).toList();
    }

    @Test
    void aResumedRunWritesTheSameModelAsAnUninterruptedOne() throws IOException {
        Path plain = tmp.resolve("plain");
        Run r = cli(train(plain));
        assertEquals(0, r.code(), r::describe);

        Path run = tmp.resolve("run");
        r = cli(train(run, "train.checkpointEvery=20"));
        assertEquals(0, r.code(), r::describe);
        byte[] model = Files.readAllBytes(run.resolve("model.sparkmlp"));
        assertArrayEquals(Files.readAllBytes(plain.resolve("model.sparkmlp")), model, "checkpointing changes nothing");
        CheckpointStore store = CheckpointStore.of(LocalFs.PATH.of(run));
        assertEquals(List.of(store.pathFor(80), store.pathFor(60)), store.list(), "the newest two are kept");
        assertTrue(r.out().contains("sparkmlp: checkpoint at step 20: " + store.pathFor(20)), r::describe);
        List<String> metrics = metricsWithoutTimes(run);

        // As if the driver died after step 80's checkpoint was being written: outputs gone, newest checkpoint cut.
        for (String f : List.of("model.sparkmlp", "summary.json", "metrics.csv")) Files.delete(run.resolve(f));
        byte[] newest = Files.readAllBytes(LocalFs.local(store.pathFor(80)));
        Files.write(LocalFs.local(store.pathFor(80)), Arrays.copyOf(newest, newest.length - 100));

        r = cli(List.of("resume", run.toString(), "spark.master=local[2]", "spark.ui.enabled=false"));
        assertEquals(0, r.code(), r::describe);
        assertTrue(r.out().contains("sparkmlp: warning: damaged checkpoint skipped, using an older one: "
                + store.pathFor(80) + ": truncated"), r::describe);
        assertTrue(r.out().contains("sparkmlp: resuming from " + store.pathFor(60) + " (step 60)"), r::describe);
        assertArrayEquals(model, Files.readAllBytes(run.resolve("model.sparkmlp")), "resumed model bytes differ");
        assertEquals(metrics, metricsWithoutTimes(run));
        assertTrue(store.dir().resolve("step-000000000080.ckpt.damaged").exists());

        // Another learning rate is another run: refused, naming the key and both values.
        r = cli(train(run, "train.checkpointEvery=20", "train.resume=true", "train.learningRate=0.01"));
        assertEquals(2, r.code(), r::describe);
        assertTrue(r.err().contains("written by a run with another configuration: train.learningRate = \"0.001\" there,"
                + " \"0.01\" now"), r::describe);
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("sparkmlp: error:")).count(), r::describe);
        assertFalse(r.err().contains("\tat "), r::describe);
    }

    /**
     * A checkpoint edited (through the codec, so its checksum is valid) to carry a Spark setting or an unknown key:
     * resume refuses it in one line naming the key and the file, before Spark starts (no event log is written).
     */
    @Test
    void resumeReplaysOnlySparkmlpKeysFromACheckpoint() throws IOException {
        Path run = tmp.resolve("run");
        Run r = cli(train(run, "train.checkpointEvery=20"));
        assertEquals(0, r.code(), r::describe);
        CheckpointStore store = CheckpointStore.of(LocalFs.PATH.of(run));
        Path newest = LocalFs.local(store.pathFor(80));
        Checkpoint written = CheckpointCodec.decode(Files.readAllBytes(newest), newest.toString());
        Path eventLog = tmp.resolve("events");
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("spark.eventLog.dir", eventLog.toUri().toString());
        edits.put("spark.master", "spark://attacker.example:7077");
        edits.put("model.hidden\u001b[2J", "16");
        Map<String, String> expected = Map.of(
                "spark.eventLog.dir", "\"spark.eventLog.dir\" (a Spark setting)",
                "spark.master", "\"spark.master\" (a Spark setting)",
                "model.hidden\u001b[2J", "\"model.hidden\\u001b[2J\" (not a sparkmlp key)");
        for (Map.Entry<String, String> edit : edits.entrySet()) {
            Map<String, String> settings = new TreeMap<>(written.settings());
            settings.put(edit.getKey(), edit.getValue());
            if (edit.getKey().equals("spark.eventLog.dir")) settings.put("spark.eventLog.enabled", "true");
            Checkpoint edited = new Checkpoint(written.step(), written.totalSteps(), written.config(), settings,
                    written.partitionRows(), written.sizes(), written.weights(), written.optimizer(), written.lbfgs(),
                    written.loop());
            Files.write(newest, CheckpointCodec.encode(edited));

            r = cli(List.of("resume", run.toString(), "spark.ui.enabled=false"));
            assertEquals(3, r.code(), r::describe);
            assertEquals(List.of("sparkmlp: error: " + newest + ": saved settings hold " + expected.get(edit.getKey())
                    + "; expected only sparkmlp keys other than output.* and train.resume, as a run writes them (was the"
                    + " file edited?)"), r.err().lines().toList(), r::describe);
            assertFalse(r.out().contains("resuming from"), r::describe);
            assertFalse(Files.exists(eventLog), "no Spark setting of the checkpoint was applied");
        }
    }

    @Test
    void resumingWithoutACheckpointFailsClearly() {
        Run r = cli(List.of("resume", tmp.resolve("absent").toString()));
        assertEquals(2, r.code(), r::describe);
        assertTrue(r.err().contains(tmp.resolve("absent") + ": no such directory"), r::describe);
        r = cli(train(tmp, "train.resume=true"));
        assertEquals(2, r.code(), r::describe);
        assertTrue(r.err().contains(tmp.resolve("checkpoints") + ": no checkpoint to resume from"), r::describe);
    }

    /** Writes to two streams (the captured copy and the console). */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
