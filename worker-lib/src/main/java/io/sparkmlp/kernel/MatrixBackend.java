package io.sparkmlp.kernel;

/**
 * The three matrix products of a dense layer, on row-major float arrays addressed by offset.
 * With a batch of {@code rows} rows, a layer of {@code in} inputs and {@code out} outputs,
 * {@code X} rows×in, {@code W} out×in, {@code D} rows×out:
 * <ul>
 *   <li>{@link #forward}: {@code Z = X·Wᵀ + β·Z}</li>
 *   <li>{@link #weightGradient}: {@code G = Dᵀ·X + β·G} (out×in)</li>
 *   <li>{@link #inputGradient}: {@code DX = D·W} (rows×in)</li>
 * </ul>
 * Implementations may keep scratch space and are not thread-safe: one per kernel.
 */
public interface MatrixBackend {

    /** Human-readable name of the implementation in use, e.g. {@code netlib VectorBLAS}. */
    String name();

    /** {@code Z = X·Wᵀ + beta·Z}. Not modified: X, W. Modified: Z. */
    void forward(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff, float beta, float[] z, int zOff);

    /** {@code G = Dᵀ·X + beta·G}. Not modified: D, X. Modified: G. */
    void weightGradient(int rows, int in, int out, float[] d, int dOff, float[] x, int xOff, float beta, float[] g, int gOff);

    /** {@code DX = D·W}. Not modified: D, W. Modified: DX. */
    void inputGradient(int rows, int in, int out, float[] d, int dOff, float[] w, int wOff, float[] dx, int dxOff);
}
