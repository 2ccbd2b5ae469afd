/**
 * What a run writes while it trains: the output directory and its atomic file writes
 * ({@link io.sparkmlp.driver.output.RunOutput}), metrics.csv ({@link io.sparkmlp.driver.output.MetricsLog}),
 * the history of logged steps with per-layer gradient norms ({@link io.sparkmlp.driver.output.StepRecorder})
 * and the console progress line ({@link io.sparkmlp.driver.output.Progress}).
 *
 * <p>May use: {@code checkpoint} (the directory's checkpoints), {@code step}, {@code eval}, the kernel.
 */
package io.sparkmlp.driver.output;
