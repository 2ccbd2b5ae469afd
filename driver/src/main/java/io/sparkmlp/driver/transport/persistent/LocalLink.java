package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;

import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The step exchange of a persistent task that runs in the driver's own JVM (local mode): the same
 * conversation as the STEP, PARTIAL, EVAL, EVALUATED and STOP frames, as objects handed over in memory. The weights
 * array goes to the task as it is (tasks only read it, and the driver does not change it until all
 * partials of the step are in) and the task's partial comes back as it is, so a step costs no
 * encoding, no copy through the loopback socket and no decoding: in local mode that was most of
 * the step overhead (about 0.5 ms per 0.94 MB crossing the socket).
 *
 * <p>The TCP connection and its authentication stay as they are: a task looks for the run's
 * server in this JVM's registry ({@link #serverInThisJvm}), which only a holder of the run's
 * secret can name; if it is there, it {@link #offer}s a link, says IN_PROCESS in its
 * (HMAC-checked) HELLO, and the server {@link #take}s the link for that task. Anything else
 * talks frames.
 *
 * <p>Ending: whatever ends the task (STOP, a failure, Spark killing it) posts an end marker, so a
 * driver waiting for a partial learns at once, as it would from a closed socket; the driver
 * closing the link (a generation discarded) wakes a waiting task likewise.
 */
final class LocalLink {

    /** Servers of this JVM that accept in-process tasks, by hex of their run's secret. */
    private static final Set<String> SERVERS = ConcurrentHashMap.newKeySet();
    /** Links offered by tasks and not yet taken by their server's handshake. */
    private static final ConcurrentHashMap<String, LocalLink> PENDING = new ConcurrentHashMap<>();

    /** A task's answer: a {@link GradientPartial}, or for an evaluation an {@link EvalMetrics} (null: no validation block). */
    private record Reply(long step, boolean evaluation, Object result) {
    }

    private record Ended(String why) {
    }

    private static final Object STOP = new Object();
    private static final Object CLOSED = new Object();

    private final int partition;
    private final BlockingQueue<Object> toTask = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> toDriver = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    LocalLink(int partition) {
        this.partition = partition;
    }

    // ------------------------------------------------------------------------------------ registry

    static void registerServer(byte[] secret) {
        SERVERS.add(HexFormat.of().formatHex(secret));
    }

    /** Forgets the server and drops the links offered to it that it never took. */
    static void unregisterServer(byte[] secret) {
        String hex = HexFormat.of().formatHex(secret);
        SERVERS.remove(hex);
        PENDING.keySet().removeIf(k -> k.startsWith(hex));
    }

    /** Whether the server of the run with this secret lives in this JVM and accepts in-process tasks. */
    static boolean serverInThisJvm(byte[] secret) {
        return SERVERS.contains(HexFormat.of().formatHex(secret));
    }

    /** A task's offer, before its HELLO: the link for (partition, launch, attempt) of the run. */
    static void offer(byte[] secret, int partition, int launch, int attempt, LocalLink link) {
        PENDING.put(key(secret, partition, launch, attempt), link);
    }

    /** The server's side of an IN_PROCESS hello: the link that task offered, or null. */
    static LocalLink take(byte[] secret, int partition, int launch, int attempt) {
        LocalLink link = PENDING.remove(key(secret, partition, launch, attempt));
        return link != null && link.partition == partition ? link : null;
    }

    private static String key(byte[] secret, int partition, int launch, int attempt) {
        return HexFormat.of().formatHex(secret) + "/" + partition + "/" + launch + "/" + attempt;
    }

    // --------------------------------------------------------------------------------- driver side

    /**
     * The driver's end, once the server has taken the link: it owns the task's (idle) TCP
     * connection, closed with the link.
     *
     * @param timeoutMs how long the driver waits for one answer
     */
    StepChannel.DriverEnd driverEnd(Socket socket, long timeoutMs) {
        return new DriverEnd(socket, timeoutMs);
    }

    private final class DriverEnd implements StepChannel.DriverEnd {
        private final Socket socket;
        private final long timeoutMs;

        DriverEnd(Socket socket, long timeoutMs) {
            this.socket = socket;
            this.timeoutMs = timeoutMs;
        }

        /** The weights themselves go to the task; no frame is made. */
        @Override
        public void send(Request request, Supplier<ByteBuffer> frame) throws IOException {
            if (closed) throw new EOFException("in-process link of partition " + partition + " is closed");
            toTask.add(request);
        }

        /** Checked as a PARTIAL frame is: the partition, the step, and the gradient values for the rows. */
        @Override
        public GradientPartial receivePartial(int partition, long step, int parameters) throws IOException {
            String what = "partial of partition " + partition + " at step " + step;
            GradientPartial p = (GradientPartial) await(step, false, timeoutMs, what);
            int n = p.gradSum().length;
            if (p.partition() != partition || n != (p.count() == 0 ? 0 : parameters) || p.count() < 0) {
                throw new ProtocolException(what + ": partition " + p.partition() + " sent " + n
                        + " gradient values for " + p.count() + " rows");
            }
            return p;
        }

        @Override
        public EvalMetrics receiveEvaluation(int partition, long step, int cells) throws IOException {
            String what = "evaluation of partition " + partition + " at step " + step;
            EvalMetrics m = (EvalMetrics) await(step, true, timeoutMs, what);
            if (m != null && (m.confusion() == null ? 0 : m.confusion().length) != cells) {
                throw new ProtocolException(what + ": a confusion matrix of " + m.confusion().length + " counts, expected " + cells);
            }
            return m;
        }

        @Override
        public void stop() {
            toTask.add(STOP);
            close();
        }

        @Override
        public void close() {
            closed = true;
            toTask.add(CLOSED);
            TcpChannel.closeQuietly(socket);
        }

        @Override
        public boolean inProcess() {
            return true;
        }

        @Override
        public String toString() {
            return socket.getRemoteSocketAddress() + ", in process";
        }
    }

    private Object await(long step, boolean evaluation, long timeoutMs, String what) throws IOException {
        Object o;
        try {
            o = toDriver.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the " + what);
        }
        if (o == null) throw new SocketTimeoutException(what + ": none within " + timeoutMs + " ms");
        if (o instanceof Ended e) throw new EOFException(what + ": the task ended (" + e.why() + ")");
        Reply r = (Reply) o;
        if (r.step() != step || r.evaluation() != evaluation) {
            throw new ProtocolException(what + ": reply is for " + (r.evaluation() ? "the evaluation" : "the step")
                    + " at step " + r.step());
        }
        return r.result();
    }

    // ----------------------------------------------------------------------------------- task side

    /**
     * The task's end.
     *
     * @param pollMs how long one wait lasts before {@code killed} is asked
     * @param idleMs how long to wait for a request in all
     * @param killed throws when Spark has killed the task
     */
    StepChannel.TaskEnd taskEnd(int pollMs, long idleMs, Runnable killed) {
        return new TaskEnd(pollMs, idleMs, killed);
    }

    private final class TaskEnd implements StepChannel.TaskEnd {
        private final int pollMs;
        private final long idleMs;
        private final Runnable killed;

        TaskEnd(int pollMs, long idleMs, Runnable killed) {
            this.pollMs = pollMs;
            this.idleMs = idleMs;
            this.killed = killed;
        }

        /** The driver's weights themselves (read only); {@code weights} is not used. */
        @Override
        public Request awaitRequest(float[] weights) throws IOException {
            long waited = 0;
            while (true) {
                Object o;
                try {
                    o = toTask.poll(pollMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    killed.run();
                    throw new InterruptedIOException("interrupted while waiting for the driver");
                }
                if (o == STOP) return null;
                if (o == CLOSED) throw new EOFException("the driver closed the in-process link");
                if (o != null) return (Request) o;
                killed.run();
                waited += pollMs;
                if (waited >= idleMs) throw new SocketTimeoutException("no step from the driver for " + waited + " ms");
            }
        }

        @Override
        public void sendPartial(long step, GradientPartial partial) {
            toDriver.add(new Reply(step, false, partial));
        }

        @Override
        public void sendEvaluation(int partition, long step, EvalMetrics metrics, int cells) {
            toDriver.add(new Reply(step, true, metrics));
        }

        @Override
        public void ended(String why) {
            toDriver.add(new Ended(why));
        }
    }
}
