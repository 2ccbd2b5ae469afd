/**
 * What a finished run reports: summary.json ({@link io.sparkmlp.driver.report.Summaries}) and the
 * self-contained report.html: its HTML ({@link io.sparkmlp.driver.report.RunReport}), its charts
 * ({@link io.sparkmlp.driver.report.Charts}, XChart drawn off-screen to PNG) and the decision boundary of a
 * 2-feature classifier ({@link io.sparkmlp.driver.report.DecisionBoundary}).
 *
 * <p>May use: {@code train} (the result of a run), {@code output}, {@code eval}, {@code data}, {@code config},
 * the root ({@code Version}), the kernel.
 */
package io.sparkmlp.driver.report;
