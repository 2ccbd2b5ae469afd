/**
 * What a run writes while it trains: the output directory ({@link io.sparkmlp.driver.output.RunOutput})
 * on the local disk or any Hadoop file system, held by one run at a time ({@link io.sparkmlp.driver.output.RunLock})
 * and marked complete by {@code _SUCCESS} once every output is in place, through the one class that touches the file system
 * and writes each file whole ({@link io.sparkmlp.driver.output.FsPath}, also used by checkpoints and
 * the model commands), metrics.csv ({@link io.sparkmlp.driver.output.MetricsLog}),
 * the history of logged steps with per-layer gradient norms ({@link io.sparkmlp.driver.output.StepRecorder})
 * and the console progress line ({@link io.sparkmlp.driver.output.Progress}).
 *
 * <p>May use: {@code step}, {@code eval}, the root ({@code SparkContexts}: the Hadoop configuration a
 * SparkContext would have), the kernel, Hadoop's {@code FileSystem}.
 */
package io.sparkmlp.driver.output;
