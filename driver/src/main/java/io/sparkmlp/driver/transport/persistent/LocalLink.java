package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

    /** A STEP or, with {@code evaluate}, an EVAL: the weights (read only) and the step number. */
    record Step(long step, float[] weights, boolean evaluate) {
    }

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

    void sendStep(long step, float[] weights, boolean evaluate) throws IOException {
        if (closed) throw new EOFException("in-process link of partition " + partition + " is closed");
        toTask.add(new Step(step, weights, evaluate));
    }

    void sendStop() {
        toTask.add(STOP);
    }

    /**
     * The task's partial of {@code step}, checked as a PARTIAL frame is: the partition, the step,
     * and {@code parameters} gradient values (or none, with no rows).
     *
     * @throws IOException when the task ended (with its reason), the link was closed, or no partial
     *         came within {@code timeoutMs}
     */
    GradientPartial receive(long step, int parameters, long timeoutMs) throws IOException {
        String what = "partial of partition " + partition + " at step " + step;
        GradientPartial p = (GradientPartial) await(step, false, timeoutMs, what);
        int n = p.gradSum().length;
        if (p.partition() != partition || n != (p.count() == 0 ? 0 : parameters) || p.count() < 0) {
            throw new StepProtocol.ProtocolException(what + ": partition " + p.partition() + " sent " + n
                    + " gradient values for " + p.count() + " rows");
        }
        return p;
    }

    /**
     * The task's evaluation of step {@code step}'s weights on its validation block; null when it has none.
     *
     * @param cells the size of the confusion matrix (classes², 0 for regression)
     */
    EvalMetrics receiveEvaluation(long step, int cells, long timeoutMs) throws IOException {
        String what = "evaluation of partition " + partition + " at step " + step;
        EvalMetrics m = (EvalMetrics) await(step, true, timeoutMs, what);
        if (m != null && (m.confusion() == null ? 0 : m.confusion().length) != cells) {
            throw new StepProtocol.ProtocolException(what + ": a confusion matrix of " + m.confusion().length
                    + " counts, expected " + cells);
        }
        return m;
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
            throw new StepProtocol.ProtocolException(what + ": reply is for " + (r.evaluation() ? "the evaluation" : "the step")
                    + " at step " + r.step());
        }
        return r.result();
    }

    /** Closes the link; a task waiting for a step wakes and ends. */
    void close() {
        closed = true;
        toTask.add(CLOSED);
    }

    // ----------------------------------------------------------------------------------- task side

    /**
     * The next request: a {@link Step}, or null for STOP.
     *
     * @param pollMs how long one wait lasts before {@code killed} is asked
     * @param idleMs how long to wait in all
     * @param killed throws when Spark has killed the task
     * @throws IOException when the driver closed the link or nothing came within {@code idleMs}
     */
    Step awaitRequest(int pollMs, long idleMs, Runnable killed) throws IOException {
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
            if (o != null) return (Step) o;
            killed.run();
            waited += pollMs;
            if (waited >= idleMs) throw new SocketTimeoutException("no step from the driver for " + waited + " ms");
        }
    }

    void reply(long step, GradientPartial partial) {
        toDriver.add(new Reply(step, false, partial));
    }

    /** @param metrics the evaluation of the task's validation block, or null when it has none */
    void replyEvaluation(long step, EvalMetrics metrics) {
        toDriver.add(new Reply(step, true, metrics));
    }

    /** The task is ending (STOP served, failure or kill): a driver waiting for a partial gets {@code why}. */
    void ended(String why) {
        toDriver.add(new Ended(why));
    }
}
