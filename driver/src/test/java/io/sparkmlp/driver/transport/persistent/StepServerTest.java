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
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's step server against clients that speak the protocol without Spark: only a client
 * that answers the challenge with the run's secret gets in (a silent, wrong or truncated hello
 * closes that one connection and the server carries on); after the handshake each side's channel
 * (frames over TCP, or the in-memory link) carries the steps, and refuses stale or misshapen answers.
 */
class StepServerTest {

    private static final int PARAMETERS = 5;
    private final byte[] secret = new byte[StepProtocol.SECRET_BYTES];
    private StepServer server;

    @BeforeEach
    void start() throws IOException {
        new Random(1).nextBytes(secret);
        server = new StepServer(InetAddress.getLoopbackAddress(), secret, 2, options(Duration.ofSeconds(20), 64, false));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Test options: this handshake deadline and cap, frames encrypted or not, any free port. */
    private static PersistentTransport.Options options(Duration handshake, int maxHandshakes, boolean encrypt) {
        return PersistentTransport.Options.defaults().withHandshake(handshake).withMaxHandshakes(maxHandshakes).withEncrypt(encrypt)
                .withPorts(0, 0);
    }

    /** Replaces the server of {@link #start} by one with these options. */
    private void restart(PersistentTransport.Options options) throws IOException {
        server.close();
        server = new StepServer(InetAddress.getLoopbackAddress(), secret, 2, options);
    }

    /** A task without Spark: connects and reads the challenge; after its hello, {@link #channel} is its end. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final StepProtocol.Reader reader;
        final StepProtocol.Writer writer;
        final byte[] nonce;
        Hello sentHello;

        Client() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.setSoTimeout(20_000);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            reader = new StepProtocol.Reader(in);
            writer = new StepProtocol.Writer(socket.getOutputStream());
            nonce = reader.challenge();
        }

        void hello(int partition, int launch, int attempt, byte[] key) throws IOException {
            writer.hello(new Hello(partition, launch, attempt, 0), key, nonce);
        }

        /** An ENCRYPTED hello; every later frame of this client is sealed and opened. */
        void encryptedHello(int partition) throws IOException {
            Hello hello = new Hello(partition, 1, 0, StepProtocol.ENCRYPTED);
            sentHello = hello;
            writer.hello(hello, secret, nonce);
            writer.encrypt(FrameCipher.taskToDriver(secret, nonce, hello.nonce()));
            reader.decrypt(FrameCipher.driverToTask(secret, nonce, hello.nonce()));
        }

        /** The task's end of the frames channel (polls every 20 ms, idles 20 s). */
        StepChannel.TaskEnd channel() {
            return new TcpChannel.TaskEnd(socket, in, reader, writer, 20, 20_000, () -> { }, "the driver");
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

    private StepServer.Connection[] generation(int launch, long after) throws InterruptedException {
        return server.awaitGeneration(launch, after, Duration.ofSeconds(20), () -> { });
    }

    private static void send(StepServer.Connection c, Request r) throws IOException {
        c.channel.send(r, () -> StepProtocol.encode(null, r));
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
        try (Client truncated = new Client()) {
            ByteArrayOutputStream hello = new ByteArrayOutputStream();
            new StepProtocol.Writer(hello).hello(new Hello(0, 1, 0, 0), secret, truncated.nonce);
            truncated.socket.getOutputStream().write(Arrays.copyOf(hello.toByteArray(), 20));
            truncated.socket.shutdownOutput();
            assertTrue(truncated.closedByServer());
        }
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            assertEquals(0, gen[0].partition);
            assertEquals(1, gen[1].partition);
            assertFalse(gen[0].channel.inProcess());
        }
    }

    @Test
    void stepsAndPartialsCrossTheTcpChannelAndMisshapenPartialsAreRefused() throws Exception {
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            StepChannel.TaskEnd ta = a.channel();
            StepChannel.TaskEnd tb = b.channel();

            float[] w = {1, 2, 3, 4, 5};
            send(gen[0], new Request(7, w, false));
            send(gen[1], new Request(7, w, false));
            Request got = ta.awaitRequest(new float[PARAMETERS]);
            assertEquals(7, got.step());
            assertArrayEquals(w, got.weights());
            assertArrayEquals(w, tb.awaitRequest(new float[PARAMETERS]).weights());

            float[] g = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f};
            ta.sendPartial(7, new GradientPartial(0, g, 1.5, 3, 42_000));
            GradientPartial p = gen[0].channel.receivePartial(0, 7, PARAMETERS);
            assertArrayEquals(g, p.gradSum());
            assertEquals(3, p.count());
            assertEquals(42_000, p.kernelNanos());

            // one gradient value too many: refused by its length
            tb.sendPartial(7, new GradientPartial(1, new float[PARAMETERS + 1], 1.5, 3, 0));
            ProtocolException e = assertThrows(ProtocolException.class, () -> gen[1].channel.receivePartial(1, 7, PARAMETERS));
            assertTrue(e.getMessage().contains("partial of partition 1 at step 7: frame of " + StepProtocol.partialBody(PARAMETERS + 1)
                    + " bytes, expected " + StepProtocol.partialBody(PARAMETERS)), e.getMessage());

            // the right length but a partial of another step
            ta.sendPartial(6, new GradientPartial(0, g, 1.5, 3, 0));
            e = assertThrows(ProtocolException.class, () -> gen[0].channel.receivePartial(0, 7, PARAMETERS));
            assertTrue(e.getMessage().contains("frame is for partition 0 at step 6"), e.getMessage());

            // the task ends: the driver reading its answer sees the connection's end
            ta.ended("test");
            assertThrows(IOException.class, () -> gen[0].channel.receivePartial(0, 8, PARAMETERS));
        }
    }

    @Test
    void evaluationAnswersAreCheckedLikePartials() throws Exception {
        int cells = 4; // 2 classes
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            StepChannel.TaskEnd ta = a.channel();

            send(gen[0], new Request(9, new float[PARAMETERS], true));
            Request eval = ta.awaitRequest(new float[PARAMETERS]);
            assertTrue(eval.evaluate());
            ta.sendEvaluation(0, 9, new EvalMetrics(2.5, 10, 7, 0, new long[] {4, 1, 2, 3}), cells);
            EvalMetrics m = gen[0].channel.receiveEvaluation(0, 9, cells);
            assertEquals(2.5, m.lossSum());
            assertEquals(10, m.count());
            assertEquals(7, m.correct());
            assertArrayEquals(new long[] {4, 1, 2, 3}, m.confusion());

            // a partition without a validation block answers with no metrics
            ta.sendEvaluation(0, 10, null, cells);
            assertNull(gen[0].channel.receiveEvaluation(0, 10, cells));

            // a confusion matrix of another size is refused by the frame's length, before its body is read
            b.channel().sendEvaluation(1, 9, new EvalMetrics(2.5, 10, 7, 0, new long[9]), 9);
            ProtocolException e = assertThrows(ProtocolException.class, () -> gen[1].channel.receiveEvaluation(1, 9, cells));
            assertTrue(e.getMessage().contains("evaluation of partition 1 at step 9: frame of " + StepProtocol.evaluatedBody(9)
                    + " bytes, expected " + StepProtocol.evaluatedBody(cells)), e.getMessage());
        }
    }

    @Test
    void aNewerAttemptReplacesTheOldOneAndStoppedLaunchesAreToldToStop() throws Exception {
        try (Client a0 = new Client(); Client a1 = new Client(); Client b0 = new Client(); Client b1 = new Client()) {
            a0.hello(0, 1, 0, secret);
            b0.hello(1, 1, 0, secret);
            StepServer.Connection[] first = generation(1, -1);
            a1.hello(0, 1, 1, secret);
            b1.hello(1, 1, 1, secret);
            StepServer.Connection[] second = generation(1, first[0].generation());
            assertEquals(1, second[0].attempt);
            assertTrue(a0.closedByServer(), "the older attempt's connection is closed");

            server.stopLaunch(1);
            assertNull(a1.channel().awaitRequest(new float[PARAMETERS]), "STOP");
        }
        try (Client late = new Client()) {
            late.hello(0, 1, 2, secret); // a retry of a stopped launch: told to stop at once
            assertNull(late.channel().awaitRequest(new float[PARAMETERS]), "STOP");
        }
    }

    @Test
    void aTaskWaitingForAFrameGivesUpWhenIdleOrKilled() throws Exception {
        try (Client a = new Client()) {
            a.hello(0, 1, 0, secret);
            StepChannel.TaskEnd idle = new TcpChannel.TaskEnd(a.socket, a.in, a.reader, a.writer, 20, 60, () -> { }, "the driver");
            SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class, () -> idle.awaitRequest(new float[PARAMETERS]));
            assertTrue(timeout.getMessage().contains("no step frame from the driver"), timeout.getMessage());
            StepChannel.TaskEnd killed = new TcpChannel.TaskEnd(a.socket, a.in, a.reader, a.writer, 20, 5000, () -> {
                throw new IllegalStateException("killed");
            }, "the driver");
            assertEquals("killed", assertThrows(IllegalStateException.class, () -> killed.awaitRequest(new float[PARAMETERS]))
                    .getMessage());
        }
    }

    @Test
    void anInProcessTaskExchangesStepsThroughItsLinkAndItsEndReachesTheDriver() throws Exception {
        assertTrue(LocalLink.serverInThisJvm(secret));
        assertFalse(LocalLink.serverInThisJvm(new byte[StepProtocol.SECRET_BYTES]), "another run's secret finds nothing");
        try (Client a = new Client(); Client b = new Client()) {
            LocalLink link = new LocalLink(0);
            LocalLink.offer(secret, 0, 1, 0, link);
            a.writer.hello(new Hello(0, 1, 0, StepProtocol.IN_PROCESS), secret, a.nonce);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            assertTrue(gen[0].channel.inProcess() && !gen[1].channel.inProcess(), () -> Arrays.toString(gen));
            StepChannel.TaskEnd task = link.taskEnd(50, 5000, () -> { });

            float[] w = {1, 2, 3, 4, 5};
            gen[0].channel.send(new Request(7, w, false), () -> {
                throw new AssertionError("no frame is made for an in-process task");
            });
            Request step = task.awaitRequest(new float[PARAMETERS]);
            assertEquals(7, step.step());
            assertTrue(step.weights() == w, "the weights themselves, not a copy");
            float[] g = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f};
            task.sendPartial(7, new GradientPartial(0, g, 1.5, 3, 99));
            GradientPartial p = gen[0].channel.receivePartial(0, 7, PARAMETERS);
            assertTrue(p.gradSum() == g && p.count() == 3 && p.kernelNanos() == 99);

            // a reply of another step is refused like a stale frame
            task.sendPartial(6, new GradientPartial(0, g, 1.5, 3, 99));
            ProtocolException stale = assertThrows(ProtocolException.class, () -> gen[0].channel.receivePartial(0, 7, PARAMETERS));
            assertTrue(stale.getMessage().contains("reply is for the step at step 6"), stale.getMessage());

            // the task ends (a failure): the waiting driver learns at once, with the reason
            task.ended("partition 0 failed");
            EOFException ended = assertThrows(EOFException.class, () -> gen[0].channel.receivePartial(0, 8, PARAMETERS));
            assertTrue(ended.getMessage().contains("the task ended (partition 0 failed)"), ended.getMessage());

            // STOP reaches the task as the end of its requests
            server.stopLaunch(1);
            assertNull(task.awaitRequest(new float[PARAMETERS]));
        }
    }

    @Test
    void anInProcessHelloWithoutAnOfferedLinkIsRefused() throws Exception {
        try (Client a = new Client()) {
            a.writer.hello(new Hello(0, 1, 0, StepProtocol.IN_PROCESS), secret, a.nonce);
            assertTrue(a.closedByServer());
        }
    }

    @Test
    void aTaskWaitingOnItsLinkEndsWhenTheDriverClosesItOrItIsKilled() throws Exception {
        LocalLink link = new LocalLink(0);
        StepChannel.TaskEnd task = link.taskEnd(50, 5000, () -> { });
        link.driverEnd(new Socket(), 1000).close();
        assertThrows(EOFException.class, () -> task.awaitRequest(new float[PARAMETERS]));
        LocalLink idle = new LocalLink(0);
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
                () -> idle.taskEnd(20, 60, () -> { }).awaitRequest(new float[PARAMETERS]));
        assertTrue(timeout.getMessage().contains("no step from the driver"), timeout.getMessage());
        IllegalStateException killed = assertThrows(IllegalStateException.class, () -> idle.taskEnd(20, 5000, () -> {
            throw new IllegalStateException("killed");
        }).awaitRequest(new float[PARAMETERS]));
        assertEquals("killed", killed.getMessage());
    }

    @Test
    void aSpinningWaitTakesWhatArrivesAndGivesUpAfterItsWindow() throws Exception {
        java.util.concurrent.BlockingQueue<Object> q = new java.util.concurrent.LinkedBlockingQueue<>();
        q.add("ready");
        assertEquals("ready", LocalLink.pollSpinning(q, 5_000_000));
        long t0 = System.nanoTime();
        assertEquals(null, LocalLink.pollSpinning(q, 0));
        long none = System.nanoTime() - t0;
        assertTrue(none >= 2 * LocalLink.SPIN_WINDOW_NANOS && none < 1_000_000_000L, "gave up after " + none + " ns");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
            q.add("later");
        });
        later.start();
        assertEquals("later", LocalLink.pollSpinning(q, 60_000_000_000L), "an answer sooner than expected ends the park");
        later.join();
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

    /** A client that dribbles a valid hello one byte per 100 ms never finishes it: the server closes it at the absolute deadline. */
    @Test
    void aSlowLorisIsDroppedAtTheAbsoluteHandshakeDeadline() throws Exception {
        restart(options(Duration.ofMillis(800), 64, false));
        try (Client loris = new Client()) {
            ByteArrayOutputStream hello = new ByteArrayOutputStream();
            new StepProtocol.Writer(hello).hello(new Hello(0, 1, 0, 0), secret, loris.nonce);
            byte[] bytes = hello.toByteArray();
            AtomicInteger sent = new AtomicInteger();
            Thread dribble = new Thread(() -> {
                try {
                    for (byte b : bytes) {
                        loris.socket.getOutputStream().write(b);
                        sent.incrementAndGet();
                        Thread.sleep(100); // each byte well within the server's per-read timeout
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server
                }
            });
            dribble.start();
            assertTrue(loris.closedByServer());
            dribble.interrupt();
            dribble.join();
            assertTrue(sent.get() < bytes.length, () -> "closed after " + sent + " of " + bytes.length + " bytes");
        }
        try (Client a = new Client(); Client b = new Client()) { // the server carries on
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            assertEquals(2, generation(1, -1).length);
        }
    }

    /** Beyond the cap, a connection is closed before its challenge; the run's tasks get in once the others are gone. */
    @Test
    void connectionsBeyondTheHandshakeCapAreRefusedAndTheRunGoesOn() throws Exception {
        restart(options(Duration.ofSeconds(20), 2, false));
        try (Client s1 = new Client(); Client s2 = new Client(); Socket third = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            third.setSoTimeout(20_000);
            assertEquals(-1, third.getInputStream().read(), "refused without a challenge");
        }
        try (Client a = admitted(); Client b = admitted()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            assertEquals(2, generation(1, -1).length);
        }
    }

    /** A client the server lets in (its challenge came), retried while handshake threads of closed connections end. */
    private Client admitted() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                return new Client();
            } catch (EOFException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aForgedFrameAfterTheHandshakeIsRefusedInOneLine() throws Exception {
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            // a frame of a type and length no answer has
            a.socket.getOutputStream().write(new byte[] {5, 0, 0, 0, 9, 1, 2, 3, 4});
            ProtocolException e = assertThrows(ProtocolException.class, () -> gen[0].channel.receivePartial(0, 3, PARAMETERS));
            assertEquals("partial of partition 0 at step 3: frame of 5 bytes, expected " + StepProtocol.partialBody(PARAMETERS)
                    + " or " + StepProtocol.PARTIAL_HEADER, e.getMessage());
        }
    }

    @Test
    void encryptedFramesCrossAndAnAlteredOrReplayedFrameIsRefused() throws Exception {
        restart(options(Duration.ofSeconds(20), 64, true));
        try (Client a = new Client(); Client b = new Client()) {
            a.encryptedHello(0);
            b.encryptedHello(1);
            StepServer.Connection[] gen = generation(1, -1);
            float[] w = {1, 2, 3, 4, 5};
            send(gen[0], new Request(7, w, false));
            assertArrayEquals(w, a.channel().awaitRequest(new float[PARAMETERS]).weights());

            // the partial as the task seals it: accepted once, refused when replayed
            float[] g = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f};
            byte[] sealed = sealedPartial(a, 7, new GradientPartial(0, g, 1.5, 3, 0));
            a.socket.getOutputStream().write(sealed);
            assertArrayEquals(g, gen[0].channel.receivePartial(0, 7, PARAMETERS).gradSum());
            a.socket.getOutputStream().write(sealed);
            ProtocolException replayed = assertThrows(ProtocolException.class, () -> gen[0].channel.receivePartial(0, 7, PARAMETERS));
            assertEquals("partial of partition 0 at step 7: frame 1 of this connection failed authentication"
                    + " (altered, replayed or out of order)", replayed.getMessage());

            // one ciphertext byte flipped
            byte[] altered = sealedPartial(b, 7, new GradientPartial(1, g, 1.5, 3, 0));
            altered[20] ^= 1;
            b.socket.getOutputStream().write(altered);
            ProtocolException e = assertThrows(ProtocolException.class, () -> gen[1].channel.receivePartial(1, 7, PARAMETERS));
            assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
        }
        try (Client clear = new Client()) { // a hello without the ENCRYPTED flag: refused
            clear.hello(0, 1, 1, secret);
            assertTrue(clear.closedByServer());
        }
    }

    /** The PARTIAL frame a client that has sent no frame since its hello would send first, sealed, as bytes. */
    private byte[] sealedPartial(Client c, long step, GradientPartial p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StepProtocol.Writer w = new StepProtocol.Writer(out);
        w.encrypt(FrameCipher.taskToDriver(secret, c.nonce, c.sentHello.nonce()));
        w.partial(step, p);
        return out.toByteArray();
    }

    @Test
    void bothEndsKeepTcpKeepaliveOn() throws Exception {
        try (Socket task = PersistentTask.open(InetAddress.getLoopbackAddress().getHostAddress(), server.port(), 20_000);
             Client b = new Client()) {
            assertTrue(task.getKeepAlive());
            StepProtocol.Reader reader = new StepProtocol.Reader(new DataInputStream(new BufferedInputStream(task.getInputStream())));
            new StepProtocol.Writer(task.getOutputStream()).hello(new Hello(0, 1, 0, 0), secret, reader.challenge());
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            for (StepServer.Connection c : gen) assertTrue(((TcpChannel.DriverEnd) c.channel).socket.getKeepAlive(), c::toString);
        }
    }

    @Test
    void aPortRangeSkipsTakenPortsAndRefusesWhenAllAreTaken() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket taken = takenBeforeAFreePort(lo)) {
            int p = taken.getLocalPort();
            restart(options(Duration.ofSeconds(20), 64, false).withPorts(p, p + 1));
            assertEquals(p + 1, server.port());
            try (Client a = new Client(); Client b = new Client()) {
                a.hello(0, 1, 0, secret);
                b.hello(1, 1, 0, secret);
                assertEquals(2, generation(1, -1).length);
            }
            BindException e = assertThrows(BindException.class,
                    () -> new StepServer(lo, secret, 2, options(Duration.ofSeconds(20), 64, false).withPorts(p, p)));
            assertEquals("every port of transport.port = " + p + "-" + p + " is taken on " + lo.getHostAddress(), e.getMessage());
        }
    }

    /** A listening socket on a port p such that p + 1 is free (at the moment). */
    private static ServerSocket takenBeforeAFreePort(InetAddress lo) throws IOException {
        for (int tries = 0; tries < 100; tries++) {
            ServerSocket taken = new ServerSocket(0, 1, lo);
            if (taken.getLocalPort() < 65535) {
                try (ServerSocket probe = new ServerSocket(taken.getLocalPort() + 1, 1, lo)) {
                    return taken;
                } catch (BindException e) {
                    // the next port is taken too: try another
                }
            }
            taken.close();
        }
        throw new AssertionError("no free pair of ports on " + lo);
    }

    @Test
    void anExecutorLostOnATasksHostClosesItsGeneration() throws Exception {
        try (Client a = new Client(); Client b = new Client()) {
            a.hello(0, 1, 0, secret);
            b.hello(1, 1, 0, secret);
            StepServer.Connection[] gen = generation(1, -1);
            server.hostLost("192.0.2.1"); // another host: nothing closes
            send(gen[0], new Request(1, new float[PARAMETERS], false));
            assertEquals(1, a.channel().awaitRequest(new float[PARAMETERS]).step());
            server.hostLost(InetAddress.getLoopbackAddress().getHostAddress());
            assertTrue(b.closedByServer());
            assertThrows(IOException.class, () -> gen[0].channel.receivePartial(0, 1, PARAMETERS));
        }
    }
}
