package io.sparkmlp.kernel.optim;

/**
 * A line search for a step α along a descent direction p that satisfies the strong Wolfe
 * conditions, with φ(α) = f(x + α·p):
 * <pre>
 *   sufficient decrease:  φ(α) ≤ φ(0) + c₁·α·φ'(0)
 *   curvature:            |φ'(α)| ≤ c₂·|φ'(0)|            c₁ = 1e-4, c₂ = 0.9
 * </pre>
 * Nocedal &amp; Wright, <i>Numerical Optimization</i> (2nd ed., 2006), Algorithm 3.5 (bracketing)
 * and Algorithm 3.6 (zoom), driven by reverse communication: the caller evaluates φ at
 * {@link #alpha()} and reports it with {@link #tell}, which answers whether to accept α, try the
 * new {@link #alpha()}, or give up. The caller judges the two conditions itself (so that it can
 * judge them on the step it actually took, see {@link Lbfgs}); this class uses φ and φ' for the
 * interpolation and for the bracket's ordering tests.
 *
 * <p>Trial steps:
 * <ul>
 *   <li>Bracketing, after an α that decreased φ enough but still descends: the minimiser of the
 *       cubic through the last two trials (N&amp;W eq. 3.59), kept within
 *       {@code [α + 1.1·(α − α_prev), α + 4·(α − α_prev)]} (the extrapolation bounds of Moré &amp;
 *       Thuente's MINPACK {@code dcstep}); the upper bound when the cubic has no minimiser ahead.</li>
 *   <li>Zoom: the minimiser of the cubic through the bracket's ends, or of the quadratic through
 *       φ(lo), φ'(lo), φ(hi) when the cubic has none, or the midpoint when neither exists (a
 *       non-finite φ at hi, say); then kept at least 10% of the bracket away from either end, so
 *       each trial shrinks the bracket by at least that much.</li>
 * </ul>
 * A search gives up after {@value #MAX_EVALUATIONS} evaluations (PyTorch's {@code max_ls}). A
 * non-finite φ or φ' counts as too long a step. All arithmetic is double; no randomness.
 */
final class StrongWolfeSearch {

    /** c₁ of the sufficient-decrease condition. */
    static final double C1 = 1e-4;
    /** c₂ of the curvature condition (N&amp;W's choice for quasi-Newton methods). */
    static final double C2 = 0.9;
    /** Evaluations one search may take before it gives up. */
    static final int MAX_EVALUATIONS = 25;
    /** Number of doubles in {@link #scalars()}. */
    static final int SCALARS = 10;

    /** Where the search is. */
    enum Phase {
        /** Looking for an interval that contains a strong Wolfe step (Algorithm 3.5). */
        BRACKET,
        /** Shrinking a bracket [lo, hi] (Algorithm 3.6). */
        ZOOM
    }

    /** What the caller does after {@link #tell}. */
    enum Outcome {
        /** The step just evaluated satisfies both conditions. */
        ACCEPT,
        /** Evaluate φ at the new {@link #alpha()}. */
        CONTINUE,
        /** No acceptable step within {@value #MAX_EVALUATIONS} evaluations. */
        FAIL
    }

    private Phase phase = Phase.BRACKET;
    private int evaluations;
    private double alpha;
    /** BRACKET: the previous trial, (0, φ(0), φ'(0)) before the first. */
    private double prevAlpha, prevF, prevD;
    /** ZOOM: lo has the lowest φ among the trials with sufficient decrease; φ'(lo)·(hi − lo) &lt; 0. */
    private double loAlpha, loF, loD, hiAlpha, hiF, hiD;

    /** Starts a search from φ(0) = {@code f0}, φ'(0) = {@code d0} &lt; 0, first trial {@code alpha0} &gt; 0. */
    void start(double f0, double d0, double alpha0) {
        phase = Phase.BRACKET;
        evaluations = 0;
        alpha = alpha0;
        prevAlpha = 0;
        prevF = f0;
        prevD = d0;
        loAlpha = loF = loD = hiAlpha = hiF = hiD = 0;
    }

    /** The step to evaluate next. */
    double alpha() {
        return alpha;
    }

    Phase phase() {
        return phase;
    }

    /** Evaluations told since {@link #start}. */
    int evaluations() {
        return evaluations;
    }

