/**
 * The spark.ml face on the standalone test cluster: {@code PipelineClusterIT} starts the driver's test
 * harness ({@code io.sparkmlp.driver.cluster}, from the driver's test-jar) and submits {@code PipelineApp}
 * with {@code --jars sparkmlp-spark-ml.jar}, as a user would.
 */
package io.sparkmlp.ml.cluster;
