package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's step server against hand-made clients (no Spark): only a client that answers the
 * challenge with the run's secret gets in; a missing secret, a wrong secret and frames of the
 * wrong size are refused by closing that one connection, and the server carries on.
 */
class StepServerTest {

    private static final int PARAMETERS = 5;
    private final byte[] secret = new byte[StepProtocol.SECRET_BYTES];
    private final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    private StepServer server;

    @BeforeEach
    void start() throws IOException {
        new Random(1).nextBytes(secret);
        server = new StepServer(InetAddress.getLoopbackAddress(), secret, 2, Duration.ofSeconds(20), Duration.ofSeconds(20), true,
                log::add);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A client of the protocol: connects and reads the challenge. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final byte[] nonce = new byte[StepProtocol.NONCE_BYTES];

        Client() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.setSoTimeout(20_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            int len = StepProtocol.readLength(in, StepProtocol.CHALLENGE_BODY, StepProtocol.CHALLENGE_BODY, "challenge");
            StepProtocol.readBody(in, StepProtocol.buffer(len), len, StepProtocol.CHALLENGE, "challenge").get(nonce);
        }

        void hello(int partition, int launch, int attempt, byte[] key) throws IOException {
            hello(partition, launch, attempt, key, 0);
        }

        void hello(int partition, int launch, int attempt, byte[] key, int flags) throws IOException {
            ByteBuffer f = StepProtocol.startFrame(null, StepProtocol.HELLO_BODY, StepProtocol.HELLO);
            f.putInt(StepProtocol.MAGIC).putInt(StepProtocol.VERSION).putInt(partition).putInt(launch).putInt(attempt)
                    .putInt(flags).put(StepProtocol.mac(key, nonce, partition, launch, attempt, flags));
            StepProtocol.writeFrame(out, f);
        }

        /** True when the server closed the connection (end of stream without data). */
        boolean closedByServer() throws IOException {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aConnectionWithoutTheSecretIsDroppedAndTheRightOnesGetIn() throws Exception {
        try (Client silent = new Client()) {
            silent.socket.shutdownOutput(); // says nothing at all
            assertTrue(silent.closedByServer());
        }
        byte[] wrong = secret.clone();
        wrong[0] ^= 1;
        try (Client impostor = new Client()) {
            impostor.hello(0, 1, 0, wrong);
            assertTrue(impostor.closedByServer());
        }
        assertEquals(2, server.refused());
        assertTrue(log.stream().anyMatch(m -> m.contains("wrong secret")), log::toString);

        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = server.awaitGeneration(1, -1, Duration.ofSeconds(20), () -> { });
            assertEquals(0, gen[0].partition);
            assertEquals(1, gen[1].partition);
        }
        assertEquals(2, server.refused());
    }

    @Test
    void aHelloOfTheWrongSizeIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (Client huge = new Client()) {
            // claims a 1 GiB frame: refused on the length alone, nothing allocated
            huge.out.write(StepProtocol.buffer(4).putInt(1 << 30).array());
            huge.out.flush();
            assertTrue(huge.closedByServer());
        }
        try (Client shortHello = new Client()) {
            ByteBuffer f = StepProtocol.startFrame(null, 8, StepProtocol.HELLO);
            f.putInt(StepProtocol.MAGIC).put(new byte[3]);
            StepProtocol.writeFrame(shortHello.out, f);
            assertTrue(shortHello.closedByServer());
        }
        assertEquals(2, server.refused());
        assertTrue(log.stream().anyMatch(m -> m.contains("frame of 1073741824 bytes, expected " + StepProtocol.HELLO_BODY)),
                log::toString);
    }

