package io.sparkmlp.kernel.optim;

import static io.sparkmlp.kernel.optim.LrScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The L-BFGS solver against known optima, the strong Wolfe conditions at every accepted step, and
 * snapshot / restore at every evaluation. Each test drives the solver the way the training loop
 * will: ask {@link Lbfgs#nextPoint()}, evaluate, {@link Lbfgs#tell}.
 */
class LbfgsTest {

    /** A mean loss and its gradient at a float point, as the loop computes them. */
    interface Objective {
        /** @param gradient output. Modified. */
        double evaluate(float[] x, float[] gradient);
    }

    /** Rosenbrock's function {@code 100·(x₂ − x₁²)² + (1 − x₁)²}, in double, the gradient rounded to float. */
    static final Objective ROSENBROCK = (x, g) -> {
        double a = x[0], b = x[1];
        g[0] = (float) (-400 * a * (b - a * a) - 2 * (1 - a));
        g[1] = (float) (200 * (b - a * a));
        return 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
    };

    /** Runs the solver to the end; returns every point it asked for, in order. */
    static List<float[]> solve(Lbfgs solver, Objective objective) {
        List<float[]> asked = new ArrayList<>();
        float[] g = new float[solver.point().length];
        while (!solver.done()) {
            float[] x = solver.nextPoint();
            asked.add(x);
            solver.tell(objective.evaluate(x, g), g);
        }
        return asked;
    }

    // ---- Rosenbrock ------------------------------------------------------------------------

    /**
     * From (−1.2, 1): N&amp;W (§6.1) report 34 iterations for BFGS; this
     * solver takes 35 iterations and 44 evaluations with the defaults, stopping on the loss
     * tolerance at (1.0000031, 1.0000060).
     */
    @Test
    void rosenbrockConvergesFromTheTextbookStart() {
        Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults(), new float[] {-1.2f, 1f});
        solve(solver, ROSENBROCK);
        float[] x = solver.point();
        assertEquals(1.0, x[0], 1e-5, solver.toString());
        assertEquals(1.0, x[1], 1e-5, solver.toString());
        assertEquals(Lbfgs.Status.TOLERANCE, solver.status());
        assertTrue(solver.iterations() <= 45, "iterations: " + solver);
        assertTrue(solver.evaluations() <= 60, "evaluations: " + solver);
        assertTrue(solver.loss() < 1e-10, "loss " + solver.loss());
    }

    @Test
    void rosenbrockWithoutLossToleranceStopsOnTheGradient() {
        for (int m : new int[] {1, 3, 10}) {
            Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults().withTolerance(0).withHistorySize(m),
                    new float[] {-1.2f, 1f});
            solve(solver, ROSENBROCK);
            assertEquals(Lbfgs.Status.GRADIENT, solver.status(), "m=" + m + ": " + solver);
            assertTrue(solver.gradientNorm() <= 1e-6, "m=" + m + ": " + solver.gradientNorm());
            assertArrayEquals(new float[] {1f, 1f}, solver.point(), 1e-5f, "m=" + m);
        }
    }

    @Test
    void stopsAtTheIterationLimit() {
        Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults().withMaxIterations(5), new float[] {-1.2f, 1f});
        solve(solver, ROSENBROCK);
        assertEquals(Lbfgs.Status.MAX_ITERATIONS, solver.status());
        assertEquals(5, solver.iterations());
        float[] g = new float[2];
        assertEquals(ROSENBROCK.evaluate(solver.point(), g), solver.loss(), "loss() is the one told at point()");
    }

    // ---- logistic regression against Newton's method ----------------------------------------

    /** n rows of 3 features in U(−1, 1), labels drawn from a logistic model (so not separable). */
    static final int ROWS = 200;
    static final int FEATURES = 3;
    static final Architecture LOGISTIC = Architecture.of(Activation.TANH, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY,
            FEATURES, 1);

    static float[][] logisticData() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] w = {1.5, -2.0, 0.5};
        double b = 0.3;
        float[] x = new float[ROWS * FEATURES];
        float[] y = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            double z = b;
            for (int j = 0; j < FEATURES; j++) {
                x[r * FEATURES + j] = (float) rnd.nextDouble(-1, 1);
                z += w[j] * x[r * FEATURES + j];
            }
            y[r] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new float[][] {x, y};
    }

    /** The kernel's mean binary cross-entropy and gradient over all rows: the loop's full-batch evaluation. */
    static Objective kernelObjective(Architecture arch, float[] x, float[] y) {
        MlpKernel kernel = new MlpKernel(arch, Backend.JAVA);
        int n = y.length;
        return (params, g) -> {
            double sum = kernel.gradient(x, 0, y, 0, n, params, g);
            for (int i = 0; i < g.length; i++) g[i] /= n;
            return sum / n;
        };
    }

    /**
     * The minimiser of {@code mean(log(1 + e^z) − y·z) + (λ/2)·‖w‖²}, z = w·x + b (the bias not
     * decayed), by Newton's method in double: {@code θ ← θ − H⁻¹∇}, to machine precision.
     * Returns {w₀, w₁, w₂, b}, the kernel's layout of a 3-1 network.
     */
    static double[] newtonOptimum(float[] x, float[] y, double lambda) {
        int d = FEATURES + 1;
        double[] theta = new double[d];
        for (int iter = 0; iter < 100; iter++) {
            double[] grad = new double[d];
            double[][] h = new double[d][d];
            double[] row = new double[d];
            for (int r = 0; r < ROWS; r++) {
                for (int j = 0; j < FEATURES; j++) row[j] = x[r * FEATURES + j];
                row[FEATURES] = 1;
                double z = 0;
                for (int j = 0; j < d; j++) z += theta[j] * row[j];
                double p = 1 / (1 + Math.exp(-z));
                for (int j = 0; j < d; j++) {
                    grad[j] += (p - y[r]) * row[j] / ROWS;
                    for (int k = 0; k < d; k++) h[j][k] += p * (1 - p) * row[j] * row[k] / ROWS;
                }
            }
            for (int j = 0; j < FEATURES; j++) {
                grad[j] += lambda * theta[j];
                h[j][j] += lambda;
            }
            double[] step = solve(h, grad);
            double largest = 0;
            for (int j = 0; j < d; j++) {
                theta[j] -= step[j];
                largest = Math.max(largest, Math.abs(step[j]));
            }
            if (largest < 1e-15) break;
        }
        return theta;
    }

    /** {@code A⁻¹·b} by Gaussian elimination with partial pivoting (A small and positive definite here). */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double factor = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) m[r][k] -= factor * m[c][k];
            }
        }
        double[] out = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = m[r][n];
            for (int k = r + 1; k < n; k++) v -= m[r][k] * out[k];
            out[r] = v / m[r][r];
        }
        return out;
    }

    /**
     * The same mean loss in double, {@code log(1 + e^z) − y·z} with {@code z = w·x + b}, its
     * gradient rounded to float as the loop hands it over: the solver's own accuracy, free of the
     * float32 kernel's loss rounding.
     */
    static Objective doubleLogistic(float[] x, float[] y) {
        return (theta, g) -> {
            double[] grad = new double[FEATURES + 1];
            double loss = 0;
            for (int r = 0; r < ROWS; r++) {
                double z = theta[FEATURES];
                for (int j = 0; j < FEATURES; j++) z += (double) theta[j] * x[r * FEATURES + j];
                loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[r] * z;
                double e = 1 / (1 + Math.exp(-z)) - y[r];
                for (int j = 0; j < FEATURES; j++) grad[j] += e * x[r * FEATURES + j];
                grad[FEATURES] += e;
            }
            for (int j = 0; j <= FEATURES; j++) g[j] = (float) (grad[j] / ROWS);
            return loss / ROWS;
        };
    }

    /**
     * The convex problem matches Newton's optimum in double to 1e-5, without and with weight decay
     * (which must leave the bias alone: decaying it too moves the optimum by more than that).
     */
    @Test
    void logisticRegressionMatchesNewtonsOptimum() {
        float[][] data = logisticData();
        for (double lambda : new double[] {0.0, 0.05}) {
            double[] expected = newtonOptimum(data[0], data[1], lambda);
            Lbfgs solver = Lbfgs.forNetwork(LbfgsSpec.defaults().withTolerance(0).withWeightDecay(lambda),
                    LOGISTIC, new float[LOGISTIC.parameterCount()]);
            solve(solver, doubleLogistic(data[0], data[1]));
            float[] actual = solver.point();
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], 1e-5, "λ=" + lambda + ", parameter " + j + ", " + solver);
            }
            assertTrue(solver.iterations() <= 30, "λ=" + lambda + ": " + solver);
        }
        double[] decayedBiasToo = newtonOptimum(data[0], data[1], 0.05);
        assertTrue(Math.abs(decayedBiasToo[FEATURES] - newtonOptimum(data[0], data[1], 0)[FEATURES]) > 1e-4,
                "the λ case would not notice a decayed bias");
    }

    /**
     * Through the float32 kernel, with the defaults: the loss tolerance (1e-6 on the relative
     * change) stops the solver after 7 iterations, 8 evaluations, about 1.4e-3 from the optimum
     * and within 1e-6 of its loss. (With the tolerance off, the kernel's rounded loss, noisy at
     * about 1e-8, hides the optimum's last digits from the line search: it stops with
     * LINE_SEARCH_FAILED about 2e-5 away.)
     */
    @Test
    void logisticRegressionThroughTheKernelStopsNearTheOptimum() {
        float[][] data = logisticData();
        double[] expected = newtonOptimum(data[0], data[1], 0);
        Lbfgs solver = Lbfgs.forNetwork(LbfgsSpec.defaults(), LOGISTIC, new float[LOGISTIC.parameterCount()]);
        solve(solver, kernelObjective(LOGISTIC, data[0], data[1]));
        assertEquals(Lbfgs.Status.TOLERANCE, solver.status(), solver.toString());
        float[] optimum = new float[expected.length];
        for (int j = 0; j < expected.length; j++) optimum[j] = (float) expected[j];
        Objective exact = doubleLogistic(data[0], data[1]);
        float[] g = new float[expected.length];
        double gap = exact.evaluate(solver.point(), g) - exact.evaluate(optimum, g);
        assertTrue(gap >= -1e-12 && gap < 1e-6, "loss above the optimum's: " + gap + ", " + solver);
        assertArrayEquals(optimum, solver.point(), 1e-2f, solver.toString());
    }

    // ---- strong Wolfe --------------------------------------------------------------------------

    /**
     * Watches every accepted step through the public API: when {@link Lbfgs#iterations()} grows,
     * the point just told was accepted, and with {@code s = x_new − x_old} (exact in double) the
     * step must satisfy {@code f_new ≤ f_old + c₁·g_oldᵀs} and {@code |g_newᵀs| ≤ c₂·|g_oldᵀs|}.
     *
     * @return the number of accepted steps checked
     */
    static int checkStrongWolfe(Lbfgs solver, Objective objective, String name) {
        int n = solver.point().length;
        float[] g = new float[n];
        float[] xOld = null, gOld = null;
        double fOld = Double.NaN;
        int checked = 0;
        while (!solver.done()) {
            long before = solver.iterations();
            float[] x = solver.nextPoint();
            double f = objective.evaluate(x, g);
            solver.tell(f, g);
            if (xOld == null || solver.iterations() > before) {
                if (xOld != null) {
                    double gOldS = 0, gNewS = 0;
                    for (int i = 0; i < n; i++) {
                        double s = (double) x[i] - xOld[i];
                        gOldS += gOld[i] * s;
                        gNewS += g[i] * s;
                    }
                    assertTrue(gOldS < 0, name + " step " + checked + ": not a descent step, gᵀs = " + gOldS);
                    assertTrue(f <= fOld + 1e-4 * gOldS, name + " step " + checked + ": sufficient decrease fails, f "
                            + fOld + " → " + f + ", gᵀs = " + gOldS);
                    assertTrue(Math.abs(gNewS) <= 0.9 * Math.abs(gOldS), name + " step " + checked
                            + ": curvature fails, |g_newᵀs| = " + Math.abs(gNewS) + ", |g_oldᵀs| = " + Math.abs(gOldS));
                    checked++;
                }
                assertArrayEquals(x, solver.point(), name + ": the accepted point is the one evaluated");
                xOld = x;
                gOld = g.clone();
                fOld = f;
            }
        }
        return checked;
    }

    @Test
    void everyAcceptedStepSatisfiesTheStrongWolfeConditions() {
        int steps = checkStrongWolfe(Lbfgs.forVector(LbfgsSpec.defaults().withTolerance(0), new float[] {-1.2f, 1f}),
                ROSENBROCK, "Rosenbrock");
        assertTrue(steps >= 30, "Rosenbrock steps checked: " + steps);

        float[][] data = logisticData();
        steps = checkStrongWolfe(Lbfgs.forNetwork(LbfgsSpec.defaults(), LOGISTIC, new float[LOGISTIC.parameterCount()]),
                kernelObjective(LOGISTIC, data[0], data[1]), "logistic");
        assertTrue(steps >= 5, "logistic steps checked: " + steps);

        for (Activation act : new Activation[] {Activation.TANH, Activation.RELU}) {
            Architecture arch = LbfgsNetworkTest.parityNet(act);
            steps = checkStrongWolfe(Lbfgs.forNetwork(LbfgsSpec.defaults(), arch,
                    Parameters.initialize(arch, 0).flat()),
                    kernelObjective(arch, LbfgsNetworkTest.PARITY_X, LbfgsNetworkTest.PARITY_Y), "parity " + act);
            assertTrue(steps >= 20, "parity " + act + " steps checked: " + steps);
        }
    }

    // ---- snapshot / restore --------------------------------------------------------------------

    /**
     * For every k: an uninterrupted run, and a run stopped after k evaluations, snapshotted,
     * restored into a fresh solver (created at another point) and continued, must ask for the same
     * points and end in the same state, bit for bit. The snapshots cover the start, both phases of
     * the line search part-way through, and the end.
     */
    @Test
    void restoreAfterAnyEvaluationContinuesBitIdentically() {
        float[][] data = logisticData();
        Architecture arch = LbfgsNetworkTest.parityNet(Activation.TANH);
        LbfgsSpec decayed = LbfgsSpec.defaults().withWeightDecay(1e-3).withHistorySize(4);
        record Case(String name, Function<float[], Lbfgs> create, float[] start, Objective f) {
        }
        List<Case> cases = List.of(
                new Case("Rosenbrock", p -> Lbfgs.forVector(LbfgsSpec.defaults().withHistorySize(3), p),
                        new float[] {-1.2f, 1f}, ROSENBROCK),
                new Case("logistic with decay", p -> Lbfgs.forNetwork(decayed, LOGISTIC, p),
                        new float[LOGISTIC.parameterCount()], kernelObjective(LOGISTIC, data[0], data[1])),
                new Case("parity with decay", p -> Lbfgs.forNetwork(decayed.withMaxIterations(15), arch, p),
                        Parameters.initialize(arch, 0).flat(),
                        kernelObjective(arch, LbfgsNetworkTest.PARITY_X, LbfgsNetworkTest.PARITY_Y)));
        TreeSet<String> stagesSeen = new TreeSet<>();
        int midSearch = 0;
        for (Case c : cases) {
            Lbfgs uninterrupted = c.create().apply(c.start());
            List<float[]> expected = solve(uninterrupted, c.f());
            LbfgsState end = uninterrupted.state();
            float[] g = new float[c.start().length];
            for (int k = 0; k <= expected.size(); k++) {
                Lbfgs first = c.create().apply(c.start());
                for (int e = 0; e < k; e++) {
                    float[] x = first.nextPoint();
                    first.tell(c.f().evaluate(x, g), g);
                }
                LbfgsState saved = first.state();
                stagesSeen.add(saved.stage());
                if (saved.searchEvaluations() > 0 && !saved.stage().equals("DONE")) midSearch++;
                if (!first.done()) {
                    float[] x = first.nextPoint(); // keeps going after the snapshot: must not change it
                    first.tell(c.f().evaluate(x, g), g);
                }

                float[] elsewhere = new float[c.start().length];
                Arrays.fill(elsewhere, 0.25f);
                Lbfgs resumed = c.create().apply(elsewhere);
                resumed.restore(saved);
                assertEquals(saved, resumed.state(), c.name() + " after " + k + ": restore → state round trip");
                List<float[]> rest = solve(resumed, c.f());
                assertEquals(expected.size() - k, rest.size(), c.name() + " after " + k + ": evaluations left");
                for (int e = 0; e < rest.size(); e++) {
                    assertArrayEquals(expected.get(k + e), rest.get(e), c.name() + " resumed after " + k
                            + " evaluations asks for another point at evaluation " + (k + e));
                }
                assertEquals(end, resumed.state(), c.name() + " resumed after " + k + ": final state differs");
                assertEquals(uninterrupted.status(), resumed.status());
            }
        }
        assertEquals(new TreeSet<>(List.of("BRACKET", "DONE", "START", "ZOOM")), stagesSeen);
        assertTrue(midSearch >= 5, "snapshots part-way through a line search: " + midSearch);
    }

    @Test
    void snapshotIsPlainDataAndRestoreRejectsForeignState() {
        Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults().withHistorySize(2), new float[] {-1.2f, 1f});
        float[] g = new float[2];
        for (int e = 0; e < 12; e++) {
            float[] x = solver.nextPoint();
            solver.tell(ROSENBROCK.evaluate(x, g), g);
        }
        LbfgsState s = solver.state();
        assertEquals(2, s.steps().length, "the history is full after 12 evaluations: " + s);
        float[] before = s.point().clone();
        float[] x = solver.nextPoint();
        solver.tell(ROSENBROCK.evaluate(x, g), g);
        assertArrayEquals(before, s.point(), "the snapshot does not alias the solver");
        assertNotEquals(s, solver.state());

        Lbfgs small = Lbfgs.forVector(LbfgsSpec.defaults().withHistorySize(1), new float[] {0f, 0f});
        assertMessage("L-BFGS state has 2 curvature pairs, this solver keeps at most 1", () -> small.restore(s));
        Lbfgs wide = Lbfgs.forVector(LbfgsSpec.defaults(), new float[3]);
        assertMessage("L-BFGS state has dimension 2, this solver has 3", () -> wide.restore(s));
        Lbfgs other = Lbfgs.forVector(LbfgsSpec.defaults(), new float[2]);
        LbfgsState fresh = other.state();
        assertMessage("L-BFGS state stage 'WALK' is unknown, expected one of [START, BRACKET, ZOOM, DONE]",
                () -> other.restore(new LbfgsState("WALK", "RUNNING", 0, 0, 0, 0, new double[10], new float[2],
                        new float[2], new float[0][], new float[0][])));
        assertMessage("L-BFGS state has stage BRACKET with status GRADIENT, expected status RUNNING exactly when"
                + " the stage is not DONE", () -> other.restore(new LbfgsState("BRACKET", "GRADIENT", 0, 0, 0, 0,
                        new double[10], new float[2], new float[2], new float[0][], new float[0][])));
        assertEquals(fresh, other.state(), "a rejected restore changes nothing");

        assertMessage("L-BFGS state search numbers must be 10 doubles, found 3", () -> new LbfgsState("START",
                "RUNNING", 0, 0, 0, 0, new double[3], new float[2], new float[2], new float[0][], new float[0][]));
        assertMessage("L-BFGS state step 0 has 3 entries, expected 2 (the point's)", () -> new LbfgsState("ZOOM",
                "RUNNING", 1, 1, 0, 0, new double[10], new float[2], new float[2], new float[][] {new float[3]},
                new float[][] {new float[2]}));
        assertMessage("L-BFGS state has 1 steps but 0 gradient changes, expected as many", () -> new LbfgsState(
                "ZOOM", "RUNNING", 1, 1, 0, 0, new double[10], new float[2], new float[2],
                new float[][] {new float[2]}, new float[0][]));
    }

    // ---- contract ------------------------------------------------------------------------------

    /**
     * {@code √(1 + x²) − 1} in one dimension, NaN (loss and gradient) below −20, from x = 100: the
     * slope stays near 1 far from 0, so the bracketing phase extrapolates (α = 1, 5, 21, 85, 341)
     * into the NaN region, and the search must treat NaN as too long a step and zoom back.
     */
    @Test
    void nonFiniteTrialCountsAsTooLongAStep() {
        Objective f = (x, g) -> {
            if (x[0] < -20) {
                g[0] = Float.NaN;
                return Double.NaN;
            }
            double r = Math.sqrt(1 + (double) x[0] * x[0]);
            g[0] = (float) (x[0] / r);
            return r - 1;
        };
        Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults().withTolerance(0), new float[] {100f});
        List<float[]> asked = solve(solver, f);
        assertTrue(asked.stream().anyMatch(x -> x[0] < -20), "no trial reached the NaN region");
        assertEquals(Lbfgs.Status.GRADIENT, solver.status(), solver.toString());
        assertEquals(0.0, solver.point()[0], 1e-5);
    }

    @Test
    void contractErrors() {
        Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults(), new float[] {-1.2f, 1f});
        assertMessage("L-BFGS gradient has 3 entries, expected 2", () -> solver.tell(1.0, new float[3]));
        assertMessage("L-BFGS loss at the initial point is NaN, expected a finite number",
                () -> solver.tell(Double.NaN, new float[2]));
        assertMessage("L-BFGS gradient entry 1 at the initial point is Infinity, expected a finite number",
                () -> solver.tell(1.0, new float[] {0f, Float.POSITIVE_INFINITY}));
        assertEquals(0, solver.evaluations(), "rejected tells are not counted");
        assertTrue(Double.isNaN(solver.loss()));
        assertTrue(Double.isNaN(solver.gradientNorm()));
        assertArrayEquals(new float[] {-1.2f, 1f}, solver.nextPoint(), "the initial point is asked first");
        assertArrayEquals(solver.nextPoint(), solver.nextPoint(), "asking twice gives the same point");

        solve(solver, ROSENBROCK);
        assertTrue(solver.done());
        IllegalStateException e = assertThrows(IllegalStateException.class, solver::nextPoint);
        assertEquals("L-BFGS has stopped (TOLERANCE); it needs no more evaluations", e.getMessage());
        assertThrows(IllegalStateException.class, () -> solver.tell(0.0, new float[2]));

        assertMessage("L-BFGS weight decay needs an architecture to tell weights from biases, found weight decay 0.1"
                + " for a plain vector; expected 0",
                () -> Lbfgs.forVector(LbfgsSpec.defaults().withWeightDecay(0.1), new float[2]));
        assertMessage("L-BFGS initial point entry 1 is NaN, expected a finite number",
                () -> Lbfgs.forVector(LbfgsSpec.defaults(), new float[] {0f, Float.NaN}));
        assertMessage("L-BFGS initial point has 5 entries, expected 4 (parameter count of 3-1)",
                () -> Lbfgs.forNetwork(LbfgsSpec.defaults(), LOGISTIC, new float[5]));
        assertMessage("L-BFGS initial point is empty, expected at least one entry",
                () -> Lbfgs.forVector(LbfgsSpec.defaults(), new float[0]));
    }

    @Test
    void aZeroGradientAtTheStartStopsAtOnce() {
        Lbfgs solver = Lbfgs.forVector(LbfgsSpec.defaults(), new float[] {1f, 1f});
        solve(solver, ROSENBROCK);
        assertEquals(Lbfgs.Status.GRADIENT, solver.status());
        assertEquals(0, solver.iterations());
        assertEquals(1, solver.evaluations());
        assertEquals("DONE", solver.state().stage());
    }

    @Test
    void specDefaultsAndValidation() {
        LbfgsSpec d = LbfgsSpec.defaults();
        assertEquals(new LbfgsSpec(10, 1e-6, 1e-6, 100, 0.0), d);
        assertEquals(new LbfgsSpec(5, 1e-4, 1e-7, 20, 0.01), d.withHistorySize(5).withTolerance(1e-4)
                .withGradientTolerance(1e-7).withMaxIterations(20).withWeightDecay(0.01));
        assertEquals("lbfgs(history=10, tol=1.0E-6, gradient_tol=1.0E-6, max_iterations=100, weight_decay=0.0)",
                d.describe());
        assertMessage("L-BFGS history size must be >= 1, found 0", () -> d.withHistorySize(0));
        assertMessage("L-BFGS tolerance must be a finite number >= 0, found -1.0E-6", () -> d.withTolerance(-1e-6));
        assertMessage("L-BFGS gradient tolerance must be a finite number >= 0, found NaN",
                () -> d.withGradientTolerance(Double.NaN));
        assertMessage("L-BFGS max iterations must be >= 1, found 0", () -> d.withMaxIterations(0));
        assertMessage("L-BFGS weight decay must be a finite number >= 0, found Infinity",
                () -> d.withWeightDecay(Double.POSITIVE_INFINITY));
    }
}
