package io.sparkmlp.driver.report;

import io.sparkmlp.driver.output.StepRecorder;
import io.sparkmlp.kernel.Architecture;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
 * The charts of {@code report.html}, drawn off-screen with XChart and encoded as PNG: line charts of
 * logged columns against the step (or training seconds), per-layer gradient norms on a log axis, the
 * decision boundary of a 2-feature classifier, and bar charts. {@link RunReport} lays them out in HTML.
 */
final class Charts {

    static {
        // Charts are drawn off-screen: no display is needed (spark-submit drivers and CI have none).
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 380;

    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private Charts() {
    }


    static XYChart line(String title, String yTitle) {
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
    static boolean add(XYChart c, String name, List<StepRecorder.Row> rows, ToDoubleFunction<StepRecorder.Row> column) {
        return add(c, name, rows, row -> row.step(), column);
    }

    /** {@link #add(XYChart, String, List, ToDoubleFunction)} against {@code xColumn} (e.g. training seconds). */
    static boolean add(XYChart c, String name, List<StepRecorder.Row> rows, ToDoubleFunction<StepRecorder.Row> xColumn,
                               ToDoubleFunction<StepRecorder.Row> column) {
        return add(c, name, rows, xColumn, column, name.startsWith("validation"));
    }

    /**
     * {@link #add(XYChart, String, List, ToDoubleFunction, ToDoubleFunction)}, told whether the column repeats its
     * last value on every logged row (a validation column), whatever the series' name.
     */
    static boolean add(XYChart c, String name, List<StepRecorder.Row> rows, ToDoubleFunction<StepRecorder.Row> xColumn,
                       ToDoubleFunction<StepRecorder.Row> column, boolean validation) {
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
    static XYChart gradients(List<StepRecorder.Row> rows, Architecture arch) {
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < arch.numLayers(); l++) {
            layers.add("layer " + l + " (" + arch.layerInputs(l) + "→" + arch.layerOutputs(l) + ")");
        }
        return gradients("Gradient norm per layer (log scale)", rows, layers);
    }

    /** {@link #gradients(List, Architecture)} with the layers' names given (one per norm column) and a title. */
    static XYChart gradients(String title, List<StepRecorder.Row> rows, List<String> layers) {
        XYChart c = line(title, "‖g_l‖₂");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double floor = Double.POSITIVE_INFINITY;
        for (StepRecorder.Row row : rows) {
            for (double v : row.layerGradNorms()) if (v > 0 && v < floor) floor = v;
        }
        if (!Double.isFinite(floor)) floor = 1e-30;
        double[] x = rows.stream().mapToDouble(StepRecorder.Row::step).toArray();
        for (int l = 0; l < layers.size(); l++) {
            double[] y = new double[rows.size()];
            for (int i = 0; i < y.length; i++) {
                double v = rows.get(i).layerGradNorms()[l];
                y[i] = Double.isFinite(v) && v > 0 ? v : floor;
            }
            XYSeries s = c.addSeries(layers.get(l), x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    static XYChart boundary(DecisionBoundary b, List<String> labels, List<String> featureNames) {
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

    static CategoryChart bars(String title, String yTitle) {
        return bars(title, yTitle, 300);
    }

    static CategoryChart bars(String title, String yTitle, int height) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(height).title(title).yAxisTitle(yTitle).build();
        c.getStyler().setSeriesColors(PALETTE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return c;
    }

    /** The chart as PNG bytes. */
    static byte[] png(IChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart " + chart.getTitle() + ": " + e.getMessage(), e);
        }
    }
}
