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
     * @param kept what was kept, e.g. {@code "the last good checkpoint (step 400) is kept at run/checkpoint"},
     *        inserted after the facts; null when there is nothing to name
     */
    public DivergenceException(long step, double loss, double learningRate, String kept) {
        super(String.format(Locale.ROOT, "training diverged at step %d (loss %s): expected a finite loss; %s"
                + "try a smaller train.learningRate (now %s) or set train.clipNorm", step,
                Double.isNaN(loss) ? "NaN" : Double.toString(loss), kept == null ? "" : kept + "; ",
                Double.toString(learningRate)));
        this.step = step;
    }

    public long step() {
        return step;
    }
}
