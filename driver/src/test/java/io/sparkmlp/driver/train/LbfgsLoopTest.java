package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.CheckpointStore;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.LocalFs;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.train.TrainingLoopTest.Passing;
import io.sparkmlp.driver.train.TrainingLoopTest.Recorded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop with {@code train.optimizer = lbfgs} over blocks in memory: a step is one full-batch
 * evaluation, the weights are the solver's accepted point, it learns XOR, stops early, and a run resumed from any
 * checkpoint (also one written in the middle of a line search) ends with the bits of an uninterrupted one.
 */
class LbfgsLoopTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private static final InMemoryData XOR = InMemoryData.xor(new long[] {24, 20}, 40, 40, 0.2, 7);
    private static final List<String> XOR_CONFIG = List.of("data.format=synthetic", "model.hidden=4",
            "model.activation=tanh", "train.optimizer=lbfgs", "train.epochs=100", "train.seed=3");

    /** Few training rows far from each other, many validation rows: a wide network overfits after a while. */
    private static final InMemoryData BLOBS = InMemoryData.blobs(6, 3, 1.0, new long[] {30, 27}, 300, 200, 42);
    private static final List<String> BLOBS_CONFIG = List.of("data.format=synthetic", "model.hidden=64,64",
            "train.optimizer=lbfgs", "train.epochs=150", "train.evalEvery=1", "train.tol=0", "train.seed=5");

    /** A small sigmoid network on the blobs, with weight decay: some of its line searches take several trials. */
    private static final List<String> RESUME_CONFIG = List.of("data.format=synthetic", "model.hidden=5,4",
            "model.activation=sigmoid", "train.optimizer=lbfgs", "train.weightDecay=0.001", "train.epochs=150",
            "train.evalEvery=2", "train.earlyStoppingPatience=4", "train.keepBest=true", "train.checkpointEvery=1",
            "train.seed=5");

    private TrainResult train(InMemoryData data, List<String> config, Path dir, String... overrides) throws IOException {
        List<String> all = new ArrayList<>(config);
        all.add("output.dir=" + dir);
        all.addAll(List.of(overrides));
        TrainConfig cfg = TrainConfig.load(null, all);
        FsPath out = LocalFs.PATH.of(dir);
        RunOutput output = RunOutput.prepare(out, false, cfg.train().resume());
        Checkpointer checkpoints = new Checkpointer(cfg, out, log);
        Checkpoint resume = checkpoints.resumePoint();
        return new Trainer(cfg, log).train(data, output, checkpoints, resume);
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void learnsXorAndEndsWithTheSolversAcceptedPoint() throws IOException {
        Recorded steps = new Recorded();
        TrainResult r = train(XOR.withTransports(steps::wrap), XOR_CONFIG, tmp.resolve("xor"), "train.keepBest=false",
                "train.earlyStoppingPatience=0");

        assertEquals(1.0, r.test().accuracy(), logText());
        assertEquals(1.0, r.validation().accuracy(), logText());
        assertTrue(r.steps() < 100, "stopped by its own test before 100 evaluations: " + r.steps());
        assertTrue(logText().contains("sparkmlp: L-BFGS stopped after " + r.steps() + " evaluations, "), logText());
        assertEquals(r.steps(), steps.at.size(), "one full-batch evaluation per step");
        assertEquals(r.steps(), r.epochs(), 1e-9, "one epoch per evaluation");
        // the final weights are an evaluated point (the accepted one), not an untested extrapolation
        assertTrue(steps.at.values().stream().anyMatch(p -> java.util.Arrays.equals(p, r.parameters().flat())));

        List<String> rows = Files.readAllLines(tmp.resolve("xor").resolve(RunOutput.METRICS_FILE));
        String lastRow = rows.get(rows.size() - 1);
        assertTrue(lastRow.startsWith(r.steps() + ","), "the last evaluation is logged: " + lastRow);
        assertEquals("", lastRow.split(",", -1)[5], "no learning rate: " + rows.get(0));
    }

    @Test
    void trainsOnTheValidationRowsUnlessAValidationKeyIsSet() throws IOException {
        Recorded steps = new Recorded();
        TrainResult folded = train(BLOBS.withTransports(steps::wrap), BLOBS_CONFIG, tmp.resolve("folded"));
        assertTrue(logText().contains("sparkmlp: L-BFGS trains on the 300 validation rows too"), logText());
        assertEquals(57 + 300, folded.data().trainRows());
        assertEquals(57 + 300, java.util.Arrays.stream(folded.data().trainClassCounts()).sum());
        assertEquals(0, folded.data().validationRows());
        assertEquals(null, folded.validation());
        assertEquals(-1, folded.bestStep(), "nothing validated");
        assertEquals(folded.steps() * (57 + 300), (long) Math.round(folded.epochs() * (57 + 300)),
                "every evaluation is over the 357 rows");

        for (String key : List.of("data.validationFraction=0.1", "train.keepBest=false", "train.earlyStoppingPatience=0")) {
            TrainResult held = train(BLOBS, BLOBS_CONFIG, tmp.resolve("held" + key.length()), key);
            assertEquals(57, held.data().trainRows(), key);
            assertEquals(300, held.data().validationRows(), key);
            assertTrue(held.validation() != null, key);
        }
    }

    @Test
    void sameBitsRunAfterRun() throws IOException {
        TrainResult a = train(XOR, XOR_CONFIG, tmp.resolve("a"));
        TrainResult b = train(XOR, XOR_CONFIG, tmp.resolve("b"));
        assertArrayEquals(a.parameters().flat(), b.parameters().flat());
        assertEquals(a.steps(), b.steps());
    }

    @Test
    void earlyStoppingEndsWithTheAcceptedPointOfTheBestEvaluation() throws IOException {
        Recorded steps = new Recorded();
        TrainResult r = train(BLOBS.withTransports(steps::wrap), BLOBS_CONFIG, tmp.resolve("stop"),
                "train.earlyStoppingPatience=3", "train.keepBest=false");

        assertTrue(r.stoppedEarly(), logText());
        assertTrue(r.steps() < 150, "stopped before the planned 150 evaluations: " + r.steps());
        assertTrue(r.weightsStep() > 1 && r.weightsStep() < r.steps(), "best " + r.weightsStep() + " of " + r.steps());
        assertTrue(logText().contains("sparkmlp: early stopping at step " + r.steps()
                + ": validation loss has not improved for 3 evaluations\n"), logText());
        // the best evaluation validated the point accepted by the evaluation of step weightsStep − 1
        assertArrayEquals(steps.at.get(r.weightsStep() - 1), r.parameters().flat());
    }

    @Test
    void aRunResumedFromAnyCheckpointEndsWithTheBitsOfAnUninterruptedOne() throws IOException {
        TrainResult plain = train(BLOBS, RESUME_CONFIG, tmp.resolve("plain"));
        assertTrue(plain.steps() > 5, "ran " + plain.steps() + " steps");

        boolean midSearch = false;
        for (long interrupt = 1; interrupt < plain.steps(); interrupt++) {
            Path dir = tmp.resolve("run" + interrupt);
            long at = interrupt;
            InMemoryData failing = BLOBS.withTransports(t -> new Passing(t) {
                @Override
                public GradientPartial gradient(float[] params, long step) {
                    if (step == at) throw new IllegalStateException("interrupted at step " + at);
                    return super.gradient(params, step);
                }
            });
            assertThrows(IllegalStateException.class, () -> train(failing, RESUME_CONFIG, dir));
            Checkpoint c = CheckpointStore.of(LocalFs.PATH.of(dir)).loadNewest(false).checkpoint();
            assertEquals(interrupt, c.step());
            midSearch |= c.lbfgs().searchEvaluations() > 0;

            TrainResult r = train(BLOBS, RESUME_CONFIG, dir, "train.resume=true");
            assertArrayEquals(plain.parameters().flat(), r.parameters().flat(), "resumed after step " + interrupt);
            assertEquals(plain.steps(), r.steps());
            assertEquals(plain.weightsStep(), r.weightsStep());
            assertEquals(plain.stoppedEarly(), r.stoppedEarly());
            assertEquals(plain.validation().lossSum(), r.validation().lossSum());
            assertEquals(plain.test().lossSum(), r.test().lossSum());
            assertEquals(Files.readAllLines(tmp.resolve("plain").resolve(RunOutput.METRICS_FILE)).size(),
                    Files.readAllLines(dir.resolve(RunOutput.METRICS_FILE)).size());
        }
        assertTrue(midSearch, "one of the checkpoints was written between two trials of a line search");
    }

    /** A transport whose merged loss at {@code badStep} is NaN. */
    private static InMemoryData nanLossAt(InMemoryData data, long badStep) {
        return data.withTransports(t -> new Passing(t) {
            @Override
            public GradientPartial gradient(float[] params, long step) {
                GradientPartial p = super.gradient(params, step);
                return step == badStep ? new GradientPartial(p.partition(), p.gradSum(), Double.NaN, p.count()) : p;
            }
        });
    }

    @Test
    void aNonFiniteLossAtTheInitialWeightsIsDivergenceAndLaterOnlyShortensTheStep() throws IOException {
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> train(nanLossAt(XOR, 0), XOR_CONFIG, tmp.resolve("start")));
        assertEquals(1, e.step());
        assertTrue(e.getMessage().startsWith("training diverged at step 1 (loss NaN): expected a finite loss and gradient"
                + " at the initial weights (train.optimizer = lbfgs)"), e.getMessage());

        TrainResult r = train(nanLossAt(XOR, 3), XOR_CONFIG, tmp.resolve("later"));
        assertTrue(r.parameters().allFinite());
        assertEquals(1.0, r.test().accuracy(), logText());
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsRefused() throws IOException {
        Path dir = tmp.resolve("adam");
        assertThrows(IllegalStateException.class, () -> train(BLOBS.withTransports(t -> new Passing(t) {
            @Override
            public GradientPartial gradient(float[] params, long step) {
                if (step == 3) throw new IllegalStateException("interrupted");
                return super.gradient(params, step);
            }
        }), BLOBS_CONFIG, dir, "train.optimizer=adam", "train.checkpointEvery=2"));
        Exception e = assertThrows(Exception.class, () -> train(BLOBS, BLOBS_CONFIG, dir, "train.resume=true"));
        assertTrue(e.getMessage().contains("train.optimizer = \"adam\" there, \"lbfgs\" now"), e.getMessage());
        assertFalse(logText().contains("resuming from"), logText());
    }
}
