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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Waiting: a parked thread's wake-up costs tens of microseconds on a VM (the waker's unpark is an
 * inter-processor interrupt), twice a step. So each side expects its answer about as long after it
 * starts waiting as its last wait took (the kernel's time for the driver; the driver's merge and
 * update for a task): it parks until {@link #SPIN_WINDOW_NANOS} before that, then polls, spinning and
 * yielding, until as long after it, and only then parks for good; but only while the serving tasks and the
 * driver's thread fit on the machine's processors ({@link #spinning}): beyond, every side parks at once, since a
 * spinning thread would take a processor from one that computes.
 *
 * <p>Answering in the driver's thread: when the in-process tasks and the driver's thread are more than the
 * processors, the driver would sit parked while the tasks compute and the tasks while it merges and updates, and
 * every step would pay two wake-ups. Then the first task's link is answered {@link #runHere here}: its task offers
 * its request handler with the link ({@link Inline}), the driver's thread runs it when it reads that task's answer,
 * in partition order as always (after the requests to the others are out, so they compute meanwhile), and the task's
 * own thread only waits for STOP. The handler is the task's own code over the task's own blocks, so the answers and
 * the bits are those of the task's thread; one thread fewer computes, so the rest may spin.
 *
 * <p>Sharing the driver's passes: between its partial and its next request a task's queue may also carry an
 * {@link IdleTasks.Help}, parts of one of the driver's element-wise passes; the waiting task computes the parts
 * nobody has taken yet and goes on waiting, within the same expected wait.
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

    /**
     * A task's answer to a request, run by whichever thread calls it: a {@link GradientPartial}, or for an evaluation an
     * {@link EvalMetrics} (null: no validation block). Offered with the link; the driver's thread calls it once the link
     * is {@link #runHere answered here}, and the task's thread then no longer does.
     */
    interface Inline {
        Object answer(Request request);

        /** Frees what answering left in the calling thread (its kernel buffers). */
        void release();
    }

    private static final Object STOP = new Object();
    private static final Object CLOSED = new Object();

    /** A side spins from this long before the answer's expected arrival to as long after it. */
    static final long SPIN_WINDOW_NANOS = 300_000;

    /** In-process tasks of this JVM serving steps now. */
    private static final AtomicInteger SERVING = new AtomicInteger();
    /** Those of them whose requests the driver's thread answers ({@link #runHere}): their own threads only wait. */
    private static final AtomicInteger ANSWERED_HERE = new AtomicInteger();
    /** The machine's processors, read once (the call is not free, and it is asked twice a step). */
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    /**
     * Whether a waiting side may spin: only while this JVM's serving tasks and the driver's thread fit on the
     * machine's processors. With more threads than processors (local[2] on two vCPUs: two tasks and the driver) a
     * spinning task takes the processor from the driver's merge and update, and a spinning driver from a task's
     * kernel: measured on two vCPUs, steps of batch 128 took 2.03 ms spinning against 1.76 ms parking at once.
     */
    static boolean spinning() {
        return computing() + 1 <= PROCESSORS;
    }

    /** The in-process tasks of this JVM whose threads compute their answers. */
    private static int computing() {
        return SERVING.get() - ANSWERED_HERE.get();
    }

    /**
     * Whether the driver's thread should answer one more in-process task's requests itself: while those that compute
     * and the driver's thread are more than the processors (local[2] on two vCPUs: two tasks and the driver).
     */
    static boolean crowded() {
        return computing() + 1 > (assumedProcessors > 0 ? assumedProcessors : PROCESSORS);
    }

    /** Tests: the processor count {@link #crowded} assumes (0: the machine's), so that they decide either way. */
    static volatile int assumedProcessors;

    private final int partition;
    /** The task's handler, offered with the link; null: the task answers in its own thread only. */
    private final Inline inline;
    /** Set once by the driver's thread ({@link #runHere}); counted in {@link #ANSWERED_HERE} until the task ends. */
    private final AtomicBoolean answeredHere = new AtomicBoolean();
    /** The request the driver's thread answers when it reads the answer. Driver thread only. */
    private Request pending;
    /** The thread that has answered here (its buffers are released when the link closes). Driver thread only. */
    private Thread answering;
    /** Why the task ended, once it has (a link answered here learns it so). */
    private volatile String endedWhy;
    private final BlockingQueue<Object> toTask = new LinkedBlockingQueue<>();
    private final BlockingQueue<Object> toDriver = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    LocalLink(int partition) {
        this(partition, null);
    }

    /** @param inline the task's request handler, which the driver's thread may run ({@link #runHere}); null: none */
    LocalLink(int partition, Inline inline) {
        this.partition = partition;
        this.inline = inline;
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
            if (answeredHere.get()) {
                pending = request;
            } else {
                toTask.add(request);
            }
        }

        @Override
        public boolean answersHere() {
            return answeredHere.get();
        }

        @Override
        public boolean help(IdleTasks.Help help) {
            if (closed || endedWhy != null || answeredHere.get()) return false;
            toTask.add(help);
            return true;
        }

        @Override
        public boolean runHere() {
            if (inline == null || closed || endedWhy != null || !answeredHere.compareAndSet(false, true)) return answeredHere.get();
            ANSWERED_HERE.incrementAndGet();
            return true;
        }

        /** Checked as a PARTIAL frame is: the partition, the step, and the gradient values for the rows. */
        @Override
        public GradientPartial receivePartial(int partition, long step, int parameters) throws IOException {
            String what = "partial of partition " + partition + " at step " + step;
            GradientPartial p = (GradientPartial) answer(step, false, timeoutMs, what);
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
            EvalMetrics m = (EvalMetrics) answer(step, true, timeoutMs, what);
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
            if (answering == Thread.currentThread()) {
                answering = null;
                inline.release();
            }
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

    /** How long the driver's last wait for an answer took (its spin budget). Driver thread only. */
    private long driverWaitNanos;

    /** The task's answer to the request of {@code step}: computed here when the link is answered here, else awaited. */
    private Object answer(long step, boolean evaluation, long timeoutMs, String what) throws IOException {
        if (!answeredHere.get()) return await(step, evaluation, timeoutMs, what);
        Request r = pending;
        pending = null;
        if (r == null || r.step() != step || r.evaluate() != evaluation) {
            throw new ProtocolException(what + ": no such request was sent");
        }
        String why = endedWhy;
        if (why != null) throw new EOFException(what + ": the task ended (" + why + ")");
        answering = Thread.currentThread();
        return inline.answer(r);
    }

    private Object await(long step, boolean evaluation, long timeoutMs, String what) throws IOException {
        Object o;
        long start = System.nanoTime();
        try {
            o = pollSpinning(toDriver, Math.min(driverWaitNanos, TimeUnit.MILLISECONDS.toNanos(timeoutMs) / 2));
            if (o == null) o = toDriver.poll(timeoutMs, TimeUnit.MILLISECONDS);
            driverWaitNanos = System.nanoTime() - start;
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

    /**
     * The head of {@code queue} if it arrives by about {@code lastWaitNanos} + {@link #SPIN_WINDOW_NANOS}
     * from now, else null (see the class doc): parks until {@code SPIN_WINDOW_NANOS} before the expected
     * arrival (the answer may come sooner and end the park), then spins and yields until as long after it.
     */
    static Object pollSpinning(BlockingQueue<Object> queue, long lastWaitNanos) throws InterruptedException {
        Object o = queue.poll();
        if (o != null || !spinning()) return o;
        long start = System.nanoTime();
        long early = lastWaitNanos - SPIN_WINDOW_NANOS;
        if (early > 0) {
            o = queue.poll(early, TimeUnit.NANOSECONDS);
            if (o != null) return o;
        }
        long end = start + Math.max(early, 0) + 2 * SPIN_WINDOW_NANOS;
        for (int spins = 1; ; spins++) {
            if ((spins & 15) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
            o = queue.poll();
            if (o != null || System.nanoTime() - end >= 0) return o;
        }
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
        /** How long the last wait for a request took (the spin budget of the next). */
        private long taskWaitNanos;

        /** Whether {@link #ended} has been told (it counts this task out of {@link #SERVING} once). */
        private boolean over;

        TaskEnd(int pollMs, long idleMs, Runnable killed) {
            this.pollMs = pollMs;
            this.idleMs = idleMs;
            this.killed = killed;
            SERVING.incrementAndGet();
        }

        /** The driver's weights themselves (read only); {@code weights} is not used. */
        @Override
        public Request awaitRequest(float[] weights) throws IOException {
            long start = System.nanoTime();
            long expected = Math.min(taskWaitNanos, TimeUnit.MILLISECONDS.toNanos(pollMs));
            boolean first = true;
            while (true) {
                Object o;
                try {
                    // the first wait is shaped by the last one (at most one poll interval, so kills are noticed)
                    o = first ? pollSpinning(toTask, Math.max(0, expected - (System.nanoTime() - start)))
                            : toTask.poll(pollMs, TimeUnit.MILLISECONDS);
                    first = false;
                    taskWaitNanos = System.nanoTime() - start;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    killed.run();
                    throw new InterruptedIOException("interrupted while waiting for the driver");
                }
                if (o instanceof IdleTasks.Help help) {
                    help.work(true); // the driver's pass while it would wait anyway; then on to the request, as expected
                    first = true;
                    continue;
                }
                if (o == STOP) return null;
                if (o == CLOSED) throw new EOFException("the driver closed the in-process link");
                if (o != null) return (Request) o;
                killed.run();
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
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
            endedWhy = why;
            if (!over) {
                over = true;
                SERVING.decrementAndGet();
                if (answeredHere.getAndSet(false)) ANSWERED_HERE.decrementAndGet();
            }
            toDriver.add(new Ended(why));
        }
    }
}
