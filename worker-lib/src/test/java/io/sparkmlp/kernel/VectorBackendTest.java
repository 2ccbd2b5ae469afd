package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBackend}'s three products against a plain double-precision triple loop, on shapes
 * that hit every edge of its blocking (1×1×1, k = 1, sizes around the register tile and the vector
 * width, several k-blocks, row blocks and column panels, small output layers), with operands at
 * offsets inside larger NaN-padded arrays and β = 0 (output prefilled with NaN: must not be read),
 * 1 and 0.5. Per element: {@code |c − ref| ≤ TOL·(Σ_p |a_p·b_p| + |β·c₀|)}; nothing outside the
 * output slice is written; repeated calls and a fresh instance give the same bits. Shapes stay
 * thin: until C2 has compiled the micro-kernel, Vector API code runs orders of magnitude slower.
 */
class VectorBackendTest {

    /** Float rounding of a k ≤ ~1,000 term sum is far below this, relative to Σ|a·b|. */
    private static final double TOL = 1e-5;
    private static final int PAD = 5;

    @BeforeAll
    static void needsVectorApi() {
        assumeTrue(Backend.vectorAvailable(), "jdk.incubator.vector not loaded");
    }

    /** (rows, in, out) triples. */
    private static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[] small = {1, 2, 3, 5, 6, 7, 13, 14, 15, 16, 17, 29, 31, 32, 33, 47};
        Random rnd = new Random(1);
        for (int r : small) {
            for (int o : new int[] {1, 3, 10, 16, 33}) {
                s.add(new int[] {r, small[rnd.nextInt(small.length)], o});
            }
        }
        s.add(new int[] {1, 1, 1});
        s.add(new int[] {7, 1, 5});      // k = 1 in the forward product
        s.add(new int[] {1, 9, 4});      // k = 1 in the weight gradient
        s.add(new int[] {4, 9, 1});      // k = 1 in the input gradient
        s.add(new int[] {1100, 13, 10}); // weight gradient: k = 1100, three k-blocks (367, 367, 366); forward: several row blocks
        s.add(new int[] {20, 784, 40});  // forward k = 784: two k-blocks of 392
        s.add(new int[] {64, 100, 48});
        s.add(new int[] {9, 520, 40});   // forward k = 520: two k-blocks of 260
        s.add(new int[] {3, 20, 530});   // input gradient k = 530: two k-blocks of 265
        s.add(new int[] {5, 4500, 3});   // more than one panel of columns in two products
        return s;
    }

    private static float[] padded(Random rnd, int n, int off) {
        float[] v = new float[off + n + PAD];
        java.util.Arrays.fill(v, Float.NaN);
        for (int i = 0; i < n; i++) v[off + i] = rnd.nextFloat() * 2 - 1;
        return v;
    }

    /** C (m×n at cOff) against Σ_p A[i][p]·B[p][j] + β·C₀, and the padding still NaN. */
    private interface Elem {
        double at(int i, int p);
    }

    private static void check(String where, int m, int n, int k, Elem a, Elem b, float beta, float[] c0, float[] c, int cOff) {
        for (int i = 0; i < cOff; i++) assertTrue(Float.isNaN(c[i]), where + ": wrote before the output at " + i);
        for (int i = cOff + m * n; i < c.length; i++) assertTrue(Float.isNaN(c[i]), where + ": wrote past the output at " + i);
        double[][] ad = new double[m][k], bt = new double[n][k];
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) ad[i][p] = a.at(i, p);
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bt[j][p] = b.at(p, j);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, mag = 0;
                double[] ai = ad[i], bj = bt[j];
                for (int p = 0; p < k; p++) {
                    double t = ai[p] * bj[p];
                    s += t;
                    mag += Math.abs(t);
                }
                if (beta != 0f) {
                    s += (double) beta * c0[cOff + i * n + j];
                    mag += Math.abs((double) beta * c0[cOff + i * n + j]);
                }
                double got = c[cOff + i * n + j];
                assertTrue(Math.abs(got - s) <= TOL * mag + 1e-30, where + ": C[" + i + "][" + j + "] = " + got
                        + ", expected " + s + " (error " + Math.abs(got - s) + ", Σ|a·b| " + mag + ")");
            }
        }
    }

    @Test
    void productsMatchDoubleTripleLoop() {
        Random rnd = new Random(42);
        VectorBackend be = new VectorBackend();   // one instance throughout: buffers grow and are reused
        for (int[] s : shapes()) {
            int rows = s[0], in = s[1], out = s[2];
            int xOff = rnd.nextInt(4), wOff = rnd.nextInt(4), dOff = rnd.nextInt(4), cOff = rnd.nextInt(4);
            float[] x = padded(rnd, rows * in, xOff), w = padded(rnd, out * in, wOff), d = padded(rnd, rows * out, dOff);
            Elem xe = (i, p) -> x[xOff + i * in + p];
            for (float beta : new float[] {0f, 1f, 0.5f}) {
                String where = "rows " + rows + " in " + in + " out " + out + " β " + beta;
                // forward: Z = X·Wᵀ + βZ
                float[] z0 = padded(rnd, rows * out, cOff);
                float[] z = z0.clone();
                if (beta == 0f) for (int i = 0; i < rows * out; i++) z[cOff + i] = Float.NaN;
                be.forward(rows, in, out, x, xOff, w, wOff, beta, z, cOff);
                check("forward " + where, rows, out, in, xe, (p, j) -> w[wOff + j * in + p], beta, z0, z, cOff);
                // weight gradient: G = Dᵀ·X + βG
                float[] g0 = padded(rnd, out * in, cOff);
                float[] g = g0.clone();
                if (beta == 0f) for (int i = 0; i < out * in; i++) g[cOff + i] = Float.NaN;
                be.weightGradient(rows, in, out, d, dOff, x, xOff, beta, g, cOff);
                check("weightGradient " + where, out, in, rows, (i, p) -> d[dOff + p * out + i], xe, beta, g0, g, cOff);
            }
            // input gradient: DX = D·W (no β)
            float[] dx = padded(rnd, rows * in, cOff);
            for (int i = 0; i < rows * in; i++) dx[cOff + i] = Float.NaN;
            be.inputGradient(rows, in, out, d, dOff, w, wOff, dx, cOff);
            check("inputGradient rows " + rows + " in " + in + " out " + out, rows, in, out,
                    (i, p) -> d[dOff + i * out + p], (p, j) -> w[wOff + p * in + j], 0f, dx, dx, cOff);
        }
    }

    /**
     * Same inputs, same bits: on repeated calls of one instance after other shapes ran, on a fresh
     * instance, and with the operands at other offsets (the arithmetic does not depend on where the
     * data sits or on which register tile an element falls into).
     */
    @Test
    void resultsDependOnlyOnInputsAndShape() {
        Random rnd = new Random(7);
        int rows = 67, in = 300, out = 37;
        float[] x = padded(rnd, rows * in, 0), w = padded(rnd, out * in, 0), d = padded(rnd, rows * out, 0);
        float[] z = padded(rnd, rows * out, 0), g = padded(rnd, out * in, 0);
        VectorBackend be = new VectorBackend();
        float[][] first = run(be, rows, in, out, x, 0, w, 0, d, 0, z, g, 0);
        for (int shift : new int[] {0, 1, 3, 17}) {
            be.forward(5, 3, 40, x, 0, w, 0, 0f, new float[200], 0);   // other shapes in between
            be.weightGradient(200, 50, 3, x, 0, x, 0, 0f, new float[150], 0);
            float[][] again = run(shift == 0 ? be : new VectorBackend(), rows, in, out,
                    shifted(x, shift), shift, shifted(w, shift), shift, shifted(d, shift), shift,
                    shifted(z, shift), shifted(g, shift), shift);
            for (int q = 0; q < first.length; q++) {
                for (int i = 0; i < first[q].length; i++) {
                    assertEquals(Float.floatToRawIntBits(first[q][i]), Float.floatToRawIntBits(again[q][i + shift]),
                            "product " + q + " element " + i + " differs at shift " + shift);
                }
            }
        }
    }

    /**
     * The bits are exactly those of the documented formula, computed here with scalar
     * {@link Math#fma}: {@code c = β·c₀ + s₁ + s₂ + …} over k-blocks of equal depth (at most
     * {@link VectorBackend#KC}), each {@code s_b} an FMA chain from 0. So the result cannot depend
     * on the vector width or tile shape the JVM picked.
     */
    @Test
    void bitsAreThoseOfTheStatedFormula() {
        Random rnd = new Random(3);
        VectorBackend be = new VectorBackend();
        for (int[] s : new int[][] {{3, 5, 2}, {37, 1100, 11}, {600, 40, 9}}) {
            int rows = s[0], in = s[1], out = s[2];
            float[] x = padded(rnd, rows * in, 0), w = padded(rnd, out * in, 0), d = padded(rnd, rows * out, 0);
            for (float beta : new float[] {0f, 1f, 0.75f}) {
                float[] z0 = padded(rnd, rows * out, 0), z = z0.clone();
                be.forward(rows, in, out, x, 0, w, 0, beta, z, 0);
                float[] g0 = padded(rnd, out * in, 0), g = g0.clone();
                be.weightGradient(rows, in, out, d, 0, x, 0, beta, g, 0);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < out; j++) {
                        int ii = i, jj = j;
                        float e = formula(in, p -> x[ii * in + p], p -> w[jj * in + p], beta, z0[i * out + j]);
                        assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(z[i * out + j]),
                                "forward " + rows + "×" + in + "×" + out + " β " + beta + " at " + i + "," + j);
                    }
                }
                for (int i = 0; i < out; i++) {
                    for (int j = 0; j < in; j++) {
                        int ii = i, jj = j;
                        float e = formula(rows, p -> d[p * out + ii], p -> x[p * in + jj], beta, g0[i * in + j]);
                        assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(g[i * in + j]),
                                "weightGradient " + rows + "×" + in + "×" + out + " β " + beta + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    private interface Vec {
        float at(int p);
    }

    private static float formula(int k, Vec a, Vec b, float beta, float c0) {
        int blocks = (k + VectorBackend.KC - 1) / VectorBackend.KC, depth = (k + blocks - 1) / blocks;
        float c = 0f;
        for (int p0 = 0; p0 < k; p0 += depth) {
            float s = 0f;
            for (int p = p0; p < Math.min(k, p0 + depth); p++) s = Math.fma(a.at(p), b.at(p), s);
            c = p0 > 0 || beta == 1f ? c0 + s : beta == 0f ? s : beta * c0 + s;
            c0 = c;
        }
        return c;
    }

    private static float[] shifted(float[] v, int shift) {
        float[] s = new float[v.length + shift];
        System.arraycopy(v, 0, s, shift, v.length);
        return s;
    }

    /** forward (β = 0 and 1), weight gradient (β = 0 and 1), input gradient; outputs unpadded. */
    private static float[][] run(VectorBackend be, int rows, int in, int out, float[] x, int xo, float[] w, int wo,
                                 float[] d, int dOff, float[] z, float[] g, int co) {
        float[] z0 = new float[co + rows * out], z1 = z.clone();
        be.forward(rows, in, out, x, xo, w, wo, 0f, z0, co);
        be.forward(rows, in, out, x, xo, w, wo, 1f, z1, co);
        float[] g0 = new float[co + out * in], g1 = g.clone();
        be.weightGradient(rows, in, out, d, dOff, x, xo, 0f, g0, co);
        be.weightGradient(rows, in, out, d, dOff, x, xo, 1f, g1, co);
        float[] dx = new float[co + rows * in];
        be.inputGradient(rows, in, out, d, dOff, w, wo, dx, co);
        return new float[][] {z0, java.util.Arrays.copyOf(z1, co + rows * out), g0,
                java.util.Arrays.copyOf(g1, co + out * in), dx};
    }
}
