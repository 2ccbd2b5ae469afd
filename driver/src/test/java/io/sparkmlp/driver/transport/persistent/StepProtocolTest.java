package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Hello;
import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every frame of the step protocol, written by {@link StepProtocol.Writer} and read back by
 * {@link StepProtocol.Reader}: what is read equals what was written, and frames of the wrong
 * length, type, secret, partition or step are refused.
 */
class StepProtocolTest {

    private static final int PARAMETERS = 5;
    private final byte[] secret = new byte[StepProtocol.SECRET_BYTES];
    private final byte[] nonce = new byte[StepProtocol.NONCE_BYTES];
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final StepProtocol.Writer writer = new StepProtocol.Writer(wire);

    StepProtocolTest() {
        Random r = new Random(3);
        r.nextBytes(secret);
        r.nextBytes(nonce);
    }

    /** A reader of what the writer wrote so far. */
    private StepProtocol.Reader reader() {
        return new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(wire.toByteArray())));
    }

    /** A reader of {@code bytes} of what the writer wrote so far. */
    private StepProtocol.Reader truncated(int bytes) {
        return new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(Arrays.copyOf(wire.toByteArray(), bytes))));
    }

    @Test
    void challengeRoundTrip() throws IOException {
        writer.challenge(nonce);
        assertEquals(4 + StepProtocol.CHALLENGE_BODY, wire.size());
        assertArrayEquals(nonce, reader().challenge());
    }

    @Test
    void helloRoundTripWithBothFlags() throws IOException {
        Hello frames = new Hello(1, 3, 2, StepProtocol.ENCRYPTED);
        Hello inProcess = new Hello(0, 3, 0, StepProtocol.IN_PROCESS);
        writer.hello(frames, secret, nonce);
        writer.hello(inProcess, secret, nonce);
        assertEquals(2 * (4 + StepProtocol.HELLO_BODY), wire.size());
        StepProtocol.Reader r = reader();
        Hello a = r.hello(secret, nonce, 2, "test");
        Hello b = r.hello(secret, nonce, 2, "test");
        assertEquals(frames, a);
        assertFalse(a.inProcess());
        assertTrue(a.encrypted());
        assertEquals(inProcess, b);
        assertTrue(b.inProcess());
        assertFalse(b.encrypted());
    }

    @Test
    void aHelloWithAnotherSecretOrNonceIsRefused() throws IOException {
        writer.hello(new Hello(0, 1, 0, 0), secret, nonce);
        byte[] wrong = secret.clone();
        wrong[0] ^= 1;
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader().hello(wrong, nonce, 2, "peer"));
        assertEquals("hello from peer: wrong secret", e.getMessage());
        byte[] otherNonce = nonce.clone();
        otherNonce[31] ^= 1;
        e = assertThrows(ProtocolException.class, () -> reader().hello(secret, otherNonce, 2, "peer"));
        assertEquals("hello from peer: wrong secret", e.getMessage());
    }

    @Test
    void theTreePortTravelsUnderTheMac() throws IOException {
        writer.hello(new Hello(1, 1, 0, 0, 40123), secret, nonce);
        assertEquals(40123, reader().hello(secret, nonce, 2, "peer").treePort());
        byte[] bytes = wire.toByteArray();
        bytes[4 + 1 + 6 * 4] ^= 1; // another port: the MAC no longer matches
        StepProtocol.Reader r = new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertTrue(assertThrows(ProtocolException.class, () -> r.hello(secret, nonce, 2, "peer")).getMessage().contains("wrong secret"));
    }

    @Test
    void treeFramesRoundTripAndStopMayComeInstead() throws IOException {
        StepProtocol.Place toDriver = new StepProtocol.Place(13, 8, null, 0);
        StepProtocol.Place toParent = new StepProtocol.Place(13, 8, java.net.InetAddress.getByName("10.1.2.3"), 40123);
        StepProtocol.Place v6 = new StepProtocol.Place(3, 1, java.net.InetAddress.getByName("::1"), 7);
        writer.tree(toDriver);
        writer.tree(toParent);
        writer.tree(v6);
        writer.stop();
        assertEquals(3 * (4 + StepProtocol.TREE_BODY) + 4 + StepProtocol.STOP_BODY, wire.size());
        StepProtocol.Reader r = reader();
        assertEquals(toDriver, r.tree());
        assertEquals(toParent, r.tree());
        assertEquals(v6, r.tree());
        assertNull(r.tree(), "STOP");
    }

    @Test
    void aTreeFrameOfAnImpossibleShapeIsRefused() throws IOException {
        writer.tree(new StepProtocol.Place(13, 8, null, 0));
        byte[] bytes = wire.toByteArray();
        bytes[4 + 1 + 4] = 3; // block size 3
        StepProtocol.Reader r = new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertEquals("tree frame: 13 partitions, block size 3, parent port 0, address of 0 bytes",
                assertThrows(ProtocolException.class, r::tree).getMessage());
        writer.stop();
        writer.challenge(nonce);
        StepProtocol.Reader r2 = reader();
        r2.tree();
        r2.tree();
        assertEquals("tree frame: frame of " + StepProtocol.CHALLENGE_BODY + " bytes, expected " + StepProtocol.TREE_BODY + " or "
                + StepProtocol.STOP_BODY, assertThrows(ProtocolException.class, r2::tree).getMessage());
    }

    @Test
    void aHelloWhoseFlagsWereChangedOnTheWayIsRefused() throws IOException {
        writer.hello(new Hello(0, 1, 0, 0), secret, nonce);
        byte[] bytes = wire.toByteArray();
        bytes[4 + 1 + 5 * 4] ^= StepProtocol.IN_PROCESS; // the flags field, outside the MAC's reach
        StepProtocol.Reader r = new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(bytes)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.hello(secret, nonce, 2, "peer"));
        assertTrue(e.getMessage().contains("wrong secret"), e.getMessage());
    }

    @Test
    void aHelloOfAPartitionOutOfRangeIsRefused() throws IOException {
        writer.hello(new Hello(2, 1, 0, 0), secret, nonce);
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader().hello(secret, nonce, 2, "peer"));
        assertEquals("hello from peer: partition 2, expected 0..1", e.getMessage());
    }

    @Test
    void aTruncatedHelloEndsTheReadAndAnOversizedOneIsRefusedOnItsLength() throws IOException {
        writer.hello(new Hello(0, 1, 0, 0), secret, nonce);
        EOFException cut = assertThrows(EOFException.class, () -> truncated(4 + 20).hello(secret, nonce, 2, "peer"));
        assertEquals("hello from peer: connection closed within a frame of " + StepProtocol.HELLO_BODY + " bytes", cut.getMessage());
        EOFException none = assertThrows(EOFException.class, () -> truncated(0).hello(secret, nonce, 2, "peer"));
        assertEquals("connection closed before the hello from peer", none.getMessage());
        byte[] huge = {0, 0, 0, 0x40}; // claims a 1 GiB frame: refused on the length alone, nothing allocated
        StepProtocol.Reader r = new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(huge)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.hello(secret, nonce, 2, "peer"));
        assertEquals("hello from peer: frame of 1073741824 bytes, expected " + StepProtocol.HELLO_BODY, e.getMessage());
    }

    @Test
    void stepEvalAndStopRoundTrip() throws IOException {
        float[] w = {1.5f, -2f, Float.MIN_VALUE, Float.NaN, 3e38f};
        writer.request(new Request(7, w, false));
        writer.request(new Request(8, w, true));
        writer.stop();
        assertEquals(2 * (4 + StepProtocol.stepBody(PARAMETERS)) + 4 + StepProtocol.STOP_BODY, wire.size());
        StepProtocol.Reader r = reader();
        float[] into = new float[PARAMETERS];
        Request step = r.request(into);
        assertEquals(7, step.step());
        assertFalse(step.evaluate());
        assertTrue(step.weights() == into, "read into the given array");
        assertArrayEquals(bits(w), bits(step.weights()));
        Request eval = r.request(into);
        assertEquals(8, eval.step());
        assertTrue(eval.evaluate());
        assertArrayEquals(bits(w), bits(eval.weights()));
        assertNull(r.request(into), "STOP");
    }

    @Test
    void aSharedEncodedFrameReadsAsTheRequest() throws IOException {
        float[] w = {1, 2, 3, 4, 5};
        writer.frame(StepProtocol.encode(null, new Request(4, w, true)));
        Request r = reader().request(new float[PARAMETERS]);
        assertEquals(4, r.step());
        assertTrue(r.evaluate());
        assertArrayEquals(w, r.weights());
    }

    @Test
    void aStepOfAnotherParameterCountIsRefusedOnItsLength() throws IOException {
        writer.request(new Request(7, new float[PARAMETERS + 1], false));
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader().request(new float[PARAMETERS]));
        assertEquals("step frame: frame of " + StepProtocol.stepBody(PARAMETERS + 1) + " bytes, expected "
                + StepProtocol.stepBody(PARAMETERS) + " or " + StepProtocol.STOP_BODY, e.getMessage());
    }

    @Test
    void aFrameOfTheRightLengthButAnotherTypeIsRefused() throws IOException {
        // a PARTIAL without rows (body 41) has the length of a STEP of 7 weights (13 + 4·7)
        writer.partial(1, new GradientPartial(0, new float[0], 0, 0, 0));
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader().request(new float[7]));
        assertEquals("step frame: frame type " + StepProtocol.PARTIAL + ", expected " + StepProtocol.STEP + " or "
                + StepProtocol.EVAL, e.getMessage());
    }

    @Test
    void partialRoundTripWithAndWithoutRows() throws IOException {
        float[] g = {0.5f, 1.5f, -2.5f, 3.5f, 4.5f};
        writer.partial(7, new GradientPartial(1, g, 1.25, 3, 42_000));
        writer.partial(8, new GradientPartial(1, new float[0], 0, 0, 17));
        assertEquals(4 + StepProtocol.partialBody(PARAMETERS) + 4 + StepProtocol.PARTIAL_HEADER, wire.size());
        StepProtocol.Reader r = reader();
        float[] grad = new float[PARAMETERS];
        GradientPartial p = r.partial(1, 7, grad);
        assertEquals(new GradientPartial(1, grad, 1.25, 3, 42_000), p);
        assertArrayEquals(g, p.gradSum());
        GradientPartial empty = r.partial(1, 8, grad);
        assertEquals(0, empty.count());
        assertEquals(0, empty.gradSum().length);
        assertEquals(17, empty.kernelNanos());
    }

    @Test
    void aPartialOfAnotherPartitionOrStepOrSizeIsRefused() throws IOException {
        writer.partial(7, new GradientPartial(0, new float[PARAMETERS], 1, 3, 0));
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader().partial(0, 8, new float[PARAMETERS]));
        assertEquals("partial of partition 0 at step 8: frame is for partition 0 at step 7", e.getMessage());
        e = assertThrows(ProtocolException.class, () -> reader().partial(1, 7, new float[PARAMETERS]));
        assertEquals("partial of partition 1 at step 7: frame is for partition 0 at step 7", e.getMessage());
        e = assertThrows(ProtocolException.class, () -> reader().partial(0, 7, new float[PARAMETERS - 1]));
        assertEquals("partial of partition 0 at step 7: frame of " + StepProtocol.partialBody(PARAMETERS) + " bytes, expected "
                + StepProtocol.partialBody(PARAMETERS - 1) + " or " + StepProtocol.PARTIAL_HEADER, e.getMessage());
        assertThrows(EOFException.class, () -> truncated(4 + StepProtocol.PARTIAL_HEADER).partial(0, 7, new float[PARAMETERS]));
    }

    @Test
    void aPartialWithRowsButNoGradientIsRefused() throws IOException {
        // count 3 with n = 0: the header-only length is accepted, the contents are not
        writer.partial(7, new GradientPartial(0, new float[0], 0, 0, 0));
        byte[] bytes = wire.toByteArray();
        bytes[4 + 1 + 4 + 8] = 3; // count
        StepProtocol.Reader r = new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(bytes)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.partial(0, 7, new float[PARAMETERS]));
        assertTrue(e.getMessage().contains("0 gradient values for 3 rows"), e.getMessage());
    }

    @Test
    void evaluatedRoundTripForClassesRegressionAndNoBlock() throws IOException {
        EvalMetrics classes = new EvalMetrics(2.5, 10, 7, 0, new long[] {4, 1, 2, 3});
        EvalMetrics regression = new EvalMetrics(1.5, 6, 0, 0.75, null);
        writer.evaluated(1, 9, classes, 4);
        writer.evaluated(1, 10, regression, 0);
        writer.evaluated(1, 11, null, 4);
        assertEquals(2 * (4 + StepProtocol.evaluatedBody(4)) + 4 + StepProtocol.evaluatedBody(0), wire.size());
        StepProtocol.Reader r = reader();
        EvalMetrics a = r.evaluated(1, 9, 4);
        assertEquals(classes.lossSum(), a.lossSum());
        assertEquals(classes.count(), a.count());
        assertEquals(classes.correct(), a.correct());
        assertArrayEquals(classes.confusion(), a.confusion());
        EvalMetrics b = r.evaluated(1, 10, 0);
        assertEquals(regression, new EvalMetrics(b.lossSum(), b.count(), b.correct(), b.squaredErrorSum(), b.confusion()));
        assertNull(b.confusion());
        assertNull(r.evaluated(1, 11, 4), "no validation block");
    }

    @Test
    void anEvaluationOfAnotherSizeOrStepIsRefused() throws IOException {
        writer.evaluated(1, 9, new EvalMetrics(2.5, 10, 7, 0, new long[9]), 9);
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader().evaluated(1, 9, 4));
        assertEquals("evaluation of partition 1 at step 9: frame of " + StepProtocol.evaluatedBody(9) + " bytes, expected "
                + StepProtocol.evaluatedBody(4), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> reader().evaluated(1, 8, 9));
        assertEquals("evaluation of partition 1 at step 8: frame is for partition 1 at step 9", e.getMessage());
        wire.reset();
        writer.evaluated(0, 3, new EvalMetrics(1, 4, 5, 0, new long[4]), 4); // more correct than rows
        e = assertThrows(ProtocolException.class, () -> reader().evaluated(0, 3, 4));
        assertTrue(e.getMessage().contains("4 rows, 5 correct"), e.getMessage());
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    @Test
    void aHelloWhoseNonceWasChangedOnTheWayIsRefused() throws IOException {
        writer.hello(new Hello(0, 1, 0, StepProtocol.ENCRYPTED), secret, nonce);
        byte[] bytes = wire.toByteArray();
        bytes[4 + 1 + 7 * 4] ^= 1; // the hello nonce, which keys the frame ciphers
        StepProtocol.Reader r = new StepProtocol.Reader(new DataInputStream(new ByteArrayInputStream(bytes)));
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.hello(secret, nonce, 2, "peer"));
        assertTrue(e.getMessage().contains("wrong secret"), e.getMessage());
    }

    /** A reader of what the writer wrote so far, opening frames with the cipher of these keys. */
    private StepProtocol.Reader sealedReader(byte[] key, byte[] helloNonce) {
        StepProtocol.Reader r = reader();
        r.decrypt(FrameCipher.taskToDriver(key, nonce, helloNonce));
        return r;
    }

    @Test
    void sealedFramesRoundTripAndFramesOfOtherKeysOrInClearAreRefused() throws IOException {
        byte[] helloNonce = new Hello(0, 1, 0, StepProtocol.ENCRYPTED).nonce();
        writer.encrypt(FrameCipher.taskToDriver(secret, nonce, helloNonce));
        float[] w = {1, 2, 3, 4, 5};
        writer.request(new Request(4, w, false));
        writer.partial(4, new GradientPartial(0, w, 2.5, 7, 11));
        writer.stop();
        assertEquals(3 * (4 + FrameCipher.TAG_BYTES) + StepProtocol.stepBody(PARAMETERS) + StepProtocol.partialBody(PARAMETERS)
                + StepProtocol.STOP_BODY, wire.size());
        StepProtocol.Reader r = sealedReader(secret, helloNonce);
        assertArrayEquals(w, r.request(new float[PARAMETERS]).weights());
        GradientPartial p = r.partial(0, 4, new float[PARAMETERS]);
        assertArrayEquals(w, p.gradSum());
        assertEquals(7, p.count());
        assertNull(r.request(new float[PARAMETERS]), "STOP");

        byte[] otherNonce = helloNonce.clone();
        otherNonce[0] ^= 1;
        ProtocolException other = assertThrows(ProtocolException.class, () -> sealedReader(secret, otherNonce).request(new float[PARAMETERS]));
        assertEquals("step frame: frame 0 of this connection failed authentication (altered, replayed or out of order)", other.getMessage());
        // the other direction's key does not open it either
        StepProtocol.Reader backwards = reader();
        backwards.decrypt(FrameCipher.driverToTask(secret, nonce, helloNonce));
        assertThrows(ProtocolException.class, () -> backwards.request(new float[PARAMETERS]));
        // a reader expecting clear frames refuses a sealed one on its length
        ProtocolException clear = assertThrows(ProtocolException.class, () -> reader().request(new float[PARAMETERS]));
        assertTrue(clear.getMessage().contains("frame of " + (StepProtocol.stepBody(PARAMETERS) + FrameCipher.TAG_BYTES) + " bytes"),
                clear.getMessage());
    }
}
