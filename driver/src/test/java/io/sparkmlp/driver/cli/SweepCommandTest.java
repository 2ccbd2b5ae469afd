package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.sweep.SweepRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.storage.RDDBlockId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkmlp sweep} end to end in Spark local mode: a 3-run sweep writes 3 run directories, sweep.csv and
 * sweep.html; the data is generated and cached once; a swept run's model file equals the same configuration trained
 * alone; started again, a sweep skips finished runs, resumes one from its checkpoint and retrains a lost one.
 */
class SweepCommandTest {

    @TempDir
    static Path dir;

    /** Counts the cached RDD blocks Spark stores, by RDD: a dataset generated again stores its blocks again. */
    public static final class CachedBlocks extends SparkListener {
        static final Map<Integer, Integer> BLOCKS = new ConcurrentHashMap<>();

        @Override
        public void onBlockUpdated(SparkListenerBlockUpdated update) {
            if (update.blockUpdatedInfo().blockId() instanceof RDDBlockId id && update.blockUpdatedInfo().storageLevel().isValid()) {
                BLOCKS.merge(id.rddId(), 1, Integer::sum);
            }
        }
    }

    static final String LISTENER = "spark.extraListeners=" + CachedBlocks.class.getName();

    /** The shared settings: a small generated set, 2 partitions, a checkpoint every 10 of 30 steps. */
    static final List<String> BASE = List.of("data.format=synthetic", "synthetic.rows=3000", "synthetic.features=6",
            "synthetic.classes=3", "data.partitions=2", "train.batchSize=64", "train.maxSteps=30", "train.logEvery=5",
            "train.evalEvery=10", "train.checkpointEvery=10", "train.optimizer=adam", "train.learningRate=0.01");

    static final String SWEEP_LINE = "sweep.model.hidden=8|8,4|4";
    static final List<String> NAMES = List.of("hidden=8", "hidden=8x4", "hidden=4");

    private static Path config() throws IOException {
        Path f = dir.resolve("sweep.properties");
        List<String> lines = new ArrayList<>(BASE);
        lines.add(SWEEP_LINE);
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    private static Cli.Result sweep(Path config, Path out, String... overrides) {
        List<String> args = new ArrayList<>(List.of("sweep", config.toString()));
        args.addAll(List.of(overrides));
        args.add("output.dir=" + out);
        args.add(LISTENER);
        args.addAll(Cli.SPARK);
        CachedBlocks.BLOCKS.clear();
        return Cli.run(args.toArray(String[]::new));
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void aSweepTrainsEveryRunOnOneDatasetAndResumesWhereItStopped() throws IOException {
        Path out = dir.resolve("sweep");
        Cli.Result r = sweep(config(), out);
        assertEquals(0, r.exit(), r.toString());

        // three runs, each with what train writes; sweep.csv with one row per run; sweep.html
        for (String name : NAMES) {
            Path run = out.resolve("runs").resolve(name);
            for (String f : List.of(RunOutput.MODEL_FILE, RunOutput.METRICS_FILE, RunOutput.SUMMARY_FILE,
                    RunOutput.REPORT_FILE, RunOutput.SUCCESS_FILE)) {
                assertTrue(Files.exists(run.resolve(f)), run.resolve(f) + "\n" + r);
            }
        }
        List<String> csv = Files.readAllLines(out.resolve(SweepRunner.CSV_FILE));
        assertEquals(4, csv.size(), csv.toString());
        assertTrue(csv.get(0).startsWith("run,model.hidden,status,test_accuracy,test_loss,validation_accuracy,"
                + "validation_loss,steps,epochs,train_seconds,best_step,seconds_to_best,samples_per_second"), csv.get(0));
        assertTrue(csv.get(2).startsWith("hidden=8x4,\"8,4\",finished,"), csv.get(2));
        assertEquals("30", csv.get(1).split(",")[7], csv.get(1));
        String html = Files.readString(out.resolve(SweepRunner.HTML_FILE));
        assertTrue(html.contains("alt=\"Validation accuracy against training seconds\""), "validation against time");
        assertTrue(html.contains("alt=\"Training loss against epoch\""), "loss against epoch");
        assertTrue(html.contains("alt=\"training seconds to accuracy per run\""), "time-to-accuracy bars");
        assertTrue(html.contains("alt=\"median gradient norm by layer, per run\""), "per-layer gradient norms");
        assertTrue(html.contains("<a href=\"runs/hidden=8x4/report.html\">"), "the table links the runs");
        assertTrue(Files.exists(out.resolve(RunOutput.SUCCESS_FILE)), "a complete sweep is marked");

        // the data was generated once: one load, and as many cached blocks as one train run stores
        assertEquals(1, count(r.out(), "sparkmlp: loading data"), r.out());
        Map<Integer, Integer> sweepBlocks = Map.copyOf(CachedBlocks.BLOCKS);
        assertFalse(sweepBlocks.isEmpty(), "the listener saw the cached blocks");
        // progress names the run and the step
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("[2/3 hidden=8x4] step 30/30 ")), r.out());

        // a swept run's model equals the same configuration trained alone
        List<String> alone = new ArrayList<>(BASE);
        alone.add("model.hidden=8,4");
        alone.add("output.dir=" + dir.resolve("alone"));
        alone.add(LISTENER);
        CachedBlocks.BLOCKS.clear();
        Cli.Result t = Cli.train(null, alone.toArray(String[]::new));
        assertEquals(0, t.exit(), t.toString());
        assertArrayEquals(Files.readAllBytes(dir.resolve("alone").resolve(RunOutput.MODEL_FILE)),
                Files.readAllBytes(out.resolve("runs/hidden=8x4").resolve(RunOutput.MODEL_FILE)));
        assertEquals(CachedBlocks.BLOCKS.keySet().size(), sweepBlocks.keySet().size(),
                "cached RDDs of one train " + CachedBlocks.BLOCKS + ", of the 3-run sweep " + sweepBlocks);
        assertEquals(CachedBlocks.BLOCKS.values().stream().mapToInt(i -> i).sum(),
                sweepBlocks.values().stream().mapToInt(i -> i).sum(), "cached blocks stored once");

        // an interruption: run 1 finished, run 2 stopped after a checkpoint, run 3 never started
        Path run1 = out.resolve("runs").resolve(NAMES.get(0));
        Path run2 = out.resolve("runs").resolve(NAMES.get(1));
        Path run3 = out.resolve("runs").resolve(NAMES.get(2));
        FileTime run1Time = Files.getLastModifiedTime(run1.resolve(RunOutput.MODEL_FILE));
        byte[] run1Model = Files.readAllBytes(run1.resolve(RunOutput.MODEL_FILE));
        byte[] run2Model = Files.readAllBytes(run2.resolve(RunOutput.MODEL_FILE));
        byte[] run3Model = Files.readAllBytes(run3.resolve(RunOutput.MODEL_FILE));
        Files.delete(run2.resolve(RunOutput.SUCCESS_FILE));
        Files.delete(run2.resolve(RunOutput.MODEL_FILE));
        Files.delete(run2.resolve(RunOutput.SUMMARY_FILE));
        deleteTree(run3);
        Files.delete(out.resolve(RunOutput.SUCCESS_FILE));

        Cli.Result again = sweep(config(), out);
        assertEquals(0, again.exit(), again.toString());
        assertEquals(1, count(again.out(), "finished earlier: skipped"), again.out());
        assertTrue(again.out().contains("[1/3 hidden=8] finished earlier: skipped"), again.out());
        assertTrue(again.out().lines().anyMatch(l -> l.startsWith("[2/3 hidden=8x4] sparkmlp: resuming from")), again.out());
        assertEquals(run1Time, Files.getLastModifiedTime(run1.resolve(RunOutput.MODEL_FILE)), "run 1 left alone");
        assertArrayEquals(run1Model, Files.readAllBytes(run1.resolve(RunOutput.MODEL_FILE)));
        assertArrayEquals(run2Model, Files.readAllBytes(run2.resolve(RunOutput.MODEL_FILE)), "resumed = uninterrupted");
        assertArrayEquals(run3Model, Files.readAllBytes(run3.resolve(RunOutput.MODEL_FILE)), "retrained = first time");
        List<String> csvAgain = Files.readAllLines(out.resolve(SweepRunner.CSV_FILE));
        assertEquals(4, csvAgain.size());
        assertTrue(Files.exists(out.resolve(RunOutput.SUCCESS_FILE)));

        // everything finished: nothing to train, and no Spark started
        Cli.Result done = sweep(config(), out);
        assertEquals(0, done.exit(), done.toString());
        assertEquals(3, count(done.out(), "finished earlier: skipped"), done.out());
        assertEquals(0, count(done.out(), "sparkmlp: loading data"), done.out());
        assertEquals(csvAgain, Files.readAllLines(out.resolve(SweepRunner.CSV_FILE)), "sweep.csv rebuilt from the runs");
    }

