/**
 * The persistent step transport: one long-lived Spark barrier stage with a task per partition, each
 * keeping its blocks and kernel buffers; the driver's {@link io.sparkmlp.driver.transport.persistent.StepServer}
 * exchanges the weights and partials with them as authenticated binary frames
 * ({@link io.sparkmlp.driver.transport.persistent.StepProtocol}) over TCP, or in memory for tasks in the
 * driver's JVM.
 *
 * <p>May use: {@code transport}, {@code step}, {@code eval}, {@code data}.
 */
package io.sparkmlp.driver.transport.persistent;
