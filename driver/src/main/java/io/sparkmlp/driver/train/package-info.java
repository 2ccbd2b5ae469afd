/**
 * The training loop: {@link io.sparkmlp.driver.train.Trainer#train} takes the configuration, prepared data
 * ({@link io.sparkmlp.driver.train.TrainingData}), the run's output and its checkpoints (with the resume point),
 * builds the network, optimizer and schedule, steps through a transport, evaluates, stops early, keeps the best
 * weights, checkpoints, and returns a {@link io.sparkmlp.driver.train.TrainResult}. Loading the data happens
 * before (the {@code cli} commands; later a spark.ml estimator with data prepared from a DataFrame).
 *
 * <h2>Design notes</h2>
 * <ul>
 * <li><b>Plain parts.</b> {@link io.sparkmlp.driver.train.RunPlan} (global batch, epochs, steps, evaluation and
 *     log cadence, transport choice; the one place that asks which keys the user set) and
 *     {@link io.sparkmlp.driver.train.EarlyStopping} (best loss, step and weights, patience; the automatic patience
 *     and keep-best from the run length and the validation rows) and {@link io.sparkmlp.driver.train.OptimizerChoice}
 *     ({@code train.optimizer = auto}: lbfgs or adam from training rows × parameters, resolved before the plan) are
 *     plain classes with unit tests; {@code Trainer} is the loop and its steps.</li>
 * <li><b>No SparkContext in the loop.</b> Steps, validation and test evaluations and the kernel-backend probe go
 *     through {@code TrainingData}. The main code has one implementation,
 *     {@link io.sparkmlp.driver.train.SparkTrainingData} (cached RDDs; transports chosen by
 *     {@link io.sparkmlp.driver.train.StepTransports}; evaluations as Spark jobs). The in-memory implementation
 *     (blocks in this JVM, {@code PartitionWorker} per block, partials and metrics summed in partition order) lives
 *     in the test sources, since only tests use it: it drives the whole loop (early stopping, keep-best, resume
 *     from a checkpoint) in milliseconds, and a test checks it gives the bits of the Spark run on the same
 *     blocks.</li>
 * <li><b>L-BFGS in the same loop.</b> {@code train.optimizer = lbfgs} drives the kernel's ask/tell
 *     {@link io.sparkmlp.kernel.optim.Lbfgs} with the same transport, full-batch plan and step numbering: a step is one
 *     evaluation of the mean loss and gradient over the training split (the initial point or a line-search trial),
 *     so {@code steps} counts evaluations, one per distributed round, and the run's length, metrics rows,
 *     checkpoints and resume points stay in steps. The weights are the solver's last accepted point, never a trial;
 *     validation follows accepted iterations ({@code evalEvery} of them, and the end). Counting iterations instead
 *     would hide the line search's extra rounds, which cost as much as any other.</li>
 * <li><b>Memory before training.</b> {@link io.sparkmlp.driver.train.MemoryBudget} estimates the network's arrays
 *     (driver: weights, gradient, optimizer state, best weights, partials, output encoding; per task: weights,
 *     gradient, partial, kernel and batch buffers) and refuses in one line what the heaps cannot hold; the heaps come
 *     from {@code SparkTrainingData.heaps()}.</li>
 * </ul>
 *
 * <p>May use: {@code transport} (and its persistent implementation, chosen in {@code StepTransports}),
 * {@code checkpoint}, {@code output}, {@code step}, {@code eval}, {@code data}, {@code config}, the root
 * ({@code ClusterException}), the kernel; Spark only in {@code SparkTrainingData} and {@code StepTransports}.
 */
package io.sparkmlp.driver.train;
