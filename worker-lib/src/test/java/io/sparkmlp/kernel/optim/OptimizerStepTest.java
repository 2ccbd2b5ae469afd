package io.sparkmlp.kernel.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Ranges;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each rule's first steps against values worked out by hand (in double, shown in the comments) on
 * the 1-1 network, whose flat parameters are {@code [w, b]}: weight at index 0, bias at index 1.
 * Every test starts from w = 0.5, b = −0.25 and feeds the gradients g₁ = (0.2, −0.4),
 * g₂ = (−0.1, 0.3), g₃ = (0.05, 0).
 */
class OptimizerStepTest {

    static final Architecture ONE_ONE = Architecture.of(Activation.IDENTITY, OutputLoss.IDENTITY_MSE, 1, 1);
    static final Architecture TWO_THREE_TWO = Architecture.of(Activation.TANH, OutputLoss.IDENTITY_MSE, 2, 3, 2);

    /** Float32 state and parameters against double hand arithmetic: a few float ulps of 0.5. */
    static final double TOL = 2e-7;

    static final float[][] GRADS = {{0.2f, -0.4f}, {-0.1f, 0.3f}, {0.05f, 0f}};

    /** Runs {@code steps} steps from (0.5, −0.25) and returns the parameters after each. */
    static float[][] run(OptimizerSpec spec, double lr, int steps) {
        Optimizer opt = Optimizers.create(spec, ONE_ONE);
        float[] p = {0.5f, -0.25f};
        float[][] after = new float[steps][];
        for (int t = 0; t < steps; t++) {
            opt.step(p, GRADS[t].clone(), lr);
            after[t] = p.clone();
            assertEquals(t + 1, opt.stepsTaken());
        }
        return after;
    }

    static void assertParams(double w, double b, float[] actual, String what) {
        assertEquals(w, actual[0], TOL, what + ": weight");
        assertEquals(b, actual[1], TOL, what + ": bias");
    }

