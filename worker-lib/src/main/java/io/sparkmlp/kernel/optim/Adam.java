package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Architecture;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1),
 * with {@code t} the 1-based step number:
 * <pre>
 *   m ← β₁·m + (1−β₁)·g
 *   v ← β₂·v + (1−β₂)·g²
 *   m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)
 *   w ← w − η·m̂/(√v̂ + ε)
 * </pre>
 * On the first step m̂ = g and v̂ = g², so every weight moves by {@code η·g/(|g|+ε) ≈ η·sign(g)}.
 *
 * <p>ADAM takes weight decay as L2 on the gradient ({@code g ← g + λ·w}, added in
 * {@link Optimizer#step} before this update), which Adam's normalisation largely cancels. ADAMW
 * (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) decouples it:
 * {@code w ← w − η·λ·w}, applied just before the update above as PyTorch does (the Adam term does
 * not depend on w, so this equals the paper's simultaneous update); m and v then see the data
 * gradient only.
 *
 * <p>Numerics: m and v are stored as float; each entry's update is computed in double and rounded
 * once when stored. The bias corrections {@code 1−βᵗ} are double, with {@code StrictMath.pow} so a
 * resumed run on another JVM gets the same bits. State: {@code {m, v}}.
 */
final class Adam extends AbstractOptimizer {

    private final float[] m;
    private final float[] v;

    Adam(OptimizerSpec spec, Architecture arch) {
        super(spec, arch);
        this.m = new float[arch.parameterCount()];
        this.v = new float[arch.parameterCount()];
    }

    @Override
    float[][] stateArrays() {
        return new float[][] {m, v};
    }

    @Override
    void update(float[] params, float[] grad, double lr, long t) {
        double b1 = spec.beta1(), b2 = spec.beta2(), eps = spec.epsilon();
        double oneMinusB1 = 1.0 - b1, oneMinusB2 = 1.0 - b2;
        double bc1 = 1.0 - StrictMath.pow(b1, t);
        double bc2 = 1.0 - StrictMath.pow(b2, t);
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            float mi = (float) (b1 * m[i] + oneMinusB1 * g);
            float vi = (float) (b2 * v[i] + oneMinusB2 * g * g);
            m[i] = mi;
            v[i] = vi;
            double mHat = mi / bc1;
            double vHat = vi / bc2;
            params[i] = (float) (params[i] - lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }
}
