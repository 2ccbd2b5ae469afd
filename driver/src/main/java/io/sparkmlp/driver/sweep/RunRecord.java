package io.sparkmlp.driver.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.output.StepRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a sweep knows of one of its runs, read back from the run's directory (so a resumed sweep reports the runs an
 * earlier process trained as well as its own): whether it finished ({@value RunOutput#SUCCESS_FILE}), its
 * summary.json and the rows of its metrics.csv.
 *
 * @param run the run of the plan
 * @param status {@code finished}, {@code diverged} (this process saw it diverge) or {@code unfinished}
 * @param summary summary.json of a finished run, else null
 * @param rows metrics.csv of a finished run (per-layer gradient norms included), else empty
 */
public record RunRecord(SweepPlan.Run run, String status, Map<String, Object> summary, List<StepRecorder.Row> rows) {

    public static final String FINISHED = "finished";
    public static final String DIVERGED = "diverged";
    public static final String UNFINISHED = "unfinished";

    /** Largest summary.json or metrics.csv read back: well above what a run of 10⁷ logged rows writes. */
    static final long MAX_FILE = 1L << 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean finished() {
        return FINISHED.equals(status);
    }

    /** Whether {@code dir} holds a finished run: {@value RunOutput#SUCCESS_FILE} is written after every output. */
    static boolean finished(FsPath dir) throws IOException {
        return dir.resolve(RunOutput.SUCCESS_FILE).exists();
    }

    /** summary.json of the run in {@code dir}. */
    static Map<String, Object> summary(FsPath dir) throws IOException {
        byte[] bytes = dir.resolve(RunOutput.SUMMARY_FILE).readAll(MAX_FILE);
        return JSON.readValue(bytes, new TypeReference<Map<String, Object>>() { });
    }

    /**
     * The run's record: read from {@code dir} when it finished; else {@value #DIVERGED} when this process saw it
     * diverge, {@value #UNFINISHED} otherwise.
     */
    static RunRecord read(SweepPlan.Run run, FsPath dir, boolean diverged) throws IOException {
        if (!finished(dir)) return new RunRecord(run, diverged ? DIVERGED : UNFINISHED, null, List.of());
        String csv = new String(dir.resolve(RunOutput.METRICS_FILE).readAll(MAX_FILE), StandardCharsets.UTF_8);
        return new RunRecord(run, FINISHED, summary(dir), parseMetrics(csv, dir.resolve(RunOutput.METRICS_FILE).toString()));
    }

    /**
     * The rows of a metrics.csv ({@link io.sparkmlp.driver.output.MetricsLog}), its columns found by name: an empty
     * cell is NaN; the {@code grad_norm_l<i>} columns are the per-layer norms.
     *
     * @throws IOException naming the file and line when a cell is not a number or a row is short
     */
    static List<StepRecorder.Row> parseMetrics(String csv, String file) throws IOException {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) return List.of();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) if (header.get(i).startsWith("grad_norm_l")) layers.add(i);
        List<StepRecorder.Row> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String[] cells = lines.get(n).split(",", -1);
            if (cells.length != header.size()) {
                throw new IOException(file + ": line " + (n + 1) + ": " + cells.length + " cells; expected "
                        + header.size() + " as in the header");
            }
            Cells c = new Cells(header, cells, file, n + 1);
            double[] norms = new double[layers.size()];
            for (int l = 0; l < norms.length; l++) norms[l] = c.at(layers.get(l));
            rows.add(new StepRecorder.Row((long) c.get("step"), c.get("epoch"), c.get("train_loss"), c.get("val_loss"),
                    c.get("val_metric"), c.get("learning_rate"), c.get("grad_norm"), c.get("samples_per_second"),
                    c.get("elapsed_seconds"), norms, c.get("kernel_ms"), c.get("step_ms")));
        }
        return rows;
    }

    /** The cells of one metrics.csv line, by column name. */
    private record Cells(List<String> header, String[] cells, String file, int line) {
        double get(String column) throws IOException {
            int i = header.indexOf(column);
            return i < 0 ? Double.NaN : at(i);
        }

        double at(int i) throws IOException {
            String s = cells[i].trim();
            if (s.isEmpty()) return Double.NaN;
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + line + ": " + header.get(i) + " = \"" + s + "\"; expected a number");
            }
        }
    }
}