    @Test
    void aPartialOfTheWrongSizeIsRefused() throws Exception {
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = server.awaitGeneration(1, -1, Duration.ofSeconds(20), () -> { });

            // a well-formed partial passes
            ByteBuffer good = StepProtocol.startFrame(null, StepProtocol.partialBody(PARAMETERS), StepProtocol.PARTIAL);
            good.putInt(0).putLong(7).putLong(3).putDouble(1.5).putLong(42_000).putInt(PARAMETERS);
            for (int i = 0; i < PARAMETERS; i++) good.putFloat(i + 0.5f);
            StepProtocol.writeFrame(a.out, good);
            GradientPartial p = gen[0].readPartial(7, PARAMETERS);
            assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f}, p.gradSum());
            assertEquals(3, p.count());
            assertEquals(42_000, p.kernelNanos());

            // one gradient value too many: refused by its length
            ByteBuffer bad = StepProtocol.startFrame(null, StepProtocol.partialBody(PARAMETERS + 1), StepProtocol.PARTIAL);
            bad.putInt(1).putLong(7).putLong(3).putDouble(1.5).putLong(0).putInt(PARAMETERS + 1).put(new byte[4 * (PARAMETERS + 1)]);
            StepProtocol.writeFrame(b.out, bad);
            ProtocolException e = assertThrows(ProtocolException.class, () -> gen[1].readPartial(7, PARAMETERS));
            assertTrue(e.getMessage().contains("partial of partition 1 at step 7: frame of " + StepProtocol.partialBody(PARAMETERS + 1)
                    + " bytes, expected " + StepProtocol.partialBody(PARAMETERS)), e.getMessage());

            // the right length but a partial of another step
            ByteBuffer stale = StepProtocol.startFrame(null, StepProtocol.partialBody(PARAMETERS), StepProtocol.PARTIAL);
            stale.putInt(0).putLong(6).putLong(3).putDouble(1.5).putLong(0).putInt(PARAMETERS).put(new byte[4 * PARAMETERS]);
            StepProtocol.writeFrame(a.out, stale);
            e = assertThrows(ProtocolException.class, () -> gen[0].readPartial(7, PARAMETERS));
            assertTrue(e.getMessage().contains("frame is for partition 0 at step 6"), e.getMessage());
        }
    }

    @Test
    void aNewerAttemptReplacesTheOldOneAndStoppedLaunchesAreToldToStop() throws Exception {
        try (Client a0 = new Client(); Client a1 = new Client(); Client b0 = new Client(); Client b1 = new Client()) {
            a0.hello(0, 1, 0, secret);
            b0.hello(1, 1, 0, secret);
            StepServer.Connection[] first = server.awaitGeneration(1, -1, Duration.ofSeconds(20), () -> { });
            a1.hello(0, 1, 1, secret);
            b1.hello(1, 1, 1, secret);
            StepServer.Connection[] second = server.awaitGeneration(1, first[0].generation(), Duration.ofSeconds(20), () -> { });
            assertEquals(1, second[0].attempt);
            assertTrue(a0.closedByServer(), "the older attempt's connection is closed");

            server.stopLaunch(1);
            int len = StepProtocol.readLength(a1.in, StepProtocol.STOP_BODY, StepProtocol.STOP_BODY, "stop");
            StepProtocol.readBody(a1.in, StepProtocol.buffer(len), len, StepProtocol.STOP, "stop");
        }
        try (Client late = new Client()) {
            late.hello(0, 1, 2, secret); // a retry of a stopped launch: told to stop at once
            int len = StepProtocol.readLength(late.in, StepProtocol.STOP_BODY, StepProtocol.STOP_BODY, "stop");
            StepProtocol.readBody(late.in, StepProtocol.buffer(len), len, StepProtocol.STOP, "stop");
        }
    }

    @Test
    void anInProcessTaskExchangesStepsThroughItsLinkAndItsEndReachesTheDriver() throws Exception {
        assertTrue(LocalLink.serverInThisJvm(secret));
        assertTrue(!LocalLink.serverInThisJvm(new byte[StepProtocol.SECRET_BYTES]), "another run's secret finds nothing");
        try (Client a = new Client(); Client b = new Client()) {
            LocalLink link = new LocalLink(0);
            LocalLink.offer(secret, 0, 1, 0, link);
            a.hello(0, 1, 0, secret, StepProtocol.IN_PROCESS);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = server.awaitGeneration(1, -1, Duration.ofSeconds(20), () -> { });
            assertTrue(gen[0].link == link && gen[1].link == null, () -> java.util.Arrays.toString(gen));

            float[] w = {1, 2, 3, 4, 5};
            gen[0].send(7, w, false, () -> {
                throw new AssertionError("no frame is made for an in-process task");
            });
            LocalLink.Step step = link.awaitRequest(50, 5000, () -> { });
            assertEquals(7, step.step());
            assertTrue(step.weights() == w, "the weights themselves, not a copy");
            float[] g = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f};
            link.reply(7, new GradientPartial(0, g, 1.5, 3, 99));
            GradientPartial p = gen[0].readPartial(7, PARAMETERS);
            assertTrue(p.gradSum() == g && p.count() == 3 && p.kernelNanos() == 99);

            // a reply of another step is refused like a stale frame
            link.reply(6, new GradientPartial(0, g, 1.5, 3, 99));
            ProtocolException stale = assertThrows(ProtocolException.class, () -> gen[0].readPartial(7, PARAMETERS));
            assertTrue(stale.getMessage().contains("reply is for the step at step 6"), stale.getMessage());

            // the task ends (a failure): the waiting driver learns at once, with the reason
            link.ended("test hook: partition 0 fails");
            java.io.EOFException ended = assertThrows(java.io.EOFException.class, () -> gen[0].readPartial(8, PARAMETERS));
            assertTrue(ended.getMessage().contains("the task ended (test hook: partition 0 fails)"), ended.getMessage());

            // STOP reaches the task as the end of its requests
            server.stopLaunch(1);
            assertEquals(null, link.awaitRequest(50, 5000, () -> { }));
        }
    }

    @Test
    void evaluationAnswersAreCheckedLikePartials() throws Exception {
        int cells = 4; // 2 classes
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = server.awaitGeneration(1, -1, Duration.ofSeconds(20), () -> { });

            ByteBuffer good = StepProtocol.startFrame(null, StepProtocol.evaluatedBody(cells), StepProtocol.EVALUATED);
            good.putInt(0).putLong(9).put((byte) 1).putDouble(2.5).putLong(10).putLong(7).putDouble(0).putInt(cells)
                    .putLong(4).putLong(1).putLong(2).putLong(3);
            StepProtocol.writeFrame(a.out, good);
            EvalMetrics m = gen[0].readEvaluation(9, cells);
            assertEquals(2.5, m.lossSum());
            assertEquals(10, m.count());
            assertEquals(7, m.correct());
            assertArrayEquals(new long[] {4, 1, 2, 3}, m.confusion());

            // a partition without a validation block answers with the flag 0: no metrics
            ByteBuffer none = StepProtocol.startFrame(null, StepProtocol.evaluatedBody(cells), StepProtocol.EVALUATED);
            none.putInt(0).putLong(10).put((byte) 0).putDouble(0).putLong(0).putLong(0).putDouble(0).putInt(cells)
                    .put(new byte[8 * cells]);
            StepProtocol.writeFrame(a.out, none);
            assertEquals(null, gen[0].readEvaluation(10, cells));

            // a confusion matrix of another size is refused by the frame's length, before its body is read
            ByteBuffer bad = StepProtocol.startFrame(null, StepProtocol.evaluatedBody(9), StepProtocol.EVALUATED);
            bad.putInt(1).putLong(9).put((byte) 1).putDouble(2.5).putLong(10).putLong(7).putDouble(0).putInt(9)
                    .put(new byte[8 * 9]);
            StepProtocol.writeFrame(b.out, bad);
            ProtocolException e = assertThrows(ProtocolException.class, () -> gen[1].readEvaluation(9, cells));
            assertTrue(e.getMessage().contains("evaluation of partition 1 at step 9: frame of " + StepProtocol.evaluatedBody(9)
                    + " bytes, expected " + StepProtocol.evaluatedBody(cells)), e.getMessage());
        }
    }

    @Test
    void anInProcessHelloWithoutAnOfferedLinkIsRefused() throws Exception {
        try (Client a = new Client()) {
            a.hello(0, 1, 0, secret, StepProtocol.IN_PROCESS);
            assertTrue(a.closedByServer());
        }
        assertTrue(log.stream().anyMatch(m -> m.contains("in-process task of partition 0 without a link")), log::toString);
        assertEquals(1, server.refused());
    }

    @Test
    void aTaskWaitingOnItsLinkEndsWhenTheDriverClosesItOrItIsKilled() throws Exception {
        LocalLink link = new LocalLink(0);
        link.close();
        assertThrows(java.io.EOFException.class, () -> link.awaitRequest(50, 5000, () -> { }));
        LocalLink idle = new LocalLink(0);
        java.net.SocketTimeoutException timeout = assertThrows(java.net.SocketTimeoutException.class,
                () -> idle.awaitRequest(20, 60, () -> { }));
        assertTrue(timeout.getMessage().contains("no step from the driver"), timeout.getMessage());
        IllegalStateException killed = assertThrows(IllegalStateException.class, () -> idle.awaitRequest(20, 5000, () -> {
            throw new IllegalStateException("killed");
        }));
        assertEquals("killed", killed.getMessage());
    }

    @Test
    void waitingEndsWithTheJobsFailure() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.awaitGeneration(1, -1, Duration.ofSeconds(20),
                () -> {
                    throw new IllegalStateException("the stage failed");
                }));
        assertEquals("the stage failed", e.getMessage());
        IllegalStateException timeout = assertThrows(IllegalStateException.class,
                () -> server.awaitGeneration(1, -1, Duration.ZERO, () -> { }));
        assertTrue(timeout.getMessage().contains("0 of 2 tasks connected") && timeout.getMessage().contains("missing partitions [0, 1]"),
                timeout.getMessage());
    }
}
