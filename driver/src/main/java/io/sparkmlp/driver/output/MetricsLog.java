package io.sparkmlp.driver.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv}: one row per logged step. The rows are kept in memory while training runs
 * and the file is written whole by {@link #commit} ({@link FsPath#write}), so a failed run leaves an
 * earlier {@code metrics.csv} as it was, on every store. A resumed run starts with the rows its
 * checkpoint recorded ({@link #rows()}).
 */
public final class MetricsLog implements AutoCloseable {

    public static final String HEADER =
            "step,epoch,train_loss,val_loss,val_metric,learning_rate,grad_norm,samples_per_second,elapsed_seconds";

    private final FsPath target;
    private final String header;
    private final List<String> rows = new ArrayList<>();
    /** Runs before the file is written (the output directory's completion marker goes first). */
    private final IoAction beforeCommit;

    /** An action that may fail with an I/O error. */
    interface IoAction {
        void run() throws IOException;
    }

    /**
     * @param layers weight layers of the network (one gradient-norm column each)
     * @param earlier rows of the run before a resume (without the header), written first
     * @param beforeCommit run before the file is written
     */
    MetricsLog(FsPath target, int layers, List<String> earlier, IoAction beforeCommit) {
        this.target = target;
        this.beforeCommit = beforeCommit;
        this.header = header(layers);
        rows.addAll(earlier);
    }

    /** The header of a network with {@code layers} weight layers. */
    public static String header(int layers) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int l = 0; l < layers; l++) sb.append(",grad_norm_l").append(l);
        return sb.append(",kernel_ms,step_ms").toString();
    }

    /** The rows written so far, without the header (what a checkpoint records). */
    public List<String> rows() {
        return List.copyOf(rows);
    }

    /** Appends one row with the per-layer gradient norms and step timing. */
    void row(StepRecorder.Row r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d,%.6f,%s,%s,%s,%s,%s,%.1f,%.3f", r.step(), r.epoch(), num(r.trainLoss()),
                num(r.valLoss()), num(r.valMetric()), num(r.learningRate()), num(r.gradNorm()), r.samplesPerSecond(),
                r.elapsedSeconds()));
        for (double n : r.layerGradNorms()) sb.append(',').append(num(n));
        sb.append(String.format(Locale.ROOT, ",%.3f,%.3f", r.kernelMs(), r.stepMs()));
        rows.add(sb.toString());
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    /** Writes the file: the header, then every row. */
    public void commit() throws IOException {
        StringBuilder text = new StringBuilder(header).append('\n');
        for (String row : rows) text.append(row).append('\n');
        beforeCommit.run();
        target.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Nothing to release: a log that was not committed writes nothing. */
    @Override
    public void close() {
    }
}
