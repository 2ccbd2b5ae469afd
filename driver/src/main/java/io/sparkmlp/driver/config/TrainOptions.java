package io.sparkmlp.driver.config;

import io.sparkmlp.kernel.optim.ScheduleKind;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.io.Serializable;

/**
 * How training runs ({@code train.*} keys). Built and validated by {@link TrainConfig}, which
 * also holds the defaults; zero means "auto" or "off" where the parameter says so.
 *
 * @param batchSize global mini-batch size ≥ 1 (split across partitions), or {@link #FULL_BATCH}
 * @param epochs passes over the training split ≥ 1, or {@link #AUTO} (the loop chooses)
 * @param maxSteps stop after this many steps; 0: no limit
 * @param optimizer update rule
 * @param learningRate base step size η &gt; 0
 * @param momentum momentum coefficient in [0, 1) (momentum, nesterov)
 * @param beta1 first-moment decay in [0, 1) (adam, adamw)
 * @param beta2 second-moment decay in [0, 1) (adam, adamw)
 * @param weightDecay ≥ 0; L2 penalty for sgd/momentum/nesterov/adam, decoupled decay for adamw
 * @param clipNorm clip the global gradient norm to this value; 0: no clipping
 * @param lrSchedule learning rate schedule after warm-up
 * @param warmupSteps linear warm-up from 0 to η over this many steps; 0: none
 * @param stepSize step schedule: multiply η by {@code gamma} every {@code stepSize} steps (≥ 1)
 * @param gamma step schedule factor in (0, 1]
 * @param minLearningRate floor of the cosine schedule, in [0, η]
 * @param seed job seed, from which every random choice derives
 * @param evalEvery evaluate on the validation split every this many steps; {@link #AUTO}: once per epoch
 * @param earlyStoppingPatience stop after this many evaluations without improvement; 0: off
 * @param keepBest end with the weights of the best validation loss seen at an evaluation (when there is a
 *                 validation split), rather than the last weights
 * @param checkpointEvery write a checkpoint every this many steps; 0: off
 * @param resume continue from the checkpoint in the output directory
 * @param transport how a step travels
 * @param logEvery log and record metrics every this many steps; {@link #AUTO}: the loop chooses
 */
public record TrainOptions(
        int batchSize,
        int epochs,
        long maxSteps,
        OptimizerKind optimizer,
        double learningRate,
        double momentum,
        double beta1,
        double beta2,
        double weightDecay,
        double clipNorm,
        ScheduleKind lrSchedule,
        long warmupSteps,
        long stepSize,
        double gamma,
        double minLearningRate,
        long seed,
        long evalEvery,
        int earlyStoppingPatience,
        boolean keepBest,
        long checkpointEvery,
        boolean resume,
        Transport transport,
        long logEvery) implements Serializable {

    /** {@link #batchSize()} for full-batch gradient descent ({@code train.batchSize=full}). */
    public static final int FULL_BATCH = -1;

    /** {@link #epochs()}, {@link #evalEvery()}, {@link #logEvery()}: let the training loop choose. */
    public static final int AUTO = 0;

    /** True when every step uses the whole training split. */
    public boolean fullBatch() {
        return batchSize == FULL_BATCH;
    }
}
