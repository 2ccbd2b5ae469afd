package io.sparkmlp.driver.train;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.BatchPlan;

import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.optim.OptimizerKind;

/**
 * What a training run produced.
 *
 * @param test metrics on the test split, null when there is none
 * @param validation the last validation metrics, null when there is no validation split
 * @param steps steps taken
 * @param epochs epochs completed (fractional)
 * @param weightsStep the step whose weights the model holds (the best validation step with train.keepBest)
 * @param optimizer the optimizer the run used ({@code train.optimizer = auto} resolved)
 * @param bestStep the step of the lowest validation loss; -1 without a validation split
 * @param secondsToBest training seconds until that evaluation; NaN without a validation split, or when the best
 *        came before the checkpoint a run resumed from (the time is not in checkpoints)
 * @param startup the fixed costs of this process's part of the run: time to the first step, the validation passes
 */
public record TrainResult(Architecture architecture, Parameters parameters, PreparedData data, BatchPlan plan,
                          EvalMetrics test, EvalMetrics validation, long steps, double epochs, double trainSeconds,
                          double samplesPerSecond, boolean stoppedEarly, long weightsStep,
                          OptimizerKind optimizer, long bestStep, double secondsToBest, Startup startup) {

    /** A result without {@link Startup} figures (all NaN). */
    public TrainResult(Architecture architecture, Parameters parameters, PreparedData data, BatchPlan plan, EvalMetrics test,
                       EvalMetrics validation, long steps, double epochs, double trainSeconds, double samplesPerSecond,
                       boolean stoppedEarly, long weightsStep, OptimizerKind optimizer, long bestStep, double secondsToBest) {
        this(architecture, parameters, data, plan, test, validation, steps, epochs, trainSeconds, samplesPerSecond, stoppedEarly,
                weightsStep, optimizer, bestStep, secondsToBest, Startup.UNKNOWN);
    }

    /**
     * What a run costs besides its steps, in this process (a resumed run counts from its resume).
     *
     * @param secondsToFirstStep from the training loop's start, right after the data is cached, to the end of the first
     *        step: the small jobs before training (partition sizes, kernel backend), the launch of the step transport
     *        (the persistent stage and its tasks' connections) and the first step, kernels cold; NaN without a step
     * @param validationPassSeconds the median wall time of one validation pass in the loop; NaN without one
     * @param validationPasses how many there were
     */
    public record Startup(double secondsToFirstStep, double validationPassSeconds, int validationPasses) {
        public static final Startup UNKNOWN = new Startup(Double.NaN, Double.NaN, 0);
    }
}
