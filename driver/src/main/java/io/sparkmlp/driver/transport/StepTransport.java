package io.sparkmlp.driver.transport;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.kernel.Ranges;

/**
 * Ships the weights of a step to the partitions, runs their partial gradients and returns their
 * sum, added in the fixed tree order of {@link MergeTree}. The training loop sees only this, so a faster transport can
 * replace the job-per-step one without touching the loop.
 */
public interface StepTransport extends AutoCloseable {

    /**
     * The gradient sum, loss sum and row count of step {@code step} over all partitions. Its
     * {@code gradSum} may be a buffer the transport reuses (the persistent one does): valid until the
     * next call; copy it to keep it.
     *
     * @param params the current flat weights. Not modified.
     * @param step 0-based step number (selects each partition's rows)
     */
    GradientPartial gradient(float[] params, long step);

    /**
     * {@link #gradient} and its mean: the mean gradient of step {@code step} written into {@code mean}, with the bits of
     * {@code gradient(params, step).meanInto(mean)} (a transport that merges may write the mean as it adds).
     *
     * @param mean the parameter count of values. Modified: overwritten with the mean gradient
     * @return the step's loss sum, row count and kernel time; its gradSum is a buffer that holds the sum or the mean
     */
    default GradientPartial meanGradient(float[] params, long step, float[] mean) {
        GradientPartial sum = gradient(params, step);
        sum.meanInto(mean);
        return sum;
    }

    /**
     * How the training loop runs its element-wise passes over the parameters between steps (the optimizer's update):
     * a transport whose tasks wait in the driver's JVM meanwhile lends them ({@code PersistentTransport} in local
     * mode); {@link Ranges#SERIAL} otherwise. Either gives the same bits.
     */
    default Ranges ranges() {
        return Ranges.SERIAL;
    }

    /**
     * Begins, without waiting for it, what the first {@link #gradient} would otherwise begin and wait for (the
     * persistent transport launches its stage, whose tasks then connect while the caller prepares the loop).
     * Call it only when no other Spark job is to run before the first step: the stage holds the task slots.
     */
    default void start() {
    }

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