    @Test
    void sgd() {
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.SGD), 0.1, 3);
        // w: 0.5 − 0.1·0.2 = 0.48;      b: −0.25 − 0.1·(−0.4) = −0.21
        assertParams(0.48, -0.21, p[0], "step 1");
        // w: 0.48 − 0.1·(−0.1) = 0.49;  b: −0.21 − 0.1·0.3 = −0.24
        assertParams(0.49, -0.24, p[1], "step 2");
        // w: 0.49 − 0.1·0.05 = 0.485;   b unchanged (g = 0)
        assertParams(0.485, -0.24, p[2], "step 3");
    }

    @Test
    void momentum() {
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.MOMENTUM), 0.1, 3);
        // v = g₁ = (0.2, −0.4);  w = 0.5 − 0.02 = 0.48;  b = −0.25 + 0.04 = −0.21
        assertParams(0.48, -0.21, p[0], "step 1");
        // v = 0.9·(0.2, −0.4) + (−0.1, 0.3) = (0.08, −0.06);  w = 0.48 − 0.008 = 0.472;  b = −0.21 + 0.006 = −0.204
        assertParams(0.472, -0.204, p[1], "step 2");
        // v = 0.9·(0.08, −0.06) + (0.05, 0) = (0.122, −0.054);  w = 0.472 − 0.0122 = 0.4598;  b = −0.204 + 0.0054 = −0.1986
        assertParams(0.4598, -0.1986, p[2], "step 3");
    }

    @Test
    void nesterov() {
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.NESTEROV), 0.1, 3);
        // v = (0.2, −0.4); g + 0.9·v = (0.38, −0.76);  w = 0.5 − 0.038 = 0.462;  b = −0.25 + 0.076 = −0.174
        assertParams(0.462, -0.174, p[0], "step 1");
        // v = (0.08, −0.06); g + 0.9·v = (−0.028, 0.246);  w = 0.462 + 0.0028 = 0.4648;  b = −0.174 − 0.0246 = −0.1986
        assertParams(0.4648, -0.1986, p[1], "step 2");
        // v = (0.122, −0.054); g + 0.9·v = (0.1598, −0.0486);  w = 0.4648 − 0.01598 = 0.44882;  b = −0.1986 + 0.00486 = −0.19374
        assertParams(0.44882, -0.19374, p[2], "step 3");
    }

    @Test
    void adamWithBiasCorrection() {
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.ADAM), 0.01, 3);
        // t = 1: m = 0.1·g, v = 0.001·g²; m̂ = m/0.1 = g, v̂ = v/0.001 = g²;
        //   Δ = 0.01·g/(|g| + 1e-8):  w = 0.5 − 0.01·0.2/0.20000001 = 0.4900000005
        //                             b = −0.25 + 0.01·0.4/0.40000001 = −0.24000000025
        assertParams(0.4900000005, -0.24000000025, p[0], "step 1");
        // t = 2, bias corrections 1 − 0.9² = 0.19 and 1 − 0.999² = 0.001999.
        //   w: m = 0.9·0.02 + 0.1·(−0.1) = 0.008;   v = 0.999·4e-5 + 0.001·0.01 = 4.996e-5
        //      m̂ = 0.008/0.19 = 0.0421052632;  v̂ = 4.996e-5/0.001999 = 0.0249924962;  √v̂ = 0.158090152
        //      w = 0.4900000005 − 0.01·0.0421052632/0.158090152 = 0.4873366303
        //   b: m = 0.9·(−0.04) + 0.1·0.3 = −0.006;   v = 0.999·1.6e-4 + 0.001·0.09 = 2.4984e-4
        //      m̂ = −0.0315789474;  v̂ = 2.4984e-4/0.001999 = 0.124982491;  √v̂ = 0.353528628
        //      b = −0.24000000025 + 0.01·0.0315789474/0.353528628 = −0.2391067502
        assertParams(0.4873366303, -0.2391067502, p[1], "step 2");
        // t = 3, bias corrections 1 − 0.9³ = 0.271 and 1 − 0.999³ = 0.002997001.
        //   w: m = 0.9·0.008 + 0.1·0.05 = 0.0122;  v = 0.999·4.996e-5 + 0.001·0.0025 = 5.241004e-5
        //      m̂ = 0.0450184502;  v̂ = 0.0174874950;  √v̂ = 0.132240293;  w = 0.4873366303 − 0.0034042912 = 0.4839323390
        //   b: m = 0.9·(−0.006) = −0.0054;  v = 0.999·2.4984e-4 = 2.4959016e-4
        //      m̂ = −0.0199261993;  v̂ = 0.0832799722;  √v̂ = 0.2885827; b = −0.2391067502 + 0.0006904849 = −0.2384162653
        assertParams(0.4839323390, -0.2384162653, p[2], "step 3");
    }

    @Test
    void adamEpsilonIsAddedAfterTheSquareRoot() {
        // ε = 0.1 makes its place visible. t = 1: m̂ = g, v̂ = g², Δ = η·g/(|g| + ε):
        //   w = 0.5 − 0.01·0.2/(0.2 + 0.1) = 0.5 − 0.0066666667 = 0.4933333333
        //   b = −0.25 + 0.01·0.4/(0.4 + 0.1) = −0.25 + 0.008 = −0.242
        // (ε inside the root would give w = 0.5 − 0.01·0.2/√0.14 = 0.4946548)
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.ADAM).withEpsilon(0.1), 0.01, 1);
        assertParams(0.4933333333, -0.242, p[0], "step 1");
    }

    @Test
    void firstAdamStepMovesEachWeightByTheLearningRate() {
        // m̂ = g and v̂ = g² on step 1, so |Δw| = lr·|g|/(|g| + ε) = lr within ε/|g| ≤ 1e-6 here,
        // whatever the gradient's scale (from 0.01 to 100).
        double lr = 1e-3;
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.ADAM), TWO_THREE_TWO);
        SplittableRandom rnd = new SplittableRandom(7);
        int n = TWO_THREE_TWO.parameterCount();
        float[] p = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (rnd.nextDouble() - 0.5);
            double mag = Math.pow(10, rnd.nextDouble(-2, 2));
            g[i] = (float) (rnd.nextBoolean() ? mag : -mag);
        }
        float[] before = p.clone();
        float[] grad = g.clone();
        opt.step(p, grad, lr);
        for (int i = 0; i < n; i++) {
            double expected = before[i] - lr * Math.signum(g[i]);
            assertEquals(expected, p[i], 1e-7, "entry " + i + " with g = " + g[i]);
        }
    }

    @Test
    void adamL2AndAdamWDecoupledDecayDiffer() {
        double lr = 0.01, wd = 0.1;
        float[][] adam = run(OptimizerSpec.defaults(OptimizerKind.ADAM).withWeightDecay(wd), lr, 2);
        float[][] adamw = run(OptimizerSpec.defaults(OptimizerKind.ADAMW).withWeightDecay(wd), lr, 2);

        // Adam + L2, t = 1: g_w = 0.2 + 0.1·0.5 = 0.25, still normalised to a step of lr:
        //   w = 0.5 − 0.01·0.25/0.25000001 = 0.4900000004 — the decay is invisible on the first step.
        // AdamW, t = 1: w = 0.5·(1 − 0.01·0.1) − 0.01·0.2/0.20000001 = 0.4995 − 0.0099999995 = 0.4895000005.
        // Bias b: never decayed, same as plain Adam: −0.24000000025.
        assertParams(0.4900000004, -0.24000000025, adam[0], "adam+L2 step 1");
        assertParams(0.4895000005, -0.24000000025, adamw[0], "adamw step 1");

        // Adam + L2, t = 2: g_w = −0.1 + 0.1·0.4900000004 = −0.051;
        //   m = 0.9·0.025 + 0.1·(−0.051) = 0.0174;  v = 0.999·6.25e-5 + 0.001·0.002601 = 6.503850e-5
        //   m̂ = 0.0174/0.19 = 0.0915789474;  v̂ = 6.50385e-5/0.001999 = 0.0325355178;  √v̂ = 0.180375990
        //   w = 0.4900000004 − 0.01·0.0915789474/0.180375990 = 0.4849228882
        // AdamW, t = 2: m, v see g only (as plain Adam: Δ = 0.0026633702);
        //   w = 0.4895000005·(1 − 0.001) − 0.0026633702 = 0.4890105005 − 0.0026633702 = 0.4863471303
        assertParams(0.4849228882, -0.2391067502, adam[1], "adam+L2 step 2");
        assertParams(0.4863471303, -0.2391067502, adamw[1], "adamw step 2");
    }

    @Test
    void sgdWeightDecayIsL2OnTheGradient() {
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.SGD).withWeightDecay(0.1), 0.1, 2);
        // w: g = 0.2 + 0.1·0.5 = 0.25 → 0.5 − 0.025 = 0.475;  b: no decay → −0.21
        assertParams(0.475, -0.21, p[0], "step 1");
        // w: g = −0.1 + 0.1·0.475 = −0.0525 → 0.475 + 0.00525 = 0.48025;  b: −0.24
        assertParams(0.48025, -0.24, p[1], "step 2");
    }

    @Test
    void momentumWeightDecayEntersTheVelocity() {
        float[][] p = run(OptimizerSpec.defaults(OptimizerKind.MOMENTUM).withWeightDecay(0.1), 0.1, 2);
        // t = 1: g_w = 0.25, v_w = 0.25, w = 0.475;  b as without decay: −0.21
        assertParams(0.475, -0.21, p[0], "step 1");
        // t = 2: g_w = −0.1 + 0.0475 = −0.0525;  v_w = 0.225 − 0.0525 = 0.1725;  w = 0.475 − 0.01725 = 0.45775;  b = −0.204
        assertParams(0.45775, -0.204, p[1], "step 2");
    }

    /** With a zero gradient only weight decay moves anything: every weight shrinks, no bias moves. */
    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"LBFGS", "AUTO"}, mode = EnumSource.Mode.EXCLUDE)
    void weightDecayNeverTouchesBiases(OptimizerKind kind) {
        Architecture arch = TWO_THREE_TWO;
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(kind).withWeightDecay(0.1), arch);
        int n = arch.parameterCount();
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (i % 2 == 0 ? 1 : -1) * (0.25f + i / 64f);
        float[] before = p.clone();
        for (int t = 0; t < 3; t++) opt.step(p, new float[n], 0.01);

        boolean[] isBias = new boolean[n];
        for (int l = 0; l < arch.numLayers(); l++) {
            for (int j = 0; j < arch.layerOutputs(l); j++) isBias[arch.biasOffset(l) + j] = true;
        }
        int biases = 0;
        for (int i = 0; i < n; i++) {
            if (isBias[i]) {
                biases++;
                assertEquals(Float.floatToIntBits(before[i]), Float.floatToIntBits(p[i]), kind + ": bias at " + i + " moved");
            } else {
                assertTrue(Math.abs(p[i]) < Math.abs(before[i]) && Math.signum(p[i]) == Math.signum(before[i]),
                        kind + ": weight at " + i + " should shrink towards 0: " + before[i] + " -> " + p[i]);
            }
        }
        assertEquals(3 + 2, biases);
    }

    @Test
    void sgdWeightDecayScalesEachWeightExactly() {
        // g = 0: w ← w − η·λ·w = 0.99·w for η = 0.1, λ = 0.1 — in every layer's weight block.
        Architecture arch = TWO_THREE_TWO;
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.SGD).withWeightDecay(0.1), arch);
        int n = arch.parameterCount();
        float[] p = new float[n];
        Arrays.fill(p, 2f);
        opt.step(p, new float[n], 0.1);
        for (int l = 0; l < arch.numLayers(); l++) {
            for (int i = arch.weightOffset(l); i < arch.biasOffset(l); i++) assertEquals(1.98f, p[i], 1e-6f, "weight " + i);
            for (int j = 0; j < arch.layerOutputs(l); j++) assertEquals(2f, p[arch.biasOffset(l) + j], "bias " + j + " of layer " + l);
        }
    }

    @Test
    void clippingComesBeforeWeightDecay() {
        // g = (3, 4), ‖g‖ = 5 > c = 1 → (0.6, 0.8); then L2 adds 0.1·w = 0.1 to the weight only:
        //   w = 1 − 1·0.7 = 0.3, b = 0 − 1·0.8 = −0.8. (Decay before clipping would give w = 0.387 …)
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.SGD).withClipNorm(1).withWeightDecay(0.1), ONE_ONE);
        float[] p = {1f, 0f};
        opt.step(p, new float[] {3f, 4f}, 1.0);
        assertEquals(0.3, p[0], TOL);
        assertEquals(-0.8, p[1], TOL);
        assertEquals(5.0, opt.lastGradientNorm(), 0.0);
    }

    @Test
    void clippingOffLeavesLargeGradients() {
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.SGD), ONE_ONE);
        float[] p = {0f, 0f};
        opt.step(p, new float[] {30f, 40f}, 0.1);
        assertArrayEquals(new float[] {-3f, -4f}, p, 1e-6f);
        assertEquals(50.0, opt.lastGradientNorm(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"LBFGS", "AUTO"}, mode = EnumSource.Mode.EXCLUDE)
    void sameInputsGiveSameBits(OptimizerKind kind) {
        OptimizerSpec spec = OptimizerSpec.defaults(kind).withWeightDecay(0.01).withClipNorm(0.5);
        float[] a = OptimizerStateTest.train(Optimizers.create(spec, TWO_THREE_TWO), OptimizerStateTest.start(), 0, 6);
        float[] b = OptimizerStateTest.train(Optimizers.create(spec, TWO_THREE_TWO), OptimizerStateTest.start(), 0, 6);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(OptimizerStateTest.start()), Arrays.toString(a), "training must move the parameters");
    }

    @Test
    void rejectsBadArgumentsWithoutModifyingAnything() {
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.MOMENTUM), ONE_ONE);
        float[] p = {1f, 2f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.step(p, new float[3], 0.1));
        assertEquals("grad has 3 entries, expected 2 (parameter count of 1-1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(new float[1], new float[2], 0.1));
        assertEquals("params has 1 entries, expected 2 (parameter count of 1-1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(p, new float[] {1f, 1f}, -0.5));
        assertEquals("learning rate must be a finite number >= 0, found -0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(p, new float[] {1f, 1f}, Double.NaN));
        assertEquals("learning rate must be a finite number >= 0, found NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.step(p, p, 0.1));
        assertEquals("params and grad must be different arrays, found the same array", e.getMessage());
        assertArrayEquals(new float[] {1f, 2f}, p);
        assertEquals(0, opt.stepsTaken());
        assertTrue(Double.isNaN(opt.lastGradientNorm()));
    }

    @Test
    void factoryMatchesKindAndRejectsNulls() {
        for (OptimizerKind k : OptimizerKind.values()) {
            if (k == OptimizerKind.LBFGS || k == OptimizerKind.AUTO) continue;
            Optimizer opt = Optimizers.create(OptimizerSpec.defaults(k), ONE_ONE);
            assertEquals(k, opt.spec().kind());
            assertEquals(k.name(), opt.state().kind());
            assertEquals(0, opt.stepsTaken());
        }
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create(null, ONE_ONE));
        assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create(OptimizerSpec.defaults(OptimizerKind.SGD), null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create(OptimizerSpec.defaults(OptimizerKind.LBFGS), ONE_ONE));
        assertTrue(e.getMessage().startsWith("optimizer kind lbfgs is a full-batch solver"), e.getMessage());
        IllegalArgumentException auto = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create(OptimizerSpec.defaults(OptimizerKind.AUTO), ONE_ONE));
        assertTrue(auto.getMessage().startsWith("optimizer kind auto is resolved by the training loop"), auto.getMessage());
    }

    /**
     * The training loop hands over the norm it computed with the layer norms it logs; that gives the
     * same bits as the three-argument step, which computes it the same way, and clipping uses it.
     */
    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"SGD", "MOMENTUM", "NESTEROV", "ADAM", "ADAMW"})
    void givenNormGivesTheSameBitsAsComputingIt(OptimizerKind kind) {
        OptimizerSpec spec = OptimizerSpec.defaults(kind).withClipNorm(0.5).withWeightDecay(0.01);
        Optimizer computing = Optimizers.create(spec, TWO_THREE_TWO);
        Optimizer given = Optimizers.create(spec, TWO_THREE_TWO);
        SplittableRandom rnd = new SplittableRandom(3);
        int n = TWO_THREE_TWO.parameterCount();
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        float[] b = a.clone();
        double[] layers = new double[TWO_THREE_TWO.numLayers()];
        for (int t = 0; t < 5; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) rnd.nextDouble(-1, 1);
            computing.step(a, g.clone(), 0.1);
            given.step(b, g, 0.1, io.sparkmlp.kernel.Reductions.layerNorms(TWO_THREE_TWO, g, layers));
            assertEquals(computing.lastGradientNorm(), given.lastGradientNorm(), 0.0, kind + " step " + t);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), kind + " step " + t + " entry " + i);
            }
        }
        float[] p = {0.5f, -0.25f};
        float[] g = {3f, 4f};   // ‖g‖ = 5; told 10, clipping to 1 scales by 0.1, not 0.2
        Optimizer sgd = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.SGD).withClipNorm(1), ONE_ONE);
        sgd.step(p, g, 1.0, 10);
        assertEquals(10, sgd.lastGradientNorm(), 0.0);
        assertEquals(0.5 - 0.3, p[0], TOL);
        assertEquals(-0.25 - 0.4, p[1], TOL);
    }

    /**
     * A step whose element-wise passes are cut into uneven parts that run in a shuffled order (as parts run by other
     * threads may) gives the serial step's bits, with weight decay of either kind, over a network whose layer
     * boundaries fall inside parts.
     */
    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"SGD", "MOMENTUM", "NESTEROV", "ADAM", "ADAMW"})
    void partsInAnyOrderGiveTheSerialBits(OptimizerKind kind) {
        Architecture arch = Architecture.of(Activation.TANH, OutputLoss.IDENTITY_MSE, 7, 5, 3);
        OptimizerSpec spec = OptimizerSpec.defaults(kind).withWeightDecay(0.05);
        Optimizer serial = Optimizers.create(spec, arch);
        Optimizer cut = Optimizers.create(spec, arch);
        SplittableRandom rnd = new SplittableRandom(11);
        int n = arch.parameterCount();
        int[] parts = new int[n + 1];
        Ranges shuffled = (size, body) -> {
            int k = 0;
            parts[k++] = 0;
            for (int at = 1 + rnd.nextInt(4); at < size; at += 1 + rnd.nextInt(9)) parts[k++] = at;
            parts[k++] = size;
            int[] order = new int[k - 1];
            for (int j = 0; j < order.length; j++) order[j] = j;
            for (int j = order.length - 1; j > 0; j--) {
                int r = rnd.nextInt(j + 1);
                int t = order[j];
                order[j] = order[r];
                order[r] = t;
            }
            for (int j : order) body.run(parts[j], parts[j + 1]);
        };
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        float[] b = a.clone();
        for (int t = 0; t < 6; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) rnd.nextDouble(-1, 1);
            serial.step(a, g.clone(), 0.1, 1.0);
            cut.step(b, g, 0.1, 1.0, shuffled);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), kind + " step " + t + " entry " + i);
            }
        }
        assertArrayEquals(serial.state().arrays(), cut.state().arrays(), kind + ": the state");
    }
}
