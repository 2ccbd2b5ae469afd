package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.eval.EvalMetrics;

import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.optim.LbfgsState;
import io.sparkmlp.kernel.optim.OptimizerState;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the training loop needs to continue after step {@code step} exactly as an
 * uninterrupted run would: the weights, the optimizer's state, the loop's counters and
 * early-stopping memory, and the metrics rows written so far; plus what identifies the run (the
 * configuration that shapes the model, the data's partition sizes, the network) so that a resume
 * with something else is refused. The rows each partition uses at a step follow from
 * {@code (seed, partition, step)} ({@link io.sparkmlp.driver.step.RowSampler}), so the step is the sampler's position.
 *
 * <p>Files: {@link CheckpointCodec} (format), {@link CheckpointStore} (directory, rotation,
 * fallback to an older file when the newest is damaged).
 *
 * @param step steps taken (the next step is {@code step}, 0-based)
 * @param totalSteps the run's planned step count when it was written
 * @param config the effective configuration keys that must match on resume (key → text)
 * @param settings what the user set, without output, Spark and resume keys: the configuration
 *        {@code sparkmlp resume} rebuilds
 * @param partitionRows training rows of each partition, in partition order
 * @param sizes the network's layer sizes, input first
 * @param weights the flat parameters after {@code step} steps
 * @param optimizer the optimizer's state after {@code step} steps (for lbfgs: its kind and iterations, no arrays)
 * @param lbfgs the L-BFGS solver's state after {@code step} evaluations (between any two, also mid line search);
 *        null for the first-order optimizers
 * @param loop the loop's counters
 */
public record Checkpoint(long step, long totalSteps, Map<String, String> config, Map<String, String> settings,
                         long[] partitionRows, int[] sizes, float[] weights, OptimizerState optimizer, LbfgsState lbfgs,
                         Loop loop) {

    public Checkpoint {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(partitionRows, "partitionRows");
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loop, "loop");
        if (step < 0 || totalSteps < 0) {
            throw new IllegalArgumentException("checkpoint step " + step + " and total steps " + totalSteps + " must be >= 0");
        }
        long count = Architecture.parameterCount(sizes);
        if (weights.length != count) {
            throw new IllegalArgumentException("checkpoint weights have " + weights.length + " values, the network "
                    + java.util.Arrays.toString(sizes) + " has " + count + " parameters");
        }
        for (float[] a : optimizer.arrays()) {
            if (a.length != count) {
                throw new IllegalArgumentException("optimizer state array of " + a.length + " values, expected " + count);
            }
        }
        if (lbfgs != null && lbfgs.point().length != count) {
            throw new IllegalArgumentException("L-BFGS state has dimension " + lbfgs.point().length + ", expected " + count);
        }
        if (loop.best() != null && loop.best().length != count) {
            throw new IllegalArgumentException("best weights have " + loop.best().length + " values, expected " + count);
        }
        // a key renamed since the checkpoint was written (train.stepSize) gets its new name
        config = Map.copyOf(io.sparkmlp.driver.config.TrainConfig.renameKeys(config));
        settings = Map.copyOf(io.sparkmlp.driver.config.TrainConfig.renameKeys(settings));
    }

    /**
     * The loop's state besides weights and optimizer. Only {@code best}, {@code bestStep},
     * {@code bestValidationLoss} and {@code evaluationsWithoutImprovement} affect the model (early
     * stopping); the rest keeps the metrics and progress lines continuous.
     *
     * @param samples rows used so far
     * @param runningLoss loss sum since the last logged step
     * @param runningCount rows since the last logged step
     * @param lastGradNorm the gradient norm of the last step that computed one (each step that a metrics row follows,
     *        or every step when the optimizer clips; NaN before the first)
     * @param bestValidationLoss the best validation loss so far (+∞ before the first evaluation)
     * @param bestStep the step of the best validation loss (0: none)
     * @param evaluationsWithoutImprovement evaluations since the best one
     * @param best the weights of the best evaluation when early stopping is on, else null
     * @param lastValidation the last validation metrics, or null
     * @param elapsedSeconds training time so far
     * @param metricsRows the metrics.csv rows written so far, without the header
     */
    public record Loop(long samples, double runningLoss, long runningCount, double lastGradNorm,
                       double bestValidationLoss, long bestStep, int evaluationsWithoutImprovement, float[] best,
                       EvalMetrics lastValidation, double elapsedSeconds, List<String> metricsRows) {
        public Loop {
            metricsRows = List.copyOf(metricsRows);
        }
    }
}
