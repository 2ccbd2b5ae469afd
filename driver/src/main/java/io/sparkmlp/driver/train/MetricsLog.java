package io.sparkmlp.driver.train;

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
    private final boolean regression;
    private final List<String> rows = new ArrayList<>();
    private boolean committed;

    /** @param earlier rows of the run before a resume (without the header), written first */
    MetricsLog(Path target, boolean regression, List<String> earlier) throws IOException {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
        this.regression = regression;
        this.out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.newLine();
        for (String row : earlier) write(row);
    }

    /** The rows written so far, without the header (what a checkpoint records). */
    public List<String> rows() {
        return List.copyOf(rows);
    }

    /** Appends one row; validation columns are empty before the first evaluation. */
    public void row(long step, double epoch, double trainLoss, EvalMetrics validation, double lr, double gradNorm,
                    double samplesPerSecond, double elapsed) {
        String valLoss = validation == null ? "" : num(validation.meanLoss());
        String valMetric = validation == null ? "" : num(regression ? validation.rmse() : validation.accuracy());
        write(String.format(Locale.ROOT, "%d,%.6f,%s,%s,%s,%s,%s,%.1f,%.3f", step, epoch, num(trainLoss), valLoss,
                valMetric, num(lr), num(gradNorm), samplesPerSecond, elapsed));
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
