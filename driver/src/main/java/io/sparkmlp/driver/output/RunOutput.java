package io.sparkmlp.driver.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmlp.kernel.io.FramedFile;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The output directory of a run: {@value #MODEL_FILE}, {@value #METRICS_FILE},
 * {@value #SUMMARY_FILE}, {@value #REPORT_FILE}, {@code checkpoints/} ({@link io.sparkmlp.driver.checkpoint.CheckpointStore}). Each file is written whole to a temporary name and renamed into place,
 * so a run that fails leaves what an earlier run wrote as it was.
 */
public final class RunOutput {

    public static final String MODEL_FILE = "model.sparkmlp";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String REPORT_FILE = "report.html";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private RunOutput(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks the directory can be used and creates it. Call before any work starts, so a run
     * that would be refused at the end is refused at once.
     *
     * @throws OutputDirectoryException when it exists, holds files and overwrite is off, or cannot be created
     */
    public static RunOutput prepare(Path dir, boolean overwrite) {
        return prepare(dir, overwrite, false);
    }

    /**
     * {@link #prepare(Path, boolean)}; with {@code resume} the directory must exist (it holds the
     * run to continue) and may hold files.
     *
     * @throws OutputDirectoryException when resuming and the directory does not exist
     */
    public static RunOutput prepare(Path dir, boolean overwrite, boolean resume) {
        if (resume && !Files.isDirectory(dir)) {
            throw new OutputDirectoryException("output.dir = " + dir + ": no such directory; expected the output"
                    + " directory of the run to resume (train.resume = true)");
        }
        try {
            if (Files.exists(dir) && !resume) {
                if (!Files.isDirectory(dir)) {
                    throw new OutputDirectoryException("output.dir = " + dir + ": exists and is not a directory");
                }
                boolean empty;
                try (Stream<Path> s = Files.list(dir)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty && !overwrite) {
                    throw new OutputDirectoryException("output.dir = " + dir
                            + ": directory exists and is not empty; expected a new directory (or set output.overwrite=true)");
                }
            }
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new OutputDirectoryException("output.dir = " + dir + ": directory is not writable");
            }
        } catch (IOException e) {
            throw new OutputDirectoryException("output.dir = " + dir + ": cannot create it (" + e.getMessage() + ")");
        }
        return new RunOutput(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path modelPath() {
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
        ModelFile.write(modelPath(), model);
    }

    public Path reportPath() {
        return dir.resolve(REPORT_FILE);
    }

    /** Writes {@value #REPORT_FILE} atomically. */
    public void writeReport(String html) throws IOException {
        writeText(reportPath(), html);
    }

    public void writeSummary(Map<String, Object> summary) throws IOException {
        writeAtomically(dir.resolve(SUMMARY_FILE), JSON.writeValueAsBytes(summary));
    }

    /**
     * Writes {@code bytes} to a temporary file beside {@code target}, forces it to the device, then
     * renames it over the target ({@link FramedFile#writeAtomically}).
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        FramedFile.writeAtomically(target, bytes);
    }

    public static void writeText(Path target, String text) throws IOException {
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The output directory cannot be used as configured. */
    public static final class OutputDirectoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OutputDirectoryException(String message) {
            super(message);
        }
    }
}
