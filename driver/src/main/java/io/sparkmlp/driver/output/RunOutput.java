package io.sparkmlp.driver.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The output directory of a run: {@value #MODEL_FILE}, {@value #METRICS_FILE},
 * {@value #SUMMARY_FILE}, {@value #REPORT_FILE}, {@code checkpoints/} ({@link io.sparkmlp.driver.checkpoint.CheckpointStore}),
 * on the local disk or any Hadoop file system ({@link FsPath}). Each file is written whole: to a
 * temporary name and renamed into place where the store renames atomically (local disk, HDFS), in
 * one stream that appears on close on object stores (S3); so a run that fails leaves what an
 * earlier run wrote as it was.
 */
public final class RunOutput {

    public static final String MODEL_FILE = "model.sparkmlp";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String REPORT_FILE = "report.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FsPath dir;

    private RunOutput(FsPath dir) {
        this.dir = dir;
    }

    /**
     * Checks the directory can be used and creates it. Call before any work starts, so a run
     * that would be refused at the end is refused at once.
     *
     * @throws OutputDirectoryException when it exists, holds files and overwrite is off, or cannot be created
     */
    public static RunOutput prepare(FsPath dir, boolean overwrite) {
        return prepare(dir, overwrite, false);
    }

    /**
     * {@link #prepare(FsPath, boolean)}; with {@code resume} the directory must exist (it holds the
     * run to continue) and may hold files.
     *
     * @throws OutputDirectoryException when resuming and the directory does not exist
     */
    public static RunOutput prepare(FsPath dir, boolean overwrite, boolean resume) {
        try {
            return prepareOrFail(dir, overwrite, resume);
        } catch (IOException e) {
            throw new OutputDirectoryException("output.dir = " + dir + ": cannot create it (" + e.getMessage() + ")");
        }
    }

    private static RunOutput prepareOrFail(FsPath dir, boolean overwrite, boolean resume) throws IOException {
        if (resume && !dir.isDirectory()) {
            throw new OutputDirectoryException("output.dir = " + dir + ": no such directory; expected the output"
                    + " directory of the run to resume (train.resume = true)");
        }
        if (dir.exists() && !resume) {
            if (!dir.isDirectory()) {
                throw new OutputDirectoryException("output.dir = " + dir + ": exists and is not a directory");
            }
            if (!dir.list().isEmpty() && !overwrite) {
                throw new OutputDirectoryException("output.dir = " + dir
                        + ": directory exists and is not empty; expected a new directory (or set output.overwrite=true)");
            }
        }
        dir.mkdirs();
        if (!dir.writable()) {
            throw new OutputDirectoryException("output.dir = " + dir + ": directory is not writable");
        }
        return new RunOutput(dir);
    }

    public FsPath dir() {
        return dir;
    }

    public FsPath modelPath() {
        return dir.resolve(MODEL_FILE);
    }

    public MetricsLog openMetrics(int layers) throws IOException {
        return openMetrics(layers, List.of());
    }

    /** metrics.csv of a resumed run: starts with the {@code earlier} rows (without header). */
    public MetricsLog openMetrics(int layers, List<String> earlier) throws IOException {
        return new MetricsLog(dir.resolve(METRICS_FILE), layers, earlier);
    }

    public void writeModel(Model model) throws IOException {
        modelPath().write(ModelCodec.encode(model));
    }

    public FsPath reportPath() {
        return dir.resolve(REPORT_FILE);
    }

    /** Writes {@value #REPORT_FILE} whole (see {@link FsPath}). */
    public void writeReport(String html) throws IOException {
        reportPath().write(html.getBytes(StandardCharsets.UTF_8));
    }

    public void writeSummary(Map<String, Object> summary) throws IOException {
        dir.resolve(SUMMARY_FILE).write(JSON.writeValueAsBytes(summary));
    }

    /** The output directory cannot be used as configured. */
    public static final class OutputDirectoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OutputDirectoryException(String message) {
            super(message);
        }
    }
}
