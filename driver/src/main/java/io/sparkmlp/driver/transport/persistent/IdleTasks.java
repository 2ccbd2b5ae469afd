package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.kernel.Ranges;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The driver's element-wise passes of a step (the merge of the partials, the optimizer's update, the finiteness
 * check) shared with the in-process tasks that wait for the next step meanwhile (local mode). Between sending its
 * partial and receiving the next request a task only gathers its next rows, then spins ({@link LocalLink}); at
 * 235,146 parameters the driver's update alone took 0.10–0.17 ms of that time, on memory it shares with them.
 *
 * <p>A pass is cut into parts of {@link #PART} values; the driver posts a {@link Help} on the links of the waiting
 * tasks and then takes parts itself, one at a time from the front, as does each task that reads the help before the
 * next request, from the back; the pass is over when every part is done. From step to step a part is thus mostly
 * computed by the same thread, and its arrays stay in that thread's caches (with parts handed out in one order, the
 * time outside the kernel at local[1] was 0.11 or 0.21 ms from run to run, with the two ends 0.11–0.14 ms). A task
 * that is still gathering its rows or is slow to wake takes fewer parts or none: the driver never waits for a part
 * nobody has taken. The bodies are element-wise ({@link Ranges}),
 * so the bits are those of the serial pass whoever computes which part.
 *
 * <p>Only while waiting tasks spin ({@link LocalLink#spinning}): a parked task would have to be woken, and with more
 * threads than processors it would take a processor from the driver. Driver's thread only.
 */
public final class IdleTasks implements Ranges {

    /** Values per part: 32 KB of floats, about 2–4 µs of an update; 29 parts at 235,146 parameters. */
    static final int PART = 8192;
    /** Passes of fewer parts than this run on the driver alone: a hand-off would cost more than it saves. */
    static final int MIN_PARTS = 4;

    /** Parts computed by tasks in this JVM so far (tests). */
    private static final AtomicLong PARTS_BY_TASKS = new AtomicLong();

    /** The channels of the running generation that the driver exchanges with; null before the first round. */
    private final Supplier<StepServer.Connection[]> heads;

    IdleTasks(Supplier<StepServer.Connection[]> heads) {
        this.heads = heads;
    }

    /**
     * Passes with no task to share them: all on the calling thread, through this class's code (the start-up warm-up
     * calls the step's code as a run does, so that what the JIT compiles for it still fits the run).
     */
    public static Ranges alone() {
        return new IdleTasks(() -> null);
    }

    @Override
    public void forEach(int n, Body body) {
        int parts = (int) ((n + (long) PART - 1) / PART);
        StepServer.Connection[] hs = heads.get();
        if (parts < MIN_PARTS || hs == null || !LocalLink.spinning()) {
            SERIAL.forEach(n, body);
            return;
        }
        Help help = new Help(body, n, PART, parts);
        boolean posted = false;
        for (StepServer.Connection c : hs) posted |= c.channel.help(help);
        if (!posted) {
            SERIAL.forEach(n, body);
            return;
        }
        help.work(false);
        help.awaitDone();
    }

    /** The parts tasks of this JVM have computed so far. */
    static long partsByTasks() {
        return PARTS_BY_TASKS.get();
    }

    /**
     * One pass, as a task's link carries it: the parts not yet taken, and those done. A task that reads it after the
     * pass is over finds no part left and goes on waiting for its request.
     */
    static final class Help {
        private final Body body;
        private final int n;
        private final int part;
        private final int parts;
        /**
         * The parts not taken yet, {@code [front, back)}, packed as {@code front << 32 | back}: the driver takes them
         * from the front, the tasks from the back, so that from step to step a part is mostly computed by the same
         * thread and its arrays stay in that thread's caches.
         */
        private final AtomicLong open;
        private final AtomicInteger done = new AtomicInteger();
        /** The first failure of a part (a bug: the bodies are array loops), thrown to the driver. */
        private volatile Throwable failed;

        Help(Body body, int n, int part, int parts) {
            this.body = body;
            this.n = n;
            this.part = part;
            this.parts = parts;
            this.open = new AtomicLong(parts);
        }

        /** The next part for the driver (from the front) or a task (from the back); -1 when none is left. */
        private int take(boolean task) {
            while (true) {
                long o = open.get();
                int front = (int) (o >>> 32);
                int back = (int) o;
                if (front >= back) return -1;
                long taken = task ? (long) front << 32 | (back - 1) : (long) (front + 1) << 32 | back;
                if (open.compareAndSet(o, taken)) return task ? back - 1 : front;
            }
        }

        /**
         * Takes parts and runs them until none is left.
         *
         * @param task whether a task's thread calls it (from the back, counted), not the driver's (from the front)
         */
        void work(boolean task) {
            for (int k; (k = take(task)) >= 0; ) {
                try {
                    body.run(k * part, (int) Math.min(n, (long) (k + 1) * part)); // k · part < n
                } catch (RuntimeException | Error e) {
                    if (failed == null) failed = e;
                } finally {
                    if (task) PARTS_BY_TASKS.incrementAndGet();
                    done.incrementAndGet();
                }
            }
        }

        /** Returns once every part is done (the last ones taken by tasks: a few microseconds each). */
        private void awaitDone() {
            for (int spins = 1; done.get() < parts; spins++) {
                if ((spins & 63) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            Throwable e = failed;
            if (e != null) throw new IllegalStateException("a part of the driver's pass failed: " + e, e);
        }
    }
}
