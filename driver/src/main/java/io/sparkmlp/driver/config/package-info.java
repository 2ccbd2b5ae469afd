/**
 * The run configuration: one table of typed keys ({@link io.sparkmlp.driver.config.Keys}) with defaults
 * and documentation (docs/CONFIG.md lists the same keys and a test checks that it does), parsed from a
 * properties file and KEY=VALUE overrides into option records ({@link io.sparkmlp.driver.config.TrainConfig}).
 * The table is public and readable key by key (name, Java type, default, doc, parse and format), so that
 * other faces of the trainer (the spark.ml Params) derive from it instead of repeating it; renamed keys are
 * refused with their new name, and read under it from files written before the rename.
 * Option records are built from the table in one place each; other code starts from their
 * {@code defaults()} or a configuration's options and changes fields with {@code with...} methods.
 *
 * <p>May use: the kernel's enums (activation, backend, optimizer, schedule). Nothing of Spark.
 */
package io.sparkmlp.driver.config;
