/**
 * The command line ({@code bin/sparkmlp} and the spark-submit jar's main class): train, resume, evaluate,
 * predict and inspect, and {@link io.sparkmlp.driver.cli.Failures}, which turns every failure a user can
 * cause into one line on stderr and an exit code.
 *
 * <p>The top of the driver: may use every other package; nothing imports it.
 */
package io.sparkmlp.driver.cli;
