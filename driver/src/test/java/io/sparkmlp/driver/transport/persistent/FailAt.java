package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;

import java.io.IOException;

/**
 * Test hook: the task of {@code partition} fails (throws, as a crashing task would) when it
 * receives step {@code step} in stage attempt 0; Spark then restarts the barrier stage.
 */
record FailAt(int partition, long step) implements PersistentTask.Hook {

    /** {@code options} with this failure injected. */
    PersistentTransport.Options into(PersistentTransport.Options options) {
        return options.withTaskHook(this);
    }

    @Override
    public StepChannel.TaskEnd wrap(StepChannel.TaskEnd channel, int taskPartition, int attempt) {
        if (taskPartition != partition || attempt != 0) return channel;
        return new StepChannel.TaskEnd() {
            @Override
            public Request awaitRequest(float[] weights) throws IOException {
                Request r = channel.awaitRequest(weights);
                if (r != null && !r.evaluate() && r.step() == step) {
                    throw new IllegalStateException("test hook: partition " + partition + " fails at step " + step + " in attempt 0");
                }
                return r;
            }

            @Override
            public void sendPartial(long s, GradientPartial partial) throws IOException {
                channel.sendPartial(s, partial);
            }

            @Override
            public void sendEvaluation(int p, long s, EvalMetrics metrics, int cells) throws IOException {
                channel.sendEvaluation(p, s, metrics, cells);
            }

            @Override
            public void ended(String why) {
                channel.ended(why);
            }
        };
    }
}
