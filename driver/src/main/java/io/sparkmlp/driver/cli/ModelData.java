package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.FeatureScaling;
import io.sparkmlp.driver.data.LabelIndex;
import io.sparkmlp.kernel.io.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A saved model and a data set read for it: the shared part of {@code evaluate} and {@code predict}.
 * The data options come from {@code data.*} overrides (format, header, label column, ...); the
 * labels, feature count and standardisation come from the model.
 */
record ModelData(Model model, TrainConfig config, LabelIndex labels, FeatureScaling scaling) {

    static ModelData of(Model model, String dataPath, List<String> overrides) {
        List<String> all = new ArrayList<>();
        all.add("data.train=" + dataPath);
        all.add("data.testFraction=0");
        all.add("data.validationFraction=0");
        if (model.classLabels().isEmpty()) all.add("model.loss=mse");
        all.addAll(overrides);
        TrainConfig cfg = TrainConfig.load((Path) null, all);
        LabelIndex labels = model.classLabels().isEmpty() ? null : LabelIndex.ofOrdered(model.classLabels());
        FeatureScaling scaling = null;
        if (model.featureMean() != null) {
            scaling = model.targetScaling() == null
                    ? new FeatureScaling(model.featureMean(), model.featureStd())
                    : new FeatureScaling(model.featureMean(), model.featureStd(), model.targetScaling().mean(),
                    model.targetScaling().std());
        }
        return new ModelData(model, cfg, labels, scaling);
    }

    JavaRDD<io.sparkmlp.driver.data.Block> load(JavaSparkContext sc) {
        return DataLoader.loadForModel(sc, config.data(), model.architecture().inputSize(), labels, scaling);
    }
}
