package io.sparkmlp.kernel.optim;

import static io.sparkmlp.kernel.optim.LrScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptimizerSpecTest {

    @Test
    void defaults() {
        OptimizerSpec s = OptimizerSpec.defaults(OptimizerKind.ADAM);
        assertEquals(OptimizerKind.ADAM, s.kind());
        assertEquals(0.9, s.momentum());
        assertEquals(0.9, s.beta1());
        assertEquals(0.999, s.beta2());
        assertEquals(1e-8, s.epsilon());
        assertEquals(0.0, s.weightDecay());
        assertEquals(0.0, s.clipNorm());
        assertTrue(OptimizerSpec.defaults(OptimizerKind.ADAMW).decoupledWeightDecay());
        assertFalse(s.decoupledWeightDecay());
    }

    @Test
    void withersChangeOneField() {
        OptimizerSpec s = OptimizerSpec.defaults(OptimizerKind.NESTEROV)
                .withMomentum(0.5).withBetas(0.8, 0.99).withEpsilon(1e-6).withWeightDecay(1e-4).withClipNorm(5);
        assertEquals(new OptimizerSpec(OptimizerKind.NESTEROV, 0.5, 0.8, 0.99, 1e-6, 1e-4, 5), s);
    }

    @Test
    void validationNamesTheFieldAndValue() {
        OptimizerSpec d = OptimizerSpec.defaults(OptimizerKind.MOMENTUM);
        assertMessage("momentum must be in [0, 1), found 1.0", () -> d.withMomentum(1.0));
        assertMessage("momentum must be in [0, 1), found -0.1", () -> d.withMomentum(-0.1));
        assertMessage("beta1 must be in [0, 1), found NaN", () -> d.withBetas(Double.NaN, 0.999));
        assertMessage("beta2 must be in [0, 1), found 1.0", () -> d.withBetas(0.9, 1.0));
        assertMessage("epsilon must be a finite number > 0, found 0.0", () -> d.withEpsilon(0));
        assertMessage("weightDecay must be a finite number >= 0 (0 = off), found -1.0E-4", () -> d.withWeightDecay(-1e-4));
        assertMessage("clipNorm must be a finite number >= 0 (0 = off), found Infinity",
                () -> d.withClipNorm(Double.POSITIVE_INFINITY));
        assertMessage("optimizer kind is required, found null", () -> OptimizerSpec.defaults(null));
    }

    @Test
    void parse() {
        assertEquals(OptimizerKind.ADAMW, OptimizerKind.parse("adamw"));
        assertEquals(OptimizerKind.ADAM, OptimizerKind.parse(" Adam "));
        assertEquals(OptimizerKind.NESTEROV, OptimizerKind.parse("NESTEROV"));
        assertEquals(OptimizerKind.MOMENTUM, OptimizerKind.parse("momentum"));
        assertEquals(OptimizerKind.SGD, OptimizerKind.parse("sgd"));
        assertEquals(OptimizerKind.LBFGS, OptimizerKind.parse("LBFGS"));
        assertMessage("unknown optimizer 'rmsprop', expected one of sgd, momentum, nesterov, adam, adamw, lbfgs, auto",
                () -> OptimizerKind.parse("rmsprop"));
        assertEquals("adamw", OptimizerKind.ADAMW.configName());
    }

    @Test
    void describe() {
        assertEquals("adam(beta1=0.9, beta2=0.999, epsilon=1.0E-8, weight_decay=0.0, clip_norm=off)",
                OptimizerSpec.defaults(OptimizerKind.ADAM).describe());
        assertEquals("momentum(momentum=0.9, weight_decay=0.001, clip_norm=5.0)",
                OptimizerSpec.defaults(OptimizerKind.MOMENTUM).withWeightDecay(1e-3).withClipNorm(5).describe());
        assertEquals("sgd(weight_decay=0.0, clip_norm=off)", OptimizerSpec.defaults(OptimizerKind.SGD).describe());
    }
}
