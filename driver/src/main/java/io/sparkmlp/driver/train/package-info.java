/**
 * The training loop ({@link io.sparkmlp.driver.train.Trainer}): builds the network, optimizer and schedule,
 * steps through a transport, evaluates, stops early, keeps the best weights, checkpoints, and returns a
 * {@link io.sparkmlp.driver.train.TrainResult}.
 *
 * <p>May use: {@code transport} (and its persistent implementation, chosen in
 * {@link io.sparkmlp.driver.train.StepTransports}), {@code checkpoint}, {@code output}, {@code step},
 * {@code eval}, {@code data}, {@code config}, the kernel.
 */
package io.sparkmlp.driver.train;