    @Test
    void refusesAFinishedRunOfAnotherConfigurationAndADirectoryThatIsNotASweeps() throws IOException {
        Path out = dir.resolve("changed");
        Cli.Result first = sweep(config(), out, "sweep.model.hidden=4");
        assertEquals(0, first.exit(), first.toString());
        Cli.Result changed = sweep(config(), out, "sweep.model.hidden=4", "train.maxSteps=40");
        assertEquals(2, changed.exit(), changed.toString());
        assertEquals(List.of("sparkmlp: error: " + out.resolve("runs/hidden=4") + ": holds a finished run of another"
                + " configuration (train.maxSteps = \"30\" there, \"40\" now); expected this sweep's (a new output.dir,"
                + " or output.overwrite=true to train every run again)"), changed.errors());

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("model.sparkmlp"), "x");
        Cli.Result refused = sweep(config(), other);
        assertEquals(2, refused.exit(), refused.toString());
        assertEquals(1, refused.errors().size(), refused.toString());
        assertTrue(refused.errors().get(0).contains("holds model.sparkmlp, which is not a sweep's"), refused.toString());
        assertFalse(Files.exists(other.resolve("runs")));
    }

    @Test
    void aRunThatDivergesIsMarkedAndTheSweepGoesOn() throws IOException {
        Path out = dir.resolve("diverging");
        Cli.Result r = sweep(config(), out, "sweep.model.hidden=4", "sweep.train.learningRate=1e30|0.01");
        assertEquals(Failures.DIVERGED, r.exit(), r.toString());
        assertEquals(List.of("sparkmlp: error: 1 of 2 sweep runs diverged (hidden=4_learningRate=1e30); sweep.csv marks"
                + " them"), r.errors());
        assertTrue(r.out().contains("[1/2 hidden=4_learningRate=1e30] diverged, going on with the next run: "), r.out());
        List<String> csv = Files.readAllLines(out.resolve(SweepRunner.CSV_FILE));
        assertTrue(csv.get(1).startsWith("hidden=4_learningRate=1e30,4,1e30,diverged,,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("hidden=4_learningRate=0.01,4,0.01,finished,0."), csv.get(2));
        assertTrue(Files.exists(out.resolve("runs/hidden=4_learningRate=0.01").resolve(RunOutput.SUCCESS_FILE)));
        assertFalse(Files.exists(out.resolve(RunOutput.SUCCESS_FILE)), "a sweep with a diverged run is not complete");
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
