package io.sparkmlp.driver.report;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.output.StepRecorder;
import io.sparkmlp.driver.train.TrainResult;

import io.sparkmlp.driver.Version;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.Architecture;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * {@code report.html}: one self-contained page about a run (the {@link Charts} as base64 PNG,
 * tables as HTML). Sections: curves, learning rate, per-layer gradient norms, timing,
 * confusion matrix, per-class precision/recall/F1, decision boundary (2 features), data,
 * architecture, configuration.
 */
public final class RunReport {

    private RunReport() {
    }

    /**
     * The page.
     *
     * @param history the logged steps (metrics, gradient norms, timing)
     * @param boundary the decision boundary of a 2-feature classifier, or null
     */
    public static String html(TrainResult r, TrainConfig cfg, StepRecorder history, DecisionBoundary boundary) {
        PreparedData data = r.data();
        boolean regression = data.labels() == null;
        List<StepRecorder.Row> rows = history.rows();
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sparkmlp report: ")
                .append(esc(r.architecture().shape())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:820px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.k{text-align:left;font-family:monospace}img{max-width:100%}")
                .append("h2{border-bottom:1px solid #ddd;margin-top:1.6em}.note{color:#666;font-size:90%}")
                .append("</style></head><body>\n");
        h.append("<h1>sparkmlp run</h1>\n<p>").append(esc(r.architecture().shape())).append(" network, ")
                .append(r.steps()).append(" steps (").append(fmt(r.epochs())).append(" epochs), ")
                .append(summaryMetric(r, regression)).append(". sparkmlp ").append(esc(Version.current())).append(".</p>\n");

        section(h, "curves", "Training curves");
        if (rows.isEmpty()) {
            h.append("<p>No steps were logged.</p>\n");
        } else {
            XYChart loss = Charts.line("Loss", "loss");
            Charts.add(loss, "training (running mean over the mini-batches)", rows, StepRecorder.Row::trainLoss);
            Charts.add(loss, "validation", rows, StepRecorder.Row::valLoss);
            img(h, loss, "loss against step");
            XYChart metric = Charts.line(regression ? "Validation RMSE" : "Validation accuracy", regression ? "RMSE" : "accuracy");
            if (Charts.add(metric, "validation", rows, StepRecorder.Row::valMetric)) {
                img(h, metric, regression ? "validation RMSE against step" : "validation accuracy against step");
                XYChart timed = Charts.line(regression ? "Validation RMSE against time" : "Validation accuracy against time",
                        regression ? "RMSE" : "accuracy");
                timed.setXAxisTitle("training seconds");
                Charts.add(timed, "validation", rows, StepRecorder.Row::elapsedSeconds, StepRecorder.Row::valMetric);
                img(h, timed, regression ? "validation RMSE against training seconds"
                        : "validation accuracy against training seconds");
                h.append("<p class=\"note\">Time to accuracy: the best validation loss came at step ")
                        .append(r.bestStep()).append(Double.isNaN(r.secondsToBest()) ? ""
                                : " after " + fmt(r.secondsToBest()) + " s of training").append(".</p>\n");
            }
            h.append("<p class=\"note\">The training loss is the running mean of the mini-batch losses between logged steps; "
                    + "training accuracy is not measured (it would cost a pass over the training set per evaluation).</p>\n");
            section(h, "learning-rate", "Learning rate");
            XYChart lr = Charts.line("Learning rate", "learning rate");
            Charts.add(lr, "learning rate", rows, StepRecorder.Row::learningRate);
            img(h, lr, "learning rate against step");

            section(h, "gradient-norms", "Gradient norms per layer");
            img(h, Charts.gradients(rows, r.architecture()), "per-layer gradient norms against step");
            h.append("<p class=\"note\">‖g<sub>l</sub>‖₂ over layer l's weights and biases of the mean mini-batch gradient, "
                    + "before clipping, at each logged step. Layer 0 is next to the input.</p>\n");
        }

        section(h, "timing", "Timing");
        timing(h, r, rows);

        if (!regression && r.test() != null && r.test().confusion() != null) {
            List<String> labels = data.labels().labels();
            section(h, "confusion", "Confusion matrix (test)");
            confusion(h, r.test(), labels);
            section(h, "per-class", "Per-class precision, recall, F1 (test)");
            perClass(h, r.test(), labels);
        }
        if (boundary != null) {
            section(h, "boundary", "Decision boundary");
            img(h, Charts.boundary(boundary, data.labels().labels(), data.featureNames()), "decision boundary");
            h.append("<p class=\"note\">Shaded: the class the network predicts on a grid; points: up to ")
                    .append(DecisionBoundary.MAX_POINTS).append(" rows of the ").append(esc(boundary.source()))
                    .append(" split with their true class.</p>\n");
        }

        section(h, "data", "Data");
        data(h, r, cfg);
        section(h, "architecture", "Architecture");
        architecture(h, r.architecture());
        section(h, "config", "Configuration (effective)");
        table(h, new TreeMap<>(cfg.effective()));
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String summaryMetric(TrainResult r, boolean regression) {
        if (r.test() == null) return "no test split";
        return regression ? "test RMSE " + fmt(r.test().rmse()) : "test accuracy " + fmt(r.test().accuracy());
    }

    // ---- tables ----

    private static void timing(StringBuilder h, TrainResult r, List<StepRecorder.Row> rows) {
        double kernel = 0, step = 0;
        for (StepRecorder.Row row : rows) {
            kernel += row.kernelMs();
            step += row.stepMs();
        }
        int n = Math.max(1, rows.size());
        kernel /= n;
        step /= n;
        Map<String, String> t = new java.util.LinkedHashMap<>();
        t.put("training time", fmt(r.trainSeconds()) + " s");
        t.put("samples/s", String.format(Locale.ROOT, "%,.0f", r.samplesPerSecond()));
        t.put("time per step (mean of the logged intervals)", String.format(Locale.ROOT, "%.3f ms", step));
        t.put("in the kernel (slowest partition)", String.format(Locale.ROOT, "%.3f ms (%.0f %%)", kernel,
                step > 0 ? 100 * kernel / step : 0));
        t.put("outside the kernel (broadcast, scheduling, merge, update)", String.format(Locale.ROOT, "%.3f ms", step - kernel));
        table(h, t);
        if (!rows.isEmpty()) {
            XYChart c = Charts.line("Time per step", "ms");
            Charts.add(c, "step (driver wall time)", rows, StepRecorder.Row::stepMs);
            Charts.add(c, "kernel (slowest partition)", rows, StepRecorder.Row::kernelMs);
            img(h, c, "time per step against step");
        }
    }

    private static void confusion(StringBuilder h, EvalMetrics m, List<String> labels) {
        int k = m.classes();
        long[] c = m.confusion();
        long max = 1;
        for (long v : c) max = Math.max(max, v);
        h.append("<table><tr><th>true \\ predicted</th>");
        for (String l : labels) h.append("<th>").append(esc(l)).append("</th>");
        h.append("</tr>\n");
        for (int i = 0; i < k; i++) {
            h.append("<tr><th>").append(esc(labels.get(i))).append("</th>");
            for (int j = 0; j < k; j++) {
                long v = c[i * k + j];
                double f = (double) v / max;
                int shade = (int) Math.round(255 - 150 * f);
                String colour = i == j ? String.format("rgb(%d,%d,255)", shade, shade) : String.format("rgb(255,%d,%d)", shade, shade);
                h.append("<td style=\"background:").append(v == 0 ? "#fff" : colour).append("\">").append(v).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\">Rows: true class; columns: predicted class.</p>\n");
    }

    private static void perClass(StringBuilder h, EvalMetrics m, List<String> labels) {
        double[][] pc = m.perClass();
        int k = m.classes();
        h.append("<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        CategoryChart chart = Charts.bars("Per-class precision, recall, F1 (test)", "");
        List<Double> p = new ArrayList<>(), rc = new ArrayList<>(), f = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            long support = 0;
            for (int j = 0; j < k; j++) support += m.confusion()[c * k + j];
            h.append("<tr><td class=\"k\">").append(esc(labels.get(c))).append("</td><td>").append(fmt(pc[c][0]))
                    .append("</td><td>").append(fmt(pc[c][1])).append("</td><td>").append(fmt(pc[c][2]))
                    .append("</td><td>").append(support).append("</td></tr>\n");
            p.add(zeroIfNaN(pc[c][0]));
            rc.add(zeroIfNaN(pc[c][1]));
            f.add(zeroIfNaN(pc[c][2]));
        }
        h.append("</table>\n");
        chart.addSeries("precision", labels, p);
        chart.addSeries("recall", labels, rc);
        chart.addSeries("F1", labels, f);
        img(h, chart, "per-class precision, recall and F1");
    }

    private static void data(StringBuilder h, TrainResult r, TrainConfig cfg) {
        PreparedData d = r.data();
        Map<String, String> t = new java.util.LinkedHashMap<>();
        t.put("source", cfg.data().format().name().toLowerCase(Locale.ROOT)
                + (cfg.data().train() == null ? "" : " " + cfg.data().train())
                + (cfg.data().test() == null ? "" : ", test " + cfg.data().test()));
        t.put("training rows", Long.toString(d.trainRows()));
        t.put("validation rows", Long.toString(d.validationRows()));
        t.put("test rows", Long.toString(d.testRows()));
        t.put("features", Integer.toString(d.numFeatures()));
        t.put("task", d.labels() == null ? "regression" : d.labels().size() + " classes");
        t.put("standardisation", d.scaling() == null ? "off" : "on (training split's mean and std)");
        t.put("partitions", Integer.toString(r.plan().partitions()));
        t.put("global batch", r.plan().isFullBatch() ? r.plan().globalBatch() + " (full batch)" : Long.toString(r.plan().globalBatch()));
        table(h, t);
        long[] counts = d.trainClassCounts();
        if (d.labels() != null && counts != null) {
            long total = 0;
            for (long c : counts) total += c;
            h.append("<h3>Class balance (training split)</h3>\n<table><tr><th>class</th><th>rows</th><th>share</th></tr>\n");
            List<String> names = d.labels().labels();
            List<Long> values = new ArrayList<>();
            for (int c = 0; c < counts.length; c++) {
                h.append("<tr><td class=\"k\">").append(esc(names.get(c))).append("</td><td>").append(counts[c])
                        .append("</td><td>").append(String.format(Locale.ROOT, "%.1f %%", total == 0 ? 0 : 100.0 * counts[c] / total))
                        .append("</td></tr>\n");
                values.add(counts[c]);
            }
            h.append("</table>\n");
            CategoryChart c = Charts.bars("Class balance (training split)", "rows");
            c.addSeries("rows", names, values);
            c.getStyler().setLegendVisible(false);
            img(h, c, "class balance");
        }
    }

    private static void architecture(StringBuilder h, Architecture a) {
        h.append("<table><tr><th>layer</th><th>inputs</th><th>outputs</th><th>activation</th><th>weights</th>"
                + "<th>biases</th><th>parameters</th></tr>\n");
        for (int l = 0; l < a.numLayers(); l++) {
            String act = l == a.numLayers() - 1 ? a.output().configName() : a.hidden().configName();
            int in = a.layerInputs(l), out = a.layerOutputs(l);
            h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%d</td><td class=\"k\">%s</td><td>%,d</td>"
                    + "<td>%,d</td><td>%,d</td></tr>%n", l, in, out, esc(act), in * out, out, a.layerParameterCount(l)));
        }
        h.append(String.format(Locale.ROOT, "<tr><th colspan=\"6\">total</th><th>%,d</th></tr></table>%n", a.parameterCount()));
    }

    private static void table(StringBuilder h, Map<String, String> kv) {
        h.append("<table>\n");
        for (Map.Entry<String, String> e : kv.entrySet()) {
            h.append("<tr><td class=\"k\">").append(esc(e.getKey())).append("</td><td class=\"k\">")
                    .append(esc(e.getValue())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    // ---- helpers ----

    static void section(StringBuilder h, String id, String title) {
        h.append("<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>\n");
    }

    static void img(StringBuilder h, IChart chart, String alt) {
        h.append("<p><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Charts.png(chart))).append("\"></p>\n");
    }


    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "–";
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
