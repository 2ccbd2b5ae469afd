package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Hello;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Place;
import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's links in the {@link Tree}, executor side: up to its parent task (it says HELLO there as it does
 * to the driver: {@link #joinParent}), and down to its children, which it accepts on a server socket of
 * its own and checks as the driver checks tasks ({@link #accept}: a fresh CHALLENGE, a HELLO under the
 * run's secret from one of its children of the same launch and stage attempt, every later frame sealed
 * by {@link FrameCipher} when the run encrypts; anyone else is refused and the wait goes on). Each
 * request is written to all children at once (one thread each) while the task computes its own answer;
 * then their block sums are read in partition order and added to its own partial in the order of
 * {@link MergeTree}, and evaluations are handed up one partition after another.
 */
final class TreeRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TreeRelay.class);

    /** One child's end of its link: the parent writes requests and reads answers. */
    private record Child(int partition, int extent, Socket socket, DataInputStream in, StepProtocol.Reader reader,
                         StepProtocol.Writer writer) {
    }

    private final Tree tree;
    private final int partition;
    private final Child[] children;
    private final int pollMs;
    private final int idleMs;
    private final Runnable killed;
    private final ExecutorService senders;
    private final List<Future<?>> sending = new ArrayList<>();
    /** The request's frame, encoded once and written to every child. */
    private ByteBuffer frame;
    /** Each child's gradient buffer, reused from step to step. */
    private final float[][] grads;
    /** Adds the block's partials, and the buffer of their sum, kept from step to step (made at the first step). */
    private MergeTree merger;
    private float[] blockSum;

    private TreeRelay(Tree tree, int partition, Child[] children, int pollMs, int idleMs, Runnable killed) {
        this.tree = tree;
        this.partition = partition;
        this.children = children;
        this.pollMs = pollMs;
        this.idleMs = idleMs;
        this.killed = killed;
        this.grads = new float[children.length][];
        this.senders = Executors.newFixedThreadPool(children.length, r -> {
            Thread t = new Thread(r, "sparkmlp-tree-send-" + partition);
            t.setDaemon(true);
            return t;
        });
    }

    /** A server socket for this task's children on {@code local} (the address its driver connection leaves from), any free port. */
    static ServerSocket listen(InetAddress local) throws IOException {
        return new ServerSocket(0, 50, local);
    }

    /**
     * Connects to the parent task where {@code place} says and says HELLO as to the driver; the returned
     * end reads the requests the parent relays and answers them.
     */
    static TcpChannel.TaskEnd joinParent(Place place, int parent, int partition, int launch, int attempt, byte[] secret,
                                         boolean encrypt, int connectMs, int pollMs, int idleMs, Runnable killed) throws IOException {
        Socket s = PersistentTask.open(place.parent().getHostAddress(), place.parentPort(), connectMs);
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            StepProtocol.Reader reader = new StepProtocol.Reader(in);
            StepProtocol.Writer writer = new StepProtocol.Writer(s.getOutputStream());
            byte[] nonce = reader.challenge();
            Hello hello = new Hello(partition, launch, attempt, encrypt ? StepProtocol.ENCRYPTED : 0);
            writer.hello(hello, secret, nonce);
            if (encrypt) TcpChannel.seal(reader, writer, secret, nonce, hello.nonce(), false);
            return new TcpChannel.TaskEnd(s, in, reader, writer, pollMs, idleMs, killed, "parent task " + parent);
        } catch (IOException | RuntimeException e) {
            TcpChannel.closeQuietly(s);
            throw e;
        }
    }

    /**
     * Accepts this task's children on {@code server} within {@code deadlineMs}: each must answer a fresh
     * challenge with the run's secret, as one of {@link Tree#children} of this launch and attempt.
     *
     * @param killed throws when Spark has killed the task (checked every {@code pollMs} while waiting)
     */
    static TreeRelay accept(ServerSocket server, Tree tree, int partition, int launch, int attempt, byte[] secret, boolean encrypt,
                            int deadlineMs, int pollMs, int idleMs, Runnable killed) throws IOException {
        int[] expected = tree.children(partition);
        Child[] children = new Child[expected.length];
        SecureRandom random = new SecureRandom();
        long deadline = System.nanoTime() + deadlineMs * 1_000_000L;
        int connected = 0;
        try {
            while (connected < expected.length) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("task of partition " + partition + ": " + connected + " of its "
                            + expected.length + " children connected within " + deadlineMs + " ms");
                }
                server.setSoTimeout((int) Math.min(left, pollMs));
                Socket s;
                try {
                    s = server.accept();
                } catch (SocketTimeoutException e) {
                    killed.run();
                    continue;
                }
                String peer = String.valueOf(s.getRemoteSocketAddress());
                try {
                    s.setTcpNoDelay(true);
                    s.setKeepAlive(true);
                    s.setSoTimeout((int) Math.max(1, left));
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
                    StepProtocol.Reader reader = new StepProtocol.Reader(in);
                    StepProtocol.Writer writer = new StepProtocol.Writer(s.getOutputStream());
                    byte[] nonce = new byte[StepProtocol.NONCE_BYTES];
                    random.nextBytes(nonce);
                    writer.challenge(nonce);
                    Hello hello = reader.hello(secret, nonce, tree.partitions, peer);
                    int i = indexOf(expected, hello.partition());
                    if (i < 0 || children[i] != null || hello.launch() != launch || hello.attempt() != attempt
                            || hello.encrypted() != encrypt || hello.inProcess()) {
                        throw new ProtocolException("hello from " + peer + " to the task of partition " + partition + ": " + hello
                                + ", expected one of the children " + Arrays.toString(expected) + " of launch " + launch
                                + ", attempt " + attempt + (encrypt ? ", encrypted" : ", in clear"));
                    }
                    if (encrypt) TcpChannel.seal(reader, writer, secret, nonce, hello.nonce(), true);
                    s.setSoTimeout(idleMs);
                    children[i] = new Child(expected[i], tree.extent(expected[i]), s, in, reader, writer);
                    connected++;
                } catch (IOException | RuntimeException e) {
                    TcpChannel.closeQuietly(s);
                    LOG.warn("task of partition {} refused a connection: {}", partition, e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Child c : children) if (c != null) TcpChannel.closeQuietly(c.socket);
            throw e;
        }
        return new TreeRelay(tree, partition, children, pollMs, idleMs, killed);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    /** Starts writing {@code request} to every child at once; {@link #sum} and {@link #handUpEvaluations} wait for it. */
    void send(Request request) {
        frame = StepProtocol.encode(frame, request);
        ByteBuffer f = frame;
        for (Child c : children) sending.add(senders.submit(() -> {
            c.writer.frame(f);
            return null;
        }));
    }

    private void awaitSent() throws IOException {
        try {
            for (Future<?> f : sending) f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IllegalStateException("relaying a request to a child failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while relaying a request", e);
        } finally {
            sending.clear();
        }
    }

    /** {@code own} plus the block sums of the children at {@code step}: the sum of the block this task heads. */
    GradientPartial sum(GradientPartial own, long step, int parameters) throws IOException {
        awaitSent();
        List<GradientPartial> parts = new ArrayList<>(children.length + 1);
        parts.add(own);
        for (int i = 0; i < children.length; i++) {
            Child c = children[i];
            TcpChannel.awaitFrame(c.socket, c.in, pollMs, idleMs, killed, "partial of child task " + c.partition);
            if (grads[i] == null || grads[i].length != parameters) grads[i] = new float[parameters];
            parts.add(c.reader.partial(c.partition, step, grads[i]));
        }
        if (blockSum == null || blockSum.length != parameters) {
            merger = new MergeTree(parameters);
            blockSum = new float[parameters];
        }
        // handed up before the next request, so the buffer is free again by then
        return merger.sumInto(parts, partition, tree.size(partition), blockSum, partition);
    }

    /** Hands up the children's evaluations of {@code step}, every partition of their blocks in order. */
    void handUpEvaluations(StepChannel.TaskEnd up, long step, int cells) throws IOException {
        awaitSent();
        for (Child c : children) {
            for (int p = c.partition; p < c.partition + c.extent; p++) {
                TcpChannel.awaitFrame(c.socket, c.in, pollMs, idleMs, killed, "evaluation of child task " + c.partition);
                up.sendEvaluation(p, step, c.reader.evaluated(p, step, cells), cells);
            }
        }
    }

    /** Relays STOP to every child. */
    void stop() {
        for (Child c : children) {
            try {
                c.writer.stop();
            } catch (IOException e) {
                LOG.debug("task of partition {}: child {} gone before STOP: {}", partition, c.partition, e.toString());
            }
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        for (Child c : children) TcpChannel.closeQuietly(c.socket);
    }
}
