package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;

import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The driver's end of the persistent transport: a TCP server on the driver's bind address that
 * lets in only tasks that answer a fresh challenge with the run's secret, and groups them into
 * generations, one per (launch, stage attempt) of the barrier stage.
 *
 * <p>Each accepted connection gets its own short-lived handshake thread: CHALLENGE with 32 random
 * bytes, then exactly one HELLO frame of the exact length within the handshake timeout, whose
 * HMAC over (nonce, partition, launch, attempt) must match. Anything else is counted in
 * {@link #refused()} and closed; the server and the run carry on.
 */
final class StepServer implements AutoCloseable {

    /** One authenticated task of one generation. */
    static final class Connection {
        final int partition;
        final int launch;
        final int attempt;
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        /** The in-memory exchange of a task in this JVM, or null: steps go as frames over the socket. */
        final LocalLink link;
        private final long stepTimeoutMs;
        ByteBuffer readBuffer;
        float[] grad;

        Connection(int partition, int launch, int attempt, Socket socket, DataInputStream in, OutputStream out, LocalLink link,
                   long stepTimeoutMs) {
            this.partition = partition;
            this.launch = launch;
            this.attempt = attempt;
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.link = link;
            this.stepTimeoutMs = stepTimeoutMs;
        }

        /**
         * Sends step {@code step} (or, with {@code evaluate}, the evaluation of its weights):
         * {@code weights} themselves to an in-process task, else {@code frame} (the STEP or EVAL frame of
         * those weights, made by {@code frame.get()} once per round and shared).
         */
        void send(long step, float[] weights, boolean evaluate, java.util.function.Supplier<ByteBuffer> frame)
                throws IOException {
            if (link != null) {
                link.sendStep(step, weights, evaluate);
            } else {
                StepProtocol.writeFrame(out, frame.get());
            }
        }

        /**
         * Reads this task's EVALUATED answer for {@code step}: its validation metrics, or null when it
         * holds no validation block. The frame's length must be the one of {@code cells} confusion counts.
         */
        EvalMetrics readEvaluation(long step, int cells) throws IOException {
            if (link != null) return link.receiveEvaluation(step, cells, stepTimeoutMs);
            String what = "evaluation of partition " + partition + " at step " + step;
            int body = StepProtocol.evaluatedBody(cells);
            int len = StepProtocol.readLength(in, body, body, what);
            ByteBuffer b = StepProtocol.readBody(in, StepProtocol.buffer(len), len, StepProtocol.EVALUATED, what);
            int p = b.getInt();
            long s = b.getLong();
            byte hasBlock = b.get();
            double loss = b.getDouble();
            long count = b.getLong();
            long correct = b.getLong();
            double sq = b.getDouble();
            int m = b.getInt();
            requireAddressed(what, p, s, step);
            if (m != cells || count < 0 || correct < 0 || correct > count || (hasBlock != 0 && hasBlock != 1)) {
                throw new ProtocolException(what + ": " + m + " confusion counts (expected " + cells + "), " + count + " rows, "
                        + correct + " correct, block flag " + hasBlock);
            }
            if (hasBlock == 0) return null;
            long[] confusion = null;
            if (cells > 0) {
                confusion = new long[cells];
                b.asLongBuffer().get(confusion);
            }
            return new EvalMetrics(loss, count, correct, sq, confusion);
        }

        /**
         * Reads this task's PARTIAL frame of {@code step}; refuses a frame whose length is not the
         * one of {@code parameters} gradient values (or of none) before reading its body.
         * The gradient array is reused from step to step.
         */
        GradientPartial readPartial(long step, int parameters) throws IOException {
            if (link != null) return link.receive(step, parameters, stepTimeoutMs);
            String what = "partial of partition " + partition + " at step " + step;
            int len = StepProtocol.readLength(in, StepProtocol.partialBody(parameters), StepProtocol.PARTIAL_HEADER, what);
            if (readBuffer == null) readBuffer = StepProtocol.buffer(StepProtocol.partialBody(parameters));
            ByteBuffer b = StepProtocol.readBody(in, readBuffer, len, StepProtocol.PARTIAL, what);
            int p = b.getInt();
            long s = b.getLong();
            long count = b.getLong();
            double loss = b.getDouble();
            long kernelNanos = b.getLong();
            int n = b.getInt();
            requireAddressed(what, p, s, step);
            if (n != (len == StepProtocol.PARTIAL_HEADER ? 0 : parameters) || (count == 0) != (n == 0) || count < 0) {
                throw new ProtocolException(what + ": " + n + " gradient values for " + count + " rows in a frame of " + len + " bytes");
            }
            if (n == 0) return new GradientPartial(p, new float[0], 0, 0, kernelNanos);
            if (grad == null) grad = new float[parameters];
            b.asFloatBuffer().get(grad);
            return new GradientPartial(p, grad, loss, count, kernelNanos);
        }

        /** Refuses an answer whose header names another partition or step than the one awaited. */
        private void requireAddressed(String what, int p, long s, long step) throws ProtocolException {
            if (p != partition || s != step) {
                throw new ProtocolException(what + ": frame is for partition " + p + " at step " + s);
            }
        }

        long generation() {
            return key(launch, attempt);
        }

        void closeQuietly() {
            if (link != null) link.close();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        @Override
        public String toString() {
            return "partition " + partition + " (launch " + launch + ", attempt " + attempt + ", " + socket.getRemoteSocketAddress()
                    + (link != null ? ", in process" : "") + ")";
        }
    }

    private final ServerSocket server;
    private final byte[] secret;
    private final int partitions;
    private final int handshakeTimeoutMs;
    private final int stepTimeoutMs;
    private final Consumer<String> log;
    private final boolean inProcess;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger refused = new AtomicInteger();
    private final Object lock = new Object();
    /** generation key → connections by partition (null where not yet connected). Guarded by lock. */
    private final TreeMap<Long, Connection[]> generations = new TreeMap<>();
    /** Connections of launches up to this one are told STOP on arrival. Guarded by lock. */
    private int stoppedLaunch = 0;
    private volatile boolean closed;
    private final Thread acceptor;

    /**
     * @param bind the address to listen on (the driver's bind address); port chosen by the system
     * @param secret the run's secret. Not modified.
     * @param handshake how long a new connection may take to authenticate
     * @param stepTimeout how long the driver waits for one task's partial
     * @param inProcess whether tasks that run in this JVM may exchange steps through a {@link LocalLink}
     */
    StepServer(InetAddress bind, byte[] secret, int partitions, Duration handshake, Duration stepTimeout, boolean inProcess,
               Consumer<String> log) throws IOException {
        this.server = new ServerSocket(0, 50, bind);
        this.secret = secret.clone();
        this.partitions = partitions;
        this.handshakeTimeoutMs = (int) handshake.toMillis();
        this.stepTimeoutMs = (int) Math.min(Integer.MAX_VALUE, stepTimeout.toMillis());
        this.log = log;
        this.inProcess = inProcess;
        if (inProcess) LocalLink.registerServer(this.secret);
        this.acceptor = new Thread(this::acceptLoop, "sparkmlp-step-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static long key(int launch, int attempt) {
        return ((long) launch << 32) | (attempt & 0xffffffffL);
    }

    int port() {
        return server.getLocalPort();
    }

    InetAddress address() {
        return server.getInetAddress();
    }

    /** Connections refused so far (no or wrong secret, malformed or oversized hello, timeout). */
    int refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) log.accept("sparkmlp: step server stopped accepting: " + e);
                return;
            }
            Thread t = new Thread(() -> handshake(s), "sparkmlp-step-handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handshake(Socket s) {
        String peer = String.valueOf(s.getRemoteSocketAddress());
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(handshakeTimeoutMs);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            OutputStream out = s.getOutputStream();
            byte[] nonce = new byte[StepProtocol.NONCE_BYTES];
            random.nextBytes(nonce);
            ByteBuffer challenge = StepProtocol.startFrame(null, StepProtocol.CHALLENGE_BODY, StepProtocol.CHALLENGE);
            challenge.put(nonce);
            StepProtocol.writeFrame(out, challenge);

            int len = StepProtocol.readLength(in, StepProtocol.HELLO_BODY, StepProtocol.HELLO_BODY, "hello from " + peer);
            ByteBuffer b = StepProtocol.readBody(in, StepProtocol.buffer(len), len, StepProtocol.HELLO, "hello from " + peer);
            int magic = b.getInt();
            int version = b.getInt();
            int partition = b.getInt();
            int launch = b.getInt();
            int attempt = b.getInt();
            int flags = b.getInt();
            byte[] mac = new byte[StepProtocol.MAC_BYTES];
            b.get(mac);
            if (magic != StepProtocol.MAGIC || version != StepProtocol.VERSION) {
                throw new ProtocolException("hello from " + peer + ": magic " + Integer.toHexString(magic) + " version " + version
                        + ", expected " + Integer.toHexString(StepProtocol.MAGIC) + " version " + StepProtocol.VERSION);
            }
            if (!StepProtocol.macMatches(StepProtocol.mac(secret, nonce, partition, launch, attempt, flags), mac)) {
                throw new ProtocolException("hello from " + peer + ": wrong secret");
            }
            if (partition < 0 || partition >= partitions) {
                throw new ProtocolException("hello from " + peer + ": partition " + partition + ", expected 0.." + (partitions - 1));
            }
            LocalLink link = null;
            if ((flags & StepProtocol.IN_PROCESS) != 0) {
                link = inProcess ? LocalLink.take(secret, partition, launch, attempt) : null;
                if (link == null) {
                    throw new ProtocolException("hello from " + peer + ": in-process task of partition " + partition
                            + " without a link " + (inProcess ? "offered in this JVM" : "(in-process exchange is off)"));
                }
            }
            s.setSoTimeout(stepTimeoutMs);
            register(new Connection(partition, launch, attempt, s, in, out, link, stepTimeoutMs));
        } catch (IOException | RuntimeException e) {
            refused.incrementAndGet();
            if (!closed) log.accept("sparkmlp: step server refused a connection: " + e.getMessage());
            closeQuietly(s);
        }
    }

    private void register(Connection c) throws IOException {
        synchronized (lock) {
            if (closed) throw new SocketException("step server closed");
            if (c.launch <= stoppedLaunch) {
                sendStop(c);
                return;
            }
            Connection[] gen = generations.computeIfAbsent(c.generation(), k -> new Connection[partitions]);
            if (gen[c.partition] != null) {
                throw new ProtocolException("second connection for " + c + ", the first is " + gen[c.partition]);
            }
            gen[c.partition] = c;
            lock.notifyAll();
        }
    }

    /** Something that reports why the tasks will never connect (the job failed), by throwing. */
    interface Liveness {
        void check();
    }

    /**
     * Waits for all partitions of one generation of {@code launch} newer than {@code after}, and
     * closes every connection of older generations.
     *
     * @param liveness called while waiting; throws when waiting is pointless (the job ended)
     * @return the connections, indexed by partition
     */
    Connection[] awaitGeneration(int launch, long after, Duration timeout, Liveness liveness) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Connection[] full = null;
                for (Map.Entry<Long, Connection[]> e : generations.descendingMap().entrySet()) {
                    if (e.getKey() <= after || (int) (e.getKey() >>> 32) != launch) continue;
                    if (connected(e.getValue()) == partitions) {
                        full = e.getValue();
                        break;
                    }
                }
                if (full != null) {
                    long k = full[0].generation();
                    for (Iterator<Map.Entry<Long, Connection[]>> it = generations.entrySet().iterator(); it.hasNext(); ) {
                        Map.Entry<Long, Connection[]> e = it.next();
                        if (e.getKey() < k) {
                            closeAll(e.getValue());
                            it.remove();
                        }
                    }
                    return full;
                }
                if (closed) throw new IllegalStateException("step server closed");
                liveness.check();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Connection[] newest = generations.isEmpty() ? new Connection[partitions] : generations.lastEntry().getValue();
                    throw new IllegalStateException("persistent transport: " + connected(newest) + " of " + partitions
                            + " tasks connected to " + server.getInetAddress().getHostAddress() + ":" + port() + " within "
                            + timeout.toSeconds() + " s; missing partitions " + missing(newest)
                            + " (are all executors able to reach the driver at this address?)");
                }
                lock.wait(Math.min(100, Math.max(1, left / 1_000_000)));
            }
        }
    }

    /** Closes the connections of a generation and forgets it. */
    void discard(Connection[] gen) {
        synchronized (lock) {
            closeAll(gen);
            generations.values().remove(gen);
        }
    }

    /** Tells every task of launches up to {@code launch}, connected now or later, to stop. */
    void stopLaunch(int launch) {
        synchronized (lock) {
            stoppedLaunch = Math.max(stoppedLaunch, launch);
            for (Iterator<Map.Entry<Long, Connection[]>> it = generations.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Connection[]> e = it.next();
                if ((int) (e.getKey() >>> 32) <= launch) {
                    for (Connection c : e.getValue()) if (c != null) sendStop(c);
                    it.remove();
                }
            }
        }
    }

    private static void sendStop(Connection c) {
        try {
            if (c.link != null) c.link.sendStop();
            else StepProtocol.writeFrame(c.out, StepProtocol.startFrame(null, StepProtocol.STOP_BODY, StepProtocol.STOP));
        } catch (IOException ignored) {
            // the task is gone already
        } finally {
            c.closeQuietly();
        }
    }

    private static int connected(Connection[] gen) {
        int n = 0;
        for (Connection c : gen) if (c != null) n++;
        return n;
    }

    private static List<Integer> missing(Connection[] gen) {
        List<Integer> m = new ArrayList<>();
        for (int p = 0; p < gen.length; p++) if (gen[p] == null) m.add(p);
        return m;
    }

    private static void closeAll(Connection[] gen) {
        for (Connection c : gen) if (c != null) c.closeQuietly();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        if (inProcess) LocalLink.unregisterServer(secret);
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (lock) {
            for (Connection[] gen : generations.values()) closeAll(gen);
            generations.clear();
            lock.notifyAll();
        }
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The listening address as host:port. */
    @Override
    public String toString() {
        return new InetSocketAddress(server.getInetAddress(), port()).toString();
    }
}
