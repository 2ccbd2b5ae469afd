package io.sparkmlp.driver.train;

import java.util.Locale;

/** Training produced a non-finite loss or weights: stop, say where, keep what was written before. */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public DivergenceException(long step, double loss, double learningRate) {
        this(step, loss, learningRate, null);
    }

    /**
     * @param checkpointNote what became of the checkpoints (e.g. {@code the last good checkpoint
     *        (step 300) is kept: PATH}), appended to the message; null: nothing
     */
    public DivergenceException(long step, double loss, double learningRate, String checkpointNote) {
        this(step, String.format(Locale.ROOT, "training diverged at step %d (loss %s): expected a finite loss; "
                + "try a smaller train.learningRate (now %s) or set train.clipNorm%s", step,
                Double.isNaN(loss) ? "NaN" : Double.toString(loss), Double.toString(learningRate),
                checkpointNote == null ? "" : "; " + checkpointNote));
    }

    private DivergenceException(long step, String message) {
        super(message);
        this.step = step;
    }

    /**
     * L-BFGS: the loss or gradient at the initial weights is not finite. (At later points a non-finite loss only
     * shortens the line search's step, so this is the one place L-BFGS diverges.)
     */
    static DivergenceException atInitialWeights(long step, double loss, String checkpointNote) {
        return new DivergenceException(step, String.format(Locale.ROOT, "training diverged at step %d (loss %s): expected"
                + " a finite loss and gradient at the initial weights (train.optimizer = lbfgs); check the data for"
                + " extreme or non-finite values, or enable data.standardize%s", step,
                Double.isNaN(loss) ? "NaN" : Double.toString(loss), checkpointNote == null ? "" : "; " + checkpointNote));
    }

    public long step() {
        return step;
    }
}
