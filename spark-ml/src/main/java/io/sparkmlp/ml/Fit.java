package io.sparkmlp.ml;

import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.FrameInput;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.data.StorageCheck;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.report.Summaries;
import io.sparkmlp.driver.train.MemoryBudget;
import io.sparkmlp.driver.train.SparkTrainingData;
import io.sparkmlp.driver.train.TrainResult;
import io.sparkmlp.driver.train.StartupWarmup;
import io.sparkmlp.driver.train.Trainer;
import io.sparkmlp.kernel.io.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fit: the Params as the CLI's configuration ({@link FitConfig}), the DataFrame as cached blocks
 * ({@link FrameInput}), the driver's {@link Trainer} on them, and the trained network as the
 * project's {@link Model} (what a model file holds). The one place spark-ml calls the trainer.
 *
 * <p><b>Fits side by side</b> ({@code CrossValidator} with {@code parallelism} &gt; 1). The persistent
 * transport holds one barrier task per partition for the whole run; two such runs on one cluster
 * would wait for each other's slots. So one fit of this JVM at a time may use it: when the
 * {@code transport} Param is left at its default and another fit holds the persistent transport, this
 * one steps with the job transport (both give the same bits). A transport set explicitly is used as set.
 *
 * <p><b>Outputs.</b> Unless {@code outputDir} is set, nothing outlives the fit but the model: the
 * trainer's metrics log goes to a temporary directory, deleted at the end.
 */
final class Fit {

    private static final Logger LOG = LoggerFactory.getLogger(Fit.class);

    /** Held by the fit of this JVM that may use the persistent transport. */
    private static final AtomicBoolean PERSISTENT_TAKEN = new AtomicBoolean();

    private Fit() {
    }

    /**
     * Trains on {@code frame}'s {@code featuresCol} (a Vector column) and {@code labelCol}.
     *
     * @param classesHint the number of classes the label column's metadata gives, or 0
     */
    static Model run(Dataset<?> frame, MlpParams<?> params, String featuresCol, String labelCol, int classesHint) {
        TrainConfig checked = FitConfig.of(params);
        String outputDir = params.getOutputDir();
        if (outputDir == null && (checked.train().checkpointEvery() > 0 || checked.train().resume())) {
            throw new IllegalArgumentException(params.uid() + ": checkpointEvery = " + checked.train().checkpointEvery()
                    + ", resume = " + checked.train().resume() + ": expected outputDir to be set (checkpoints live there)");
        }
        boolean persistent = !params.isSet(params.transport()) && PERSISTENT_TAKEN.compareAndSet(false, true);
        Path temp = null;
        PreparedData data = null;
        try (PrintStream log = LogStream.to(LOG)) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
            String dir;
            if (outputDir != null) {
                dir = outputDir;
            } else {
                temp = Files.createTempDirectory("sparkmlp-fit-");
                dir = temp.toString();
            }
            Map<String, String> extra = new HashMap<>();
            extra.put("output.dir", dir);
            if (!params.isSet(params.transport()) && !persistent) {
                extra.put("train.transport", "job");
                LOG.info("{}: another fit holds the persistent transport; this one steps with the job transport",
                        params.uid());
            }
            TrainConfig cfg = FitConfig.of(params, extra);
            // outputDir may be any Hadoop location (hdfs://, s3a://, a local path), as the CLI's output.dir; the
            // directory is locked while the fit writes it and marked complete (_SUCCESS) at the end, as the CLI does
            try (RunOutput output = RunOutput.open(FsPath.of(dir, sc.hadoopConfiguration()),
                    temp != null || cfg.output().overwrite(), cfg.train().resume())) {
                @SuppressWarnings("unchecked")
                Dataset<Row> rows = (Dataset<Row>) frame.toDF();
                try (StartupWarmup warmup = sc.isLocal() ? StartupWarmup.start(cfg.model().activation(), cfg.model().backend()) : null) {
                    data = FrameInput.prepare(rows, FrameInput.Columns.ofVector(labelCol, featuresCol,
                            params.getValidationIndicatorCol()), cfg.data(), classesHint);
                }
                checkLayers(params, data);
                StorageCheck.requireCached(sc, data);
                SparkTrainingData training = new SparkTrainingData(sc, data);
                MemoryBudget.require(cfg, data, training.heaps());
                Checkpointer checkpoints = new Checkpointer(cfg, output.dir(), log);
                TrainResult result = new Trainer(cfg, log).train(training, output, checkpoints, checkpoints.resumePoint());
                Model model = Summaries.model(result, cfg);
                if (outputDir != null) {
                    output.writeModel(model);
                    output.writeSummary(Summaries.summary(result, cfg, model));
                    output.complete();
                }
                return model;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(params.uid() + ": " + e.getMessage(), e);
        } finally {
            if (data != null) data.unpersist();
            if (persistent) PERSISTENT_TAKEN.set(false);
            if (temp != null) deleteTree(temp);
        }
    }

    /** MLlib's {@code layers}: the input and output sizes must be the data's. */
    private static void checkLayers(MlpParams<?> params, PreparedData data) {
        if (!params.isSet(params.layers())) return;
        int[] layers = params.getLayers();
        int outputs = data.labels() == null ? 1 : data.labels().size();
        if (layers[0] != data.numFeatures() || layers[layers.length - 1] != outputs) {
            throw new IllegalArgumentException(params.uid() + ": layers = " + Arrays.toString(layers) + ": expected input size "
                    + data.numFeatures() + " (the features) and output size " + outputs
                    + (data.labels() == null ? " (regression)" : " (the classes)"));
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the temporary directory {}: {}", dir, e.toString());
        }
    }
}