    /**
     * Reports the evaluation at {@link #alpha()}.
     *
     * @param f φ(α), may be non-finite
     * @param d φ'(α), may be non-finite
     * @param sufficientDecrease whether the sufficient-decrease condition holds at α
     * @param curvature whether the strong curvature condition holds at α
     */
    Outcome tell(double f, double d, boolean sufficientDecrease, boolean curvature) {
        evaluations++;
        boolean finite = Double.isFinite(f) && Double.isFinite(d);
        boolean decreased = finite && sufficientDecrease;
        if (phase == Phase.BRACKET) {
            if (!decreased || (evaluations > 1 && f >= prevF)) {
                zoom(prevAlpha, prevF, prevD, alpha, f, d);
            } else if (curvature) {
                return Outcome.ACCEPT;
            } else if (d >= 0) {
                zoom(alpha, f, d, prevAlpha, prevF, prevD);
            } else {
                double step = alpha - prevAlpha;
                double lower = alpha + 1.1 * step, upper = alpha + 4 * step;
                double next = cubicMinimizer(prevAlpha, prevF, prevD, alpha, f, d);
                if (!(next > alpha)) next = upper;
                prevAlpha = alpha;
                prevF = f;
                prevD = d;
                alpha = Math.min(Math.max(next, lower), upper);
            }
        } else {
            if (!decreased || f >= loF) {
                hiAlpha = alpha;
                hiF = f;
                hiD = d;
            } else {
                if (curvature) return Outcome.ACCEPT;
                if (d * (hiAlpha - loAlpha) >= 0) {
                    hiAlpha = loAlpha;
                    hiF = loF;
                    hiD = loD;
                }
                loAlpha = alpha;
                loF = f;
                loD = d;
            }
            alpha = zoomTrial();
        }
        return evaluations >= MAX_EVALUATIONS ? Outcome.FAIL : Outcome.CONTINUE;
    }

    private void zoom(double lo, double fLo, double dLo, double hi, double fHi, double dHi) {
        phase = Phase.ZOOM;
        loAlpha = lo;
        loF = fLo;
        loD = dLo;
        hiAlpha = hi;
        hiF = fHi;
        hiD = dHi;
        alpha = zoomTrial();
    }

    /** The next trial inside the bracket, at least 10% of its width from either end. */
    private double zoomTrial() {
        double a = Math.min(loAlpha, hiAlpha), b = Math.max(loAlpha, hiAlpha);
        double margin = 0.1 * (b - a);
        double t = cubicMinimizer(loAlpha, loF, loD, hiAlpha, hiF, hiD);
        if (!Double.isFinite(t)) t = quadraticMinimizer(loAlpha, loF, loD, hiAlpha, hiF);
        if (!Double.isFinite(t)) t = a + 0.5 * (b - a);
        return Math.min(Math.max(t, a + margin), b - margin);
    }

    /**
     * The minimiser of the cubic that matches φ and φ' at a and b (N&amp;W eq. 3.59):
     * <pre>
     *   d₁ = φ'(a) + φ'(b) − 3·(φ(a) − φ(b))/(a − b)
     *   d₂ = sign(b − a)·√(d₁² − φ'(a)·φ'(b))
     *   t  = b − (b − a)·(φ'(b) + d₂ − d₁)/(φ'(b) − φ'(a) + 2·d₂)
     * </pre>
     * NaN when the cubic has no local minimiser ({@code d₁² < φ'(a)·φ'(b)}) or an input is not finite.
     */
    static double cubicMinimizer(double a, double fa, double da, double b, double fb, double db) {
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double disc = d1 * d1 - da * db;
        if (!(disc >= 0)) return Double.NaN;
        double d2 = Math.copySign(Math.sqrt(disc), b - a);
        double t = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
        return Double.isFinite(t) ? t : Double.NaN;
    }

    /**
     * The minimiser of the quadratic that matches φ(a), φ'(a) and φ(b):
     * {@code t = a − φ'(a)·(b − a)² / (2·(φ(b) − φ(a) − φ'(a)·(b − a)))}; NaN when that quadratic
     * is not convex or an input is not finite.
     */
    static double quadraticMinimizer(double a, double fa, double da, double b, double fb) {
        double h = b - a;
        double curvature = fb - fa - da * h;
        if (!(curvature > 0 && curvature < Double.POSITIVE_INFINITY)) return Double.NaN;
        double t = a - da * h * h / (2 * curvature);
        return Double.isFinite(t) ? t : Double.NaN;
    }

    /** The search's numbers for a snapshot: α, (α, φ, φ') of prev, lo and hi; {@value #SCALARS} doubles. */
    double[] scalars() {
        return new double[] {alpha, prevAlpha, prevF, prevD, loAlpha, loF, loD, hiAlpha, hiF, hiD};
    }

    /** Puts back what {@link #scalars()}, {@link #phase()} and {@link #evaluations()} returned. */
    void restore(Phase phase, int evaluations, double[] s) {
        this.phase = phase;
        this.evaluations = evaluations;
        alpha = s[0];
        prevAlpha = s[1];
        prevF = s[2];
        prevD = s[3];
        loAlpha = s[4];
        loF = s[5];
        loD = s[6];
        hiAlpha = s[7];
        hiF = s[8];
        hiD = s[9];
    }
}
