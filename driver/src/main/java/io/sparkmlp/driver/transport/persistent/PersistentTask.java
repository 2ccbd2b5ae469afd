package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one persistent task (executor side): connect to the driver, authenticate, then
 * answer STEP frames with PARTIAL frames until STOP. The block stays in hand and the kernel's
 * buffers stay warm (they are per executor thread) for the whole run.
 */
final class PersistentTask extends AbstractFunction1<Iterator<PersistentTask.Input>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What one task holds: its partition's training block and, when the run evaluates through the
     * stage, its validation block (either may be null: a partition without rows of that split).
     */
    record Input(Block train, Block validation) implements Serializable {
    }

    /** Test hook: make the task of {@code partition} throw when it receives {@code step} in stage attempt 0. */
    record FailAt(int partition, long step) implements Serializable {
    }

    private final String host;
    private final int port;
    private final byte[] secret;
    private final int launch;
    private final StepContext ctx;
    /** How EVAL requests read the outputs; null when the run does not evaluate through the stage. */
    private final Evaluator.Task evalTask;
    private final int connectTimeoutMs;
    private final int idleTimeoutMs;
    /** How often a task waiting for the next frame checks whether Spark has killed it. */
    static final int POLL_MS = 500;
    private final FailAt failAt;

    PersistentTask(String host, int port, byte[] secret, int launch, StepContext ctx, Evaluator.Task evalTask,
                   int connectTimeoutMs, int idleTimeoutMs, FailAt failAt) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.launch = launch;
        this.ctx = ctx;
        this.evalTask = evalTask;
        this.connectTimeoutMs = connectTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.failAt = failAt;
    }

    @Override
    public Iterator<Integer> apply(Iterator<Input> inputs) {
        BarrierTaskContext task = BarrierTaskContext.get();
        int partition = task.partitionId();
        int attempt = task.stageAttemptNumber();
        Input input = inputs.hasNext() ? inputs.next() : new Input(null, null);
        if (inputs.hasNext()) throw new IllegalStateException("partition " + partition + " holds more than one block");
        for (Block b : new Block[] {input.train(), input.validation()}) {
            if (b != null && b.partition() != partition) {
                throw new IllegalStateException("partition " + partition + " holds a block of partition " + b.partition());
            }
        }
        try {
            long steps = serve(task, partition, attempt, input);
            return CollectionConverters.asScala(List.of((int) Math.min(Integer.MAX_VALUE, steps)).iterator());
        } catch (IOException e) {
            throw new UncheckedIOException("persistent task of partition " + partition + " (attempt " + attempt
                    + ") lost the driver at " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The step loop; returns the number of steps served. */
    private long serve(BarrierTaskContext task, int partition, int attempt, Input input) throws IOException {
        int n = ctx.architecture().parameterCount();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            s.setSoTimeout(connectTimeoutMs);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            OutputStream out = s.getOutputStream();

            int len = StepProtocol.readLength(in, StepProtocol.CHALLENGE_BODY, StepProtocol.CHALLENGE_BODY, "challenge");
            ByteBuffer b = StepProtocol.readBody(in, StepProtocol.buffer(len), len, StepProtocol.CHALLENGE, "challenge");
            byte[] nonce = new byte[StepProtocol.NONCE_BYTES];
            b.get(nonce);
            // In the driver's JVM (local mode) the steps go through memory; the handshake stays the same.
            LocalLink link = LocalLink.serverInThisJvm(secret) ? new LocalLink(partition) : null;
            int flags = link != null ? StepProtocol.IN_PROCESS : 0;
            if (link != null) LocalLink.offer(secret, partition, launch, attempt, link);
            ByteBuffer hello = StepProtocol.startFrame(null, StepProtocol.HELLO_BODY, StepProtocol.HELLO);
            hello.putInt(StepProtocol.MAGIC).putInt(StepProtocol.VERSION).putInt(partition).putInt(launch).putInt(attempt)
                    .putInt(flags).put(StepProtocol.mac(secret, nonce, partition, launch, attempt, flags));
            StepProtocol.writeFrame(out, hello);
            if (link != null) return serveInProcess(task, partition, attempt, input, link);
            int stepBody = StepProtocol.stepBody(n);
            ByteBuffer readBuf = StepProtocol.buffer(stepBody);
            ByteBuffer writeBuf = StepProtocol.buffer(4 + StepProtocol.partialBody(n));
            float[] w = new float[n];
            long served = 0;
            while (true) {
                awaitFrame(task, s, in, partition, attempt);
                len = StepProtocol.readLength(in, stepBody, StepProtocol.STOP_BODY, "step frame");
                if (len == StepProtocol.STOP_BODY) {
                    StepProtocol.readBody(in, readBuf, len, StepProtocol.STOP, "stop frame");
                    return served;
                }
                b = StepProtocol.readBody(in, readBuf, len, StepProtocol.STEP, StepProtocol.EVAL, "step frame");
                long step = b.getLong();
                int count = b.getInt();
                if (count != n) throw new ProtocolException("step frame with " + count + " weights, expected " + n);
                b.asFloatBuffer().get(w);
                if (b.get(0) == StepProtocol.EVAL) {
                    StepProtocol.writeFrame(out, evaluatedFrame(partition, step, evaluate(partition, input, w)));
                    continue;
                }
                GradientPartial part = partial(partition, attempt, input.train(), w, step);
                int m = part.count() == 0 ? 0 : n;
                ByteBuffer f = StepProtocol.startFrame(writeBuf, StepProtocol.partialBody(m), StepProtocol.PARTIAL);
                f.putInt(partition).putLong(step).putLong(part.count()).putDouble(part.lossSum()).putLong(part.kernelNanos())
                        .putInt(m);
                if (m > 0) {
                    f.asFloatBuffer().put(part.gradSum(), 0, m);
                    f.position(f.position() + 4 * m);
                }
                StepProtocol.writeFrame(out, f);
                served++;
            }
        }
    }

    /** The metrics of {@code w} on this partition's validation block; null when it has none. */
    private EvalMetrics evaluate(int partition, Input input, float[] w) {
        if (evalTask == null) {
            throw new IllegalStateException("partition " + partition + ": evaluation asked of a stage that holds no validation blocks");
        }
        return input.validation() == null ? null : Evaluator.evaluateBlock(input.validation(), evalTask, w);
    }

    private ByteBuffer evaluatedFrame(int partition, long step, EvalMetrics m) {
        int cells = evalTask.confusionCells();
        ByteBuffer f = StepProtocol.startFrame(null, StepProtocol.evaluatedBody(cells), StepProtocol.EVALUATED);
        f.putInt(partition).putLong(step).put((byte) (m == null ? 0 : 1));
        if (m == null) {
            f.putDouble(0).putLong(0).putLong(0).putDouble(0).putInt(cells).put(new byte[8 * cells]);
            return f;
        }
        f.putDouble(m.lossSum()).putLong(m.count()).putLong(m.correct()).putDouble(m.squaredErrorSum()).putInt(cells);
        for (int i = 0; i < cells; i++) f.putLong(m.confusion()[i]);
        return f;
    }

    /** This partition's partial of {@code step} (the test hook may throw instead). */
    private GradientPartial partial(int partition, int attempt, Block block, float[] w, long step) {
        if (failAt != null && attempt == 0 && failAt.partition() == partition && failAt.step() == step) {
            throw new IllegalStateException("test hook: partition " + partition + " fails at step " + step + " in attempt 0");
        }
        return block == null ? new GradientPartial(partition, new float[0], 0, 0) : PartitionWorker.gradient(block, ctx, w, step);
    }

    /**
     * The step loop of a task in the driver's JVM, over its {@link LocalLink}: same steps, same
     * partials, same ending rules as the frames. Whatever ends it is posted to the link, so the
     * driver does not wait for a partial that will not come.
     */
    private long serveInProcess(BarrierTaskContext task, int partition, int attempt, Input input, LocalLink link)
            throws IOException {
        long served = 0;
        String end = "stopped";
        try {
            while (true) {
                LocalLink.Step step = link.awaitRequest(POLL_MS, idleTimeoutMs, () -> throwIfKilled(task, partition, attempt));
                if (step == null) return served;
                if (step.evaluate()) {
                    link.replyEvaluation(step.step(), evaluate(partition, input, step.weights()));
                    continue;
                }
                link.reply(step.step(), partial(partition, attempt, input.train(), step.weights(), step.step()));
                served++;
            }
        } catch (IOException | RuntimeException | Error e) {
            end = String.valueOf(e.getMessage());
            throw e;
        } finally {
            link.ended(end);
        }
    }

    private static void throwIfKilled(BarrierTaskContext task, int partition, int attempt) {
        if (task.isInterrupted() || Thread.currentThread().isInterrupted()) {
            throw new org.apache.spark.TaskKilledException("persistent task of partition " + partition + " (attempt "
                    + attempt + ") killed while waiting for the driver");
        }
    }

    /**
     * Waits for the next frame's first byte in slices of {@link #POLL_MS}, so that a task Spark kills
     * (a failed attempt of the stage, whose tasks must free their slots before the retry can start)
     * stops waiting within a slice instead of blocking in a socket read that an interrupt does not
     * end. Gives up after {@code idleTimeoutMs} without a frame.
     */
    private void awaitFrame(BarrierTaskContext task, Socket s, DataInputStream in, int partition, int attempt) throws IOException {
        long waited = 0;
        s.setSoTimeout(POLL_MS);
        while (true) {
            in.mark(1);
            try {
                int b0 = in.read();
                if (b0 < 0) throw new java.io.EOFException("connection closed before the step frame");
                in.reset();
                s.setSoTimeout(idleTimeoutMs);
                return;
            } catch (java.net.SocketTimeoutException e) {
                throwIfKilled(task, partition, attempt);
                waited += POLL_MS;
                if (waited >= idleTimeoutMs) {
                    throw new java.net.SocketTimeoutException("no step frame from the driver for " + waited + " ms");
                }
            }
        }
    }
}
