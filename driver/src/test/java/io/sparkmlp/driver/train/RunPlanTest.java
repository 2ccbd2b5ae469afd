package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run plan: global batch, epochs, steps, evaluation and log cadence, transport choice. */
class RunPlanTest {

    private static TrainConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.format=synthetic"));
        all.addAll(List.of(overrides));
        return TrainConfig.load(null, all);
    }

    @Test
    void batchLargerThanTheTrainingSplitIsRefused() {
        TrainConfig cfg = config("train.batchSize=1000");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunPlan.effectiveBatch(cfg, 999));
        assertEquals("train.batchSize = 1000: expected at most the 999 rows of the training split (or full)", e.getMessage());
        assertEquals(1000, RunPlan.effectiveBatch(cfg, 1000));
        assertThrows(IllegalArgumentException.class, () -> RunPlan.of(cfg, new long[] {500, 499}, 0));
    }

    @Test
    void batchDefaultsAndFull() {
        assertEquals(-1, RunPlan.effectiveBatch(config("train.batchSize=full"), 75));
        // left at its default (256): no more than a tenth of a small set, at least 16, at most the set
        assertEquals(16, RunPlan.effectiveBatch(config(), 75));
        assertEquals(10, RunPlan.effectiveBatch(config(), 10));
        assertEquals(200, RunPlan.effectiveBatch(config(), 2000));
        assertEquals(256, RunPlan.effectiveBatch(config(), 1_000_000));
        // set explicitly, it is kept as it is
        assertEquals(64, RunPlan.effectiveBatch(config("train.batchSize=64"), 100));
    }

    @Test
    void autoOnASmallSetAimsForTheTargetStepsWithinTheEpochCap() {
        // N = 1000: B = 100, 10 steps/epoch; ⌈4000/10⌉ = 400 epochs, capped to 200
        RunPlan p = RunPlan.of(config(), new long[] {501, 499}, 0);
        assertEquals(100, p.batch().globalBatch());
        assertEquals(RunPlan.AUTO_MAX_EPOCHS, p.epochs());
        assertEquals(2000, p.totalSteps());
        assertEquals(40, p.evalEvery(), "⌈2000 / 50⌉");
        assertEquals(10, p.logEvery(), "⌈2000 / 200⌉");
    }

    @Test
    void autoOnALargeSetIsOneEpoch() {
        // N = 2 000 000, B = 256: 7813 steps/epoch ≥ the 4000 target, so one epoch
        RunPlan p = RunPlan.of(config(), new long[] {1_000_000, 1_000_000}, 0);
        assertEquals(256, p.batch().globalBatch());
        assertEquals(1, p.epochs());
        assertEquals(7813, p.totalSteps());
        assertEquals(157, p.evalEvery());
        assertEquals(40, p.logEvery());
        // N = 80 000, B = 256: 313 steps/epoch, ⌈4000/313⌉ = 13 epochs
        RunPlan mid = RunPlan.of(config(), new long[] {40_000, 40_000}, 0);
        assertEquals(13, mid.epochs());
        assertEquals(4063, mid.totalSteps(), "⌈13 · 80000 / 256⌉");
    }

    @Test
    void explicitSettingsAndMaxSteps() {
        List<String> explicit = List.of("train.batchSize=32", "train.epochs=3", "train.evalEvery=7", "train.logEvery=5");
        RunPlan p = RunPlan.of(config(explicit.toArray(String[]::new)), new long[] {100, 100}, 0);
        assertEquals(32, p.batch().globalBatch());
        assertEquals(3, p.epochs());
        assertEquals(19, p.totalSteps(), "⌈3 · 200 / 32⌉");
        assertEquals(7, p.evalEvery());
        assertEquals(5, p.logEvery());
        List<String> capped = new ArrayList<>(explicit);
        capped.add("train.maxSteps=12");
        assertEquals(12, RunPlan.of(config(capped.toArray(String[]::new)), new long[] {100, 100}, 0).totalSteps());
        capped.set(capped.size() - 1, "train.maxSteps=25");
        assertEquals(19, RunPlan.of(config(capped.toArray(String[]::new)), new long[] {100, 100}, 0).totalSteps());
    }

    @Test
    void fullBatchTakesEveryRowEachStep() {
        RunPlan p = RunPlan.of(config("train.batchSize=full", "train.epochs=4"), new long[] {30, 20}, 0);
        assertTrue(p.batch().isFullBatch());
        assertEquals(50, p.batch().globalBatch());
        assertEquals(4, p.totalSteps());
        assertEquals(1, p.evalEvery());
        assertEquals(1, p.logEvery());
    }

    @Test
    void autoCadenceKeepsValidationToATenthOfTheArithmetic() {
        // N = 54,000 in two partitions, V = 6,000; batch 1024 × 3 epochs: 159 steps, ⌈159/50⌉ = 4, but a pass
        // (6,000 forward rows) every 4 steps would cost as much as 4 × 1024 × 3 training forwards ≈ half of them:
        // ⌈6000 / (3 · 0.1 · 1024)⌉ = 20 steps between passes, 8 passes in the run
        RunPlan shortRun = RunPlan.of(config("train.batchSize=1024", "train.epochs=3"), new long[] {27_000, 27_000}, 6_000);
        assertEquals(159, shortRun.totalSteps());
        assertEquals(20, shortRun.evalEvery());
        long passes = 0;
        for (long s = 1; s <= shortRun.totalSteps(); s++) if (shortRun.evaluatesAfter(s)) passes++;
        assertEquals(8, passes, "7 on the cadence and the last step");
        double validationForwards = passes * 6_000.0;
        double trainingForwards = 3.0 * shortRun.totalSteps() * 1024;
        assertTrue(validationForwards / trainingForwards <= 0.11, "validation's share " + validationForwards / trainingForwards);
        // the same split at the default batch and epochs: 50 passes are already cheaper than that, so 50 it stays
        RunPlan longRun = RunPlan.of(config(), new long[] {27_000, 27_000}, 6_000);
        assertEquals(RunPlan.autoEvalEvery(longRun.totalSteps(), 256, 0), longRun.evalEvery());
        assertEquals((longRun.totalSteps() + 49) / 50, longRun.evalEvery());
        // no validation split, or an explicit cadence: the cost does not enter
        assertEquals(4, RunPlan.of(config("train.batchSize=1024", "train.epochs=3"), new long[] {27_000, 27_000}, 0).evalEvery());
        assertEquals(2, RunPlan.of(config("train.batchSize=1024", "train.epochs=3", "train.evalEvery=2"),
                new long[] {27_000, 27_000}, 6_000).evalEvery());
    }

    @Test
    void theLastStepIsAlwaysEvaluatedAndLogged() {
        RunPlan p = RunPlan.of(config("train.batchSize=10", "train.epochs=1", "train.evalEvery=4", "train.logEvery=3"),
                new long[] {50, 50}, 0);
        assertEquals(10, p.totalSteps());
        List<Long> evaluated = new ArrayList<>();
        List<Long> logged = new ArrayList<>();
        for (long s = 1; s <= p.totalSteps(); s++) {
            if (p.evaluatesAfter(s)) evaluated.add(s);
            if (p.logsAfter(s)) logged.add(s);
        }
        assertEquals(List.of(4L, 8L, 10L), evaluated);
        assertEquals(List.of(3L, 6L, 9L, 10L), logged);
    }

    @Test
    void transportAndWhetherTheUserChoseIt() {
        RunPlan byDefault = RunPlan.of(config(), new long[] {100}, 0);
        assertFalse(byDefault.transportChosen());
        RunPlan chosen = RunPlan.of(config("train.transport=job"), new long[] {100}, 0);
        assertEquals(Transport.JOB, chosen.transport());
        assertTrue(chosen.transportChosen());
        assertEquals(Transport.PERSISTENT, byDefault.transport());
        assertTrue(RunPlan.of(config("train.transport=persistent"), new long[] {100}, 0).transportChosen(),
                "set to its default value, still chosen");
    }
}
