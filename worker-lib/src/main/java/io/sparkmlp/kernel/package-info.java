/**
 * The local MLP kernel, with no Spark and no I/O: the network's shape ({@link io.sparkmlp.kernel.Architecture}),
 * its weights as one flat float array ({@link io.sparkmlp.kernel.Parameters}), activations and fused output
 * losses, and {@link io.sparkmlp.kernel.MlpKernel}, which computes the gradient sum and loss sum of a batch
 * of rows into caller buffers through a matrix backend (native BLAS, the Vector API sgemm, netlib pure Java,
 * EJML).
 *
 * <p>One layout, said once: {@link io.sparkmlp.kernel.Architecture} gives the count
 * {@code Σ n_out·(n_in+1)} and each layer's offsets in the flat vector {@code W_0, b_0, W_1, b_1, …};
 * {@link io.sparkmlp.kernel.Parameters} is that vector with its architecture, the type the driver carries
 * and stores, and the one place for per-layer reads, norms, initialisation and the finiteness check.
 * Hot loops pass the raw {@code float[]} a {@code Parameters} wraps (gradients and optimizer state are raw
 * arrays in the same layout); nothing outside these two classes computes offsets or counts.
 *
 * <p>May use: the JDK, EJML, netlib BLAS. Used by: the driver (on the executors and the driver) and the
 * spark.ml module. Never imports {@code io.sparkmlp.driver}.
 */
package io.sparkmlp.kernel;
