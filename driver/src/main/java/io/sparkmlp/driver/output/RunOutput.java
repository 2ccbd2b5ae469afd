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
 *
 * <p>The set of files is replaced as a whole for a reader who checks {@value #SUCCESS_FILE}: a run ({@link #open})
 * holds the directory's lock ({@link RunLock}) while it writes, removes {@value #SUCCESS_FILE} before it replaces
 * anything and writes it after the last output ({@link #complete}). Where it is present, every file is of one run;
 * where it is absent, the directory holds a run in progress, a failed one, or a mix.
 */
public final class RunOutput implements AutoCloseable {

    public static final String MODEL_FILE = "model.sparkmlp";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String REPORT_FILE = "report.html";
    /** Written last, when every output of the run is in place; removed first when a run starts replacing them. */
    public static final String SUCCESS_FILE = "_SUCCESS";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FsPath dir;
    /** The run's lock on the directory ({@link #open}), or null. */
    private final RunLock lock;
    /** True once {@value #SUCCESS_FILE} has been removed, before the first output this run writes. */
    private boolean unmarked;

    private RunOutput(FsPath dir, RunLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * The directory checked and created as by {@link #prepare(FsPath, boolean, boolean)}, but locked
     * ({@link RunLock}) before it is checked for earlier files, so that of two runs started together on one new
     * directory one is refused, naming the lock. The first output the run writes removes {@value #SUCCESS_FILE}
     * first; from then until {@link #complete} the directory says it is not a finished run's (a run that fails
     * before writing anything leaves the earlier run's outputs, marker included, as they were). Close the result when the run ends, however it ends: that releases the lock.
     *
     * @throws OutputDirectoryException when another run holds the lock (or a crashed run left it), or
     *         {@link #prepare(FsPath, boolean, boolean)} refuses the directory
     */
    public static RunOutput open(FsPath dir, boolean overwrite, boolean resume) {
        prepare(dir, true, resume);
        try {
            RunLock lock = RunLock.acquire(dir, resume);
            try {
                if (!resume && !overwrite && dir.list().stream().anyMatch(f -> !f.name().equals(RunLock.FILE))) {
                    throw new OutputDirectoryException("output.dir = " + dir + ": directory exists and is not empty;"
                            + " expected a new directory (or set output.overwrite=true)");
                }
                return new RunOutput(dir, lock);
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
        } catch (IOException e) {
            throw new OutputDirectoryException("output.dir = " + dir + ": cannot lock it (" + e.getMessage() + ")");
        }
    }

    /** Removes {@value #SUCCESS_FILE} before this run's first output replaces anything. */
    private void replacing() throws IOException {
        if (unmarked) return;
        dir.resolve(SUCCESS_FILE).delete();
        unmarked = true;
    }

    /** Marks the outputs complete: writes {@value #SUCCESS_FILE}, after every other output is in place. */
    public void complete() throws IOException {
        dir.resolve(SUCCESS_FILE).write(new byte[0]);
    }

    /** Releases the lock (a run from {@link #open}); nothing for {@link #prepare}'s. */
    @Override
    public void close() {
        if (lock != null) lock.close();
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
        return new RunOutput(dir, null);
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
        return new MetricsLog(dir.resolve(METRICS_FILE), layers, earlier, this::replacing);
    }

    public void writeModel(Model model) throws IOException {
        replacing();
        modelPath().write(ModelCodec.encode(model));
    }

    public FsPath reportPath() {
        return dir.resolve(REPORT_FILE);
    }

    /** Writes {@value #REPORT_FILE} whole (see {@link FsPath}). */
    public void writeReport(String html) throws IOException {
        replacing();
        reportPath().write(html.getBytes(StandardCharsets.UTF_8));
    }

    public void writeSummary(Map<String, Object> summary) throws IOException {
        replacing();
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
