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
 */
public record TrainResult(Architecture architecture, Parameters parameters, PreparedData data, BatchPlan plan,
                          EvalMetrics test, EvalMetrics validation, long steps, double epochs, double trainSeconds,
                          double samplesPerSecond, boolean stoppedEarly, long weightsStep,
                          OptimizerKind optimizer, long bestStep, double secondsToBest) {
}
