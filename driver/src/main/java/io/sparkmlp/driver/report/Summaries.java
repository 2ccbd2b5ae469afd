package io.sparkmlp.driver.report;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.train.TrainResult;

import io.sparkmlp.driver.Version;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.FeatureScaling;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.io.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model file's provenance and the run's summary.json. The model holds only what is the same
 * run after run (configuration, data, steps, metrics): no times, no output paths, no Spark
 * settings, so the same data, config and partition count give byte-identical model files
 * wherever they run.
 */
public final class Summaries {

    private Summaries() {
    }

    public static Model model(TrainResult r, TrainConfig cfg) {
        PreparedData data = r.data();
        FeatureScaling s = data.scaling();
        List<String> labels = data.labels() == null ? List.of() : data.labels().labels();
        Model.TargetScaling target = s != null && data.labels() == null && s.scalesTarget()
                ? new Model.TargetScaling(s.targetMean(), s.targetStd()) : null;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sparkmlp_version", Version.current());
        info.put("config", reproducibleConfig(cfg));
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("train", cfg.data().train());
        dataInfo.put("test", cfg.data().test());
        dataInfo.put("train_rows", data.trainRows());
        dataInfo.put("validation_rows", data.validationRows());
        dataInfo.put("test_rows", data.testRows());
        dataInfo.put("features", data.numFeatures());
        dataInfo.put("partitions", r.plan().partitions());
        info.put("data", dataInfo);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("steps", r.steps());
        training.put("epochs", r.epochs());
        training.put("batch_size", r.plan().globalBatch());
        training.put("seed", cfg.train().seed());
        training.put("stopped_early", r.stoppedEarly());
        training.put("weights_from_step", r.weightsStep());
        training.put("optimizer", r.optimizer().configName());
        info.put("training", training);
        info.put("metrics", metrics(r));
        return new Model(r.parameters(), labels, s == null ? null : s.mean(), s == null ? null : s.std(), target,
                data.featureNames() == null ? List.of() : data.featureNames(), info);
    }

    /**
     * The effective configuration without the keys that do not change the model (output, Spark,
     * checkpointing and resuming), so that a resumed run's model file equals an uninterrupted run's.
     */
    static Map<String, String> reproducibleConfig(TrainConfig cfg) {
        Map<String, String> m = new TreeMap<>(cfg.effective());
        m.keySet().removeIf(k -> k.startsWith("output.") || k.startsWith("spark.")
                || k.equals("train.resume") || k.equals("train.checkpointEvery"));
        return m;
    }

    static Map<String, Object> metrics(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean regression = r.data().labels() == null;
        if (r.test() != null) {
            if (!regression) m.put("test_accuracy", r.test().accuracy());
            m.put("test_loss", r.test().meanLoss());
            if (regression) m.put("test_rmse", r.test().rmse());
        }
        if (r.validation() != null) {
            if (!regression) m.put("validation_accuracy", r.validation().accuracy());
            m.put("validation_loss", r.validation().meanLoss());
            if (regression) m.put("validation_rmse", r.validation().rmse());
        }
        return m;
    }

    public static Map<String, Object> summary(TrainResult r, TrainConfig cfg, Model model) {
        Map<String, Object> s = new LinkedHashMap<>(metrics(r));
        s.putIfAbsent("test_accuracy", null);
        s.putIfAbsent("test_loss", null);
        s.put("steps", r.steps());
        s.put("epochs", r.epochs());
        s.put("train_seconds", r.trainSeconds());
        s.put("samples_per_second", r.samplesPerSecond());
        s.put("stopped_early", r.stoppedEarly());
        s.put("weights_from_step", r.weightsStep());
        s.put("best_step", r.bestStep() < 0 ? null : r.bestStep());
        s.put("seconds_to_best", Double.isNaN(r.secondsToBest()) ? null : r.secondsToBest());
        s.put("seconds_to_first_step", Double.isNaN(r.startup().secondsToFirstStep()) ? null : r.startup().secondsToFirstStep());
        s.put("validation_pass_seconds", Double.isNaN(r.startup().validationPassSeconds()) ? null
                : r.startup().validationPassSeconds());
        s.put("validation_passes", r.startup().validationPasses());
        s.put("optimizer", r.optimizer().configName());
        s.put("batch_size", r.plan().globalBatch());
        s.put("partitions", r.plan().partitions());
        s.put("train_rows", r.data().trainRows());
        s.put("validation_rows", r.data().validationRows());
        s.put("test_rows", r.data().testRows());
        s.put("architecture", r.architecture().shape());
        s.put("parameters", r.architecture().parameterCount());
        s.put("activation", r.architecture().hidden().configName());
        s.put("output", r.architecture().output().configName());
        if (!model.classLabels().isEmpty()) s.put("classes", model.classLabels());
        if (r.test() != null && r.test().confusion() != null) s.put("test_confusion", toMatrix(r.test()));
        s.put("config", new TreeMap<>(cfg.effective()));
        s.put("sparkmlp_version", Version.current());
        return s;
    }

    private static long[][] toMatrix(EvalMetrics m) {
        int k = m.classes();
        long[][] out = new long[k][k];
        for (int i = 0; i < k; i++) System.arraycopy(m.confusion(), i * k, out[i], 0, k);
        return out;
    }
}
