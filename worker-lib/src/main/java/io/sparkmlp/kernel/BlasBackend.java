package io.sparkmlp.kernel;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Products through netlib's {@code sgemm}. BLAS is column-major; a row-major r×c array is the
 * column-major c×r transpose, so each row-major product is issued as its transpose:
 * {@code Zᵀ = W·Xᵀ}, {@code Gᵀ = Xᵀ·D}, {@code DXᵀ = Wᵀ·Dᵀ}.
 */
final class BlasBackend implements MatrixBackend {

    private final BLAS blas;
    private final String name;

    BlasBackend(BLAS blas, String name) {
        this.blas = blas;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void forward(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff, float beta, float[] z, int zOff) {
        // column-major: Zt(out×rows) = W(out×in) · Xt(in×rows); W is stored as Wt(in×out) → 'T'.
        blas.sgemm("T", "N", out, rows, in, 1f, w, wOff, in, x, xOff, in, beta, z, zOff, out);
    }

    @Override
    public void weightGradient(int rows, int in, int out, float[] d, int dOff, float[] x, int xOff, float beta, float[] g, int gOff) {
        // column-major: Gt(in×out) = Xt(in×rows) · D(rows×out); D is stored as Dt(out×rows) → 'T'.
        blas.sgemm("N", "T", in, out, rows, 1f, x, xOff, in, d, dOff, out, beta, g, gOff, in);
    }

    @Override
    public void inputGradient(int rows, int in, int out, float[] d, int dOff, float[] w, int wOff, float[] dx, int dxOff) {
        // column-major: DXt(in×rows) = Wt(in×out) · Dt(out×rows).
        blas.sgemm("N", "N", in, rows, out, 1f, w, wOff, in, d, dOff, out, 0f, dx, dxOff, in);
    }
}
