/**
 * The spark.ml face of sparkmlp: {@link io.sparkmlp.ml.MlpClassifier} and {@link io.sparkmlp.ml.MlpRegressor}
 * (estimators whose Params are the CLI's training settings, {@link io.sparkmlp.ml.MlpParams}), their models
 * {@link io.sparkmlp.ml.MlpClassificationModel} and {@link io.sparkmlp.ml.MlpRegressionModel}, and how they
 * are saved. Users add {@code spark-ml/target/sparkmlp-spark-ml.jar} to {@code spark-submit},
 * {@code spark-shell} or a notebook.
 *
 * <h2>Design notes</h2>
 * <ul>
 * <li><b>One table.</b> Each Param's meaning and default are read from the CLI's key table
 *     ({@code TrainConfig.keyDocs()}), and a fit hands the Params to the CLI's validation as key=value
 *     settings ({@code FitConfig}): the same value means the same run either way, and a test fails when a
 *     CLI training key has no Param or a different default.</li>
 * <li><b>Training</b> is the driver's: the DataFrame becomes the same cached float blocks as a CSV file
 *     ({@code io.sparkmlp.driver.data.FrameInput}) and the driver's {@code Trainer} runs on them
 *     ({@code Fit}, the one call into the trainer). Fits side by side share the persistent transport one at
 *     a time ({@code Fit}'s doc).</li>
 * <li><b>Prediction</b> runs rows through the kernel in chunks of {@code MlpKernel.CHUNK_ROWS}
 *     ({@code Scorer}): one float block, kernel buffers and output block per partition, reused.</li>
 * <li><b>Persistence.</b> spark.ml's metadata plus the project's model file in {@code data/}, through
 *     Hadoop's FileSystem: a saved model stays readable by numpy and by the CLI, and a CLI model file loads
 *     as a spark.ml model ({@code fromModelFile}).</li>
 * <li><b>Java subclasses of spark.ml's Scala classes</b> get their uid before the superclass constructor
 *     creates its Params ({@code Uids}).</li>
 * </ul>
 *
 * <p>May use: the driver ({@code config}, {@code data}, {@code train}, {@code output}, {@code report}), the
 * kernel, Spark SQL and MLlib. Nothing in the driver or the kernel uses this package.
 */
package io.sparkmlp.ml;
