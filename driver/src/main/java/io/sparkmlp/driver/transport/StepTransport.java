package io.sparkmlp.driver.transport;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;

/**
 * Ships the weights of a step to the partitions, runs their partial gradients and returns their
 * sum, added in the fixed tree order of {@link MergeTree}. The training loop sees only this, so a faster transport can
 * replace the job-per-step one without touching the loop.
 */
public interface StepTransport extends AutoCloseable {

    /**
     * The gradient sum, loss sum and row count of step {@code step} over all partitions.
     *
     * @param params the current flat weights. Not modified.
     * @param step 0-based step number (selects each partition's rows)
     */
    GradientPartial gradient(float[] params, long step);

    /**
     * Frees the cluster's task slots so other jobs (evaluation) can run; the next
     * {@link #gradient} takes them again. Nothing to do for transports that hold no slots between steps.
     */
    default void release() {
    }

    /**
     * The validation metrics of {@code params} computed without giving up the task slots, when this
     * transport can (the persistent one evaluates inside its stage); null when it cannot: then the
     * caller calls {@link #release()} and evaluates otherwise (on Spark, {@link io.sparkmlp.driver.eval.Evaluator#evaluate}
     * as a job). Both give the same bits.
     *
     * @param step the step the weights are of
     */
    default EvalMetrics evaluate(float[] params, long step) {
        return null;
    }

    /** Short name for logs and summaries, e.g. {@code job}. */
    String name();

    @Override
    void close();
}
