package io.sparkmlp.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three products on our own packed, register-blocked single-precision GEMM, written with the
 * Vector API ({@link FloatVector#SPECIES_PREFERRED}, fused multiply-add). Each product is an
 * instance of {@code C(m×n) = A(m×k)·B(k×n) + β·C} with C row-major and contiguous, and A, B read
 * through strides:
 * <ul>
 *   <li>forward: A = X, B = Wᵀ ({@code B[p][j] = W[j][p]}), m = rows, n = out, k = in;</li>
 *   <li>weight gradient: A = Dᵀ, B = X, m = out, n = in, k = rows;</li>
 *   <li>input gradient: A = D, B = W, m = rows, n = in, k = out.</li>
 * </ul>
 *
 * <p>Blocking (the usual Goto/BLIS loop nest): k is cut into ⌈k/{@value #KC}⌉ blocks of equal
 * depth (the last one shorter by at most one less than their count); for each k-block, B is packed
 * into strips of {@code kc × NR} (NR = 2 vectors, zero-padded past n) and A, 20·MR rows at a
 * time, into strips of {@code kc × MR} (zero-padded past m). The micro-kernel keeps an MR × NR
 * tile of C in 2·MR vector registers and adds one rank-1 update per k: 2 vector loads of B, MR
 * broadcasts of A, 2·MR FMAs. MR = {@value #MR_WIDE} with 512-bit vectors (AVX-512 has 32 vector
 * registers), else {@value #MR_NARROW} (12 accumulators fit AVX2's 16). The tile is stored to a
 * small scratch array and added to C from there (vectors, and a scalar loop past the last whole
 * vector or row of C). Measured on Zen 5 (AVX-512), single thread, 256×784·784×512: 6, 8, 10,
 * 12 and 14 rows of 2 vectors all reach 160–210 GFLOP/s, 8 rows the most consistently, also at
 * batch 128; see BENCHMARKS.md. Writing the tile to C through a per-vector helper instead cost
 * half of that and allocated ~2 MB per gradient step (see {@link #microWide}).
 *
 * <p>Deterministic by construction: every element of C is
 * {@code c = β·c₀ + s₁ + s₂ + …} (left to right; the β term is absent when β = 0, and C is
 * then not read), where {@code s_b} is the FMA chain {@code fma(a_p, b_p, …fma(a_0, b_0, 0))}
 * over k-block b in order of p. This depends on k and the operands only — not on m, n, the offsets,
 * the tile an element falls in (vector lanes and the scalar edge path round the same), the call
 * history, the vector width or the tile shape: the same bits on every machine and run.
 *
 * <p>Packing buffers live in the instance and grow with the shapes: no allocation per call once
 * the largest shape has been seen. Not thread-safe: one instance per kernel. Only loadable when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link ElementOps#VECTOR}).
 */
final class VectorBackend implements MatrixBackend {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    private static final int VL = S.length();
    /** Rows of the register tile with 512-bit vectors, and otherwise. */
    static final int MR_WIDE = 8, MR_NARROW = 6;
    /** 512-bit vectors or wider: the 14-row micro-kernel. */
    private static final boolean WIDE = VL >= 16;
    /** Rows of the register tile. */
    static final int MR = WIDE ? MR_WIDE : MR_NARROW;
    /** Columns of the register tile: two vectors. */
    private static final int NR = 2 * VL;
    /** Deepest k-block: the most rank-1 updates one pass of the micro-kernel adds. */
    static final int KC = 512;
    /** Rows of A packed at a time (a multiple of MR). */
    private static final int MC = 20 * MR;
    /** Columns of B packed at a time (a multiple of NR). */
    private static final int NC = Math.max(NR, 4096 / NR * NR);

    /** Depth of the blocks in which a transposed B is packed (a cache line of floats). */
    private static final int TP = 16;

    /** How a micro-kernel result lands in C. */
    private static final int SET = 0, ADD = 1, SCALE_ADD = 2;

    private float[] packA = new float[0];
    private float[] packB = new float[0];
    private final float[] tile = new float[MR * NR];

    /** For {@link Backend#create}: the only reference to this class outside it. */
    static MatrixBackend create() {
        return new VectorBackend();
    }

    @Override
    public String name() {
        return "Vector API sgemm (pure Java, " + S.vectorBitSize() + "-bit, " + MR + "×" + NR + " tile)";
    }

    @Override
    public void forward(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff, float beta, float[] z, int zOff) {
        // Z(rows×out) = X(rows×in) · Wᵀ: A[i][p] = x[i·in + p], B[p][j] = w[j·in + p]
        gemm(rows, out, in, x, xOff, in, 1, w, wOff, 1, in, beta, z, zOff);
    }

    @Override
    public void weightGradient(int rows, int in, int out, float[] d, int dOff, float[] x, int xOff, float beta, float[] g, int gOff) {
        // G(out×in) = Dᵀ · X: A[i][p] = d[p·out + i], B[p][j] = x[p·in + j]
        gemm(out, in, rows, d, dOff, 1, out, x, xOff, in, 1, beta, g, gOff);
    }

    @Override
    public void inputGradient(int rows, int in, int out, float[] d, int dOff, float[] w, int wOff, float[] dx, int dxOff) {
        // DX(rows×in) = D · W: A[i][p] = d[i·out + p], B[p][j] = w[p·in + j]
        gemm(rows, in, out, d, dOff, out, 1, w, wOff, in, 1, 0f, dx, dxOff);
    }

    /**
     * {@code C = A·B + β·C}, C m×n row-major at {@code cOff} with row length n;
     * {@code A[i][p] = a[aOff + i·ais + p·aps]}, {@code B[p][j] = b[bOff + p·bps + j·bjs]}.
     * Not modified: a, b. Modified: c (only its m×n block).
     */
    private void gemm(int m, int n, int k, float[] a, int aOff, int ais, int aps,
                      float[] b, int bOff, int bps, int bjs, float beta, float[] c, int cOff) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            scaleOnly(m, n, beta, c, cOff);
            return;
        }
        int kb = (k + KC - 1) / KC;            // k-blocks
        int kcMax = (k + kb - 1) / kb;         // their depth (the last may be shorter)
        ensure(roundUp(Math.min(m, MC), MR) * kcMax, roundUp(Math.min(n, NC), NR) * kcMax);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                int mode = pc > 0 || beta == 1f ? ADD : beta == 0f ? SET : SCALE_ADD;
                packB(b, bOff + pc * bps + jc * bjs, bps, bjs, kc, nc);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(a, aOff + ic * ais + pc * aps, ais, aps, mc, kc);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bBase = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cAt = cOff + (ic + ir) * n + jc + jr;
                            if (WIDE) {
                                microWide(packA, ir * kc, packB, bBase, kc);
                            } else {
                                microNarrow(packA, ir * kc, packB, bBase, kc);
                            }
                            apply(mr, nr, c, cAt, n, mode, beta);
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int v, int q) {
        return (v + q - 1) / q * q;
    }

    private void ensure(int aSize, int bSize) {
        if (packA.length < aSize) packA = new float[aSize];
        if (packB.length < bSize) packB = new float[bSize];
    }

    /** k = 0: {@code C = β·C} (C = 0 when β = 0). */
    private static void scaleOnly(int m, int n, float beta, float[] c, int cOff) {
        for (int i = cOff, end = cOff + m * n; i < end; i++) c[i] = beta == 0f ? 0f : beta * c[i];
    }

    /**
     * Packs A[0..mc)[0..kc) (from {@code off}) into strips of MR rows: strip s holds
     * {@code A[s·MR + r][p]} at {@code s·MR·kc + p·MR + r}, rows past mc zero.
     */
    private void packA(float[] a, int off, int ais, int aps, int mc, int kc) {
        float[] pa = packA;
        for (int s = 0; s < mc; s += MR) {
            int base = s * kc, rows = Math.min(MR, mc - s);
            if (aps == 1) {   // rows of A are contiguous: read along p
                for (int r = 0; r < rows; r++) {
                    int src = off + (s + r) * ais;
                    for (int p = 0, dst = base + r; p < kc; p++, dst += MR) pa[dst] = a[src + p];
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0, dst = base + r; p < kc; p++, dst += MR) pa[dst] = 0f;
                }
            } else {   // columns of A are contiguous: read along r
                for (int p = 0; p < kc; p++) {
                    int src = off + p * aps + s * ais, dst = base + p * MR;
                    int r = 0;
                    for (; r < rows; r++) pa[dst + r] = a[src + r * ais];
                    for (; r < MR; r++) pa[dst + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs B[0..kc)[0..nc) (from {@code off}) into strips of NR columns: strip t holds
     * {@code B[p][t·NR + j]} at {@code t·NR·kc + p·NR + j}, columns past nc zero.
     */
    private void packB(float[] b, int off, int bps, int bjs, int kc, int nc) {
        float[] pb = packB;
        for (int t = 0; t < nc; t += NR) {
            int base = t * kc, cols = Math.min(NR, nc - t);
            if (bjs == 1) {   // rows of B are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = off + p * bps + t, dst = base + p * NR;
                    if (cols == NR) {
                        for (int v = 0; v < NR; v += VL) FloatVector.fromArray(S, b, src + v).intoArray(pb, dst + v);
                    } else {
                        System.arraycopy(b, src, pb, dst, cols);
                        for (int j = cols; j < NR; j++) pb[dst + j] = 0f;
                    }
                }
            } else {   // columns of B are contiguous: transpose in blocks of TP values of p
                for (int p0 = 0; p0 < kc; p0 += TP) {
                    int pn = Math.min(TP, kc - p0);
                    for (int j = 0; j < cols; j++) {
                        int src = off + (t + j) * bjs + p0 * bps;
                        for (int p = 0, dst = base + p0 * NR + j; p < pn; p++, dst += NR) pb[dst] = b[src + p * bps];
                    }
                    for (int j = cols; j < NR; j++) {
                        for (int p = 0, dst = base + p0 * NR + j; p < pn; p++, dst += NR) pb[dst] = 0f;
                    }
                }
            }
        }
    }

    /**
     * One {@value #MR_WIDE} × NR tile (2 vectors per row), for 512-bit vectors (32 registers):
     * {@code tile[r][j] := Σ_p A[r][p]·B[p][j]} as FMA chains from 0 over the packed strips.
     * Nothing but the loop and plain stores: a helper called per accumulator is not inlined into a
     * method this large (C2's node-count cutoff), and every call would box its vector.
     * Generated shape; keep it in step with {@link #microNarrow}.
     */
    private void microWide(float[] pa, int ai, float[] pb, int bi, int kc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR, ap = ai + p * MR_WIDE;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + VL);
            FloatVector a = FloatVector.broadcast(S, pa[ap]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, pa[ap + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, pa[ap + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, pa[ap + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, pa[ap + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
        }
        float[] t = tile;
        c00.intoArray(t, 0); c01.intoArray(t, VL);
        c10.intoArray(t, 1 * NR); c11.intoArray(t, 1 * NR + VL);
        c20.intoArray(t, 2 * NR); c21.intoArray(t, 2 * NR + VL);
        c30.intoArray(t, 3 * NR); c31.intoArray(t, 3 * NR + VL);
        c40.intoArray(t, 4 * NR); c41.intoArray(t, 4 * NR + VL);
        c50.intoArray(t, 5 * NR); c51.intoArray(t, 5 * NR + VL);
        c60.intoArray(t, 6 * NR); c61.intoArray(t, 6 * NR + VL);
        c70.intoArray(t, 7 * NR); c71.intoArray(t, 7 * NR + VL);
    }

    /** As {@link #microWide}, {@value #MR_NARROW} rows: 12 accumulators fit 16 registers (AVX2). */
    private void microNarrow(float[] pa, int ai, float[] pb, int bi, int kc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR, ap = ai + p * MR_NARROW;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + VL);
            FloatVector a = FloatVector.broadcast(S, pa[ap]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, pa[ap + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, pa[ap + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
        }
        float[] t = tile;
        c00.intoArray(t, 0); c01.intoArray(t, VL);
        c10.intoArray(t, 1 * NR); c11.intoArray(t, 1 * NR + VL);
        c20.intoArray(t, 2 * NR); c21.intoArray(t, 2 * NR + VL);
        c30.intoArray(t, 3 * NR); c31.intoArray(t, 3 * NR + VL);
        c40.intoArray(t, 4 * NR); c41.intoArray(t, 4 * NR + VL);
        c50.intoArray(t, 5 * NR); c51.intoArray(t, 5 * NR + VL);
    }

    /**
     * The mr × nr corner of {@link #tile} into C (rows {@code ldc} apart from {@code cAt}):
     * {@code C := t}, {@code C + t} or {@code β·C + t} per mode; whole vectors, then a scalar tail
     * that rounds the same way lane by lane.
     */
    private void apply(int mr, int nr, float[] c, int cAt, int ldc, int mode, float beta) {
        float[] t = tile;
        int nv = nr / VL * VL;
        for (int r = 0; r < mr; r++) {
            int ci = cAt + r * ldc, ti = r * NR;
            for (int j = 0; j < nv; j += VL) {
                FloatVector acc = FloatVector.fromArray(S, t, ti + j);
                if (mode != SET) {
                    FloatVector old = FloatVector.fromArray(S, c, ci + j);
                    acc = (mode == SCALE_ADD ? old.mul(beta) : old).add(acc);
                }
                acc.intoArray(c, ci + j);
            }
            for (int j = nv; j < nr; j++) {
                float acc = t[ti + j];
                c[ci + j] = mode == SET ? acc : mode == ADD ? c[ci + j] + acc : beta * c[ci + j] + acc;
            }
        }
    }
}
