package io.sparkmlp.kernel.optim;

import io.sparkmlp.kernel.Architecture;
import java.util.Arrays;

/**
 * Full-batch L-BFGS (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., 2006,
 * Algorithms 7.4 and 7.5) that the caller drives by reverse communication: it asks for the
 * objective's value and gradient at {@link #nextPoint()} and is told them with {@link #tell}, so
 * each evaluation can be a distributed pass over the whole training split, and the caller can
 * checkpoint between any two evaluations ({@link #state()} / {@link #restore}).
 * <pre>
 *   p_k = −H_k·g_k                two-loop recursion over the last m pairs (s_i, y_i),
 *                                 H_k⁰ = γ_k·I,  γ_k = s_{k−1}ᵀy_{k−1} / y_{k−1}ᵀy_{k−1}  (I when no pair)
 *   x_{k+1} = x_k + α_k·p_k       α_k from a strong Wolfe line search ({@link StrongWolfeSearch},
 *                                 c₁ = 1e-4, c₂ = 0.9), first trial 1/‖g_k‖ when H_k⁰ = I, else 1
 *   s_k = x_{k+1} − x_k,  y_k = g_{k+1} − g_k,  kept unless s_kᵀy_k ≤ ε·y_kᵀy_k  (ε = 1e-10)
 * </pre>
 * The objective is {@code f(x) = L(x) + (λ/2)·Σ_weights x_i²}: L the mean loss the caller tells,
 * λ the spec's weight decay on the weights only (not the biases), so its gradient is the told one
 * plus {@code λ·x_i} on the weights, as the first-order optimizers add it. Stopping rules are on
 * {@link LbfgsSpec}.
 *
 * <p>The first trial step: on the first iteration (and after a restart) the direction is −g, and
 * α = 1/‖g‖ makes the first trial move by unit length, which is what Breeze's {@code LBFGS} (and
 * so Spark MLlib) does; afterwards α = 1, the quasi-Newton step N&amp;W recommend trying first. The
 * Wolfe conditions are judged on the step actually taken, {@code s = x_trial − x}, with
 * {@code x_trial} rounded to float: {@code f(x_trial) ≤ f(x) + c₁·gᵀs} and
 * {@code |g_trialᵀs| ≤ c₂·|gᵀs|}. The curvature condition then gives {@code sᵀy ≥ (1 − c₂)·|gᵀs| > 0}
 * for the very pair stored, so H stays positive definite. If a line search fails, the history is
 * dropped and the search restarted along −g from the accepted point (as Breeze does once); if that
 * fails too, the solver stops with {@link Status#LINE_SEARCH_FAILED}. A non-finite value or
 * gradient at a trial point counts as too long a step.
 *
 * <p>Numerics. All arithmetic is in double, in sequential index-order loops with no randomness:
 * the same inputs give the same bits. Float rounding happens in exactly three places: (1) each
 * trial point {@code x + α·p} is computed in double and each entry rounded once to float, since
 * the caller's parameters are float32; the accepted point is the last trial, so it is exactly
 * what was evaluated and is handed back without further rounding; (2) each stored pair (s, y) is
 * computed in double and rounded once to float when stored, and
 * {@code sᵀy}, {@code yᵀy} are then computed from the stored floats; (3) the caller's loss
 * gradient arrives as float. Everything else (direction, objective, γ, dot products, line-search
 * numbers) is double and is recomputed after {@link #restore} by the same loops.
 *
 * <p>Lifecycle: {@code nextPoint → tell} until {@link #done()}; then {@link #point()} and
 * {@link #loss()} give the result. Not thread-safe.
 */
public final class Lbfgs {

    /** Curvature pairs with {@code sᵀy ≤ ε·yᵀy} are skipped. */
    static final double CURVATURE_EPSILON = 1e-10;

    /** Why the solver is running or stopped. */
    public enum Status {
        /** Not stopped: ask {@link #nextPoint()}. */
        RUNNING,
        /** The relative loss change fell below the tolerance. */
        TOLERANCE,
        /** The gradient norm fell to the gradient tolerance. */
        GRADIENT,
        /** No strong Wolfe step was found along −g either; the point is the last accepted one. */
        LINE_SEARCH_FAILED,
        /** The iteration limit was reached. */
        MAX_ITERATIONS
    }

    private enum Stage { START, BRACKET, ZOOM, DONE }

    private final LbfgsSpec spec;
    private final int n;
    private final int m;
    /** Start (inclusive) and end (exclusive) of each range of decayed entries. */
    private final int[] decayStart;
    private final int[] decayEnd;

