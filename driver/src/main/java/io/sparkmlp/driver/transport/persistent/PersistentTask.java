package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskKilledException;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one persistent task (executor side): connect to the driver, authenticate, then
 * answer requests (steps, evaluations) over the chosen {@link StepChannel} until STOP. The block
 * stays in hand and the kernel's buffers stay warm (they are per executor thread) for the whole run.
 *
 * <p>Over TCP the driver's first frame places the task in the {@link Tree}: a head answers the driver;
 * any other task joins its parent task and answers it instead; a task with children accepts them
 * ({@link TreeRelay}), relays each request to them and hands up the sum of its block.
 */
final class PersistentTask extends AbstractFunction1<Iterator<PersistentTask.Input>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What one task holds: its partition's training block and, when the run evaluates through the
     * stage, its validation block (either may be null: a partition without rows of that split).
     */
    record Input(Block train, Block validation) implements Serializable {
    }

    /**
     * Wraps a task's channel once, when the task has connected (tests use it to inject failures);
     * the step loop itself knows nothing of it.
     */
    interface Hook extends Serializable {
        StepChannel.TaskEnd wrap(StepChannel.TaskEnd channel, int partition, int attempt);
    }

    /** How often a task waiting for the next request checks whether Spark has killed it. */
    static final int POLL_MS = 500;

    private final String host;
    private final int port;
    private final int partitions;
    /** The block size of the tree the run is configured with ({@link Tree}); 1: the star. */
    private final int blockSize;
    private final byte[] secret;
    private final int launch;
    private final StepContext ctx;
    /** How EVAL requests read the outputs; null when the run does not evaluate through the stage. */
    private final Evaluator.Task evalTask;
    private final int connectTimeoutMs;
    private final int idleTimeoutMs;
    /** Whether every frame after the hello is sealed ({@link FrameCipher}). */
    private final boolean encrypt;
    /** Null in production. */
    private final Hook hook;

    PersistentTask(String host, int port, int partitions, int blockSize, byte[] secret, int launch, StepContext ctx,
                   Evaluator.Task evalTask, int connectTimeoutMs, int idleTimeoutMs, boolean encrypt, Hook hook) {
        this.host = host;
        this.port = port;
        this.partitions = partitions;
        this.blockSize = blockSize;
        this.secret = secret;
        this.launch = launch;
        this.ctx = ctx;
        this.evalTask = evalTask;
        this.connectTimeoutMs = connectTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.encrypt = encrypt;
        this.hook = hook;
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
        Runnable killed = () -> {
            if (task.isInterrupted() || Thread.currentThread().isInterrupted()) {
                throw new TaskKilledException("persistent task of partition " + partition + " (attempt " + attempt
                        + ") killed while waiting for the driver");
            }
        };
        ServerSocket listening = null;
        StepChannel.TaskEnd parent = null;
        TreeRelay relay = null;
        try (Socket s = open(host, port, connectTimeoutMs)) {
            boolean inProcess = LocalLink.serverInThisJvm(secret);
            if (!inProcess && new Tree(partitions, blockSize).children(partition).length > 0) {
                listening = TreeRelay.listen(s.getLocalAddress());
            }
            // the driver's thread may answer for an in-process task (LocalLink.Inline); not with a test's hook on the channel
            LocalLink.Inline inline = hook != null ? null : new LocalLink.Inline() {
                @Override
                public Object answer(Request r) {
                    Object a = PersistentTask.this.answer(r, partition, input);
                    if (!r.evaluate() && input.train() != null) PartitionWorker.prepare(input.train(), ctx, r.step() + 1);
                    return a;
                }

                @Override
                public void release() {
                    PartitionWorker.releaseThisThread();
                    Evaluator.releaseThisThread();
                }
            };
            StepChannel.TaskEnd channel = connect(s, partition, attempt, killed, listening == null ? 0 : listening.getLocalPort(),
                    inline);
            if (channel instanceof TcpChannel.TaskEnd tcp) {
                StepProtocol.Place place = tcp.awaitPlace();
                if (place == null) return CollectionConverters.asScala(List.of(0).iterator());
                Tree tree = new Tree(place.partitions(), place.blockSize());
                if (!tree.head(partition)) {
                    channel = parent = TreeRelay.joinParent(place, tree.parent(partition), partition, launch, attempt, secret, encrypt,
                            connectTimeoutMs, POLL_MS, idleTimeoutMs, killed);
                }
                if (tree.children(partition).length > 0) {
                    if (listening == null) {
                        throw new IllegalStateException("partition " + partition + " has children in the driver's " + tree
                                + " but not in the task's tree of blocks of " + blockSize);
                    }
                    relay = TreeRelay.accept(listening, tree, partition, launch, attempt, secret, encrypt, connectTimeoutMs, POLL_MS,
                            idleTimeoutMs, killed);
                }
                if (listening != null) listening.close();
            }
            if (hook != null) channel = hook.wrap(channel, partition, attempt);
            long steps = serve(channel, relay, partition, input);
            return CollectionConverters.asScala(List.of((int) Math.min(Integer.MAX_VALUE, steps)).iterator());
        } catch (IOException e) {
            throw new UncheckedIOException("persistent task of partition " + partition + " (attempt " + attempt
                    + ") lost the driver at " + host + ":" + port + " or a task of its tree: " + e.getMessage(), e);
        } finally {
            if (relay != null) relay.close();
            if (parent != null) parent.ended("closed");
            if (listening != null) {
                try {
                    listening.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /**
     * Connects, answers the challenge, and returns the channel the handshake chose: in memory when
     * the run's server is in this JVM (local mode; the HELLO says so under its MAC), else frames over
     * this connection.
     *
     * @param killed throws when Spark has killed the task
     * @param inline what answers a request in the driver's thread, offered with an in-process link; null: nothing
     */
    private StepChannel.TaskEnd connect(Socket s, int partition, int attempt, Runnable killed, int treePort,
                                        LocalLink.Inline inline) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
        StepProtocol.Reader reader = new StepProtocol.Reader(in);
        StepProtocol.Writer writer = new StepProtocol.Writer(s.getOutputStream());
        byte[] nonce = reader.challenge();
        boolean inProcess = LocalLink.serverInThisJvm(secret);
        LocalLink link = null;
        if (inProcess) {
            link = new LocalLink(partition, inline);
            LocalLink.offer(secret, partition, launch, attempt, link);
        }
        StepProtocol.Hello hello = new StepProtocol.Hello(partition, launch, attempt,
                (inProcess ? StepProtocol.IN_PROCESS : 0) | (encrypt ? StepProtocol.ENCRYPTED : 0), treePort);
        writer.hello(hello, secret, nonce);
        if (encrypt && !inProcess) TcpChannel.seal(reader, writer, secret, nonce, hello.nonce(), false);
        return inProcess ? link.taskEnd(POLL_MS, idleTimeoutMs, killed)
                : new TcpChannel.TaskEnd(s, in, reader, writer, POLL_MS, idleTimeoutMs, killed, "the driver");
    }

    /**
     * A socket connected to the step server, with TCP keepalive (a driver host that vanished without a
     * FIN is noticed by the system) and no Nagle delay; {@code timeoutMs} bounds the connect and each
     * read of the handshake.
     */
    static Socket open(String host, int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The request loop; returns the number of steps served. Whatever ends it is told to the channel.
     *
     * @param relay this task's children, or null when it has none
     */
    private long serve(StepChannel.TaskEnd channel, TreeRelay relay, int partition, Input input) throws IOException {
        float[] weights = new float[ctx.architecture().parameterCount()];
        long served = 0;
        String end = "stopped";
        try {
            while (true) {
                Request r = channel.awaitRequest(weights);
                if (r == null) {
                    if (relay != null) relay.stop();
                    return served;
                }
                if (relay != null) relay.send(r);
                if (r.evaluate()) {
                    EvalMetrics m = (EvalMetrics) answer(r, partition, input);
                    channel.sendEvaluation(partition, r.step(), m, evalTask.confusionCells());
                    if (relay != null) relay.handUpEvaluations(channel, r.step(), evalTask.confusionCells());
                    continue;
                }
                Block block = input.train();
                GradientPartial p = (GradientPartial) answer(r, partition, input); // a view, sent before the next request
                if (relay != null) p = relay.sum(p, r.step(), weights.length);
                channel.sendPartial(r.step(), p);
                served++;
                // the next step's rows, gathered while the driver merges and updates (the partial sent is not touched)
                if (block != null) PartitionWorker.prepare(block, ctx, r.step() + 1);
            }
        } catch (IOException | RuntimeException | Error e) {
            end = String.valueOf(e.getMessage());
            throw e;
        } finally {
            channel.ended(end);
        }
    }

    /**
     * This partition's own answer to {@code r}, in the calling thread: for a step its partial (a view of the thread's
     * buffer, see {@link PartitionWorker#gradientView}), for an evaluation its metrics (null: no validation block).
     */
    private Object answer(Request r, int partition, Input input) {
        if (r.evaluate()) return evaluate(partition, input, r.weights());
        Block block = input.train();
        return block == null ? new GradientPartial(partition, new float[0], 0, 0)
                : PartitionWorker.gradientView(block, ctx, r.weights(), r.step());
    }

    /** The metrics of {@code w} on this partition's validation block; null when it has none. */
    private EvalMetrics evaluate(int partition, Input input, float[] w) {
        if (evalTask == null) {
            throw new IllegalStateException("partition " + partition + ": evaluation asked of a stage that holds no validation blocks");
        }
        return input.validation() == null ? null : Evaluator.evaluateBlock(input.validation(), evalTask, w);
    }
}
