package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.eval.EvalMetrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.kernel.io.FramedFile;
import io.sparkmlp.kernel.io.ModelCodec;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.optim.Lbfgs;
import io.sparkmlp.kernel.optim.LbfgsSpec;
import io.sparkmlp.kernel.optim.LbfgsState;
import io.sparkmlp.kernel.optim.OptimizerState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

    static final int[] SIZES = {3, 4, 2};
    static final int PARAMS = 4 * 4 + 2 * 5;

    /** A checkpoint with awkward values everywhere: NaN payloads, −0, subnormals, ±∞ counters, quotes and commas. */
    static Checkpoint sample(long step, boolean withBest) {
        Random r = new Random(step);
        float[] w = new float[PARAMS];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        w[0] = -0.0f;
        w[1] = Float.MIN_VALUE;
        w[2] = Float.intBitsToFloat(0x7fc01234);   // a NaN with a payload
        w[3] = Float.NEGATIVE_INFINITY;
        float[] m = new float[PARAMS];
        float[] v = new float[PARAMS];
        for (int i = 0; i < PARAMS; i++) {
            m[i] = (float) r.nextGaussian() * 1e-3f;
            v[i] = Math.abs((float) r.nextGaussian()) * 1e-7f;
        }
        float[] best = withBest ? w.clone() : null;
        if (best != null) best[5] = 42f;
        EvalMetrics val = new EvalMetrics(12.345678901234567, 40, 31, 0.1 + 0.2, new long[] {10, 2, 3, 25});
        Checkpoint.Loop loop = new Checkpoint.Loop(step * 64, 1.0 / 3.0, 128, Double.NaN, Double.POSITIVE_INFINITY,
                0, 3, best, val, 12.5e-3, List.of("10,0.5,0.69,,,0.001,1.5,1000.0,0.010", "\"quoted\",ünïcødé 🌸"));
        return new Checkpoint(step, 400, Map.of("train.learningRate", "0.01", "model.hidden", "4"),
                Map.of("data.format", "synthetic", "data.train", "a path, with comma"), new long[] {501, 499}, SIZES, w,
                new OptimizerState("ADAM", step, new float[][] {m, v}), null, loop);
    }

    static void assertSameBits(float[] expected, float[] actual) {
        if (expected == null || actual == null) {
            assertEquals(expected == null, actual == null);
            return;
        }
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "index " + i);
        }
    }

    static void assertSameCheckpoint(Checkpoint a, Checkpoint b) {
        assertEquals(a.step(), b.step());
        assertEquals(a.totalSteps(), b.totalSteps());
        assertEquals(a.config(), b.config());
        assertEquals(a.settings(), b.settings());
        assertArrayEquals(a.partitionRows(), b.partitionRows());
        assertArrayEquals(a.sizes(), b.sizes());
        assertSameBits(a.weights(), b.weights());
        assertEquals(a.optimizer().kind(), b.optimizer().kind());
        assertEquals(a.optimizer().steps(), b.optimizer().steps());
        assertEquals(a.optimizer().arrays().length, b.optimizer().arrays().length);
        for (int i = 0; i < a.optimizer().arrays().length; i++) {
            assertSameBits(a.optimizer().arrays()[i], b.optimizer().arrays()[i]);
        }
        assertEquals(a.lbfgs(), b.lbfgs(), "L-BFGS state, bit for bit");
        Checkpoint.Loop x = a.loop();
        Checkpoint.Loop y = b.loop();
        assertEquals(x.samples(), y.samples());
        assertEquals(Double.doubleToRawLongBits(x.runningLoss()), Double.doubleToRawLongBits(y.runningLoss()));
        assertEquals(x.runningCount(), y.runningCount());
        assertEquals(Double.doubleToLongBits(x.lastGradNorm()), Double.doubleToLongBits(y.lastGradNorm()));
        assertEquals(Double.doubleToRawLongBits(x.bestValidationLoss()), Double.doubleToRawLongBits(y.bestValidationLoss()));
        assertEquals(x.bestStep(), y.bestStep());
        assertEquals(x.evaluationsWithoutImprovement(), y.evaluationsWithoutImprovement());
        assertSameBits(x.best(), y.best());
        assertEquals(Double.doubleToRawLongBits(x.elapsedSeconds()), Double.doubleToRawLongBits(y.elapsedSeconds()));
        assertEquals(x.metricsRows(), y.metricsRows());
        if (x.lastValidation() == null) {
            assertNull(y.lastValidation());
        } else {
            assertEquals(Double.doubleToRawLongBits(x.lastValidation().lossSum()),
                    Double.doubleToRawLongBits(y.lastValidation().lossSum()));
            assertEquals(x.lastValidation().count(), y.lastValidation().count());
            assertEquals(x.lastValidation().correct(), y.lastValidation().correct());
            assertEquals(Double.doubleToRawLongBits(x.lastValidation().squaredErrorSum()),
                    Double.doubleToRawLongBits(y.lastValidation().squaredErrorSum()));
            assertArrayEquals(x.lastValidation().confusion(), y.lastValidation().confusion());
        }
    }

    @Test
    void roundTripIsBitExact() {
        for (boolean withBest : new boolean[] {true, false}) {
            Checkpoint c = sample(300, withBest);
            byte[] bytes = CheckpointCodec.encode(c);
            Checkpoint back = CheckpointCodec.decode(bytes, "ckpt");
            assertSameCheckpoint(c, back);
            assertArrayEquals(bytes, CheckpointCodec.encode(back), "re-encoding gives the same bytes");
        }
    }

    @Test
    void regressionValidationAndNoValidationSurvive() {
        Checkpoint c = sample(7, false);
        Checkpoint.Loop l = c.loop();
        for (EvalMetrics v : new EvalMetrics[] {null, new EvalMetrics(1.5, 10, 0, 2.25, null)}) {
            Checkpoint d = new Checkpoint(c.step(), c.totalSteps(), c.config(), c.settings(), c.partitionRows(), c.sizes(),
                    c.weights(), c.optimizer(), null, new Checkpoint.Loop(l.samples(), l.runningLoss(), l.runningCount(),
                    1.25, 0.5, 5, 0, null, v, l.elapsedSeconds(), List.of()));
            assertSameCheckpoint(d, CheckpointCodec.decode(CheckpointCodec.encode(d), "ckpt"));
        }
    }

    /**
     * A checkpoint of an L-BFGS run taken mid line search, with a full history: the solver minimises the
     * weight-decayed quadratic {@code Σ c_i·(x_i − 1)²} on {@link #SIZES}' parameters until it holds two pairs and
     * is between two trials.
     */
    static Checkpoint lbfgsSample() {
        Checkpoint c = sample(9, true);
        Lbfgs solver = Lbfgs.forNetwork(LbfgsSpec.defaults().withHistorySize(2).withWeightDecay(1e-3),
                Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, SIZES), new float[PARAMS]);
        float[] grad = new float[PARAMS];
        while (solver.iterations() < 3 || solver.state().searchEvaluations() == 0) {
            float[] x = solver.nextPoint();
            double loss = 0;
            for (int i = 0; i < PARAMS; i++) {
                double ci = 1 + i % 7;
                loss += ci * (x[i] - 1) * (x[i] - 1);
                grad[i] = (float) (2 * ci * (x[i] - 1));
            }
            solver.tell(loss, grad);
        }
        LbfgsState state = solver.state();
        assertEquals(2, state.steps().length);
        return new Checkpoint(c.step(), c.totalSteps(), c.config(), c.settings(), c.partitionRows(), SIZES,
                state.point(), new OptimizerState("LBFGS", state.iterations(), new float[0][]), state, c.loop());
    }

    @Test
    void lbfgsStateRoundTripsBitExact() {
        Checkpoint c = lbfgsSample();
        byte[] bytes = CheckpointCodec.encode(c);
        Checkpoint back = CheckpointCodec.decode(bytes, "ckpt");
        assertSameCheckpoint(c, back);
        assertArrayEquals(bytes, CheckpointCodec.encode(back), "re-encoding gives the same bytes");
    }

    @Test
    void aMissingLbfgsTensorIsReportedAsDamage() {
        Checkpoint c = lbfgsSample();
        assertDamaged(withHeader(c, h -> ((ObjectNode) h.get("lbfgs")).put("pairs", 3)),
                "tensor 'lbfgs.s.2' missing (the header has an lbfgs state)");
        assertDamaged(withHeader(c, h -> ((ObjectNode) h.get("lbfgs")).put("pairs", 1)),
                "unexpected tensor(s) [lbfgs.s.1, lbfgs.y.1]; expected weights, optimizer.0..-1, best and the lbfgs"
                        + " header's 4 lbfgs.* tensors");
    }

    @Test
    void sgdStateWithoutArraysRoundTrips() {
        Checkpoint c = sample(1, false);
        Checkpoint d = new Checkpoint(1, 2, Map.of(), Map.of(), new long[] {1}, SIZES, c.weights(),
                new OptimizerState("SGD", 1, new float[0][]), null, c.loop());
        assertSameCheckpoint(d, CheckpointCodec.decode(CheckpointCodec.encode(d), "ckpt"));
    }

    @Test
    void aCheckpointWrittenBeforeAKeyRenameIsReadWithTheNewName() {
        Checkpoint c = sample(5, false);
        Checkpoint old = new Checkpoint(5, 400, Map.of("train.stepSize", "500", "train.gamma", "0.1"),
                Map.of("train.stepSize", "500"), c.partitionRows(), SIZES, c.weights(), c.optimizer(), null, c.loop());
        Checkpoint read = CheckpointCodec.decode(CheckpointCodec.encode(old), "old.ckpt");
        assertEquals(Map.of("train.decaySteps", "500", "train.gamma", "0.1"), read.config());
        assertEquals(Map.of("train.decaySteps", "500"), read.settings());
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] bytes = CheckpointCodec.encode(sample(300, true));
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointCodec.decode(part, "f.ckpt"));
            assertTrue(e.damaged(), e::getMessage);
            assertTrue(e.getMessage().startsWith("f.ckpt: "), e::getMessage);
            String expected = cut == 0 ? "not a sparkmlp checkpoint" : "truncated: file is " + cut + " bytes";
            assertTrue(e.getMessage().contains(expected), () -> "cut " + part.length + ": " + e.getMessage());
        }
    }

    @Test
    void aFlippedBitAnywhereIsDetected() {
        byte[] bytes = CheckpointCodec.encode(sample(300, true));
        for (int i = 16; i < bytes.length; i += 7) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointCodec.decode(bad, "f.ckpt"));
            assertTrue(e.damaged());
            assertTrue(e.getMessage().contains("checksum mismatch") || e.getMessage().contains("truncated")
                    || e.getMessage().contains("trailing bytes"), e::getMessage);
        }
    }

    @Test
    void aModelFileIsNotACheckpoint() {
        byte[] model = ModelCodec.encode(new io.sparkmlp.kernel.io.Model(io.sparkmlp.kernel.Parameters.initialize(
                io.sparkmlp.kernel.Architecture.of(io.sparkmlp.kernel.Activation.RELU,
                        io.sparkmlp.kernel.OutputLoss.SOFTMAX_CROSS_ENTROPY, 3, 4, 2), 1),
                List.of("a", "b"), null, null, null, List.of(), Map.of()));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointCodec.decode(model, "m"));
        assertEquals("m: not a sparkmlp checkpoint: first bytes are 53 50 4D 4C 50 4D 44 4C (\"SPMLPMDL\"),"
                + " expected \"SPMLPCKP\"", e.getMessage());
    }

    /** A header edited by hand (with a valid CRC): the config no longer matches its fingerprint. */
    @Test
    void aConfigThatDisagreesWithItsFingerprintIsDetected() throws Exception {
        byte[] bytes = CheckpointCodec.encode(sample(300, false));
        FramedFile.Frame f = FramedFile.decode(bytes, CheckpointCodec.MAGIC, CheckpointCodec.FORMAT_VERSION, "x", "x");
        ObjectNode header = f.header().deepCopy();
        ((ObjectNode) header.get("config")).put("train.learningRate", "0.02");
        byte[] data = new byte[(int) f.dataBytes()];
        ByteBuffer src = f.buffer().duplicate();
        src.position((int) f.dataStart());
        src.get(data);
        byte[] edited = FramedFile.encode(CheckpointCodec.MAGIC, CheckpointCodec.FORMAT_VERSION, header, data.length,
                b -> b.put(data), "edited");
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointCodec.decode(edited, "e.ckpt"));
        assertTrue(e.getMessage().startsWith("e.ckpt: header config_sha256 is "), e::getMessage);
    }

    /** The checkpoint re-encoded after {@code edit} of its header (data and CRC kept valid). */
    static byte[] withHeader(Checkpoint c, java.util.function.Consumer<ObjectNode> edit) {
        FramedFile.Frame f = FramedFile.decode(CheckpointCodec.encode(c), CheckpointCodec.MAGIC, CheckpointCodec.FORMAT_VERSION,
                "x", "x");
        ObjectNode header = f.header().deepCopy();
        edit.accept(header);
        byte[] data = new byte[(int) f.dataBytes()];
        ByteBuffer src = f.buffer().duplicate();
        src.position((int) f.dataStart());
        src.get(data);
        return FramedFile.encode(CheckpointCodec.MAGIC, CheckpointCodec.FORMAT_VERSION, header, data.length,
                b -> b.put(data), "edited");
    }

    static void assertDamaged(byte[] bytes, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointCodec.decode(bytes, "e.ckpt"));
        assertTrue(e.damaged());
        assertEquals("e.ckpt: " + expected, e.getMessage());
    }

    private static ObjectNode tensor(ObjectNode header, int i) {
        return (ObjectNode) header.get("tensors").get(i);
    }

    /** Tensors: weights, optimizer.0 (m), optimizer.1 (v), best; each of the parameter count. */
    @Test
    void tensorTableProblemsNameTheTensor() {
        Checkpoint c = sample(300, true);
        assertDamaged(withHeader(c, h -> tensor(h, 1).put("name", "momentum")), "unexpected tensor 'momentum'"
                + " (header tensors[1]); expected weights, optimizer.0, optimizer.1, ... (the optimizer's state arrays), best"
                + " and lbfgs.point, lbfgs.gradient, lbfgs.s.0, lbfgs.y.0, ... (the L-BFGS state)");
        assertDamaged(withHeader(c, h -> tensor(h, 0).putArray("shape").add(PARAMS - 1)),
                "tensor 'weights' has shape [25], expected [26] (the parameter count)");
        assertDamaged(withHeader(c, h -> tensor(h, 2).put("name", "optimizer.3")),
                "unexpected tensor(s) [optimizer.3]; expected weights, optimizer.0..0 and best");
        assertDamaged(withHeader(c, h -> tensor(h, 0).put("name", "optimizer.2")), "tensor 'weights' missing");
        assertDamaged(withHeader(c, h -> tensor(h, 3).put("dtype", "float16")),
                "tensor 'best' has dtype 'float16', expected 'float32'");
        assertDamaged(withHeader(c, h -> ((ArrayNode) h.get("sizes")).set(0, 4)),
                "tensor 'weights' has shape [26], expected [30] (the parameter count)");
    }

    @Test
    void fingerprintDependsOnEveryEntryNotOnOrder() {
        String a = CheckpointCodec.fingerprint(Map.of("a", "1", "b", "2"));
        assertEquals(a, CheckpointCodec.fingerprint(new java.util.TreeMap<>(Map.of("b", "2", "a", "1"))));
        assertTrue(!a.equals(CheckpointCodec.fingerprint(Map.of("a", "1", "b", "3"))));
        assertEquals(64, a.length());
    }

    @Test
    void wrongLengthsAreRefusedWhenBuilding() {
        Checkpoint c = sample(1, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(1, 2, Map.of(),
                Map.of(), new long[] {1}, new int[] {3, 5, 2}, c.weights(), c.optimizer(), null, c.loop()));
        assertTrue(e.getMessage().contains("26 values, the network [3, 5, 2] has 32 parameters"), e::getMessage);
    }
}