    private boolean started;
    private boolean finished;
    private Status status = Status.RUNNING;
    private long iterations;
    private long evaluations;

    /** The accepted point, the data loss and data gradient told there. */
    private final float[] x;
    private double loss = Double.NaN;
    private final float[] lossGradient;
    /** The objective and its gradient at x. */
    private double f;
    private double[] g;

    /** Pairs 0..count−1 oldest first; index m is the spare that receives a new pair. */
    private final float[][] s;
    private final float[][] y;
    private final double[] sy;
    private final double[] yy;
    private int count;

    /** The search direction at x and φ'(0) = gᵀp. */
    private final double[] p;
    private double d0;
    private final StrongWolfeSearch search = new StrongWolfeSearch();
    /** The point to evaluate next, and the objective gradient of the last trial (scratch). */
    private final float[] trial;
    private double[] trialGradient;
    private final double[] twoLoopAlpha;

    private Lbfgs(LbfgsSpec spec, float[] initial, int[] decayStart, int[] decayEnd) {
        this.spec = spec;
        this.n = initial.length;
        this.m = spec.historySize();
        this.decayStart = decayStart;
        this.decayEnd = decayEnd;
        this.x = initial.clone();
        this.lossGradient = new float[n];
        this.g = new double[n];
        this.s = new float[m + 1][n];
        this.y = new float[m + 1][n];
        this.sy = new double[m + 1];
        this.yy = new double[m + 1];
        this.p = new double[n];
        this.trial = initial.clone();
        this.trialGradient = new double[n];
        this.twoLoopAlpha = new double[m];
    }

    /**
     * A solver for the parameters of {@code arch}, starting at {@code initial} (not modified, not
     * retained); weight decay applies to the ranges {@code [weightOffset(l), biasOffset(l))}.
     *
     * @throws IllegalArgumentException if an argument is null, {@code initial} does not have
     *         {@code arch.parameterCount()} entries, or one is not finite
     */
    public static Lbfgs forNetwork(LbfgsSpec spec, Architecture arch, float[] initial) {
        if (spec == null || arch == null || initial == null) {
            throw new IllegalArgumentException("L-BFGS needs a spec, an architecture and an initial point, found spec="
                    + spec + ", arch=" + arch + ", initial=" + (initial == null ? "null" : "float[" + initial.length + "]"));
        }
        if (initial.length != arch.parameterCount()) {
            throw new IllegalArgumentException("L-BFGS initial point has " + initial.length + " entries, expected "
                    + arch.parameterCount() + " (parameter count of " + arch.shape() + ")");
        }
        int layers = arch.numLayers();
        int[] start = new int[layers], end = new int[layers];
        for (int l = 0; l < layers; l++) {
            start[l] = arch.weightOffset(l);
            end[l] = arch.biasOffset(l);
        }
        return create(spec, initial, start, end);
    }

    /**
     * A solver for a plain vector (no weights or biases), starting at {@code initial} (not
     * modified, not retained).
     *
     * @throws IllegalArgumentException if an argument is null, {@code initial} is empty or holds a
     *         non-finite value, or the spec has weight decay (which needs an architecture to tell
     *         weights from biases)
     */
    public static Lbfgs forVector(LbfgsSpec spec, float[] initial) {
        if (spec == null || initial == null) {
            throw new IllegalArgumentException("L-BFGS needs a spec and an initial point, found spec=" + spec
                    + ", initial=" + (initial == null ? "null" : "float[" + initial.length + "]"));
        }
        if (spec.weightDecay() != 0) {
            throw new IllegalArgumentException("L-BFGS weight decay needs an architecture to tell weights from biases,"
                    + " found weight decay " + spec.weightDecay() + " for a plain vector; expected 0");
        }
        return create(spec, initial, new int[0], new int[0]);
    }

    private static Lbfgs create(LbfgsSpec spec, float[] initial, int[] start, int[] end) {
        if (initial.length == 0) {
            throw new IllegalArgumentException("L-BFGS initial point is empty, expected at least one entry");
        }
        for (int i = 0; i < initial.length; i++) {
            if (!Float.isFinite(initial[i])) {
                throw new IllegalArgumentException("L-BFGS initial point entry " + i + " is " + initial[i]
                        + ", expected a finite number");
            }
        }
        return new Lbfgs(spec, initial, start, end);
    }

