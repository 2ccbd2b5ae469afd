/**
 * The one place where the kernel meets Spark: what a partition computes in one step. A
 * {@link io.sparkmlp.driver.step.BatchPlan} says how many rows of the global batch each partition takes,
 * {@link io.sparkmlp.driver.step.RowSampler} which rows (a stateless permutation of the partition per
 * epoch), {@link io.sparkmlp.driver.step.PartitionWorker} runs the kernel over them and returns a
 * {@link io.sparkmlp.driver.step.GradientPartial}; partials are summed in partition order.
 * {@link io.sparkmlp.driver.step.StepContext} is what a task needs besides the weights.
 *
 * <p>May use: the kernel, {@code data} (the cached blocks). Knows nothing of how partials travel.
 */
package io.sparkmlp.driver.step;
