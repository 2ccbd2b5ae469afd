/**
 * The Spark application that trains the kernel's networks, one package per stage of the data flow:
 *
 * <pre>
 * cli → config → data → step → transport (.persistent) → train → checkpoint, output, report
 *                         eval ↗
 * </pre>
 *
 * This root package holds what every layer may use: {@link io.sparkmlp.driver.Version},
 * {@link io.sparkmlp.driver.SparkContexts} (the context a command runs in) and
 * {@link io.sparkmlp.driver.ClusterException}. It imports none of its sub-packages; no two packages
 * depend on each other in a cycle ({@code LayoutTest} checks both). See docs/ARCHITECTURE.md.
 */
package io.sparkmlp.driver;
