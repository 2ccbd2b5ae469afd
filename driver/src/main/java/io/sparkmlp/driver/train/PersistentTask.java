package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.train.StepProtocol.ProtocolException;
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
final class PersistentTask extends AbstractFunction1<Iterator<Block>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Test hook: make the task of {@code partition} throw when it receives {@code step} in stage attempt 0. */
    record FailAt(int partition, long step) implements Serializable {
    }

    private final String host;
    private final int port;
    private final byte[] secret;
    private final int launch;
    private final StepContext ctx;
    private final int connectTimeoutMs;
    private final int idleTimeoutMs;
    /** How often a task waiting for the next frame checks whether Spark has killed it. */
    static final int POLL_MS = 500;
    private final FailAt failAt;

    PersistentTask(String host, int port, byte[] secret, int launch, StepContext ctx, int connectTimeoutMs, int idleTimeoutMs,
                   FailAt failAt) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.launch = launch;
        this.ctx = ctx;
        this.connectTimeoutMs = connectTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.failAt = failAt;
    }

    @Override
    public Iterator<Integer> apply(Iterator<Block> blocks) {
        BarrierTaskContext task = BarrierTaskContext.get();
        int partition = task.partitionId();
        int attempt = task.stageAttemptNumber();
        Block block = blocks.hasNext() ? blocks.next() : null;
        if (block != null && (blocks.hasNext() || block.partition() != partition)) {
            throw new IllegalStateException("partition " + partition + " holds more than one block, or block of partition "
                    + block.partition());
        }
        try {
            long steps = serve(task, partition, attempt, block);
            return CollectionConverters.asScala(List.of((int) Math.min(Integer.MAX_VALUE, steps)).iterator());
        } catch (IOException e) {
            throw new UncheckedIOException("persistent task of partition " + partition + " (attempt " + attempt
                    + ") lost the driver at " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The step loop; returns the number of steps served. */
    private long serve(BarrierTaskContext task, int partition, int attempt, Block block) throws IOException {
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
            if (link != null) return serveInProcess(task, partition, attempt, block, link);
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
                b = StepProtocol.readBody(in, readBuf, len, StepProtocol.STEP, "step frame");
                long step = b.getLong();
                int count = b.getInt();
                if (count != n) throw new ProtocolException("step frame with " + count + " weights, expected " + n);
                b.asFloatBuffer().get(w);
                GradientPartial part = partial(partition, attempt, block, w, step);
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
    private long serveInProcess(BarrierTaskContext task, int partition, int attempt, Block block, LocalLink link)
            throws IOException {
        long served = 0;
        String end = "stopped";
        try {
            while (true) {
                LocalLink.Step step = link.awaitRequest(POLL_MS, idleTimeoutMs, () -> throwIfKilled(task, partition, attempt));
                if (step == null) return served;
                link.reply(step.step(), partial(partition, attempt, block, step.weights(), step.step()));
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
