package io.sparkmlp.driver.config;

import static io.sparkmlp.driver.config.Keys.*;

import io.sparkmlp.kernel.optim.ScheduleKind;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.io.Serializable;

/**
 * How training runs ({@code train.*} keys). Built and validated by {@link TrainConfig}, which
 * also holds the defaults; zero means "auto" or "off" where the parameter says so. Elsewhere start from
 * {@link #defaults()} or a configuration's options and change what differs with the {@code with...} methods.
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
 * @param decaySteps step schedule ({@code train.decaySteps}): multiply η by {@code gamma} every {@code decaySteps}
 *                 steps (≥ 1)
 * @param gamma step schedule factor in (0, 1]
 * @param minLearningRate floor of the cosine schedule, in [0, η]
 * @param seed job seed, from which every random choice derives
 * @param evalEvery evaluate on the validation split every this many steps; {@link #AUTO}: the training loop's cadence (RunPlan)
 * @param earlyStoppingPatience stop after this many evaluations without improvement; 0: off; {@link #AUTO_PATIENCE}:
 *        the loop chooses
 * @param keepBest end with the weights of the best validation loss seen at an evaluation (when there is a
 *                 validation split), rather than the last weights
 * @param checkpointEvery write a checkpoint every this many steps; 0: off
 * @param resume continue from the checkpoint in the output directory
 * @param transport how a step travels
 * @param logEvery log and record metrics every this many steps; {@link #AUTO}: the loop chooses
 * @param lbfgsHistory lbfgs: curvature pairs kept, ≥ 1
 * @param tol lbfgs: relative loss change of an iteration below which it stops, ≥ 0 (0: off)
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
        long decaySteps,
        double gamma,
        double minLearningRate,
        long seed,
        long evalEvery,
        int earlyStoppingPatience,
        boolean keepBest,
        long checkpointEvery,
        boolean resume,
        Transport transport,
        long logEvery,
        int lbfgsHistory,
        double tol) implements Serializable {

    /** {@link #batchSize()} for full-batch gradient descent ({@code train.batchSize=full}). */
    public static final int FULL_BATCH = -1;

    /** {@link #epochs()}, {@link #evalEvery()}, {@link #logEvery()}: let the training loop choose. */
    public static final int AUTO = 0;

    /** {@link #earlyStoppingPatience()}: let the training loop choose from the run length. */
    public static final int AUTO_PATIENCE = -1;

    /**
     * {@link #weightDecay()} of L-BFGS when {@code train.weightDecay} is not set: full-batch L-BFGS minimises its
     * objective to convergence, and without a penalty the weights of a network that separates a small training set
     * grow until the solver happens to stop (BENCHMARKS.md, "Accuracy at every data size").
     */
    public static final double LBFGS_WEIGHT_DECAY = 1e-3;

    /** True when every step uses the whole training split. */
    public boolean fullBatch() {
        return batchSize == FULL_BATCH;
    }

    /** Every {@code train.*} key at its default. */
    public static TrainOptions defaults() {
        return of(Keys.DEFAULTS);
    }

    /** The options of the keys' values in {@code r}. */
    static TrainOptions of(Keys.Resolver r) {
        return new TrainOptions(r.get(TRAIN_BATCH_SIZE), r.get(TRAIN_EPOCHS), r.get(TRAIN_MAX_STEPS),
                r.get(TRAIN_OPTIMIZER), r.get(TRAIN_LEARNING_RATE), r.get(TRAIN_MOMENTUM), r.get(TRAIN_BETA1),
                r.get(TRAIN_BETA2), r.get(TRAIN_WEIGHT_DECAY), r.get(TRAIN_CLIP_NORM), r.get(TRAIN_LR_SCHEDULE),
                r.get(TRAIN_WARMUP_STEPS), r.get(TRAIN_DECAY_STEPS), r.get(TRAIN_GAMMA), r.get(TRAIN_MIN_LEARNING_RATE),
                r.get(TRAIN_SEED), r.get(TRAIN_EVAL_EVERY), r.get(TRAIN_EARLY_STOPPING_PATIENCE), r.get(TRAIN_KEEP_BEST),
                r.get(TRAIN_CHECKPOINT_EVERY), r.get(TRAIN_RESUME), r.get(TRAIN_TRANSPORT), r.get(TRAIN_LOG_EVERY),
                r.get(TRAIN_LBFGS_HISTORY), r.get(TRAIN_TOL));
    }

    /** A copy with {@code batchSize} replaced. */
    public TrainOptions withBatchSize(int batchSize) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code epochs} replaced. */
    public TrainOptions withEpochs(int epochs) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code maxSteps} replaced. */
    public TrainOptions withMaxSteps(long maxSteps) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code optimizer} replaced. */
    public TrainOptions withOptimizer(OptimizerKind optimizer) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code learningRate} replaced. */
    public TrainOptions withLearningRate(double learningRate) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code momentum} replaced. */
    public TrainOptions withMomentum(double momentum) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code beta1} replaced. */
    public TrainOptions withBeta1(double beta1) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code beta2} replaced. */
    public TrainOptions withBeta2(double beta2) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code weightDecay} replaced. */
    public TrainOptions withWeightDecay(double weightDecay) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code clipNorm} replaced. */
    public TrainOptions withClipNorm(double clipNorm) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code lrSchedule} replaced. */
    public TrainOptions withLrSchedule(ScheduleKind lrSchedule) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code warmupSteps} replaced. */
    public TrainOptions withWarmupSteps(long warmupSteps) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code decaySteps} replaced. */
    public TrainOptions withDecaySteps(long decaySteps) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code gamma} replaced. */
    public TrainOptions withGamma(double gamma) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code minLearningRate} replaced. */
    public TrainOptions withMinLearningRate(double minLearningRate) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code seed} replaced. */
    public TrainOptions withSeed(long seed) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code evalEvery} replaced. */
    public TrainOptions withEvalEvery(long evalEvery) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code earlyStoppingPatience} replaced. */
    public TrainOptions withEarlyStoppingPatience(int earlyStoppingPatience) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code keepBest} replaced. */
    public TrainOptions withKeepBest(boolean keepBest) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code checkpointEvery} replaced. */
    public TrainOptions withCheckpointEvery(long checkpointEvery) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code resume} replaced. */
    public TrainOptions withResume(boolean resume) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code transport} replaced. */
    public TrainOptions withTransport(Transport transport) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code logEvery} replaced. */
    public TrainOptions withLogEvery(long logEvery) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code lbfgsHistory} replaced. */
    public TrainOptions withLbfgsHistory(int lbfgsHistory) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }

    /** A copy with {@code tol} replaced. */
    public TrainOptions withTol(double tol) {
        return new TrainOptions(batchSize, epochs, maxSteps, optimizer, learningRate, momentum, beta1, beta2,
                weightDecay, clipNorm, lrSchedule, warmupSteps, decaySteps, gamma, minLearningRate, seed, evalEvery,
                earlyStoppingPatience, keepBest, checkpointEvery, resume, transport, logEvery, lbfgsHistory, tol);
    }
}
