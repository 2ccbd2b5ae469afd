/**
 * Sweeps: many training runs of one configuration with some keys varied, on one dataset.
 *
 * <p>{@link io.sparkmlp.driver.sweep.SweepSpec} reads the {@code sweep.KEY=V1|V2|...} lines (values split at
 * {@code |}, since values such as {@code model.hidden=128,64} hold commas) and refuses keys that would change the
 * shared dataset or SparkContext; {@link io.sparkmlp.driver.sweep.SweepPlan} builds every run's whole configuration and
 * file-safe name before anything starts, so a bad value in the last combination is refused before the first run
 * trains; {@link io.sparkmlp.driver.sweep.SweepRunner} trains the runs one after the other (a caller-given
 * {@link io.sparkmlp.driver.sweep.SweepRunner.RunTrainer} does what {@code train} does, on the data the caller loaded
 * once), skips finished ones when started again, and rebuilds {@code sweep.csv}
 * ({@link io.sparkmlp.driver.sweep.SweepTable}) and {@code sweep.html} ({@link io.sparkmlp.driver.report.SweepReport})
 * from the runs' own files ({@link io.sparkmlp.driver.sweep.RunRecord}) after every run.
 *
 * <p>Why one process: a run's data load or generation, split, standardisation and caching cost as much as a short
 * run's training (BENCHMARKS.md, "Sweeps"); a sweep pays them once. A swept run's model file is byte-identical to
 * the same configuration trained alone with {@code sparkmlp train}.
 *
 * <p>May use: {@code config}, {@code output}, {@code checkpoint}, {@code report}, {@code train} (its exceptions).
 */
package io.sparkmlp.driver.sweep;
