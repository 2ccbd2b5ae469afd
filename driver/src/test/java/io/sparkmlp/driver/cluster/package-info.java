/**
 * A real Spark standalone cluster for the integration tests ({@code *IT}, run by maven-failsafe-plugin
 * at {@code mvn verify}, after {@code package} has built {@code driver/target/sparkmlp.jar}).
 * <p>
 * {@link io.sparkmlp.driver.cluster.SparkCluster} starts a Master and Workers as separate JVMs on
 * 127.0.0.1 from a {@link io.sparkmlp.driver.cluster.SparkHome} made of the Spark jars Maven resolved
 * ({@code target/spark-classpath.txt}: the provided scope only, so the application's own dependencies
 * must come from its jar, as on a real cluster); {@link io.sparkmlp.driver.cluster.SparkSubmission}
 * runs {@code org.apache.spark.deploy.SparkSubmit} against it; {@link io.sparkmlp.driver.cluster.SparkClusterExtension}
 * gives a test class one cluster and checks that nothing outlives it. Other modules use it through the
 * driver's test-jar: bench for its cluster benchmarks, spark-ml for {@code PipelineClusterIT} (with its own
 * {@code spark-classpath.txt}, which has MLlib, and {@code --jars sparkmlp-spark-ml.jar}).
 * <p>
 * Things that bite:
 * <ul>
 *   <li>Workers launch executors through Spark's launcher, which needs {@code SPARK_HOME} (with
 *       {@code jars/}) and {@code SPARK_SCALA_VERSION}; without the latter executors fail with
 *       "Cannot find any build directories".</li>
 *   <li>Web UIs bind to {@code SPARK_LOCAL_IP} (else 0.0.0.0); {@code --host} only covers RPC.
 *       {@link io.sparkmlp.driver.cluster.ListeningSockets} checks the result.</li>
 *   <li>When a port is taken Spark silently moves to the next one ({@code spark.port.maxRetries});
 *       the Master, whose ports the harness picks, runs with no retries so that a lost race fails
 *       loudly (and the harness retries with new ports).</li>
 *   <li>A process's descendants must be listed before it is stopped: an executor whose Worker died
 *       is re-parented and no longer a descendant. The harness also kills any process whose
 *       command line names the cluster's Spark home.</li>
 *   <li>A test JVM killed with SIGKILL cannot stop its cluster. The shutdown hook covers a normal
 *       exit, SIGTERM and a fork that failsafe stops ({@code shutdown=exit}, fork timeout).</li>
 *   <li>Outputs go to files, never pipes: a child blocks when an unread pipe fills up.</li>
 * </ul>
 */
package io.sparkmlp.driver.cluster;
