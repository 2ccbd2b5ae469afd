/**
 * Checkpoints of a running training: what one holds ({@link io.sparkmlp.driver.checkpoint.Checkpoint}),
 * its file format ({@link io.sparkmlp.driver.checkpoint.CheckpointCodec}, on the model file's container and tensor
 * table, {@link io.sparkmlp.kernel.io.TensorFile}),
 * the directory of them with whole-file writes and fallback past a damaged file
 * ({@link io.sparkmlp.driver.checkpoint.CheckpointStore}) and the policy of when to write and what a
 * resume may change ({@link io.sparkmlp.driver.checkpoint.Checkpointer}).
 *
 * <p>May use: {@code config}, {@code eval} (metrics held in a checkpoint), {@code output} (its
 * {@link io.sparkmlp.driver.output.FsPath}: files on any Hadoop file system), the kernel.
 */
package io.sparkmlp.driver.checkpoint;
