package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.LocalFs;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.StepTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole training loop over blocks in memory (no SparkContext, milliseconds): early stopping fires, keep-best
 * ends with the weights of the best evaluation, a run resumed from a checkpoint written mid-run ends with the
 * bits of an uninterrupted one.
 */
class TrainingLoopTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** Few training rows far from each other, many validation rows: a wide network overfits after a while. */
    private static final InMemoryData DATA = InMemoryData.blobs(6, 3, 1.0, new long[] {30, 27}, 300, 200, 42);

    private static final List<String> CONFIG = List.of("data.format=synthetic", "model.hidden=64,64",
            "train.optimizer=adam", "train.learningRate=0.003", "train.batchSize=19", "train.epochs=60",
            "train.evalEvery=3", "train.seed=5");

    private TrainResult train(InMemoryData data, Path dir, String... overrides) throws IOException {
        List<String> all = new ArrayList<>(CONFIG);
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

    /** The metrics of {@code weights} on the validation blocks, as the loop computes them. */
    private static EvalMetrics validation(TrainResult r, float[] weights) {
        TrainConfig cfg = TrainConfig.load(null, CONFIG);
        Evaluator.Task task = new Evaluator.Task(r.architecture(), cfg.model().backend(), 3, 1f);
        return DATA.evaluate(TrainingData.Split.VALIDATION, task, weights, "test");
    }

    @Test
    void earlyStoppingFiresAndEndsWithTheWeightsOfTheBestEvaluation() throws IOException {
        Recorded steps = new Recorded();
        TrainResult r = train(DATA.withTransports(steps::wrap), tmp.resolve("run"), "train.earlyStoppingPatience=3",
                "train.keepBest=false");

        assertTrue(r.stoppedEarly(), logText());
        assertTrue(r.steps() < 180, "stopped before the planned 180 steps: " + r.steps());
        assertEquals(r.steps() - 3 * 3, r.weightsStep(), "3 evaluations, 3 steps apart, did not improve on the best");
        assertTrue(r.weightsStep() > 3, "the best is not the first evaluation: " + r.weightsStep());
        assertTrue(logText().contains("sparkmlp: early stopping at step " + r.steps()
                + ": validation loss has not improved for 3 evaluations\n"), logText());
        assertTrue(logText().contains("sparkmlp: keeping the weights of step " + r.weightsStep() + " (lowest validation loss "),
                logText());

        float[] best = steps.at.get(r.weightsStep());
        assertArrayEquals(best, r.parameters().flat(), "the weights after the best step");
        assertFalse(Arrays.equals(steps.at.get(r.steps() - 1), r.parameters().flat()), "not the last weights");
        EvalMetrics kept = validation(r, best);
        assertEquals(kept.lossSum(), r.validation().lossSum(), "the reported validation is that of the kept weights");
        assertEquals(kept.correct(), r.validation().correct());
        assertNotNull(r.test());
    }

    @Test
    void keepBestEndsWithTheBestWeightsWithoutStopping() throws IOException {
        Recorded steps = new Recorded();
        // early stopping (on by default) off: keep-best alone
        TrainResult r = train(DATA.withTransports(steps::wrap), tmp.resolve("best"), "train.keepBest=true",
                "train.maxSteps=45", "train.earlyStoppingPatience=0");
        assertFalse(r.stoppedEarly());
        assertEquals(45, r.steps());
        assertTrue(r.weightsStep() > 0 && r.weightsStep() < 45, "best step " + r.weightsStep());
        assertEquals(0, r.weightsStep() % 3, "an evaluated step");
        assertArrayEquals(steps.at.get(r.weightsStep()), r.parameters().flat());

        logBytes.reset();
        TrainResult last = train(DATA, tmp.resolve("last"), "train.keepBest=false", "train.maxSteps=45",
                "train.earlyStoppingPatience=0");
        assertEquals(45, last.weightsStep(), "without keepBest: the last weights");
        assertFalse(logText().contains("keeping the weights"), logText());
        assertFalse(Arrays.equals(r.parameters().flat(), last.parameters().flat()));
    }

    @Test
    void theDefaultsStopEarlyAndRecordWhenTheBestCame() throws IOException {
        TrainResult r = train(DATA, tmp.resolve("default"));
        // 180 steps, an evaluation every 3: 60 evaluations, auto patience max(5, ⌈60/10⌉) = 6
        assertTrue(r.stoppedEarly(), logText());
        assertTrue(r.steps() < 180, "stopped before the planned 180 steps: " + r.steps());
        assertTrue(logText().contains("validation loss has not improved for 6 evaluations\n"), logText());
        assertEquals(r.steps() - 6 * 3, r.bestStep());
        assertEquals(r.bestStep(), r.weightsStep(), "keep-best is on by default with 300 validation rows");
        assertTrue(r.secondsToBest() > 0 && r.secondsToBest() <= r.trainSeconds(),
                r.secondsToBest() + " s to the best of " + r.trainSeconds() + " s");
        // the fixed costs: every evaluation of the loop was timed, and the first step ended before the run did
        assertEquals(r.steps() / 3, r.startup().validationPasses());
        assertTrue(r.startup().validationPassSeconds() > 0, String.valueOf(r.startup()));
        assertTrue(r.startup().secondsToFirstStep() > 0 && r.startup().secondsToFirstStep() < r.trainSeconds() + 60,
                String.valueOf(r.startup()));
        assertTrue(logText().contains("sparkmlp: first step done "), logText());
    }

    @Test
    void aValidationSplitOfAFewRowsNeitherStopsNorKeepsBestByDefault() throws IOException {
        InMemoryData nine = InMemoryData.blobs(6, 3, 1.0, new long[] {30, 27}, 9, 200, 42);
        TrainResult r = train(nine, tmp.resolve("nine"));
        assertFalse(r.stoppedEarly(), logText());
        assertEquals(180, r.steps());
        assertEquals(180, r.weightsStep(), "the last weights");
        assertTrue(r.bestStep() > 0 && r.bestStep() % 3 == 0, "the best is still reported: " + r.bestStep());

        logBytes.reset();
        TrainResult set = train(nine, tmp.resolve("set"), "train.earlyStoppingPatience=3", "train.keepBest=true");
        assertTrue(set.stoppedEarly(), "explicit settings apply to any validation split: " + logText());
        assertEquals(set.bestStep(), set.weightsStep());
    }

    @Test
    void autoChoosesLbfgsForASmallProblemAndSaysWhy() throws IOException {
        List<String> cfg = new ArrayList<>(CONFIG);
        cfg.removeIf(s -> s.startsWith("train.optimizer") || s.startsWith("train.learningRate")
                || s.startsWith("train.batchSize"));
        cfg.add("output.dir=" + tmp.resolve("auto"));
        TrainConfig config = TrainConfig.load(null, cfg);
        FsPath out = LocalFs.PATH.of(tmp.resolve("auto"));
        TrainResult r = new Trainer(config, log).train(DATA, RunOutput.prepare(out, false, false),
                new Checkpointer(config, out, log), null);
        assertEquals(io.sparkmlp.kernel.optim.OptimizerKind.LBFGS, r.optimizer());
        // 6 features, 64, 64, 3 classes: 6·64+64 + 64·64+64 + 64·3+3 = 4803 parameters
        assertTrue(logText().contains("sparkmlp: optimizer auto: lbfgs (57 training rows × 4803 parameters = 2.74e+05"
                + " ≤ 3e+08)\n"), logText());
    }

    @Test
    void aRunResumedFromAMidRunCheckpointEndsWithTheBitsOfAnUninterruptedOne() throws IOException {
        String[] settings = {"train.earlyStoppingPatience=3", "train.keepBest=false", "train.checkpointEvery=10"};
        TrainResult plain = train(DATA, tmp.resolve("plain"), settings);
        // The checkpoint at step 40 falls after the best evaluation and before the stop, so the resumed run must
        // carry on counting evaluations without improvement from the checkpoint to stop where this one did.
        assertTrue(plain.stoppedEarly() && plain.weightsStep() < 40 && plain.steps() > 41,
                "best step " + plain.weightsStep() + ", stopped at " + plain.steps());

        Path dir = tmp.resolve("run");
        InMemoryData failing = DATA.withTransports(t -> new Passing(t) {
            @Override
            public GradientPartial gradient(float[] params, long step) {
                if (step == 41) throw new IllegalStateException("interrupted at step 41");
                return super.gradient(params, step);
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(failing, dir, settings));
        assertEquals("interrupted at step 41", e.getMessage());

        logBytes.reset();
        List<String> resumed = new ArrayList<>(List.of(settings));
        resumed.add("train.resume=true");
        TrainResult r = train(DATA, dir, resumed.toArray(String[]::new));
        assertTrue(logText().contains("(step 40)"), logText());
        assertArrayEquals(plain.parameters().flat(), r.parameters().flat());
        assertEquals(plain.steps(), r.steps());
        assertEquals(plain.weightsStep(), r.weightsStep());
        assertTrue(r.stoppedEarly());
        assertEquals(plain.validation().lossSum(), r.validation().lossSum());
        assertEquals(plain.test().lossSum(), r.test().lossSum());
        assertEquals(plain.test().correct(), r.test().correct());
        assertEquals(metricsWithoutTimings(tmp.resolve("plain")), metricsWithoutTimings(dir));
    }

    /** metrics.csv without the cells that measure time (samples/s, elapsed, kernel and step milliseconds). */
    private static List<String> metricsWithoutTimings(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(RunOutput.METRICS_FILE))) {
            List<String> cells = List.of(line.split(",", -1));
            List<String> kept = new ArrayList<>(cells.subList(0, 7));
            kept.addAll(cells.subList(9, cells.size() - 2));
            lines.add(String.join(",", kept));
        }
        return lines;
    }

    /** Remembers the weights each step started from: those of {@code w_t} are {@code at.get(t)}. */
    static final class Recorded {
        final Map<Long, float[]> at = new HashMap<>();

        StepTransport wrap(StepTransport inner) {
            return new Passing(inner) {
                @Override
                public GradientPartial gradient(float[] params, long step) {
                    at.put(step, params.clone());
                    return super.gradient(params, step);
                }
            };
        }
    }

    /** A transport that hands every call to another one. */
    static class Passing implements StepTransport {
        private final StepTransport inner;

        Passing(StepTransport inner) {
            this.inner = inner;
        }

        @Override
        public GradientPartial gradient(float[] params, long step) {
            return inner.gradient(params, step);
        }

        @Override
        public void start() {
            inner.start();
        }

        @Override
        public void release() {
            inner.release();
        }

        @Override
        public EvalMetrics evaluate(float[] params, long step) {
            return inner.evaluate(params, step);
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
