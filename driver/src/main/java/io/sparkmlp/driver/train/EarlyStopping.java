package io.sparkmlp.driver.train;

import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.config.Keys;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.config.TrainOptions;
import io.sparkmlp.kernel.optim.OptimizerKind;

/**
 * Early stopping and keep-best ({@code train.earlyStoppingPatience}, {@code train.keepBest}): remembers the
 * lowest validation loss seen at an evaluation, its step and (when either option is on) its weights, and counts
 * the evaluations since.
 *
 * <pre>
 * after an evaluation of w at step t with loss L:
 *     L &lt; best  ⇒  best = L, bestStep = t, without = 0, bestWeights = w
 *     otherwise ⇒  without += 1          (a NaN loss never improves)
 * stop          ⇔  patience &gt; 0 and without ≥ patience
 * final weights  =  bestWeights when (keepBest or stopped) and bestStep ≠ the last step, else the last weights
 * </pre>
 *
 * With the defaults ({@link #patienceFor}, {@link #keepBestFor}): with V validation rows and E evaluations in the run,
 * <pre>
 * patience = auto: max(MIN_AUTO_PATIENCE, ⌈E / 10⌉) when V ≥ MIN_VALIDATION_ROWS, else 0 (off)
 * keepBest = as set; by default true when V ≥ MIN_VALIDATION_ROWS
 * </pre>
 * A validation split of a few rows measures its loss too coarsely to pick a step by (on a 9-row split one row is
 * 11 % of the accuracy); the run then ends at the optimizer's own stop, with its last weights.
 *
 * Its state travels in checkpoints ({@link Checkpoint.Loop}), so a resumed run stops and keeps exactly as an
 * uninterrupted one.
 */
public final class EarlyStopping {

    /** The least automatic patience, in evaluations. */
    static final int MIN_AUTO_PATIENCE = 5;
    /** Validation rows below which the defaults neither stop early nor keep the best weights. */
    static final long MIN_VALIDATION_ROWS = 30;

    private final int patience;
    private final boolean keepBest;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private long bestStep;
    private int evaluationsWithoutImprovement;
    private float[] bestWeights;

    /**
     * @param patience evaluations without improvement after which to stop; 0: never stop early
     * @param keepBest end with the best weights even when the run did not stop early
     */
    public EarlyStopping(int patience, boolean keepBest) {
        if (patience < 0) throw new IllegalArgumentException("patience " + patience + ": expected ≥ 0");
        this.patience = patience;
        this.keepBest = keepBest;
    }

    /**
     * The patience of a run: {@code train.earlyStoppingPatience}, or when auto a tenth of its evaluations (at least
     * {@value #MIN_AUTO_PATIENCE}), off with fewer than {@value #MIN_VALIDATION_ROWS} validation rows.
     */
    static int patienceFor(TrainOptions t, RunPlan plan, long validationRows) {
        if (t.earlyStoppingPatience() != TrainOptions.AUTO_PATIENCE) return t.earlyStoppingPatience();
        if (validationRows < MIN_VALIDATION_ROWS) return 0;
        long evaluations = (plan.totalSteps() + plan.evalEvery() - 1) / plan.evalEvery();
        return (int) Math.max(MIN_AUTO_PATIENCE, (evaluations + 9) / 10);
    }

    /** Keep-best of a run: {@code train.keepBest} as set, by default on with at least {@value #MIN_VALIDATION_ROWS} validation rows. */
    static boolean keepBestFor(TrainConfig cfg, long validationRows) {
        return cfg.isSet(Keys.TRAIN_KEEP_BEST) ? cfg.train().keepBest()
                : cfg.train().keepBest() && validationRows >= MIN_VALIDATION_ROWS;
    }

    /**
     * Whether a run of {@code cfg} with this optimizer trains on its validation rows instead of holding them out: with
     * L-BFGS when none of {@code data.validationFraction}, {@code train.earlyStoppingPatience} and
     * {@code train.keepBest} is set. Full-batch L-BFGS stops at its own {@code train.tol}, as Spark MLlib's does;
     * choosing its weights by the validation loss stopped it early, at a loss the later iterations (growing
     * confidence on the rows it already classifies right) only raise while the accuracy still improves, and the
     * held-out rows were rows it did not learn from (BENCHMARKS.md, "Accuracy at every data size").
     */
    static boolean trainsOnValidation(TrainConfig cfg, OptimizerKind optimizer) {
        return optimizer == OptimizerKind.LBFGS && !cfg.isSet(Keys.DATA_VALIDATION_FRACTION)
                && !cfg.isSet(Keys.TRAIN_EARLY_STOPPING_PATIENCE) && !cfg.isSet(Keys.TRAIN_KEEP_BEST);
    }

    /** Continues from the state a checkpoint recorded. */
    public void restore(Checkpoint.Loop loop) {
        bestLoss = loop.bestValidationLoss();
        bestStep = loop.bestStep();
        evaluationsWithoutImprovement = loop.evaluationsWithoutImprovement();
        bestWeights = loop.best();
    }

    /**
     * Takes the validation loss of the weights after {@code step} steps.
     *
     * @param weights the weights evaluated; copied when they are the best so far and will be needed. Not modified.
     */
    public void evaluated(long step, double validationLoss, float[] weights) {
        if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            bestStep = step;
            evaluationsWithoutImprovement = 0;
            if (keepBest || patience > 0) bestWeights = weights.clone();
        } else {
            evaluationsWithoutImprovement++;
        }
    }

    /** Whether the run should stop now: the last {@code patience} evaluations did not improve on the best. */
    public boolean shouldStop() {
        return patience > 0 && evaluationsWithoutImprovement >= patience;
    }

    /**
     * Whether the run ends with the best weights rather than its last ones.
     *
     * @param lastStep the step the run ended at
     * @param stoppedEarly whether it ended because {@link #shouldStop()}
     */
    public boolean keepsBest(long lastStep, boolean stoppedEarly) {
        return bestWeights != null && (keepBest || stoppedEarly) && bestStep != lastStep;
    }

    /** The lowest validation loss so far; +∞ before the first evaluation. */
    public double bestLoss() {
        return bestLoss;
    }

    /** The step of {@link #bestLoss()}; 0 before the first evaluation. */
    public long bestStep() {
        return bestStep;
    }

    public int evaluationsWithoutImprovement() {
        return evaluationsWithoutImprovement;
    }

    /** The weights at {@link #bestStep()}, or null when neither option is on or nothing was evaluated. Do not modify. */
    public float[] bestWeights() {
        return bestWeights;
    }
}
