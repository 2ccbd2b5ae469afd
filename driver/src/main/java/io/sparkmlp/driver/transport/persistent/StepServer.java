package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the persistent transport: a TCP server on the driver's bind address that
 * lets in only tasks that answer a fresh challenge with the run's secret, and groups them into
 * generations, one per (launch, stage attempt) of the barrier stage.
 *
 * <p>Each accepted connection gets its own short-lived handshake thread: CHALLENGE with 32 random
 * bytes, then exactly one HELLO frame of the exact length within the handshake timeout, whose
 * HMAC over (nonce, partition, launch, attempt, flags) must match ({@link StepProtocol.Reader#hello}).
 * Anything else is logged (WARN) and closed; the server and the run carry on.
 */
final class StepServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StepServer.class);

    /** One authenticated task of one generation, and its end of the step channel. */
    static final class Connection {
        final int partition;
        final int launch;
        final int attempt;
        final StepChannel.DriverEnd channel;

        Connection(StepProtocol.Hello hello, StepChannel.DriverEnd channel) {
            this.partition = hello.partition();
            this.launch = hello.launch();
            this.attempt = hello.attempt();
            this.channel = channel;
        }

        long generation() {
            return key(launch, attempt);
        }

        @Override
        public String toString() {
            return "partition " + partition + " (launch " + launch + ", attempt " + attempt + ", " + channel + ")";
        }
    }

    private final ServerSocket server;
    private final byte[] secret;
    private final int partitions;
    private final int handshakeTimeoutMs;
    private final int stepTimeoutMs;
    private final boolean inProcess;
    private final SecureRandom random = new SecureRandom();
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
    StepServer(InetAddress bind, byte[] secret, int partitions, Duration handshake, Duration stepTimeout, boolean inProcess)
            throws IOException {
        this.server = new ServerSocket(0, 50, bind);
        this.secret = secret.clone();
        this.partitions = partitions;
        this.handshakeTimeoutMs = (int) handshake.toMillis();
        this.stepTimeoutMs = (int) Math.min(Integer.MAX_VALUE, stepTimeout.toMillis());
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

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.warn("step server {} stopped accepting connections: {}", this, e.toString());
                return;
            }
            Thread t = new Thread(() -> handshake(s), "sparkmlp-step-handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * CHALLENGE, then one HELLO; the channel is chosen here, once: the in-memory link the task
     * offered when its (authenticated) HELLO says IN_PROCESS, else frames over this connection.
     */
    private void handshake(Socket s) {
        String peer = String.valueOf(s.getRemoteSocketAddress());
        StepChannel.DriverEnd channel = null;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(handshakeTimeoutMs);
            StepProtocol.Reader reader = new StepProtocol.Reader(new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16)));
            StepProtocol.Writer writer = new StepProtocol.Writer(s.getOutputStream());
            byte[] nonce = new byte[StepProtocol.NONCE_BYTES];
            random.nextBytes(nonce);
            writer.challenge(nonce);
            StepProtocol.Hello hello = reader.hello(secret, nonce, partitions, peer);
            s.setSoTimeout(stepTimeoutMs);
            channel = hello.inProcess() ? inProcessChannel(hello, s, peer) : new TcpChannel.DriverEnd(s, reader, writer);
            register(new Connection(hello, channel));
        } catch (IOException | RuntimeException e) {
            if (!closed) LOG.warn("step server {} refused a connection: {}", this, e.getMessage());
            if (channel != null) channel.close();
            else TcpChannel.closeQuietly(s);
        }
    }

    private StepChannel.DriverEnd inProcessChannel(StepProtocol.Hello hello, Socket s, String peer) throws ProtocolException {
        LocalLink link = inProcess ? LocalLink.take(secret, hello.partition(), hello.launch(), hello.attempt()) : null;
        if (link == null) {
            throw new ProtocolException("hello from " + peer + ": in-process task of partition " + hello.partition()
                    + " without a link " + (inProcess ? "offered in this JVM" : "(in-process exchange is off)"));
        }
        return link.driverEnd(s, stepTimeoutMs);
    }

    private void register(Connection c) throws IOException {
        synchronized (lock) {
            if (closed) throw new SocketException("step server closed");
            if (c.launch <= stoppedLaunch) {
                c.channel.stop();
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
                    for (Connection c : e.getValue()) if (c != null) c.channel.stop();
                    it.remove();
                }
            }
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
        for (Connection c : gen) if (c != null) c.channel.close();
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
