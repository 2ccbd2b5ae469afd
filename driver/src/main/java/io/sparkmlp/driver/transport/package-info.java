/**
 * How a step travels: {@link io.sparkmlp.driver.transport.StepTransport} sends the weights of a step to
 * every partition and returns the partials added in the fixed tree order of {@link io.sparkmlp.driver.transport.MergeTree}
 * (every transport's order); {@link io.sparkmlp.driver.transport.JobTransport} does it with one Spark job per step. The persistent transport lives in the sub-package.
 *
 * <p>May use: {@code step}, {@code eval}, {@code data}.
 */
package io.sparkmlp.driver.transport;
