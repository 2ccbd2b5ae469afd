package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Ranges;

/**
 * A first-order update rule that owns its state (step count and moment arrays), with the
 * lifecycle {@code create → step* → reset}: {@link Optimizers#create} returns an optimizer whose
 * state is allocated and zero, shaped like the parameters; {@link #reset} returns it to that
 * state. Optimizers live on the driver only; executors never see them. Not thread-safe.
 *
 * <p>Determinism: {@link #step} is a sequential loop with no randomness; the same state, inputs
 * and learning rate give the same bits, and a {@link #state()} / {@link #restore} round trip
 * continues bit-identically to an uninterrupted run.
 */
public interface Optimizer {

    /**
     * One update from the MEAN mini-batch gradient: clip (if {@code clipNorm > 0}), add L2 weight
     * decay (if any, not for AdamW), then apply the rule of {@link #spec()}'s kind (formulas on
     * {@link OptimizerSpec}). Increments {@link #stepsTaken()}.
     *
     * @param params flat parameters ({@code Parameters.flat()} layout). Modified: updated in place.
     * @param grad mean gradient, same length. Modified: may hold the clipped and/or decayed
     *        gradient on return; treat it as scratch.
     * @param learningRate η for this step, finite and ≥ 0 (usually {@link LrSchedule#rate(long)}
     *        of {@link #stepsTaken()})
     * @throws IllegalArgumentException if a length differs from the parameter count or η is not
     *         finite and ≥ 0; nothing is modified then
     */
    void step(float[] params, float[] grad, double learningRate);

    /**
     * {@link #step(float[], float[], double)} with the gradient's norm already computed by the caller, as
     * {@link io.sparkmlp.kernel.Reductions#layerNorms} returns it (which is also how the three-argument form
     * computes it, so both give the same bits): clipping and {@link #lastGradientNorm()} use it, and no pass
     * over {@code grad} computes it again.
     *
     * @param gradNorm ‖grad‖₂ before clipping
     */
    void step(float[] params, float[] grad, double learningRate, double gradNorm);

    /**
     * {@link #step(float[], float[], double, double)} with its element-wise passes (weight decay and the rule) run by
     * {@code ranges}, which may cut them among threads; every rule is element-wise, so the bits are those of the
     * serial step. Clipping, which needs the whole gradient's norm, scales the gradient first.
     *
     * @param ranges runs the element-wise passes ({@link Ranges#SERIAL}: as the four-argument form)
     */
    void step(float[] params, float[] grad, double learningRate, double gradNorm, Ranges ranges);

    /** Steps taken since creation or {@link #reset} (Adam's {@code t} after the next step is this + 1). */
    long stepsTaken();

    /**
     * ‖g‖₂ of the gradient passed to the last {@link #step}, before clipping and weight decay,
     * accumulated in double; NaN before the first step and after {@link #reset} / {@link #restore}.
     * Non-finite when the gradient held NaN or ∞ (clipping then leaves it unchanged).
     */
    double lastGradientNorm();

    /** The configuration this optimizer was created with. */
    OptimizerSpec spec();

    /**
     * A snapshot of all state (step count and copies of the moment arrays) for checkpoints. Later
     * steps do not change the snapshot.
     */
    OptimizerState state();

    /**
     * Replaces all state by a copy of {@code state}, so that the next {@link #step} is bit-identical
     * to the one an uninterrupted run would take. {@code state} is not modified and not retained.
     *
     * @throws IllegalArgumentException if the kind, the number of arrays or an array length
     *         differs from this optimizer's; nothing is modified then
     */
    void restore(OptimizerState state);

    /** Back to the freshly created state: zero steps, zero moments. */
    void reset();
}
