package io.sparkmlp.driver.train;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.Keys;
import io.sparkmlp.driver.config.TrainOptions;
import io.sparkmlp.driver.config.Transport;
import io.sparkmlp.driver.config.TransportOptions;
import io.sparkmlp.driver.step.BatchPlan;
import io.sparkmlp.kernel.optim.OptimizerKind;
import java.util.Arrays;

/**
 * How long a run is and how often it looks at itself, from the configuration and the training partitions:
 *
 * <pre>
 * B          = train.batchSize; left at its default: min(default, max(16, ⌊N/10⌋), N); full or lbfgs: N
 * epochs     = train.epochs; auto: clamp(⌈AUTO_TARGET_STEPS / ⌈N/B⌉⌉, 1, AUTO_MAX_EPOCHS)
 * T          = min(⌈epochs·N / B⌉, train.maxSteps when set)
 * evalEvery  = train.evalEvery; auto: max(1, ⌈T / AUTO_EVALUATIONS⌉, ⌈V / (3 · AUTO_VALIDATION_SHARE · B)⌉)
 * logEvery   = train.logEvery; auto: max(1, ⌈T / AUTO_LOG_ROWS⌉)
 * </pre>
 *
 * where N is the number of training rows and V of validation rows. A training row costs about three forward passes
 * (the backward pass about two), a validation row one, so the last term keeps the automatic cadence's validation
 * passes to about {@code AUTO_VALIDATION_SHARE} of the run's arithmetic: a long run (the automatic epochs) looks
 * {@code AUTO_EVALUATIONS} times, a run of a few epochs over many rows about 3 times an epoch with a 10 % split,
 * instead of spending as long on its validation passes as on its steps. With {@code train.optimizer = lbfgs} a step is one loss and gradient
 * evaluation over the whole training split (a line-search trial or an accepted point alike), so T counts
 * evaluations: {@code train.epochs} (auto: {@value #AUTO_MAX_EPOCHS}) or {@code train.maxSteps} bounds them, and
 * the solver may stop sooner at {@code train.tol}. The plan is also the one place that asks whether the user set a key
 * explicitly ({@code train.batchSize}, {@code train.transport}), since those choices depend on it.
 *
 * @param batch how each step's global batch is split across the partitions
 * @param epochs passes over the training split the run aims for
 * @param totalSteps steps of the run, {@code T}
 * @param evalEvery steps between validation evaluations (the last step is always evaluated)
 * @param logEvery steps between rows of metrics.csv (the last step is always logged)
 * @param transport the step transport configured
 * @param transportChosen whether the user set {@code train.transport} (a default may fall back to another one)
 * @param network the persistent transport's port and timeouts ({@code transport.*})
 */
public record RunPlan(BatchPlan batch, int epochs, long totalSteps, long evalEvery, long logEvery, Transport transport,
                      boolean transportChosen, TransportOptions network) {

    /** Steps the automatic epoch count aims for (capped to {@link #AUTO_MAX_EPOCHS} epochs, at least one). */
    static final long AUTO_TARGET_STEPS = 4000;
    static final int AUTO_MAX_EPOCHS = 200;
    /** Evaluations in a run when {@code train.evalEvery} is auto (at most; see {@link #AUTO_VALIDATION_SHARE}). */
    static final long AUTO_EVALUATIONS = 50;
    /**
     * The share of a run's arithmetic that the automatic cadence's validation passes may take, counting a training
     * row as {@link #TRAIN_ROW_FORWARDS} forward passes and a validation row as one.
     */
    static final double AUTO_VALIDATION_SHARE = 0.1;
    static final int TRAIN_ROW_FORWARDS = 3;
    /** Rows of metrics.csv in a run when {@code train.logEvery} is auto. */
    static final long AUTO_LOG_ROWS = 200;

    /**
     * The plan of a run of {@code cfg} over training partitions of these sizes.
     *
     * @param partitionRows training rows of each partition, in partition order. Not modified.
     * @param validationRows rows each validation pass reads (0: the run has no validation split)
     * @throws IllegalArgumentException when an explicit {@code train.batchSize} exceeds the training rows
     */
    public static RunPlan of(TrainConfig cfg, long[] partitionRows, long validationRows) {
        TrainOptions t = cfg.train();
        int batchSize = effectiveBatch(cfg, Arrays.stream(partitionRows).sum());
        BatchPlan batch = batchSize < 0 ? BatchPlan.fullBatch(partitionRows) : BatchPlan.of(partitionRows, batchSize);
        long stepsPerEpoch = batch.stepsPerEpoch();
        int epochs = t.epochs() > 0 ? t.epochs()
                : (int) Math.max(1, Math.min(AUTO_MAX_EPOCHS, (AUTO_TARGET_STEPS + stepsPerEpoch - 1) / stepsPerEpoch));
        long totalSteps = batch.stepsFor(epochs);
        if (t.maxSteps() > 0) totalSteps = Math.min(totalSteps, t.maxSteps());
        long evalEvery = t.evalEvery() > 0 ? t.evalEvery() : autoEvalEvery(totalSteps, batch.globalBatch(), validationRows);
        long logEvery = t.logEvery() > 0 ? t.logEvery() : atLeastOne(totalSteps, AUTO_LOG_ROWS);
        return new RunPlan(batch, epochs, totalSteps, evalEvery, logEvery, t.transport(), cfg.isSet(Keys.TRAIN_TRANSPORT),
                cfg.transport());
    }

    /**
     * The global batch: as configured (always full for lbfgs); when left at its default, no more than a tenth of a
     * small training set.
     *
     * @return the batch size, or -1 for full batch
     */
    static int effectiveBatch(TrainConfig cfg, long trainRows) {
        int configured = cfg.train().batchSize();
        if (configured == TrainOptions.FULL_BATCH || cfg.train().optimizer() == OptimizerKind.LBFGS) return -1;
        if (cfg.isSet(Keys.TRAIN_BATCH_SIZE)) {
            if (configured > trainRows) {
                throw new IllegalArgumentException("train.batchSize = " + configured + ": expected at most the "
                        + trainRows + " rows of the training split (or full)");
            }
            return configured;
        }
        long small = Math.max(16, trainRows / 10);
        return (int) Math.min(Math.min(configured, small), trainRows);
    }

    /** The automatic cadence (class doc) of a run of {@code steps} steps of {@code batch} rows each. */
    static long autoEvalEvery(long steps, long batch, long validationRows) {
        double trainForwardsPerStep = TRAIN_ROW_FORWARDS * AUTO_VALIDATION_SHARE * batch;
        long byCost = (long) Math.ceil(validationRows / trainForwardsPerStep);
        return Math.max(atLeastOne(steps, AUTO_EVALUATIONS), byCost);
    }

    /** {@code max(1, ⌈steps / count⌉)}: the interval that gives about {@code count} events in {@code steps} steps. */
    private static long atLeastOne(long steps, long count) {
        return Math.max(1, (steps + count - 1) / count);
    }

    /** Whether the validation split is evaluated after {@code step} steps. */
    public boolean evaluatesAfter(long step) {
        return step % evalEvery == 0 || step == totalSteps;
    }

    /** Whether a metrics row is written after {@code step} steps. */
    public boolean logsAfter(long step) {
        return step % logEvery == 0 || step == totalSteps;
    }
}
