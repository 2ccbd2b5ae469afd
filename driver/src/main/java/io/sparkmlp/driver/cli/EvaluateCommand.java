package io.sparkmlp.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.io.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Metrics of a saved model on a labelled data set, computed on Spark.")
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.sparkmlp): a local path or a Hadoop URI (hdfs://, s3a://, file:).")
    String modelPath;

    @Parameters(index = "1", paramLabel = "DATA", description = "The data set (same format options as training).")
    String data;

    @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "data.* options (format, header, labelColumn, ...) and spark.* keys.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the metrics as JSON to FILE (a local path or a Hadoop URI).")
    String json;

    @Override
    public Integer call() throws Exception {
        Model model = Locations.readModel(Locations.of(modelPath, overrides));
        ModelData md = ModelData.of(model, data, overrides);
        Architecture arch = model.architecture();
        boolean regression = md.labels() == null;
        int classes = regression ? 0 : md.labels().size();
        float targetScale = model.targetScaling() == null ? 1f : model.targetScaling().std();
        Evaluator.Task task = new Evaluator.Task(arch, md.config().model().backend(), classes, targetScale);
        EvalMetrics m;
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp evaluate", md.config().sparkConf())) {
            JavaRDD<Block> blocks = md.load(sc);
            m = Evaluator.evaluate(sc, blocks, task, model.parameters().flat(), "sparkmlp evaluate");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", m.count());
        out.put("loss", m.meanLoss());
        System.out.printf(Locale.ROOT, "rows %d%nloss %.6f%n", m.count(), m.meanLoss());
        if (regression) {
            out.put("rmse", m.rmse());
            System.out.printf(Locale.ROOT, "rmse %.6f%n", m.rmse());
        } else {
            out.put("accuracy", m.accuracy());
            System.out.printf(Locale.ROOT, "accuracy %.6f%n", m.accuracy());
            double[][] pc = m.perClass();
            List<Map<String, Object>> perClass = new ArrayList<>();
            System.out.println("class  precision  recall  f1  support");
            for (int c = 0; c < classes; c++) {
                long support = 0;
                for (int j = 0; j < classes; j++) support += m.confusion()[c * classes + j];
                System.out.printf(Locale.ROOT, "%s  %.4f  %.4f  %.4f  %d%n", md.labels().label(c), pc[c][0], pc[c][1], pc[c][2], support);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("label", md.labels().label(c));
                row.put("precision", pc[c][0]);
                row.put("recall", pc[c][1]);
                row.put("f1", pc[c][2]);
                row.put("support", support);
                perClass.add(row);
            }
            out.put("per_class", perClass);
            out.put("confusion", m.confusion());
        }
        if (json != null) {
            Locations.of(json, overrides).write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
        }
        return 0;
    }
}
