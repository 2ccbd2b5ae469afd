/**
 * What a finished run reports: summary.json ({@link io.sparkmlp.driver.report.Summaries}) and the
 * self-contained report.html with its charts ({@link io.sparkmlp.driver.report.RunReport},
 * {@link io.sparkmlp.driver.report.DecisionBoundary}).
 *
 * <p>May use: {@code train} (the result of a run), {@code output}, {@code eval}, {@code data}, the kernel.
 */
package io.sparkmlp.driver.report;
