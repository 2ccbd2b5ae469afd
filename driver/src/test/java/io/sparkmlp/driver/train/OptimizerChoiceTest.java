package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule of {@code train.optimizer = auto}: L-BFGS up to N · P = 3e8 without mini-batch keys, Adam otherwise. */
class OptimizerChoiceTest {

    private static TrainConfig cfg(String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.format=synthetic"));
        all.addAll(List.of(overrides));
        return TrainConfig.load(null, all);
    }

    @Test
    void autoIsTheDefault() {
        assertEquals(OptimizerKind.AUTO, cfg().train().optimizer());
    }

    @Test
    void smallProblemsGetLbfgsUpToTheBoundAndLargerOnesAdam() {
        OptimizerChoice small = OptimizerChoice.of(cfg(), 90, 59);
        assertEquals(OptimizerKind.LBFGS, small.kind());
        assertEquals("optimizer auto: lbfgs (90 training rows × 59 parameters = 5.31e+03 ≤ 3e+08)", small.describe());
        assertEquals(OptimizerKind.LBFGS, OptimizerChoice.of(cfg(), 1000, 300_000).kind(), "exactly the bound");
        OptimizerChoice large = OptimizerChoice.of(cfg(), 1000, 300_001);
        assertEquals(OptimizerKind.ADAM, large.kind());
        assertEquals("optimizer auto: adam (1000 training rows × 300001 parameters = 3.00e+08 > 3e+08)", large.describe());
        assertEquals(OptimizerKind.ADAM, OptimizerChoice.of(cfg(), 48_000, 109_386).kind(), "an MNIST-sized problem");
    }

    @Test
    void aMiniBatchSettingAsksForAdam() {
        for (String s : List.of("train.batchSize=32", "train.learningRate=0.01", "train.lrSchedule=cosine",
                "train.warmupSteps=10", "train.clipNorm=1", "train.beta1=0.8", "train.beta2=0.99")) {
            OptimizerChoice c = OptimizerChoice.of(cfg(s), 90, 59);
            assertEquals(OptimizerKind.ADAM, c.kind(), s);
            assertEquals(s.substring(0, s.indexOf('=')) + " is set (a mini-batch setting)", c.reason());
        }
    }

    @Test
    void anExplicitOptimizerIsKept() {
        OptimizerChoice c = OptimizerChoice.of(cfg("train.optimizer=sgd"), 90, 59);
        assertEquals(OptimizerKind.SGD, c.kind());
        assertFalse(c.automatic());
        TrainConfig lbfgs = cfg("train.optimizer=lbfgs");
        assertEquals(OptimizerKind.LBFGS, OptimizerChoice.of(lbfgs, 10_000_000, 10_000_000).kind());
    }

    @Test
    void lbfgsTakesItsWeightDecayUnlessOneIsSet() {
        TrainConfig auto = cfg();
        assertEquals(0.0, auto.train().weightDecay(), "auto before the choice: the first-order default");
        assertEquals(1e-3, OptimizerChoice.of(auto, 90, 59).apply(auto).train().weightDecay());
        assertEquals(0.0, OptimizerChoice.of(auto, 1000, 300_001).apply(auto).train().weightDecay(), "adam");
        assertEquals(1e-3, cfg("train.optimizer=lbfgs").train().weightDecay(), "an explicit lbfgs");
        TrainConfig set = cfg("train.weightDecay=0");
        assertEquals(0.0, OptimizerChoice.of(set, 90, 59).apply(set).train().weightDecay());
        assertEquals(0.0, cfg("train.optimizer=lbfgs", "train.weightDecay=0").train().weightDecay());
    }

    @Test
    void theChoiceReplacesAutoInTheOptionsOnly() {
        TrainConfig auto = cfg();
        TrainConfig chosen = OptimizerChoice.of(auto, 90, 59).apply(auto);
        assertEquals(OptimizerKind.LBFGS, chosen.train().optimizer());
        assertEquals(auto.effective(), chosen.effective(), "the effective settings still say what the user set");
        assertTrue(OptimizerChoice.of(auto, 90, 59).automatic());
    }
}
