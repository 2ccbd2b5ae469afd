package io.sparkmlp.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel's element-wise loops that the JIT does not vectorise on its own (masked updates,
 * column sums), with the Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, and branch-free scalar loops otherwise. Both paths
 * give bit-identical results to the plain loops they replace: each element goes through the same
 * operations in the same order (column sums add rows in row order).
 *
 * <p>Measured (784-256-128-10 / 100-128-64-10, batch 1024, single thread): the branchy ReLU
 * derivative {@code if (!(a > 0)) δ = 0} mispredicts half the time on real activations and cost
 * 20% of a native-BLAS step; see BENCHMARKS.md.
 */
final class ElementOps {

    /** True when the Vector API module is in the boot layer (checked once; the JIT folds it). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private ElementOps() {
    }

    /** {@code δ[i] := a[i] > 0 ? δ[i] : +0} for i in [off, off+len). Modified: delta. */
    static void reluMask(float[] a, float[] delta, int off, int len) {
        int i = off, end = off + len;
        if (VECTOR) i = Vec.reluMask(a, delta, off, end);
        for (; i < end; i++) {
            int keep = a[i] > 0f ? -1 : 0;   // a conditional move, not a branch
            delta[i] = Float.intBitsToFloat(Float.floatToRawIntBits(delta[i]) & keep);
        }
    }

    /**
     * {@code z[i] := z[i] > 0 ? z[i] : z[i]·slope} for i in [off, off+len) (leaky ReLU; NaN stays NaN). Modified: z.
     * A branch on the sign mispredicts half the time on real pre-activations: 45 µs for 128 × 384 values against
     * 3 µs for this.
     */
    static void leakyRelu(float[] z, int off, int len, float slope) {
        int i = off, end = off + len;
        if (VECTOR) i = Vec.leakyRelu(z, off, end, slope);
        for (; i < end; i++) {
            float v = z[i];
            z[i] = v > 0f ? v : v * slope;   // a conditional move, not a branch
        }
    }

    /** {@code δ[i] := a[i] > 0 ? δ[i] : δ[i]·slope} for i in [off, off+len). Modified: delta. */
    static void scaleWhereNotPositive(float[] a, float[] delta, int off, int len, float slope) {
        int i = off, end = off + len;
        if (VECTOR) i = Vec.scaleWhereNotPositive(a, delta, off, end, slope);
        for (; i < end; i++) delta[i] *= a[i] > 0f ? 1f : slope;   // ·1 is exact
    }

    /**
     * {@code g[gOff+j] := (…((g[gOff+j] + d[0,j]) + d[1,j]) … + d[rows−1,j])}, the column sums
     * of a row-major rows × cols block added to g in row order. Modified: g.
     */
    static void addColumnSums(float[] d, int dOff, int rows, int cols, float[] g, int gOff) {
        int j = 0;
        if (VECTOR) j = Vec.addColumnSums(d, dOff, rows, cols, g, gOff);
        // remaining columns, four at a time so the adds do not wait on each other
        for (; j + 4 <= cols; j += 4) {
            float s0 = g[gOff + j], s1 = g[gOff + j + 1], s2 = g[gOff + j + 2], s3 = g[gOff + j + 3];
            for (int r = 0, o = dOff + j; r < rows; r++, o += cols) {
                s0 += d[o];
                s1 += d[o + 1];
                s2 += d[o + 2];
                s3 += d[o + 3];
            }
            g[gOff + j] = s0;
            g[gOff + j + 1] = s1;
            g[gOff + j + 2] = s2;
            g[gOff + j + 3] = s3;
        }
        for (; j < cols; j++) {
            float s = g[gOff + j];
            for (int r = 0, o = dOff + j; r < rows; r++, o += cols) s += d[o];
            g[gOff + j] = s;
        }
    }

    /** The Vector API paths; loaded only when {@link #VECTOR} is true. Each returns where it stopped. */
    private static final class Vec {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        // Each blends toward the kept value under a > 0 rather than under its negation: VectorMask.not() is not
        // compiled to a vector instruction for 512-bit masks on JDK 17 (it runs the Java fallback, lane by lane).
        private static final FloatVector ZERO = FloatVector.zero(S);

        static int reluMask(float[] a, float[] delta, int i, int end) {
            for (int n = S.length(); i <= end - n; i += n) {
                VectorMask<Float> on = FloatVector.fromArray(S, a, i).compare(VectorOperators.GT, 0f);
                ZERO.blend(FloatVector.fromArray(S, delta, i), on).intoArray(delta, i);
            }
            return i;
        }

        static int scaleWhereNotPositive(float[] a, float[] delta, int i, int end, float slope) {
            for (int n = S.length(); i <= end - n; i += n) {
                VectorMask<Float> on = FloatVector.fromArray(S, a, i).compare(VectorOperators.GT, 0f);
                FloatVector d = FloatVector.fromArray(S, delta, i);
                d.mul(slope).blend(d, on).intoArray(delta, i);
            }
            return i;
        }

        static int leakyRelu(float[] z, int i, int end, float slope) {
            for (int n = S.length(); i <= end - n; i += n) {
                FloatVector v = FloatVector.fromArray(S, z, i);
                v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(z, i);
            }
            return i;
        }

        static int addColumnSums(float[] d, int dOff, int rows, int cols, float[] g, int gOff) {
            int n = S.length(), j = 0;
            for (; j <= cols - n; j += n) {
                FloatVector s = FloatVector.fromArray(S, g, gOff + j);
                for (int r = 0, o = dOff + j; r < rows; r++, o += cols) s = s.add(FloatVector.fromArray(S, d, o));
                s.intoArray(g, gOff + j);
            }
            return j;
        }
    }
}
