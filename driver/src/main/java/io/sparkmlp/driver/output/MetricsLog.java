package io.sparkmlp.driver.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code metrics.csv}: one row per logged step. Written to {@code metrics.csv.partial} while
 * training runs and renamed into place by {@link #commit}, so a failed run leaves an earlier
 * {@code metrics.csv} as it was. A resumed run starts with the rows its checkpoint recorded
 * ({@link #rows()}).
 */
public final class MetricsLog implements AutoCloseable {

    public static final String HEADER =
            "step,epoch,train_loss,val_loss,val_metric,learning_rate,grad_norm,samples_per_second,elapsed_seconds";

    private final Path target;
    private final Path partial;
    private final BufferedWriter out;
    private final List<String> rows = new ArrayList<>();
    private boolean committed;

    /**
     * @param layers weight layers of the network (one gradient-norm column each)
     * @param earlier rows of the run before a resume (without the header), written first
     */
    MetricsLog(Path target, int layers, List<String> earlier) throws IOException {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
        this.out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
        out.write(header(layers));
        out.newLine();
        for (String row : earlier) write(row);
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
        write(sb.toString());
    }

    private void write(String row) {
        try {
            out.write(row);
            out.newLine();
            rows.add(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    /** Closes the file and moves it to its final name. */
    public void commit() throws IOException {
        out.close();
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (!committed) Files.deleteIfExists(partial);
    }
}
