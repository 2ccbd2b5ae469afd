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
        super(String.format(Locale.ROOT, "training diverged at step %d (loss %s): expected a finite loss; "
                + "try a smaller train.learningRate (now %s) or set train.clipNorm%s", step,
                Double.isNaN(loss) ? "NaN" : Double.toString(loss), Double.toString(learningRate),
                checkpointNote == null ? "" : "; " + checkpointNote));
        this.step = step;
    }

    public long step() {
        return step;
    }
}