    /**
     * The point whose mean loss and mean gradient the solver needs next: the initial point first,
     * then line-search trials. Asking again before {@link #tell} returns the same point.
     *
     * @return a new array of the dimension's length
     * @throws IllegalStateException if the solver is {@link #done()}
     */
    public float[] nextPoint() {
        if (finished) {
            throw new IllegalStateException("L-BFGS has stopped (" + status + "); it needs no more evaluations");
        }
        return trial.clone();
    }

    /**
     * Reports the mean data loss and its gradient at the last {@link #nextPoint()}, and moves on:
     * the line search takes its next step, or accepts the point and starts the next iteration, or
     * the solver stops.
     *
     * @param meanLoss the mean loss over the whole training set; may be non-finite at a trial
     *        point (the step is then treated as too long), not at the initial point
     * @param meanGradient its gradient, shaped like the point. Not modified, not retained.
     * @throws IllegalStateException if the solver is {@link #done()}
     * @throws IllegalArgumentException if the gradient is null or has the wrong length, or the
     *         initial point's loss or gradient is not finite; nothing is changed then
     */
    public void tell(double meanLoss, float[] meanGradient) {
        if (finished) {
            throw new IllegalStateException("L-BFGS has stopped (" + status + "); it takes no more evaluations");
        }
        if (meanGradient == null || meanGradient.length != n) {
            throw new IllegalArgumentException("L-BFGS gradient has "
                    + (meanGradient == null ? "no" : Integer.toString(meanGradient.length))
                    + " entries, expected " + n);
        }
        if (!started) {
            checkFinite(meanLoss, meanGradient);
            evaluations++;
            started = true;
            loss = meanLoss;
            System.arraycopy(meanGradient, 0, lossGradient, 0, n);
            f = objective(meanLoss, x);
            objectiveGradient(meanGradient, x, g);
            if (gradientConverged()) {
                stop(Status.GRADIENT);
            } else {
                beginIteration();
            }
            return;
        }
        evaluations++;
        double fTrial = objective(meanLoss, trial);
        objectiveGradient(meanGradient, trial, trialGradient);
        double gs = 0, gTrialS = 0, dTrial = 0;
        for (int i = 0; i < n; i++) {
            double step = (double) trial[i] - x[i];
            gs += g[i] * step;
            gTrialS += trialGradient[i] * step;
            dTrial += trialGradient[i] * p[i];
        }
        boolean sufficientDecrease = gs < 0 && fTrial <= f + StrongWolfeSearch.C1 * gs;
        boolean curvature = Math.abs(gTrialS) <= StrongWolfeSearch.C2 * Math.abs(gs);
        switch (search.tell(fTrial, dTrial, sufficientDecrease, curvature)) {
            case ACCEPT -> accept(meanLoss, meanGradient, fTrial);
            case CONTINUE -> {
                if (!setTrial(search.alpha())) lineSearchFailed();
            }
            case FAIL -> lineSearchFailed();
        }
    }

    private static void checkFinite(double meanLoss, float[] meanGradient) {
        if (!Double.isFinite(meanLoss)) {
            throw new IllegalArgumentException("L-BFGS loss at the initial point is " + meanLoss
                    + ", expected a finite number");
        }
        for (int i = 0; i < meanGradient.length; i++) {
            if (!Float.isFinite(meanGradient[i])) {
                throw new IllegalArgumentException("L-BFGS gradient entry " + i + " at the initial point is "
                        + meanGradient[i] + ", expected a finite number");
            }
        }
    }

    /** The trial point is accepted: store the pair, move, test for convergence, begin the next iteration. */
    private void accept(double meanLoss, float[] meanGradient, double fTrial) {
        float[] sNew = s[m], yNew = y[m];
        for (int i = 0; i < n; i++) {
            sNew[i] = (float) ((double) trial[i] - x[i]);
            yNew[i] = (float) (trialGradient[i] - g[i]);
        }
        sy[m] = dot(sNew, yNew);
        yy[m] = dot(yNew, yNew);
        if (sy[m] > CURVATURE_EPSILON * yy[m]) keepNewPair();

        double fPrevious = f;
        System.arraycopy(trial, 0, x, 0, n);
        loss = meanLoss;
        System.arraycopy(meanGradient, 0, lossGradient, 0, n);
        f = fTrial;
        double[] t = g;
        g = trialGradient;
        trialGradient = t;
        iterations++;

        if (gradientConverged()) {
            stop(Status.GRADIENT);
        } else if (Math.abs(f - fPrevious) / Math.max(Math.max(Math.abs(f), Math.abs(fPrevious)), 1.0)
                < spec.tolerance()) {
            stop(Status.TOLERANCE);
        } else if (iterations >= spec.maxIterations()) {
            stop(Status.MAX_ITERATIONS);
        } else {
            beginIteration();
        }
    }

