package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Parameters;

/** Gradient clipping. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * {@code if c > 0 and ‖g‖₂ > c: g ← g·(c/‖g‖₂)}, with ‖g‖₂ accumulated in double in index order
     * and the scale applied in double before rounding each entry to float (so the clipped norm equals
     * {@code c} up to float rounding). A non-finite norm (NaN or ∞ in {@code g}) leaves {@code g}
     * unchanged: scaling would only hide the divergence, which the caller detects from the returned norm.
     *
     * @param grad gradient. Modified: scaled in place when clipped.
     * @param maxNorm c; 0 turns clipping off
     * @return ‖g‖₂ before clipping
     * @throws IllegalArgumentException if {@code maxNorm} is negative, NaN or infinite
     */
    public static double clipByGlobalNorm(float[] grad, double maxNorm) {
        return clipToNorm(grad, maxNorm, Parameters.l2Norm(grad, 0, grad.length));
    }

    /**
     * {@link #clipByGlobalNorm} with ‖g‖₂ already known (the training loop has it from the layer norms it
     * logs, {@link io.sparkmlp.kernel.Reductions#layerNorms}), so that no pass over {@code g} computes it again.
     *
     * @param grad gradient. Modified: scaled in place when clipped.
     * @param maxNorm c; 0 turns clipping off
     * @param norm ‖g‖₂, as the caller computed it
     * @return {@code norm}
     * @throws IllegalArgumentException if {@code maxNorm} is negative, NaN or infinite
     */
    public static double clipToNorm(float[] grad, double maxNorm, double norm) {
        if (!(maxNorm >= 0 && maxNorm < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("maxNorm must be a finite number >= 0 (0 = off), found " + maxNorm);
        }
        if (maxNorm > 0 && norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
            double scale = maxNorm / norm;
            for (int i = 0; i < grad.length; i++) grad[i] = (float) (grad[i] * scale);
        }
        return norm;
    }
}
