package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.train.DivergenceException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.optim.OptimizerState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.LocalFs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint a run may continue from, and the messages when it may not. No Spark. */
class CheckpointerTest {

    @TempDir
    Path tmp;
    private FsPath out;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @org.junit.jupiter.api.BeforeEach
    void outputDirectory() {
        out = LocalFs.PATH.of(tmp);
    }

    private TrainConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.format=synthetic", "synthetic.features=3", "model.hidden=4",
                "output.dir=" + out, "train.checkpointEvery=10"));
        all.addAll(List.of(overrides));
        return TrainConfig.load(null, all);
    }

    private Checkpoint checkpointOf(TrainConfig cfg, long step, long total) {
        Checkpoint s = CheckpointCodecTest.sample(step, false);
        return new Checkpoint(step, total, Checkpointer.identity(cfg), Checkpointer.resumeSettings(cfg),
                new long[] {501, 499}, CheckpointCodecTest.SIZES, s.weights(), s.optimizer(), null, s.loop());
    }

    private static final Architecture ARCH =
            Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, CheckpointCodecTest.SIZES);

    @Test
    void identityLeavesOutWhatDoesNotChangeTheWeights() {
        Map<String, String> id = Checkpointer.identity(config("spark.master=local[2]", "train.resume=true",
                "train.logEvery=5", "output.overwrite=false", "transport.port=40000-40100"));
        for (String free : Checkpointer.FREE_KEYS) assertFalse(id.containsKey(free), free);
        assertTrue(id.keySet().stream().noneMatch(k -> k.startsWith("spark.") || k.startsWith("output.") || k.startsWith("transport.")),
                id::toString);
        assertEquals("0.001", id.get("train.learningRate"));
        assertEquals("4", id.get("model.hidden"));
        assertEquals(Checkpointer.identity(config()), id, "free keys do not change the identity");
    }

    @Test
    void resumeSettingsAreWhatTheUserSetWithoutSparkOutputAndResume() {
        Map<String, String> s = Checkpointer.resumeSettings(config("spark.master=local[2]", "train.resume=true",
                "train.learningRate=0.5"));
        assertEquals(Map.of("data.format", "synthetic", "synthetic.features", "3", "model.hidden", "4",
                "train.checkpointEvery", "10", "train.learningRate", "0.5"), s);
    }

    @Test
    void aDifferentConfigurationIsRefusedNamingEachKey() {
        Checkpoint c = checkpointOf(config(), 10, 100);
        Map<String, String> now = Checkpointer.identity(config("train.learningRate=0.01", "model.hidden=8"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpointer.requireSameConfig(c, now, LocalFs.PATH.of(Path.of("runs/x/checkpoints/step-000000000010.ckpt"))));
        assertFalse(e.damaged());
        assertTrue(e.getMessage().startsWith("runs/x/checkpoints/step-000000000010.ckpt: written by a run with another"
                + " configuration: model.hidden = \"4\" there, \"8\" now; train.learningRate = \"0.001\" there, \"0.01\" now;"
                + " expected the same settings"), e::getMessage);
    }

    @Test
    void aKeyAddedSinceTheCheckpointMatchesOnlyAtItsDefault() {
        Checkpoint now = checkpointOf(config(), 10, 100);
        Map<String, String> older = new java.util.TreeMap<>(now.config());
        older.remove("train.tol");
        older.remove("train.lbfgs.history");
        Checkpoint c = new Checkpoint(10, 100, older, now.settings(), now.partitionRows(), now.sizes(), now.weights(),
                now.optimizer(), null, now.loop());
        FsPath file = LocalFs.PATH.of(Path.of("old.ckpt"));
        Checkpointer.requireSameConfig(c, Checkpointer.identity(config()), file);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Checkpointer.requireSameConfig(c, Checkpointer.identity(config("train.tol=1e-3")), file));
        assertTrue(e.getMessage().startsWith("old.ckpt: written by a run with another configuration: train.tol ="
                + " (absent) there, \"1e-3\" now; expected"), e::getMessage);
    }

    @Test
    void resumeReadsTheNewestChecksAndWarnsAboutADamagedOne() throws IOException {
        TrainConfig first = config();
        CheckpointStore store = CheckpointStore.of(out);
        store.write(checkpointOf(first, 10, 100));
        store.write(checkpointOf(first, 20, 100));
        Files.write(LocalFs.local(store.pathFor(20)), new byte[] {'S', 'P'});

        Checkpointer resumed = new Checkpointer(config("train.resume=true", "spark.master=local[3]"), out, log);
        Checkpoint c = resumed.resumePoint();
        assertEquals(10, c.step());
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("sparkmlp: warning: damaged checkpoint skipped, using an older one: " + store.pathFor(20)
                + ": truncated: file is 2 bytes"), text);
        assertTrue(text.contains("sparkmlp: resuming from " + store.pathFor(10) + " (step 10)"), text);
        assertTrue(resumed.lastGood().contains("(step 10) is kept: " + store.pathFor(10)), resumed.lastGood());

        assertThrows(CheckpointException.class,
                () -> new Checkpointer(config("train.resume=true", "train.seed=7"), out, log).resumePoint());
    }

    @Test
    void aFreshRunDoesNotResumeAndClearsAnEarlierRunsCheckpointsOnItsFirstWrite() throws IOException {
        TrainConfig cfg = config();
        CheckpointStore store = CheckpointStore.of(out);
        store.write(checkpointOf(cfg, 500, 1000));
        Checkpointer fresh = new Checkpointer(cfg, out, log);
        assertNull(fresh.resumePoint());
        assertEquals(List.of(store.pathFor(500)), store.list(), "nothing deleted before the first checkpoint");
        Checkpoint c = checkpointOf(cfg, 10, 100);
        fresh.save(10, 100, c.partitionRows(), ARCH, c.weights(), c.optimizer(), c.lbfgs(), c.loop());
        assertEquals(List.of(store.pathFor(10)), store.list());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("sparkmlp: checkpoint at step 10: " + store.pathFor(10)));
    }

    @Test
    void checkpointsAreDueEveryNStepsButNotAtTheEnd() {
        Checkpointer c = new Checkpointer(config(), out, log);
        assertFalse(c.due(5, 100));
        assertTrue(c.due(10, 100));
        assertTrue(c.due(90, 100));
        assertFalse(c.due(100, 100));
        assertFalse(new Checkpointer(config("train.checkpointEvery=0"), out, log).due(10, 100));
        assertEquals("no checkpoint was written (train.checkpointEvery = 0)",
                new Checkpointer(config("train.checkpointEvery=0"), out, log).lastGood());
    }

    @Test
    void verifyChecksDataNetworkAndRunLength() throws IOException {
        TrainConfig cfg = config();
        CheckpointStore.of(out).write(checkpointOf(cfg, 10, 100));
        Checkpointer r = new Checkpointer(config("train.resume=true"), out, log);
        Checkpoint c = r.resumePoint();
        r.verify(c, new long[] {501, 499}, ARCH, 100);

        CheckpointException e = assertThrows(CheckpointException.class, () -> r.verify(c, new long[] {334, 333, 333}, ARCH, 100));
        assertTrue(e.getMessage().endsWith("written for training partitions of [501, 499] rows, this run has [334, 333, 333];"
                + " expected the same data and partition count"), e::getMessage);
        e = assertThrows(CheckpointException.class, () -> r.verify(c, new long[] {501, 499},
                Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 3, 5, 2), 100));
        assertTrue(e.getMessage().contains("written for a network [3, 4, 2], this run builds [3, 5, 2]"), e::getMessage);
        e = assertThrows(CheckpointException.class, () -> r.verify(c, new long[] {501, 499}, ARCH, 10));
        assertTrue(e.getMessage().contains("holds step 10, this run ends at step 10"), e::getMessage);

        r.verify(c, new long[] {501, 499}, ARCH, 200);   // a longer run with a constant schedule
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("the checkpoint's run planned 100 steps, this one 200"));
    }

    @Test
    void aCosineScheduleCannotChangeTheRunLength() throws IOException {
        TrainConfig cfg = config("train.lrSchedule=cosine");
        CheckpointStore.of(out).write(checkpointOf(cfg, 10, 100));
        Checkpointer r = new Checkpointer(config("train.lrSchedule=cosine", "train.resume=true", "train.maxSteps=200"), out, log);
        Checkpoint c = r.resumePoint();
        CheckpointException e = assertThrows(CheckpointException.class, () -> r.verify(c, new long[] {501, 499}, ARCH, 200));
        assertTrue(e.getMessage().contains("written by a run of 100 steps, this one has 200; expected the same train.epochs"
                + " and train.maxSteps with train.lrSchedule = cosine"), e::getMessage);
    }

    @Test
    void autoPartitionsBecomeTheCheckpointsCount() throws IOException {
        TrainConfig cfg = config();
        Checkpointer r = new Checkpointer(cfg, out, log);
        assertEquals(0, r.dataOptions(null).partitions());
        assertEquals(2, r.dataOptions(checkpointOf(cfg, 10, 100)).partitions());
        assertEquals(5, new Checkpointer(config("data.partitions=5"), out, log)
                .dataOptions(checkpointOf(cfg, 10, 100)).partitions());
    }

    @Test
    void divergenceNamesTheLastGoodCheckpoint() throws IOException {
        TrainConfig cfg = config();
        Checkpointer c = new Checkpointer(cfg, out, log);
        Checkpoint k = checkpointOf(cfg, 10, 100);
        c.save(10, 100, k.partitionRows(), ARCH, k.weights(), new OptimizerState("ADAM", 10, k.optimizer().arrays()), null, k.loop());
        DivergenceException e = new DivergenceException(17, Double.NaN, 0.5, c.lastGood());
        assertEquals("training diverged at step 17 (loss NaN): expected a finite loss; try a smaller train.learningRate"
                + " (now 0.5) or set train.clipNorm; the last good checkpoint (step 10) is kept: "
                + CheckpointStore.of(out).pathFor(10), e.getMessage());
    }
}
