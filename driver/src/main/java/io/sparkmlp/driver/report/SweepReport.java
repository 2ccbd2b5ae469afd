package io.sparkmlp.driver.report;

import static io.sparkmlp.driver.report.RunReport.esc;
import static io.sparkmlp.driver.report.RunReport.fmt;
import static io.sparkmlp.driver.report.RunReport.img;
import static io.sparkmlp.driver.report.RunReport.section;

import io.sparkmlp.driver.Version;
import io.sparkmlp.driver.output.StepRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code sweep.html}: the runs of a sweep on one self-contained page ({@link Charts} as base64 PNG). Sections: the
 * training loss and the validation metric of every run against step, epoch and training seconds; time to accuracy
 * (bars: seconds to the best validation loss, seconds to the accuracy every run reached, the whole run); per-layer
 * gradient norms when the runs logged them (each layer's median over the run, and each run against step); the table
 * of {@code sweep.csv}.
 */
public final class SweepReport {

    /**
     * One run of the sweep.
     *
     * @param label its swept values, for the charts' legends and bars (the name, key=value_..., is for files)
     * @param rows its metrics.csv rows; empty for a run that did not finish
     * @param trainSeconds its training seconds (summary.json), NaN when unknown
     * @param secondsToBest training seconds to its best validation loss (summary.json), NaN when unknown
     */
    public record Run(String name, String label, String status, List<StepRecorder.Row> rows, double trainSeconds, double secondsToBest) {
    }

    private SweepReport() {
    }

    /**
     * The page.
     *
     * @param keys the swept keys, e.g. {@code train.batchSize, train.learningRate}
     * @param regression whether the validation metric is RMSE (else accuracy)
     * @param header the columns of {@code sweep.csv}, the run's name first (linked to its report.html)
     * @param table its rows
     */
    public static String html(List<String> keys, boolean regression, List<Run> runs, List<String> header,
                              List<List<String>> table) {
        String title = title(keys);
        // the charts' titles name the keys whose values label the runs (their last parts)
        String legend = " (" + String.join(", ", keys.stream().map(k -> k.substring(k.lastIndexOf('.') + 1)).toList()) + ")";
        List<Run> done = runs.stream().filter(r -> !r.rows().isEmpty()).toList();
        String metric = regression ? "RMSE" : "accuracy";
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sparkmlp sweep: ")
                .append(esc(title)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0;font-size:90%}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}")
                .append("th{background:#f3f3f3}td.k{text-align:left;font-family:monospace}img{max-width:100%}")
                .append("h2{border-bottom:1px solid #ddd;margin-top:1.6em}.note{color:#666;font-size:90%}")
                .append("</style></head><body>\n");
        h.append("<h1>sparkmlp sweep</h1>\n<p>").append(esc(title)).append(": ").append(runs.size()).append(" runs, ")
                .append(done.size()).append(" finished, on one cached dataset. sparkmlp ").append(esc(Version.current()))
                .append(".</p>\n<p class=\"note\">The charts name each run by its values of ").append(esc(title))
                .append(".</p>\n");

        section(h, "table", "Runs");
        table(h, header, table);
        if (done.isEmpty()) {
            h.append("<p>No run has finished yet.</p>\n</body></html>\n");
            return h.toString();
        }

        section(h, "loss", "Training loss");
        curves(h, done, "Training loss", legend, "loss", StepRecorder.Row::trainLoss, false);
        h.append("<p class=\"note\">The running mean of the mini-batch losses between logged steps.</p>\n");
        section(h, "validation", "Validation " + metric);
        if (done.stream().anyMatch(r -> r.rows().stream().anyMatch(x -> Double.isFinite(x.valMetric())))) {
            curves(h, done, "Validation " + metric, legend, metric, StepRecorder.Row::valMetric, true);
        } else {
            h.append("<p>No run had a validation split (data.validationFraction = 0).</p>\n");
        }

        section(h, "time-to-accuracy", "Time to accuracy");
        timeToAccuracy(h, done, regression, legend);

        if (done.stream().anyMatch(r -> r.rows().get(0).layerGradNorms().length > 0)) {
            section(h, "gradient-norms", "Gradient norms per layer");
            gradients(h, done, legend);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** One chart per x axis (step, epoch, training seconds), one series per run. */
    private static void curves(StringBuilder h, List<Run> runs, String title, String legend, String yTitle,
                               ToDoubleFunction<StepRecorder.Row> y, boolean validation) {
        String[] axes = {"step", "epoch", "training seconds"};
        List<ToDoubleFunction<StepRecorder.Row>> xs = List.of(StepRecorder.Row::step, StepRecorder.Row::epoch,
                StepRecorder.Row::elapsedSeconds);
        boolean positive = runs.stream().allMatch(r -> r.rows().stream().mapToDouble(y).filter(Double::isFinite)
                .allMatch(v -> v > 0));
        for (int a = 0; a < axes.length; a++) {
            XYChart c = Charts.line(title + " against " + axes[a] + legend, yTitle);
            c.setXAxisTitle(axes[a]);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            if (!validation && positive) c.getStyler().setYAxisLogarithmic(true);
            boolean any = false;
            for (Run r : runs) any |= Charts.add(c, r.label(), r.rows(), xs.get(a), y, validation);
            if (any) img(h, c, title + " against " + axes[a]);
        }
    }

    /**
     * Bars per run: training seconds to its best validation loss, to the target (the validation metric every finished
     * run reached: the lowest of their best accuracies, or the highest of their best RMSEs), and of the whole run.
     */
    private static void timeToAccuracy(StringBuilder h, List<Run> runs, boolean regression, String legend) {
        double target = regression ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        boolean validated = true;
        for (Run r : runs) {
            double best = regression ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            for (StepRecorder.Row row : r.rows()) {
                double v = row.valMetric();
                if (Double.isFinite(v)) best = regression ? Math.min(best, v) : Math.max(best, v);
            }
            validated &= Double.isFinite(best);
            target = regression ? Math.max(target, best) : Math.min(target, best);
        }
        List<String> names = new ArrayList<>();
        List<Double> toBest = new ArrayList<>(), toTarget = new ArrayList<>(), total = new ArrayList<>();
        for (Run r : runs) {
            names.add(r.label());
            toBest.add(zeroIfNaN(r.secondsToBest()));
            total.add(zeroIfNaN(r.trainSeconds()));
            toTarget.add(validated ? zeroIfNaN(secondsTo(r.rows(), target, regression)) : 0);
        }
        CategoryChart c = Charts.bars("Training seconds to accuracy" + legend, "training seconds", 460);
        int longest = names.stream().mapToInt(String::length).max().orElse(0);
        c.getStyler().setXAxisLabelRotation(longest * runs.size() > 90 ? 15 : 0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        if (validated) {
            c.addSeries("to validation " + (regression ? "RMSE ≤ " : "accuracy ≥ ") + fmt(target), names, toTarget);
        }
        c.addSeries("to the best validation loss", names, toBest);
        c.addSeries("whole run", names, total);
        img(h, c, "training seconds to accuracy per run");
        h.append("<p class=\"note\">");
        if (validated) {
            h.append("Target: the validation ").append(regression ? "RMSE" : "accuracy")
                    .append(" every run reached (the ").append(regression ? "highest of their lowest RMSEs" : "lowest of their best accuracies")
                    .append("), ").append(fmt(target)).append(", timed at the first logged row showing it. ");
        }
        h.append("A missing bar: no validation split, or a run resumed after its best evaluation.</p>\n");
    }

    /** Training seconds at the first row whose validation metric reaches {@code target}; NaN when none does. */
    private static double secondsTo(List<StepRecorder.Row> rows, double target, boolean regression) {
        for (StepRecorder.Row row : rows) {
            double v = row.valMetric();
            if (Double.isFinite(v) && (regression ? v <= target : v >= target)) return row.elapsedSeconds();
        }
        return Double.NaN;
    }

    /** Each layer's median norm over the run, one line per run; then each run's norms against step. */
    private static void gradients(StringBuilder h, List<Run> runs, String legend) {
        XYChart byLayer = Charts.line("Median gradient norm by layer" + legend, "‖g_l‖₂ (log scale)");
        byLayer.setXAxisTitle("layer (0: next to the input)");
        byLayer.getStyler().setYAxisLogarithmic(true);
        byLayer.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        boolean any = false;
        for (Run r : runs) {
            int layers = r.rows().get(0).layerGradNorms().length;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                double m = median(r.rows(), l);
                if (m > 0) {
                    x.add((double) l);
                    y.add(m);
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = byLayer.addSeries(r.label(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (any) img(h, byLayer, "median gradient norm by layer, per run");
        h.append("<p class=\"note\">‖g<sub>l</sub>‖₂ over layer l's weights and biases of the mean mini-batch gradient,"
                + " before clipping (metrics.csv's grad_norm_l columns). Norms that fall layer by layer towards the input"
                + " are vanishing gradients.</p>\n");
        for (Run r : runs) {
            int layers = r.rows().get(0).layerGradNorms().length;
            List<String> names = new ArrayList<>();
            for (int l = 0; l < layers; l++) names.add("layer " + l);
            img(h, Charts.gradients(r.label() + ": gradient norm per layer (log scale)", r.rows(), names),
                    r.name() + ": per-layer gradient norms against step");
        }
    }

    private static double median(List<StepRecorder.Row> rows, int layer) {
        double[] v = rows.stream().mapToDouble(r -> r.layerGradNorms()[layer]).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void table(StringBuilder h, List<String> header, List<List<String>> rows) {
        h.append("<table><tr>");
        for (String c : header) h.append("<th>").append(esc(c)).append("</th>");
        h.append("</tr>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String c = row.get(i);
                boolean number = !c.isEmpty() && isNumber(c);
                h.append(number ? "<td>" : "<td class=\"k\">");
                if (i == 0) {
                    h.append("<a href=\"runs/").append(esc(c)).append("/report.html\">").append(esc(c)).append("</a>");
                } else {
                    h.append(esc(c));
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p class=\"note\">Also in sweep.csv; each run's own report.html, metrics.csv and summary.json"
                + " are in runs/NAME/.</p>\n");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double zeroIfNaN(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    /** The title of a sweep of {@code keys}: {@code a × b}. */
    public static String title(List<String> keys) {
        return String.join(" × ", keys);
    }
}
