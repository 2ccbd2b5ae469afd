package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Ranges;

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
 * <p>Numerics, as PyTorch's Adam computes it: every entry in float, with the step's constants computed in double
 * and rounded to float once per step, {@code StrictMath.pow} for the bias corrections {@code 1−βᵗ} (so a resumed
 * run on another JVM gets the same bits):
 * <pre>
 *   m ← b₁·m + c₁·g,   v ← b₂·v + c₂·g·g,   w ← w − s·(m / (√v·r + ε))
 *   b₁, b₂, c₁ = 1−β₁, c₂ = 1−β₂, s = η/(1−β₁ᵗ), r = 1/√(1−β₂ᵗ), ε: floats
 * </pre>
 * The loop then runs on the JIT's float vectors: 0.1 ms per step at 235,146 parameters, against 2–3 ms with each
 * entry computed in double (issue 14). State: {@code {m, v}}.
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
    Ranges.Body update(float[] params, float[] grad, double lr, long t) {
        double beta1 = spec.beta1(), beta2 = spec.beta2();
        float b1 = (float) beta1, b2 = (float) beta2;
        float c1 = (float) (1.0 - beta1), c2 = (float) (1.0 - beta2);
        float s = (float) (lr / (1.0 - StrictMath.pow(beta1, t)));
        float r = (float) (1.0 / Math.sqrt(1.0 - StrictMath.pow(beta2, t)));
        float eps = (float) spec.epsilon();
        float[] m = this.m, v = this.v;
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float mi = b1 * m[i] + c1 * g;
                float vi = b2 * v[i] + c2 * g * g;
                m[i] = mi;
                v[i] = vi;
                params[i] = params[i] - s * (mi / ((float) Math.sqrt(vi) * r + eps));
            }
        };
    }
}
