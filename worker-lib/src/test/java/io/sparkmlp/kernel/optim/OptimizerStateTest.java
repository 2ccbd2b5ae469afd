package io.sparkmlp.kernel.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.kernel.Architecture;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Snapshot / restore / reset: a resumed run must continue bit for bit. */
class OptimizerStateTest {

    static final Architecture ARCH = OptimizerStepTest.TWO_THREE_TWO;

    static float[] start() {
        SplittableRandom rnd = new SplittableRandom(42);
        float[] p = new float[ARCH.parameterCount()];
        for (int i = 0; i < p.length; i++) p[i] = (float) rnd.nextDouble(-1, 1);
        return p;
    }

    /** The gradient of step {@code t}: a fixed function of t, so any run can replay it. */
    static float[] gradient(int t) {
        SplittableRandom rnd = new SplittableRandom(1000 + t);
        float[] g = new float[ARCH.parameterCount()];
        for (int i = 0; i < g.length; i++) g[i] = (float) rnd.nextDouble(-2, 2);
        return g;
    }

    /** Steps {@code from..to-1} with a cosine-decayed rate, on {@code params} (modified), which it returns. */
    static float[] train(Optimizer opt, float[] params, int from, int to) {
        LrSchedule lr = LrSchedule.cosine(0.05, 2, 10, 0.001);
        for (int t = from; t < to; t++) opt.step(params, gradient(t), lr.rate(t));
        return params;
    }

    static OptimizerSpec busySpec(OptimizerKind kind) {
        return OptimizerSpec.defaults(kind).withWeightDecay(0.01).withClipNorm(3);
    }

    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"LBFGS", "AUTO"}, mode = EnumSource.Mode.EXCLUDE)
    void restoredRunContinuesBitIdentically(OptimizerKind kind) {
        Optimizer uninterrupted = Optimizers.create(busySpec(kind), ARCH);
        float[] expected = train(uninterrupted, start(), 0, 8);

        Optimizer first = Optimizers.create(busySpec(kind), ARCH);
        float[] params = train(first, start(), 0, 5);
        OptimizerState saved = first.state();
        float[] savedParams = params.clone();
        train(first, params, 5, 7); // keeps going after the snapshot: must not change it
        assertEquals(5, saved.steps());

        Optimizer resumed = Optimizers.create(busySpec(kind), ARCH);
        resumed.restore(saved);
        assertEquals(5, resumed.stepsTaken());
        assertEquals(saved, resumed.state());
        float[] actual = train(resumed, savedParams, 5, 8);

        assertArrayEquals(expected, actual, kind + ": resumed run differs from the uninterrupted one");
        assertEquals(uninterrupted.state(), resumed.state());
    }

    @Test
    void adamStateHoldsTheMoments() {
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.ADAM), OptimizerStepTest.ONE_ONE);
        opt.step(new float[] {0.5f, -0.25f}, new float[] {0.2f, -0.4f}, 0.01);
        OptimizerState s = opt.state();
        assertEquals("ADAM", s.kind());
        assertEquals(1, s.steps());
        assertEquals(2, s.arrays().length);
        // m = 0.1·g, v = 0.001·g²
        assertArrayEquals(new float[] {0.02f, -0.04f}, s.arrays()[0], 8e-9f); // float products: a couple of ulps (ulp(0.04) ≈ 3.7e-9)
        assertArrayEquals(new float[] {4e-5f, 1.6e-4f}, s.arrays()[1], 1e-10f); // a few float ulps (ulp(1.6e-4) ≈ 1.5e-11)
        assertEquals(0, Optimizers.create(OptimizerSpec.defaults(OptimizerKind.SGD), ARCH).state().arrays().length);
        assertEquals(1, Optimizers.create(OptimizerSpec.defaults(OptimizerKind.NESTEROV), ARCH).state().arrays().length);
    }

    @Test
    void restoreCopiesSoTheStateObjectStaysPlainData() {
        Optimizer a = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.MOMENTUM), ARCH);
        train(a, start(), 0, 3);
        OptimizerState s = a.state();
        Optimizer b = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.MOMENTUM), ARCH);
        b.restore(s);
        float[] before = s.arrays()[0].clone();
        train(b, start(), 3, 5);
        assertArrayEquals(before, s.arrays()[0], "restore must not keep the caller's arrays");

        float[] raw = new float[ARCH.parameterCount()];
        OptimizerState fromRaw = new OptimizerState("MOMENTUM", 3, new float[][] {raw});
        raw[0] = 99f;
        assertEquals(0f, fromRaw.arrays()[0][0], "the record copies its arrays");
    }

    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"LBFGS", "AUTO"}, mode = EnumSource.Mode.EXCLUDE)
    void resetGivesAFreshOptimizer(OptimizerKind kind) {
        Optimizer used = Optimizers.create(busySpec(kind), ARCH);
        train(used, start(), 0, 4);
        assertEquals(4, used.stepsTaken());
        used.reset();
        assertEquals(0, used.stepsTaken());
        assertTrue(Double.isNaN(used.lastGradientNorm()));
        Optimizer fresh = Optimizers.create(busySpec(kind), ARCH);
        assertEquals(fresh.state(), used.state());
        assertArrayEquals(train(fresh, start(), 0, 3), train(used, start(), 0, 3));
    }

    @Test
    void restoreRejectsForeignState() {
        Optimizer adam = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.ADAM), ARCH);
        int n = ARCH.parameterCount();
        train(adam, start(), 0, 2);
        OptimizerState good = adam.state();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(new OptimizerState("ADAMW", 3, new float[][] {new float[n], new float[n]})));
        assertEquals("optimizer state is for ADAMW, this optimizer is ADAM", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(new OptimizerState("ADAM", 3, new float[][] {new float[n]})));
        assertEquals("optimizer state for ADAM needs 2 arrays, found 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(new OptimizerState("ADAM", 3, new float[][] {new float[n], new float[n + 1]})));
        assertEquals("optimizer state array 1 has 18 entries, expected 17 (parameter count of 2-3-2)", e.getMessage());
        assertEquals(good, adam.state(), "a rejected restore must leave the state alone");
    }

    @Test
    void stateRecordValidatesAndComparesContents() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OptimizerState("ADAM", -1, new float[0][]));
        assertEquals("optimizer state steps must be >= 0, found -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OptimizerState(" ", 0, new float[0][]));
        assertEquals("optimizer state kind must be a non-blank name, found ' '", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OptimizerState("SGD", 0, new float[][] {null}));
        assertEquals("optimizer state array 0 of 1 is null", e.getMessage());

        OptimizerState a = new OptimizerState("MOMENTUM", 2, new float[][] {{1f, 2f}});
        OptimizerState b = new OptimizerState("MOMENTUM", 2, new float[][] {{1f, 2f}});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new OptimizerState("MOMENTUM", 2, new float[][] {{1f, 2.0000002f}}));
        assertNotEquals(a, new OptimizerState("MOMENTUM", 3, new float[][] {{1f, 2f}}));
        assertEquals("OptimizerState[kind=MOMENTUM, steps=2, arrays=1 x [2]]", a.toString());
        assertFalse(a.equals(null));
    }
}