    /** Moves the spare pair (index m) into the history, dropping the oldest when it is full. */
    private void keepNewPair() {
        if (count < m) {
            swapPairs(count, m);
            count++;
            return;
        }
        for (int i = 0; i < m; i++) swapPairs(i, i + 1);
    }

    private void swapPairs(int a, int b) {
        float[] ts = s[a];
        s[a] = s[b];
        s[b] = ts;
        float[] ty = y[a];
        y[a] = y[b];
        y[b] = ty;
        double t = sy[a];
        sy[a] = sy[b];
        sy[b] = t;
        t = yy[a];
        yy[a] = yy[b];
        yy[b] = t;
    }

    /** Direction, first trial step and the line search from the accepted point. */
    private void beginIteration() {
        direction();
        if (!(d0 < 0) && count > 0) {
            count = 0; // rounding made H indefinite along g: start over from −g
            direction();
        }
        if (!(d0 < 0)) {
            stop(Status.LINE_SEARCH_FAILED);
            return;
        }
        double alpha0 = count == 0 ? 1.0 / norm(p) : 1.0;
        search.start(f, d0, alpha0);
        if (!setTrial(alpha0)) lineSearchFailed();
    }

    /** The search failed: restart along −g once the history is gone, else stop. */
    private void lineSearchFailed() {
        if (count > 0) {
            count = 0;
            beginIteration();
        } else {
            stop(Status.LINE_SEARCH_FAILED);
        }
    }

    /**
     * Two-loop recursion (N&amp;W Algorithm 7.4): {@code p = −H·g}; then {@code d0 = gᵀp}.
     */
    private void direction() {
        for (int i = 0; i < n; i++) p[i] = g[i];
        for (int j = count - 1; j >= 0; j--) {
            double a = dot(s[j], p) / sy[j];
            twoLoopAlpha[j] = a;
            float[] yj = y[j];
            for (int i = 0; i < n; i++) p[i] -= a * yj[i];
        }
        if (count > 0) {
            double gamma = sy[count - 1] / yy[count - 1];
            for (int i = 0; i < n; i++) p[i] *= gamma;
        }
        for (int j = 0; j < count; j++) {
            double beta = dot(y[j], p) / sy[j];
            double c = twoLoopAlpha[j] - beta;
            float[] sj = s[j];
            for (int i = 0; i < n; i++) p[i] += c * sj[i];
        }
        double d = 0;
        for (int i = 0; i < n; i++) {
            p[i] = -p[i];
            d += g[i] * p[i];
        }
        d0 = d;
    }

    /** {@code trial = float(x + α·p)}; false when that rounds back to x in every entry. */
    private boolean setTrial(double alpha) {
        boolean moved = false;
        for (int i = 0; i < n; i++) {
            float v = (float) (x[i] + alpha * p[i]);
            trial[i] = v;
            moved |= v != x[i];
        }
        return moved;
    }

    private void stop(Status why) {
        status = why;
        finished = true;
        System.arraycopy(x, 0, trial, 0, n);
    }

    private boolean gradientConverged() {
        return norm(g) <= spec.gradientTolerance() * Math.max(Math.abs(f), 1.0);
    }

    /** {@code L + (λ/2)·Σ_weights w²}. */
    private double objective(double meanLoss, float[] w) {
        double lambda = spec.weightDecay();
        if (lambda == 0) return meanLoss;
        double sq = 0;
        for (int r = 0; r < decayStart.length; r++) {
            for (int i = decayStart[r]; i < decayEnd[r]; i++) sq += (double) w[i] * w[i];
        }
        return meanLoss + 0.5 * lambda * sq;
    }

    /** {@code out = ∇L + λ·w} on the weights. Modified: out. */
    private void objectiveGradient(float[] lossGrad, float[] w, double[] out) {
        for (int i = 0; i < n; i++) out[i] = lossGrad[i];
        double lambda = spec.weightDecay();
        if (lambda == 0) return;
        for (int r = 0; r < decayStart.length; r++) {
            for (int i = decayStart[r]; i < decayEnd[r]; i++) out[i] += lambda * w[i];
        }
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += (double) a[i] * b[i];
        return d;
    }

