package io.sparkmlp.kernel.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The line search on its own: interpolation formulas, the strong Wolfe result, safeguards, giving up. */
class StrongWolfeSearchTest {

    @Test
    void cubicMinimizerIsExactOnCubicsAndQuadratics() {
        // φ = (α − 2)²: a cubic with zero leading term.
        assertEquals(2.0, StrongWolfeSearch.cubicMinimizer(0, 4, -4, 1, 1, -2), 1e-15);
        // φ = α³ − 3α: local minimum at 1, from either order of the two points.
        assertEquals(1.0, StrongWolfeSearch.cubicMinimizer(0, 0, -3, 2, 2, 9), 1e-15);
        assertEquals(1.0, StrongWolfeSearch.cubicMinimizer(2, 2, 9, 0, 0, -3), 1e-15);
        // φ = α³ + 3α is increasing: no minimiser.
        assertTrue(Double.isNaN(StrongWolfeSearch.cubicMinimizer(0, 0, 3, 1, 4, 6)));
        assertTrue(Double.isNaN(StrongWolfeSearch.cubicMinimizer(0, 0, -1, 1, Double.NaN, 1)));
    }

    @Test
    void quadraticMinimizerNeedsConvexity() {
        assertEquals(2.0, StrongWolfeSearch.quadraticMinimizer(0, 4, -4, 3, 1), 1e-15);
        assertTrue(Double.isNaN(StrongWolfeSearch.quadraticMinimizer(0, 0, -1, 1, -2)), "concave");
        assertTrue(Double.isNaN(StrongWolfeSearch.quadraticMinimizer(0, 0, -1, 1, Double.POSITIVE_INFINITY)));
    }

    /** Drives the search on φ with the textbook conditions; returns the accepted α (NaN on failure). */
    static double search(DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double alpha0, int[] evaluations) {
        StrongWolfeSearch s = new StrongWolfeSearch();
        double f0 = phi.applyAsDouble(0), d0 = dphi.applyAsDouble(0);
        s.start(f0, d0, alpha0);
        while (true) {
            double a = s.alpha();
            double f = phi.applyAsDouble(a), d = dphi.applyAsDouble(a);
            evaluations[0]++;
            boolean decrease = f <= f0 + StrongWolfeSearch.C1 * a * d0;
            boolean curvature = Math.abs(d) <= StrongWolfeSearch.C2 * Math.abs(d0);
            switch (s.tell(f, d, decrease, curvature)) {
                case ACCEPT -> {
                    return a;
                }
                case FAIL -> {
                    return Double.NaN;
                }
                case CONTINUE -> {
                }
            }
        }
    }

    /**
     * φ(α) = (α − 10)² + sin(3α) from α₀ = 0.01 (extrapolation needed) and from α₀ = 50 (zoom
     * needed): the accepted α satisfies both conditions.
     */
    @Test
    void acceptedStepSatisfiesTheStrongWolfeConditions() {
        DoubleUnaryOperator phi = a -> (a - 10) * (a - 10) + Math.sin(3 * a);
        DoubleUnaryOperator dphi = a -> 2 * (a - 10) + 3 * Math.cos(3 * a);
        double f0 = phi.applyAsDouble(0), d0 = dphi.applyAsDouble(0);
        for (double alpha0 : new double[] {0.01, 50}) {
            int[] evaluations = {0};
            double a = search(phi, dphi, alpha0, evaluations);
            assertTrue(a > 0, "α₀ = " + alpha0 + ": failed");
            assertTrue(phi.applyAsDouble(a) <= f0 + 1e-4 * a * d0, "α₀ = " + alpha0 + ": sufficient decrease at " + a);
            assertTrue(Math.abs(dphi.applyAsDouble(a)) <= 0.9 * Math.abs(d0), "α₀ = " + alpha0 + ": curvature at " + a);
            assertTrue(evaluations[0] <= 10, "α₀ = " + alpha0 + ": " + evaluations[0] + " evaluations");
        }
    }

    /**
     * When no step ever decreases enough, each zoom trial stays inside the bracket at least 10% of
     * its width from the ends, and the search gives up after 25 evaluations.
     */
    @Test
    void zoomShrinksByAtLeastTenPercentAndGivesUp() {
        StrongWolfeSearch s = new StrongWolfeSearch();
        s.start(0, -1, 1);
        double lo = 0, hi = 1;
        for (int e = 1; e <= StrongWolfeSearch.MAX_EVALUATIONS; e++) {
            double a = s.alpha();
            assertTrue(a >= lo + 0.1 * (hi - lo) - 1e-15 && a <= hi - 0.1 * (hi - lo) + 1e-15 || e == 1,
                    "trial " + a + " outside [" + lo + ", " + hi + "] less its margins");
            StrongWolfeSearch.Outcome o = s.tell(1.0, 1.0, false, false);
            if (e < StrongWolfeSearch.MAX_EVALUATIONS) {
                assertEquals(StrongWolfeSearch.Outcome.CONTINUE, o);
                assertEquals(StrongWolfeSearch.Phase.ZOOM, s.phase());
            } else {
                assertEquals(StrongWolfeSearch.Outcome.FAIL, o);
            }
            hi = a;
        }
    }
}
