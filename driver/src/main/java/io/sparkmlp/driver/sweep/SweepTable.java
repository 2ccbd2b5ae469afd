package io.sparkmlp.driver.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of a sweep, one row per run in the plan's order: the run's name, its swept values, its status, then from
 * its summary.json the final metrics (those that some run has), steps, epochs, training seconds, the step and
 * training seconds of the best validation loss, and samples/s. Written as {@code sweep.csv} (RFC 4180: a cell with a
 * comma or a quote is quoted) and shown in {@code sweep.html}. A run that has not finished has empty cells.
 */
public record SweepTable(List<String> header, List<List<String>> rows) {

    /** The metric columns, in this order, each kept when some finished run's summary.json has it. */
    static final List<String> METRICS = List.of("test_accuracy", "test_rmse", "test_loss", "validation_accuracy",
            "validation_rmse", "validation_loss");
    /** The columns every sweep has after the metrics. */
    static final List<String> TRAINING = List.of("steps", "epochs", "train_seconds", "best_step", "seconds_to_best",
            "samples_per_second");

    /** The table of {@code records} (the plan's runs in order) sweeping {@code keys}. */
    public static SweepTable of(List<String> keys, List<RunRecord> records) {
        List<String> metrics = new ArrayList<>();
        for (String m : METRICS) {
            if (records.stream().anyMatch(r -> r.summary() != null && r.summary().get(m) != null)) metrics.add(m);
        }
        if (metrics.isEmpty()) metrics.addAll(List.of("test_accuracy", "test_loss"));
        List<String> header = new ArrayList<>();
        header.add("run");
        header.addAll(keys);
        header.add("status");
        header.addAll(metrics);
        header.addAll(TRAINING);
        List<List<String>> rows = new ArrayList<>();
        for (RunRecord r : records) {
            List<String> row = new ArrayList<>();
            row.add(r.run().name());
            for (String k : keys) row.add(r.run().values().get(k));
            row.add(r.status());
            for (String c : metrics) row.add(cell(r.summary(), c));
            for (String c : TRAINING) row.add(cell(r.summary(), c));
            rows.add(List.copyOf(row));
        }
        return new SweepTable(List.copyOf(header), List.copyOf(rows));
    }

    private static String cell(Map<String, Object> summary, String column) {
        Object v = summary == null ? null : summary.get(column);
        if (v == null) return "";
        if (v instanceof Double d) return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "";
        return v.toString();
    }

    /** The table as CSV text, header first. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        for (List<String> row : rows) line(sb, row);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            boolean quote = c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0;
            sb.append(quote ? '"' + c.replace("\"", "\"\"") + '"' : c);
        }
        sb.append('\n');
    }
}