    private static double dot(float[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += a[i] * b[i];
        return d;
    }

    private static double norm(double[] v) {
        double d = 0;
        for (double e : v) d += e * e;
        return Math.sqrt(d);
    }

    /** True once the solver has stopped; {@link #status()} says why. */
    public boolean done() {
        return finished;
    }

    public Status status() {
        return status;
    }

    /** Accepted steps so far. */
    public long iterations() {
        return iterations;
    }

    /** Evaluations told so far (the initial point and every line-search trial). */
    public long evaluations() {
        return evaluations;
    }

    /** A copy of the accepted point: the initial point until the first step is accepted. */
    public float[] point() {
        return x.clone();
    }

    /** The mean data loss told at {@link #point()}; NaN before the first evaluation. */
    public double loss() {
        return loss;
    }

    /** ‖∇f‖₂ of the objective (data gradient plus weight decay) at {@link #point()}; NaN before the first evaluation. */
    public double gradientNorm() {
        return started ? norm(g) : Double.NaN;
    }

    public LbfgsSpec spec() {
        return spec;
    }

    private Stage stage() {
        if (finished) return Stage.DONE;
        if (!started) return Stage.START;
        return search.phase() == StrongWolfeSearch.Phase.BRACKET ? Stage.BRACKET : Stage.ZOOM;
    }

    /** A snapshot of all state for checkpoints; later evaluations do not change it. */
    public LbfgsState state() {
        float[][] steps = new float[count][], changes = new float[count][];
        for (int j = 0; j < count; j++) {
            steps[j] = s[j];
            changes[j] = y[j];
        }
        return new LbfgsState(stage().name(), status.name(), iterations, evaluations, search.evaluations(), loss,
                search.scalars(), x, lossGradient, steps, changes);
    }

    /**
     * Replaces all state by a copy of {@code state}, so that the next {@link #nextPoint()} and
     * everything after it are bit-identical to what an uninterrupted run would do. {@code state}
     * is not modified and not retained.
     *
     * @throws IllegalArgumentException if the state does not fit this solver (dimension, more pairs
     *         than the history size, unknown stage or status, or a stage that contradicts the
     *         status); nothing is changed then
     */
    public void restore(LbfgsState state) {
        if (state == null) {
            throw new IllegalArgumentException("L-BFGS state to restore is null");
        }
        if (state.point().length != n) {
            throw new IllegalArgumentException("L-BFGS state has dimension " + state.point().length
                    + ", this solver has " + n);
        }
        if (state.steps().length > m) {
            throw new IllegalArgumentException("L-BFGS state has " + state.steps().length
                    + " curvature pairs, this solver keeps at most " + m);
        }
        Stage stage = parse(Stage.class, "stage", state.stage());
        Status st = parse(Status.class, "status", state.status());
        if ((stage == Stage.DONE) == (st == Status.RUNNING)) {
            throw new IllegalArgumentException("L-BFGS state has stage " + stage + " with status " + st
                    + ", expected status RUNNING exactly when the stage is not DONE");
        }
        started = stage != Stage.START;
        finished = stage == Stage.DONE;
        status = st;
        iterations = state.iterations();
        evaluations = state.evaluations();
        loss = state.loss();
        System.arraycopy(state.point(), 0, x, 0, n);
        System.arraycopy(state.gradient(), 0, lossGradient, 0, n);
        count = state.steps().length;
        for (int j = 0; j < count; j++) {
            System.arraycopy(state.steps()[j], 0, s[j], 0, n);
            System.arraycopy(state.gradientChanges()[j], 0, y[j], 0, n);
            sy[j] = dot(s[j], y[j]);
            yy[j] = dot(y[j], y[j]);
        }
        StrongWolfeSearch.Phase phase = stage == Stage.ZOOM ? StrongWolfeSearch.Phase.ZOOM : StrongWolfeSearch.Phase.BRACKET;
        search.restore(phase, state.searchEvaluations(), state.search());
        if (started) {
            f = objective(loss, x);
            objectiveGradient(lossGradient, x, g);
        } else {
            f = 0;
            Arrays.fill(g, 0);
        }
        if (stage == Stage.BRACKET || stage == Stage.ZOOM) {
            direction();
            setTrial(search.alpha());
        } else {
            System.arraycopy(x, 0, trial, 0, n);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) return e;
        }
        throw new IllegalArgumentException("L-BFGS state " + what + " '" + name + "' is unknown, expected one of "
                + Arrays.toString(type.getEnumConstants()));
    }

    @Override
    public String toString() {
        return spec.describe() + " in " + n + " dimensions, " + iterations + " iterations, " + evaluations
                + " evaluations, " + status;
    }
}
