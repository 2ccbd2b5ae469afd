package io.sparkmlp.driver.report;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.output.StepRecorder;
import io.sparkmlp.driver.train.TrainResult;

import io.sparkmlp.driver.Version;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.kernel.Architecture;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code report.html}: one self-contained page about a run (charts as base64 PNG drawn with
 * XChart, tables as HTML). Sections: curves, learning rate, per-layer gradient norms, timing,
 * confusion matrix, per-class precision/recall/F1, decision boundary (2 features), data,
 * architecture, configuration.
 */
public final class RunReport {

    static {
        // Charts are drawn off-screen: no display is needed (spark-submit drivers and CI have none).
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 380;

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

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
            XYChart loss = lineChart("Loss", "loss");
            add(loss, "training (running mean over the mini-batches)", rows, StepRecorder.Row::trainLoss);
            add(loss, "validation", rows, StepRecorder.Row::valLoss);
            img(h, loss, "loss against step");
            XYChart metric = lineChart(regression ? "Validation RMSE" : "Validation accuracy", regression ? "RMSE" : "accuracy");
            if (add(metric, "validation", rows, StepRecorder.Row::valMetric)) {
                img(h, metric, regression ? "validation RMSE against step" : "validation accuracy against step");
                XYChart timed = lineChart(regression ? "Validation RMSE against time" : "Validation accuracy against time",
                        regression ? "RMSE" : "accuracy");
                timed.setXAxisTitle("training seconds");
                add(timed, "validation", rows, StepRecorder.Row::elapsedSeconds, StepRecorder.Row::valMetric);
                img(h, timed, regression ? "validation RMSE against training seconds"
                        : "validation accuracy against training seconds");
                h.append("<p class=\"note\">Time to accuracy: the best validation loss came at step ")
                        .append(r.bestStep()).append(Double.isNaN(r.secondsToBest()) ? ""
                                : " after " + fmt(r.secondsToBest()) + " s of training").append(".</p>\n");
            }
            h.append("<p class=\"note\">The training loss is the running mean of the mini-batch losses between logged steps; "
                    + "training accuracy is not measured (it would cost a pass over the training set per evaluation).</p>\n");
            section(h, "learning-rate", "Learning rate");
            XYChart lr = lineChart("Learning rate", "learning rate");
            add(lr, "learning rate", rows, StepRecorder.Row::learningRate);
            img(h, lr, "learning rate against step");

            section(h, "gradient-norms", "Gradient norms per layer");
            img(h, gradientChart(rows, r.architecture()), "per-layer gradient norms against step");
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
            img(h, boundaryChart(boundary, data.labels().labels(), data.featureNames()), "decision boundary");
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

    // ---- charts ----

    private static XYChart lineChart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setSeriesColors(PALETTE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    /**
     * Adds the finite values of a column; false when there are none. Validation columns repeat the
     * last evaluation on every logged row: only the row where a value first appears is drawn.
     */
    private static boolean add(XYChart c, String name, List<StepRecorder.Row> rows, ToDoubleFunction<StepRecorder.Row> column) {
        return add(c, name, rows, row -> row.step(), column);
    }

    /** {@link #add(XYChart, String, List, ToDoubleFunction)} against {@code xColumn} (e.g. training seconds). */
    private static boolean add(XYChart c, String name, List<StepRecorder.Row> rows, ToDoubleFunction<StepRecorder.Row> xColumn,
                               ToDoubleFunction<StepRecorder.Row> column) {
        boolean validation = name.startsWith("validation");
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (StepRecorder.Row row : rows) {
            double v = column.applyAsDouble(row);
            if (validation && !y.isEmpty() && y.get(y.size() - 1) == v) continue;
            if (Double.isFinite(v)) {
                x.add(xColumn.applyAsDouble(row));
                y.add(v);
            }
        }
        if (x.isEmpty()) return false;
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        return true;
    }

    /** One line per layer on a log axis (values ≤ 0 are drawn at the smallest positive value). */
    static XYChart gradientChart(List<StepRecorder.Row> rows, Architecture arch) {
        XYChart c = lineChart("Gradient norm per layer (log scale)", "‖g_l‖₂");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double floor = Double.POSITIVE_INFINITY;
        for (StepRecorder.Row row : rows) {
            for (double v : row.layerGradNorms()) if (v > 0 && v < floor) floor = v;
        }
        if (!Double.isFinite(floor)) floor = 1e-30;
        double[] x = rows.stream().mapToDouble(StepRecorder.Row::step).toArray();
        for (int l = 0; l < arch.numLayers(); l++) {
            double[] y = new double[rows.size()];
            for (int i = 0; i < y.length; i++) {
                double v = rows.get(i).layerGradNorms()[l];
                y[i] = Double.isFinite(v) && v > 0 ? v : floor;
            }
            XYSeries s = c.addSeries("layer " + l + " (" + arch.layerInputs(l) + "→" + arch.layerOutputs(l) + ")", x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    static XYChart boundaryChart(DecisionBoundary b, List<String> labels, List<String> featureNames) {
        String fx = featureNames != null && featureNames.size() == 2 ? featureNames.get(0) : "feature 0";
        String fy = featureNames != null && featureNames.size() == 2 ? featureNames.get(1) : "feature 1";
        XYChart c = new XYChartBuilder().width(640).height(560).title("Decision boundary").xAxisTitle(fx).yAxisTitle(fy).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(false);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(7);
        for (int k = 0; k < labels.size(); k++) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < b.gridClass().length; i++) {
                if (b.gridClass()[i] == k) {
                    x.add(b.gridX()[i]);
                    y.add(b.gridY()[i]);
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = c.addSeries("predicted " + labels.get(k), x, y);
            Color base = PALETTE[k % PALETTE.length];
            s.setMarker(SeriesMarkers.SQUARE);
            s.setMarkerColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), 60));
        }
        for (int k = 0; k < labels.size(); k++) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < b.pointClass().length; i++) {
                if (b.pointClass()[i] == k) {
                    x.add(b.pointX()[i]);
                    y.add(b.pointY()[i]);
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = c.addSeries("class " + labels.get(k), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[k % PALETTE.length].darker());
        }
        return c;
    }

    private static CategoryChart barChart(String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(300).title(title).yAxisTitle(yTitle).build();
        c.getStyler().setSeriesColors(PALETTE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return c;
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
            XYChart c = lineChart("Time per step", "ms");
            add(c, "step (driver wall time)", rows, StepRecorder.Row::stepMs);
            add(c, "kernel (slowest partition)", rows, StepRecorder.Row::kernelMs);
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
        CategoryChart chart = barChart("Per-class precision, recall, F1 (test)", "");
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
            CategoryChart c = barChart("Class balance (training split)", "rows");
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

    private static void section(StringBuilder h, String id, String title) {
        h.append("<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>\n");
    }

    private static void img(StringBuilder h, IChart chart, String alt) {
        h.append("<p><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png(chart))).append("\"></p>\n");
    }

    /** The chart as PNG bytes. */
    static byte[] png(IChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart " + chart.getTitle() + ": " + e.getMessage(), e);
        }
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
