package io.sparkmlp.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.driver.train.TrainResult;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** summary.json's time to the best: {@code best_step}, {@code seconds_to_best}, and the optimizer the run used. */
class SummariesTest {

    private static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 2, 3, 1);
    private static final TrainConfig CFG = TrainConfig.load(null, List.of("data.format=synthetic"));

    private static Map<String, Object> summary(long bestStep, double secondsToBest) {
        PreparedData data = new PreparedData(null, null, null, 2, null, null, 40, 10, 0, null, null, null);
        TrainResult r = new TrainResult(ARCH, Parameters.initialize(ARCH, 1), data, BatchPlan.fullBatch(new long[] {40}),
                null, null, 120, 120, 3.5, 1000, true, bestStep, OptimizerKind.LBFGS, bestStep, secondsToBest);
        Model model = Summaries.model(r, CFG);
        return Summaries.summary(r, CFG, model);
    }

    @Test
    void theBestStepAndTheTrainingSecondsUntilIt() {
        Map<String, Object> s = summary(80, 2.25);
        assertEquals(80L, s.get("best_step"));
        assertEquals(2.25, s.get("seconds_to_best"));
        assertEquals("lbfgs", s.get("optimizer"));
        assertEquals(3.5, s.get("train_seconds"));
    }

    @Test
    void theFixedCostsOfTheRun() {
        PreparedData data = new PreparedData(null, null, null, 2, null, null, 40, 10, 0, null, null, null);
        TrainResult r = new TrainResult(ARCH, Parameters.initialize(ARCH, 1), data, BatchPlan.fullBatch(new long[] {40}),
                null, null, 120, 120, 3.5, 1000, true, 80, OptimizerKind.LBFGS, 80, 2.25,
                new TrainResult.Startup(0.75, 0.0125, 12));
        Map<String, Object> s = Summaries.summary(r, CFG, Summaries.model(r, CFG));
        assertEquals(0.75, s.get("seconds_to_first_step"));
        assertEquals(0.0125, s.get("validation_pass_seconds"));
        assertEquals(12, s.get("validation_passes"));
        Map<String, Object> unknown = summary(80, 2.25);
        assertNull(unknown.get("seconds_to_first_step"));
        assertNull(unknown.get("validation_pass_seconds"));
        assertEquals(0, unknown.get("validation_passes"));
    }

    @Test
    void nullWithoutAValidationSplitOrWhenTheTimeIsUnknown() {
        Map<String, Object> none = summary(-1, Double.NaN);
        assertNull(none.get("best_step"));
        assertNull(none.get("seconds_to_best"));
        assertEquals(true, none.containsKey("seconds_to_best"), "the keys are always there");
        Map<String, Object> resumed = summary(80, Double.NaN);
        assertEquals(80L, resumed.get("best_step"));
        assertNull(resumed.get("seconds_to_best"));
    }
}
