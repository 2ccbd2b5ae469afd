package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import io.sparkmlp.driver.output.FsPath;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predictions of a saved model for every row of a data set, computed on Spark, written as CSV",
                "in input order: the predicted label, then one probability column per class (classification)."})
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.sparkmlp): a local path or a Hadoop URI (hdfs://, s3a://, file:).")
    String modelPath;

    @Parameters(index = "1", paramLabel = "DATA", description = "The data set (same format options as training; the label column may be absent).")
    String data;

    @Parameters(index = "2", paramLabel = "OUTPUT", description = "The CSV file to write (a local path or a Hadoop URI); it appears whole or not at all.")
    String output;

    @Parameters(index = "3..*", paramLabel = "KEY=VALUE", description = "data.* options and spark.* keys.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--overwrite", description = "Replace OUTPUT if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        FsPath target = Locations.of(output, overrides);
        if (target.exists() && !overwrite) {
            throw new IllegalArgumentException("output " + target + ": file exists; expected a new file (or --overwrite)");
        }
        Model model = Locations.readModel(Locations.of(modelPath, overrides));
        ModelData md = ModelData.of(model, data, overrides);
        long rows = 0;
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp predict", md.config().sparkConf());
             FsPath.Output file = target.create()) {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8));
            JavaRDD<Block> blocks = md.load(sc);
            Broadcast<byte[]> bm = sc.broadcast(ModelCodec.encode(model));
            w.write(header(model));
            w.newLine();
            Iterator<String> lines = blocks.mapPartitions(new PredictFunction(bm, md.config().model().backend())).toLocalIterator();
            while (lines.hasNext()) {
                w.write(lines.next());
                w.newLine();
                rows++;
            }
            w.flush();
            file.commit();
        }
        System.out.println("sparkmlp: wrote " + rows + " predictions to " + target);
        return 0;
    }

    /** The CSV header: {@code prediction}, then {@code p_LABEL} per class, each a {@link #csvCell}. */
    static String header(Model model) {
        StringBuilder sb = new StringBuilder("prediction");
        for (String label : model.classLabels()) sb.append(',').append(csvCell("p_" + label));
        return sb.toString();
    }

    /** A number as a spreadsheet reads it: not a formula even when it starts with a sign. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * {@code s} as one CSV cell. A label comes from the training data or the model file, so a cell that starts as a
     * spreadsheet formula ({@code =}, {@code +}, {@code -}, {@code @}, tab, CR) and is not a plain number gets a
     * {@code '} in front (OWASP's advice against CSV injection: shown as text); then a cell with a comma, quote, CR or
     * LF is quoted with its quotes doubled (RFC 4180).
     */
    static String csvCell(String s) {
        String cell = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !NUMBER.matcher(s).matches() ? "'" + s : s;
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) return cell;
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /** One CSV line per row of a block: predicted label and class probabilities, or the regression value. */
    private static final class PredictFunction implements FlatMapFunction<Iterator<Block>, String> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> model;
        private final Backend backend;

        PredictFunction(Broadcast<byte[]> model, Backend backend) {
            this.model = model;
            this.backend = backend;
        }

        @Override
        public Iterator<String> call(Iterator<Block> blocks) {
            List<String> lines = new ArrayList<>();
            Model m = ModelCodec.decode(model.value(), "broadcast model");
            Architecture arch = m.architecture();
            MlpKernel kernel = new MlpKernel(arch, backend);
            int k = arch.outputSize();
            while (blocks.hasNext()) {
                Block b = blocks.next();
                float[] out = new float[b.rows() * k];
                kernel.predict(b.x(), 0, b.rows(), m.parameters().flat(), out, 0);
                List<String> labels = m.classLabels();
                for (int r = 0; r < b.rows(); r++) {
                    StringBuilder sb = new StringBuilder();
                    if (labels.isEmpty()) {
                        float v = out[r * k];
                        sb.append(m.targetScaling() == null ? v : m.targetScaling().unscale(v));
                    } else {
                        sb.append(csvCell(labels.get(MlpKernel.predictedClass(out, r * k, k))));
                        if (k == 1) {
                            sb.append(',').append(1f - out[r]).append(',').append(out[r]);
                        } else {
                            for (int j = 0; j < k; j++) sb.append(',').append(out[r * k + j]);
                        }
                    }
                    lines.add(sb.toString());
                }
            }
            return lines.iterator();
        }
    }
}
