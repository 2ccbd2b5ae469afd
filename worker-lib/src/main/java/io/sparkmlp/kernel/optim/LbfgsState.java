package io.sparkmlp.kernel.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * Plain-data snapshot of an {@link Lbfgs} solver for checkpoints, taken between any two
 * evaluations (also in the middle of a line search); {@link Lbfgs#restore} continues from it with
 * the same bits. Everything else the solver holds (the objective with its weight-decay term, the
 * search direction, the trial point) is recomputed from these fields by the same arithmetic.
 * The constructor copies the arrays, so a snapshot never aliases live solver state; the accessors
 * return the snapshot's own arrays (read them, do not modify them). {@code equals} compares
 * contents bit for bit.
 *
 * @param stage {@code START} (the initial point is being evaluated), {@code BRACKET} or
 *        {@code ZOOM} (the line search's phase), or {@code DONE}
 * @param status an {@link Lbfgs.Status} name: {@code RUNNING} unless the stage is {@code DONE}
 * @param iterations accepted steps, ≥ 0
 * @param evaluations (loss, gradient) evaluations told, ≥ 0
 * @param searchEvaluations evaluations told in the current line search, ≥ 0
 * @param loss the mean data loss told at {@code point} (NaN before the first evaluation)
 * @param search the line search's numbers: α to evaluate, then (α, φ, φ') of its previous trial,
 *        of lo and of hi; 10 doubles
 * @param point the accepted point (the initial point until the first step is accepted)
 * @param gradient the mean data gradient told at {@code point} (zeros before the first evaluation)
 * @param steps the curvature pairs' {@code s = x_{k+1} − x_k}, oldest first, each rounded to float
 * @param gradientChanges their {@code y = g_{k+1} − g_k} (objective gradients), same order
 */
public record LbfgsState(String stage, String status, long iterations, long evaluations, int searchEvaluations,
        double loss, double[] search, float[] point, float[] gradient, float[][] steps, float[][] gradientChanges) {

    public LbfgsState {
        if (stage == null || stage.isBlank() || status == null || status.isBlank()) {
            throw new IllegalArgumentException("L-BFGS state needs a stage and a status, found stage '" + stage
                    + "', status '" + status + "'");
        }
        if (iterations < 0 || evaluations < 0 || searchEvaluations < 0) {
            throw new IllegalArgumentException("L-BFGS state counters must be >= 0, found iterations " + iterations
                    + ", evaluations " + evaluations + ", search evaluations " + searchEvaluations);
        }
        if (search == null || search.length != StrongWolfeSearch.SCALARS) {
            throw new IllegalArgumentException("L-BFGS state search numbers must be " + StrongWolfeSearch.SCALARS
                    + " doubles, found " + (search == null ? "null" : search.length));
        }
        if (point == null || gradient == null || steps == null || gradientChanges == null) {
            throw new IllegalArgumentException("L-BFGS state arrays are required, found point " + point
                    + ", gradient " + gradient + ", steps " + steps + ", gradient changes " + gradientChanges);
        }
        int n = point.length;
        if (gradient.length != n) {
            throw new IllegalArgumentException("L-BFGS state gradient has " + gradient.length
                    + " entries, expected " + n + " (the point's)");
        }
        if (steps.length != gradientChanges.length) {
            throw new IllegalArgumentException("L-BFGS state has " + steps.length + " steps but "
                    + gradientChanges.length + " gradient changes, expected as many");
        }
        search = search.clone();
        point = point.clone();
        gradient = gradient.clone();
        steps = copyPairs("step", steps, n);
        gradientChanges = copyPairs("gradient change", gradientChanges, n);
    }

    private static float[][] copyPairs(String what, float[][] vectors, int n) {
        float[][] copy = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null || vectors[i].length != n) {
                throw new IllegalArgumentException("L-BFGS state " + what + " " + i + " has "
                        + (vectors[i] == null ? "no" : Integer.toString(vectors[i].length))
                        + " entries, expected " + n + " (the point's)");
            }
            copy[i] = vectors[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LbfgsState s && stage.equals(s.stage) && status.equals(s.status)
                && iterations == s.iterations && evaluations == s.evaluations
                && searchEvaluations == s.searchEvaluations
                && Double.doubleToLongBits(loss) == Double.doubleToLongBits(s.loss)
                && Arrays.equals(search, s.search) && Arrays.equals(point, s.point)
                && Arrays.equals(gradient, s.gradient) && Arrays.deepEquals(steps, s.steps)
                && Arrays.deepEquals(gradientChanges, s.gradientChanges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stage, status, iterations, evaluations, searchEvaluations, loss) * 31
                + Arrays.hashCode(point) + 17 * Arrays.deepHashCode(steps);
    }

    @Override
    public String toString() {
        return "LbfgsState[stage=" + stage + ", status=" + status + ", iterations=" + iterations + ", evaluations="
                + evaluations + ", searchEvaluations=" + searchEvaluations + ", loss=" + loss + ", dimension="
                + point.length + ", pairs=" + steps.length + "]";
    }
}
