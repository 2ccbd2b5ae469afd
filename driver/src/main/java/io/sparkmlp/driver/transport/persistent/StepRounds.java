package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Round trips with the running stage: one request (a step's weights, or weights to evaluate) to
 * every task, their answers read in partition order. When a task is lost on the way, the round
 * waits for Spark's next attempt of the stage and is sent again: an answer is a pure function of
 * (weights, step, partition), so nothing else needs replaying and the bits stay the same.
 */
final class StepRounds {

    /** A task's answer to one round, read from its channel. */
    interface Answer<T> {
        T read(StepServer.Connection c) throws IOException;
    }

    private final BarrierStage stage;
    private final int parameters;
    /** Where the notice of a lost task goes (the user sees the run recover). */
    private final PrintStream log;
    /** The STEP/EVAL frame buffer, reused from round to round. */
    private ByteBuffer frame;
    private int recoveries;

    StepRounds(BarrierStage stage, int parameters, PrintStream log) {
        this.stage = stage;
        this.parameters = parameters;
        this.log = log;
    }

    /** Stage attempts recovered from so far. */
    int recoveries() {
        return recoveries;
    }

    /** Sends {@code request} to every task of the running stage and returns their answers in partition order. */
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
            int partition = -1;
            try {
                for (StepServer.Connection c : gen) {
                    partition = c.partition;
                    c.channel.send(request, shared);
                }
                List<T> answers = new ArrayList<>(gen.length);
                for (StepServer.Connection c : gen) {
                    partition = c.partition;
                    answers.add(answer.read(c));
                }
                return answers;
            } catch (IOException e) {
                StepServer.Connection c = gen[partition];
                long step = request.step();
                log.println("sparkmlp: persistent transport lost partition " + partition + " at "
                        + (request.evaluate() ? "the evaluation after step " + step : "step " + (step + 1))
                        + " (launch " + c.launch + ", stage attempt " + c.attempt + "): " + e.getMessage()
                        + "; waiting for Spark to restart the stage");
                stage.lost(gen);
                recoveries++;
            }
        }
    }
}
