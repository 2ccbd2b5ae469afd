package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the persistent transport: a TCP server on the driver's bind address (any free
 * port, or the first free one of a configured range) that lets in only tasks that answer a fresh
 * challenge with the run's secret, and groups them into generations, one per (launch, stage attempt)
 * of the barrier stage.
 *
 * <p>An accepted connection is handshaken by a thread of a bounded pool ({@code maxHandshakes}
 * threads, no queue): CHALLENGE with 32 random bytes, then exactly one HELLO frame of the exact
 * length, whose HMAC over (nonce, partition, launch, attempt, flags, hello nonce) must match
 * ({@link StepProtocol.Reader#hello}), all before an absolute deadline from the accept (a timer closes
 * the socket then, however slowly bytes arrive). A connection beyond the cap is closed at once.
 * Anything refused is closed and logged (WARN, at most once per {@link #REFUSAL_LOG_INTERVAL_NANOS},
 * with the number refused meanwhile); the server and the run carry on. With {@code encrypt}, both
 * ends seal every later frame ({@link FrameCipher}). Sockets keep TCP keepalive on, so a peer that
 * vanished without a FIN is noticed by the system. When Spark reports an executor lost,
 * {@link #hostLost} closes the generations with a task on its host.
 */
final class StepServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StepServer.class);

    /** Refusals are logged at most once per this interval; the rest are counted into the next line. */
    static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** One authenticated task of one generation, and its end of the step channel. */
    static final class Connection {
        final int partition;
        final int launch;
        final int attempt;
        final StepChannel.DriverEnd channel;
        /** The task's address (the driver's own for an in-process task). */
        final InetAddress peer;
        /** Where the task accepts its children in the {@link Tree}; 0 when it has none. */
        final int treePort;

        Connection(StepProtocol.Hello hello, StepChannel.DriverEnd channel, InetAddress peer) {
            this.partition = hello.partition();
            this.launch = hello.launch();
            this.attempt = hello.attempt();
            this.channel = channel;
            this.peer = peer;
            this.treePort = hello.treePort();
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
    private final int maxHandshakes;
    private final boolean encrypt;
    private final boolean inProcess;
    private final SecureRandom random = new SecureRandom();
    /** Runs handshakes: at most maxHandshakes at once, none queued. */
    private final ThreadPoolExecutor handshakes;
    /** Closes a handshaking socket at its absolute deadline. */
    private final ScheduledThreadPoolExecutor deadlines;
    /** Sockets between accept and the end of their handshake (closed by {@link #close}). */
    private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
    private final RefusalLog refusals = new RefusalLog(REFUSAL_LOG_INTERVAL_NANOS);
    private final Object lock = new Object();
    /** generation key → connections by partition (null where not yet connected). Guarded by lock. */
    private final TreeMap<Long, Connection[]> generations = new TreeMap<>();
    /** Connections of launches up to this one are told STOP on arrival. Guarded by lock. */
    private int stoppedLaunch = 0;
    private volatile boolean closed;
    private final Thread acceptor;

    /**
     * @param bind the address to listen on (the driver's bind address)
     * @param secret the run's secret. Not modified.
     * @param options the port or port range, the handshake deadline and cap, the step timeout, whether
     *        frames are encrypted and whether tasks in this JVM may exchange steps through a {@link LocalLink}
     * @throws BindException when every port of the configured range is taken
     */
    StepServer(InetAddress bind, byte[] secret, int partitions, PersistentTransport.Options options) throws IOException {
        this.server = listen(bind, options.portLow(), options.portHigh());
        this.secret = secret.clone();
        this.partitions = partitions;
        this.handshakeTimeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, options.handshake().toMillis()));
        this.stepTimeoutMs = (int) Math.min(Integer.MAX_VALUE, options.step().toMillis());
        this.maxHandshakes = options.maxHandshakes();
        this.encrypt = options.encrypt();
        this.inProcess = options.inProcess();
        this.handshakes = new ThreadPoolExecutor(0, maxHandshakes, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("sparkmlp-step-handshake"));
        this.deadlines = new ScheduledThreadPoolExecutor(1, daemon("sparkmlp-step-handshake-deadline"));
        deadlines.setRemoveOnCancelPolicy(true);
        if (inProcess) LocalLink.registerServer(this.secret);
        this.acceptor = new Thread(this::acceptLoop, "sparkmlp-step-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server socket on {@code bind}: any free port when {@code low} is 0, else the first free one of low..high. */
    private static ServerSocket listen(InetAddress bind, int low, int high) throws IOException {
        if (low == 0) return new ServerSocket(0, 50, bind);
        for (int port = low; port <= high; port++) {
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new InetSocketAddress(bind, port), 50);
                return s;
            } catch (BindException e) {
                s.close();
                LOG.debug("step server: port {} on {} is taken: {}", port, bind, e.getMessage());
            }
        }
        throw new BindException("every port of transport.port = " + low + "-" + high + " is taken on " + bind.getHostAddress());
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
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
            handshaking.add(s);
            try {
                handshakes.execute(() -> handshake(s));
            } catch (RejectedExecutionException e) {
                handshaking.remove(s);
                TcpChannel.closeQuietly(s);
                refused(s.getRemoteSocketAddress() + ": " + maxHandshakes + " connections are authenticating already"
                        + " (transport.maxHandshakes)");
            }
        }
    }

    /** Logs a refused connection, at most once per {@link #REFUSAL_LOG_INTERVAL_NANOS} with the count of the others. */
    private void refused(String why) {
        if (closed) return;
        String line = refusals.admit(why, System.nanoTime());
        if (line != null) LOG.warn("step server {} refused a connection: {}", this, line);
    }

    /**
     * CHALLENGE, then one HELLO; the channel is chosen here, once: the in-memory link the task
     * offered when its (authenticated) HELLO says IN_PROCESS, else frames over this connection.
     */
    private void handshake(Socket s) {
        String peer = String.valueOf(s.getRemoteSocketAddress());
        StepChannel.DriverEnd channel = null;
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            TcpChannel.closeQuietly(s);
        }, handshakeTimeoutMs, TimeUnit.MILLISECONDS);
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout(handshakeTimeoutMs);
            StepProtocol.Reader reader = new StepProtocol.Reader(new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16)));
            StepProtocol.Writer writer = new StepProtocol.Writer(s.getOutputStream());
            byte[] nonce = new byte[StepProtocol.NONCE_BYTES];
            random.nextBytes(nonce);
            writer.challenge(nonce);
            StepProtocol.Hello hello = reader.hello(secret, nonce, partitions, peer);
            if (!deadline.cancel(false)) throw new SocketException("closed at the handshake deadline");
            if (hello.encrypted() != encrypt) {
                throw new ProtocolException("hello from " + peer + ": frames " + (hello.encrypted() ? "encrypted" : "in clear")
                        + ", but this run " + (encrypt ? "encrypts every frame" : "sends them in clear"));
            }
            s.setSoTimeout(stepTimeoutMs);
            if (hello.inProcess()) {
                channel = inProcessChannel(hello, s, peer);
            } else {
                if (encrypt) TcpChannel.seal(reader, writer, secret, nonce, hello.nonce(), true);
                channel = new TcpChannel.DriverEnd(s, reader, writer);
            }
            register(new Connection(hello, channel, s.getInetAddress()));
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            refused(expired.get() ? "hello from " + peer + ": none complete within the handshake deadline of "
                    + handshakeTimeoutMs + " ms (transport.handshakeTimeout)" : e.getMessage());
            if (channel != null) channel.close();
            else TcpChannel.closeQuietly(s);
        } finally {
            handshaking.remove(s);
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

    /**
     * An executor on {@code host} was lost: closes every connection of each generation with a task
     * connected from there over TCP, so that a round waiting on it ends now rather than at the step
     * timeout (the stage attempt is lost anyway; Spark runs the next one).
     */
    void hostLost(String host) {
        Set<InetAddress> lost;
        try {
            lost = Set.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | IllegalArgumentException e) {
            LOG.debug("step server {}: lost executor host {} does not resolve: {}", this, host, e.toString());
            return;
        }
        synchronized (lock) {
            for (Map.Entry<Long, Connection[]> e : generations.entrySet()) {
                for (Connection c : e.getValue()) {
                    if (c != null && !c.channel.inProcess() && lost.contains(c.peer)) {
                        LOG.info("step server {}: executor host {} lost; closing launch {} attempt {}", this, host,
                                e.getKey() >>> 32, (int) (long) e.getKey());
                        closeAll(e.getValue());
                        break;
                    }
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
        for (Socket s : handshaking) TcpChannel.closeQuietly(s);
        handshakes.shutdownNow();
        deadlines.shutdownNow();
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
