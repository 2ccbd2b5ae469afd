/**
 * The local MLP kernel, with no Spark and no I/O: the network's shape ({@link io.sparkmlp.kernel.Architecture}),
 * its weights as one flat float array ({@link io.sparkmlp.kernel.Parameters}), activations and fused output
 * losses, and {@link io.sparkmlp.kernel.MlpKernel}, which computes the gradient sum and loss sum of a batch
 * of rows into caller buffers through a matrix backend (native BLAS, the Vector API sgemm, netlib pure Java,
 * EJML).
 *
 * <p>May use: the JDK, EJML, netlib BLAS. Used by: the driver (on the executors and the driver) and the
 * spark.ml module. Never imports {@code io.sparkmlp.driver}.
 */
package io.sparkmlp.kernel;
