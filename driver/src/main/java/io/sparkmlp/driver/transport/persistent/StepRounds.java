package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import io.sparkmlp.kernel.Ranges;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Round trips with the running stage: one request (a step's weights, or weights to evaluate) to
 * the tasks the driver exchanges with (every task in the star; the heads of the {@link Tree}'s blocks
 * otherwise, which relay it), written to all of them at once, and their answers read in partition
 * order. When a task is lost on the way, the round waits for Spark's next attempt of the stage and is
 * sent again: an answer is a pure function of (weights, step, partition), so nothing else needs
 * replaying and the bits stay the same.
 *
 * <p>Before the first round of each generation (stage attempt), every task over TCP is told its place
 * in the tree (its parent's address, the block size). The tree is the configured one when every task
 * runs over TCP; with a task in the driver's JVM ({@link LocalLink}) it is the star, and when the tasks and this
 * thread are more than the processors this thread answers the first task's requests itself
 * ({@link StepChannel.DriverEnd#runHere}), computing while the others do.
 */
final class StepRounds {

    /** Sends to more heads than this at once queue for a thread. */
    private static final int MAX_SENDERS = 32;

    /** A head's answer to one round, read from its channel: the answer of its block of {@code extent} partitions. */
    interface Answer<T> {
        T read(StepServer.Connection c, int extent) throws IOException;
    }

    private final BarrierStage stage;
    private final int parameters;
    /** The tree of the transport's options; used when every task of a generation is over TCP. */
    private final Tree configured;
    /** Where the notice of a lost task goes (the user sees the run recover). */
    private final PrintStream log;
    /** Writes a round's frame to the heads at once. */
    private final ThreadPoolExecutor senders;
    /** The STEP/EVAL frame buffer, reused from round to round. */
    private ByteBuffer frame;
    private int recoveries;
    /** The generation the tasks were told their places for, its tree, and its heads' connections. */
    private StepServer.Connection[] placed;
    private Tree tree;
    private StepServer.Connection[] heads;
    /** The driver's element-wise passes, shared with the heads' tasks that wait meanwhile. */
    private final IdleTasks idleTasks = new IdleTasks(() -> heads);

    StepRounds(BarrierStage stage, int parameters, Tree configured, PrintStream log) {
        this.stage = stage;
        this.parameters = parameters;
        this.configured = configured;
        this.log = log;
        this.senders = new ThreadPoolExecutor(MAX_SENDERS, MAX_SENDERS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sparkmlp-step-send");
            t.setDaemon(true);
            return t;
        });
        senders.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs the driver's element-wise passes between rounds with the help of the heads' in-process tasks that wait for
     * the next round meanwhile ({@link IdleTasks}); on the driver alone otherwise.
     */
    Ranges idleTasks() {
        return idleTasks;
    }

    /** Stage attempts recovered from so far. */
    int recoveries() {
        return recoveries;
    }

    /** The tree of the running generation (null before the first round). */
    Tree tree() {
        return tree;
    }

    /** Bytes the driver's TCP step channels of the running generation have written and read since their handshakes. */
    long driverBytes() {
        long n = 0;
        if (placed != null) for (StepServer.Connection c : placed) if (c.channel instanceof TcpChannel.DriverEnd tcp) n += tcp.wireBytes();
        return n;
    }

    /**
     * Sends {@code request} to the heads of the running stage and returns their answers in partition order,
     * one per head (one per task in the star).
     */
    <T> List<T> roundTrip(Request request, Answer<T> answer) {
        if (request.weights().length != parameters) {
            throw new IllegalArgumentException("weights of " + request.weights().length + " values, the network has " + parameters);
        }
        boolean[] encoded = {false};
        Supplier<ByteBuffer> shared = () -> {
            if (!encoded[0]) {
                frame = StepProtocol.encode(frame, request);
                encoded[0] = true;
            }
            return frame;
        };
        while (true) {
            StepServer.Connection[] gen = stage.connections();
            int[] at = {-1};
            try {
                if (gen != placed) place(gen, at);
                send(request, shared, at);
                List<T> answers = new ArrayList<>(heads.length);
                for (StepServer.Connection c : heads) {
                    at[0] = c.partition;
                    answers.add(answer.read(c, tree.extent(c.partition)));
                }
                return answers;
            } catch (IOException e) {
                StepServer.Connection c = gen[Math.max(0, at[0])];
                long step = request.step();
                int extent = tree == null ? 1 : tree.extent(c.partition);
                log.println("sparkmlp: persistent transport lost partition " + c.partition
                        + (extent > 1 ? " or a task of its block " + c.partition + ".." + (c.partition + extent - 1) : "")
                        + " at " + (request.evaluate() ? "the evaluation after step " + step : "step " + (step + 1))
                        + " (launch " + c.launch + ", stage attempt " + c.attempt + "): " + e.getMessage()
                        + "; waiting for Spark to restart the stage");
                placed = null;
                stage.lost(gen);
                recoveries++;
            }
        }
    }

    /** Tells every TCP task of {@code gen} its place in the tree; {@code at} names the task being told. */
    private void place(StepServer.Connection[] gen, int[] at) throws IOException {
        boolean allTcp = true;
        for (StepServer.Connection c : gen) allTcp &= c.channel instanceof TcpChannel.DriverEnd;
        tree = allTcp ? configured : new Tree(gen.length, 1);
        for (StepServer.Connection c : gen) {
            if (!(c.channel instanceof TcpChannel.DriverEnd tcp)) continue;
            at[0] = c.partition;
            int parent = tree.parent(c.partition);
            StepServer.Connection p = parent < 0 ? null : gen[parent];
            if (p != null && p.treePort == 0) {
                throw new IOException("task of partition " + parent + " accepts no children, yet the tree of this run gives it some");
            }
            tcp.place(new StepProtocol.Place(gen.length, tree.blockSize, p == null ? null : p.peer, p == null ? 0 : p.treePort));
        }
        int[] h = tree.heads();
        heads = new StepServer.Connection[h.length];
        for (int i = 0; i < h.length; i++) heads[i] = gen[h[i]];
        // local mode with more computing threads than processors: this thread answers the first task itself
        if (heads.length > 0 && heads[0].channel.inProcess() && LocalLink.crowded()) heads[0].channel.runHere();
        placed = gen;
    }

    /** Writes the request to every head, to those over TCP at once. */
    private void send(Request request, Supplier<ByteBuffer> shared, int[] at) throws IOException {
        List<Future<?>> sends = new ArrayList<>();
        List<Integer> sending = new ArrayList<>();
        int tcp = 0;
        for (StepServer.Connection c : heads) if (c.channel instanceof TcpChannel.DriverEnd) tcp++;
        if (tcp > 1) shared.get(); // encoded once here, before the senders read it
        for (StepServer.Connection c : heads) {
            if (tcp > 1 && c.channel instanceof TcpChannel.DriverEnd) {
                sends.add(senders.submit(() -> {
                    c.channel.send(request, shared);
                    return null;
                }));
                sending.add(c.partition);
            } else {
                at[0] = c.partition;
                c.channel.send(request, shared);
            }
        }
        IOException failed = null;
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get();
            } catch (ExecutionException e) {
                if (failed == null) {
                    at[0] = sending.get(i);
                    failed = e.getCause() instanceof IOException io ? io : new IOException(String.valueOf(e.getCause()), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending a step", e);
            }
        }
        if (failed != null) throw failed;
    }
}
