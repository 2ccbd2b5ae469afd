/**
 * The run configuration: one table of typed keys ({@link io.sparkmlp.driver.config.Keys}) with defaults
 * and documentation (docs/CONFIG.md is generated from it and checked by a test), parsed from a properties
 * file and KEY=VALUE overrides into option records ({@link io.sparkmlp.driver.config.TrainConfig}).
 *
 * <p>May use: the kernel's enums (activation, backend, optimizer, schedule). Nothing of Spark.
 */
package io.sparkmlp.driver.config;
