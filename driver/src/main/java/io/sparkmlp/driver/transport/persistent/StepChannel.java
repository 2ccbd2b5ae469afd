package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The step exchange between the driver and one task after their handshake, seen from either end:
 * requests (STEP, EVAL, STOP) go to the task, answers (PARTIAL, EVALUATED) come back. The
 * handshake picks the implementation once, the same on both ends: frames over the TCP connection
 * ({@link TcpChannel}), or objects in memory for a task in the driver's JVM ({@link LocalLink}).
 */
final class StepChannel {

    private StepChannel() {
    }

    /** The driver's end of one task's channel. */
    interface DriverEnd {
        /**
         * Sends {@code request} to the task; {@code frame} gives its encoded frame, made at most once
         * per round and shared by the ends that need it.
         */
        void send(Request request, Supplier<ByteBuffer> frame) throws IOException;

        /** The task's partial of {@code step}, with {@code parameters} gradient values or none (no rows). */
        GradientPartial receivePartial(int partition, long step, int parameters) throws IOException;

        /**
         * The task's evaluation of step {@code step}'s weights; null when it holds no validation block.
         *
         * @param cells the size of the confusion matrix (classes², 0 for regression)
         */
        EvalMetrics receiveEvaluation(int partition, long step, int cells) throws IOException;

        /** Tells the task to stop (it returns and frees its slot), then closes this end. */
        void stop();

        /** Closes this end; a task waiting for a request wakes and ends. */
        void close();

        /** Whether the task runs in this JVM and the exchange is in memory. */
        boolean inProcess();

        /**
         * Answers the task's requests in the calling thread from now on, when the task offered its handler (an
         * in-process task does); call it before the first request of a generation. Returns whether this end does.
         */
        default boolean runHere() {
            return false;
        }

        /** Whether this end answers the task's requests in the driver's thread ({@link #runHere}). */
        default boolean answersHere() {
            return false;
        }

        /**
         * Offers the task, while it waits for its next request, parts of one of the driver's passes ({@link IdleTasks});
         * returns whether the offer was made (only an in-process task whose thread waits on its own can take it).
         */
        default boolean help(IdleTasks.Help help) {
            return false;
        }
    }

    /** The task's end of its channel. */
    interface TaskEnd {
        /**
         * The next request; null for STOP.
         *
         * @param weights where frames are read into (their length is the parameter count)
         * @throws IOException when the driver closed the channel or nothing came within the idle limit
         */
        Request awaitRequest(float[] weights) throws IOException;

        /** Answers {@code step} with this partition's partial. */
        void sendPartial(long step, GradientPartial partial) throws IOException;

        /** Answers the evaluation of {@code step}'s weights; {@code metrics} null: no validation block. */
        void sendEvaluation(int partition, long step, EvalMetrics metrics, int cells) throws IOException;

        /** The task is ending for {@code why} (STOP served, a failure, a kill): a driver waiting for an answer learns it. */
        void ended(String why);
    }
}
