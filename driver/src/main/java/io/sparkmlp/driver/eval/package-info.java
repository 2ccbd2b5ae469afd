/**
 * Metrics of a set of weights on cached blocks (loss, accuracy, confusion matrix, RMSE):
 * {@link io.sparkmlp.driver.eval.Evaluator} computes a partition's sums, as a Spark job or inside a
 * transport's stage, and merges them in partition order into {@link io.sparkmlp.driver.eval.EvalMetrics}.
 *
 * <p>May use: the kernel, {@code data}.
 */
package io.sparkmlp.driver.eval;
