package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The step exchange as {@link StepProtocol} frames over the task's TCP connection, the one its
 * handshake went over: how tasks on executors talk to the driver.
 */
final class TcpChannel {

    private TcpChannel() {
    }

    /** The driver's end: writes requests, reads answers within the socket's step timeout. */
    static final class DriverEnd implements StepChannel.DriverEnd {
        final Socket socket;
        private final StepProtocol.Reader reader;
        private final StepProtocol.Writer writer;
        /** The gradient of this task's partials, reused from step to step. */
        private float[] grad;

        /** @param socket authenticated, with the step timeout as its read timeout */
        DriverEnd(Socket socket, StepProtocol.Reader reader, StepProtocol.Writer writer) {
            this.socket = socket;
            this.reader = reader;
            this.writer = writer;
        }

        @Override
        public void send(Request request, Supplier<ByteBuffer> frame) throws IOException {
            writer.frame(frame.get());
        }

        /** Tells the task where it stands in the tree (the first frame after the handshake). */
        void place(StepProtocol.Place place) throws IOException {
            writer.tree(place);
        }

        /** Bytes this end has written and read since the handshake. */
        long wireBytes() {
            return writer.wireBytes() + reader.wireBytes();
        }

        @Override
        public GradientPartial receivePartial(int partition, long step, int parameters) throws IOException {
            if (grad == null || grad.length != parameters) grad = new float[parameters];
            return reader.partial(partition, step, grad);
        }

        @Override
        public EvalMetrics receiveEvaluation(int partition, long step, int cells) throws IOException {
            return reader.evaluated(partition, step, cells);
        }

        @Override
        public void stop() {
            try {
                writer.stop();
            } catch (IOException ignored) {
                // the task is gone already
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            closeQuietly(socket);
        }

        @Override
        public boolean inProcess() {
            return false;
        }

        @Override
        public String toString() {
            return String.valueOf(socket.getRemoteSocketAddress());
        }
    }

    /**
     * The task's end: waits for each request in slices of {@code pollMs}, so that a task Spark kills
     * (a failed attempt of the stage, whose tasks must free their slots before the retry can start)
     * stops waiting within a slice instead of blocking in a socket read that an interrupt does not
     * end; gives up after {@code idleMs} without a frame.
     */
    static final class TaskEnd implements StepChannel.TaskEnd {
        private final Socket socket;
        private final DataInputStream in;
        private final StepProtocol.Reader reader;
        private final StepProtocol.Writer writer;
        private final int pollMs;
        private final int idleMs;
        private final Runnable killed;
        /** Who sends the requests, for errors: "the driver" or "parent task 4". */
        private final String from;

        /**
         * @param in the socket's buffered input, which {@code reader} reads (it must support mark)
         * @param killed throws when Spark has killed the task
         * @param from who sends the requests, for errors
         */
        TaskEnd(Socket socket, DataInputStream in, StepProtocol.Reader reader, StepProtocol.Writer writer, int pollMs, int idleMs,
                Runnable killed, String from) {
            this.from = from;
            this.socket = socket;
            this.in = in;
            this.reader = reader;
            this.writer = writer;
            this.pollMs = pollMs;
            this.idleMs = idleMs;
            this.killed = killed;
        }

        @Override
        public Request awaitRequest(float[] weights) throws IOException {
            awaitFrame(socket, in, pollMs, idleMs, killed, "step frame from " + from);
            return reader.request(weights);
        }

        /** The TREE frame that follows the handshake, or null for STOP. */
        StepProtocol.Place awaitPlace() throws IOException {
            awaitFrame(socket, in, pollMs, idleMs, killed, "tree frame from " + from);
            return reader.tree();
        }

        @Override
        public void sendPartial(long step, GradientPartial partial) throws IOException {
            writer.partial(step, partial);
        }

        @Override
        public void sendEvaluation(int partition, long step, EvalMetrics metrics, int cells) throws IOException {
            writer.evaluated(partition, step, metrics, cells);
        }

        /** Closes the connection: the driver reading an answer sees its end. */
        @Override
        public void ended(String why) {
            closeQuietly(socket);
        }
    }

    /**
     * Waits for the first byte of the next frame on {@code socket} in slices of {@code pollMs}, calling
     * {@code killed} (which throws when Spark has killed the task) after each; gives up after {@code idleMs}.
     *
     * @param in the socket's buffered input (it must support mark)
     */
    static void awaitFrame(Socket socket, DataInputStream in, int pollMs, int idleMs, Runnable killed, String what)
            throws IOException {
        long waited = 0;
        socket.setSoTimeout(pollMs);
        while (true) {
            in.mark(1);
            try {
                if (in.read() < 0) throw new EOFException("connection closed before the " + what);
                in.reset();
                socket.setSoTimeout(idleMs);
                return;
            } catch (SocketTimeoutException e) {
                killed.run();
                waited += pollMs;
                if (waited >= idleMs) throw new SocketTimeoutException("no " + what + " for " + waited + " ms");
            }
        }
    }

    /**
     * Seals every later frame of a connection whose handshake is done ({@link FrameCipher}): {@code challenger}
     * is the end that sent the CHALLENGE (the driver, or a parent task), the other end said HELLO.
     */
    static void seal(StepProtocol.Reader reader, StepProtocol.Writer writer, byte[] secret, byte[] nonce, byte[] helloNonce,
                     boolean challenger) {
        FrameCipher down = FrameCipher.driverToTask(secret, nonce, helloNonce);
        FrameCipher up = FrameCipher.taskToDriver(secret, nonce, helloNonce);
        writer.encrypt(challenger ? down : up);
        reader.decrypt(challenger ? up : down);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
