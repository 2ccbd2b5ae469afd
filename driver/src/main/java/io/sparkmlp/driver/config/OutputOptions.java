package io.sparkmlp.driver.config;

import java.io.Serializable;

/**
 * Where the run's files go ({@code output.*} keys).
 *
 * @param dir output directory (model, metrics.csv, summary.json, report, checkpoints); relative
 *            paths resolve against the working directory
 * @param overwrite replace the files of an earlier run in {@code dir}; false: refuse to start when
 *            {@code dir} already holds a run
 */
public record OutputOptions(String dir, boolean overwrite) implements Serializable { }
