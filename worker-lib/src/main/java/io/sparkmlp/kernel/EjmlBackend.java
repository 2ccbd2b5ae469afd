package io.sparkmlp.kernel;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Reference backend: EJML's own row-major products ({@code CommonOps_FDRM.multTransB},
 * {@code multAddTransA}, {@code mult}). Operands that live at an offset inside a larger array are
 * copied into scratch matrices, which are kept and reused while shapes repeat. Slow, simple and
 * independent of BLAS: the second opinion the fast path is checked against.
 */
final class EjmlBackend implements MatrixBackend {

    private final FMatrixRMaj a = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj b = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj c = new FMatrixRMaj(1, 1);

    @Override
    public String name() {
        return "EJML " + org.ejml.EjmlVersion.VERSION + " (reference)";
    }

    private static FMatrixRMaj load(FMatrixRMaj m, int rows, int cols, float[] src, int off) {
        m.reshape(rows, cols, false);
        System.arraycopy(src, off, m.data, 0, rows * cols);
        return m;
    }

    private static void store(FMatrixRMaj m, float[] dst, int off, float beta) {
        int n = m.getNumElements();
        if (beta == 0f) {
            System.arraycopy(m.data, 0, dst, off, n);
        } else {
            for (int i = 0; i < n; i++) dst[off + i] = beta * dst[off + i] + m.data[i];
        }
    }

    @Override
    public void forward(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff, float beta, float[] z, int zOff) {
        c.reshape(rows, out, false);
        CommonOps_FDRM.multTransB(load(a, rows, in, x, xOff), load(b, out, in, w, wOff), c);
        store(c, z, zOff, beta);
    }

    @Override
    public void weightGradient(int rows, int in, int out, float[] d, int dOff, float[] x, int xOff, float beta, float[] g, int gOff) {
        c.reshape(out, in, false);
        CommonOps_FDRM.multTransA(load(a, rows, out, d, dOff), load(b, rows, in, x, xOff), c);
        store(c, g, gOff, beta);
    }

    @Override
    public void inputGradient(int rows, int in, int out, float[] d, int dOff, float[] w, int wOff, float[] dx, int dxOff) {
        c.reshape(rows, in, false);
        CommonOps_FDRM.mult(load(a, rows, out, d, dOff), load(b, out, in, w, wOff), c);
        store(c, dx, dxOff, 0f);
    }
}
