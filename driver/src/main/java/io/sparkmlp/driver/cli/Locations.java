package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunLock;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.FramedFile;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a command line names (a model, predictions, a run's output directory): a local path or
 * a Hadoop URI, reached with the Hadoop configuration of the command's {@code spark.*} keys
 * ({@code spark.hadoop.*} among them), as its SparkContext would have it.
 */
final class Locations {

    private Locations() {
    }

    /** {@code text} with the configuration of the {@code spark.*} keys among {@code keyValues}. */
    static FsPath of(String text, List<String> keyValues) throws IOException {
        return FsPath.of(text, FsPath.configuration(sparkKeys(keyValues)));
    }

    /**
     * Reads and decodes a model file. A run's {@value RunOutput#MODEL_FILE} is refused while its directory holds a
     * run's lock ({@value RunLock#FILE}: a run is replacing the outputs, or died doing so), and read with a warning
     * when the directory holds the run's other outputs without {@value RunOutput#SUCCESS_FILE} (an unfinished run, or
     * one written before the marker existed).
     */
    static Model readModel(FsPath file) throws IOException {
        if (file.name().equals(RunOutput.MODEL_FILE)) {
            FsPath dir = file.parent();
            if (dir.resolve(RunLock.FILE).exists()) {
                throw new RunOutput.OutputDirectoryException(file + ": a run is writing its directory ("
                        + dir.resolve(RunLock.FILE) + " exists); expected a finished run's model, with "
                        + RunOutput.SUCCESS_FILE + " beside it");
            }
            if (!dir.resolve(RunOutput.SUCCESS_FILE).exists() && dir.resolve(RunOutput.SUMMARY_FILE).exists()) {
                System.err.println("sparkmlp: warning: " + dir + " has no " + RunOutput.SUCCESS_FILE
                        + ": the run that wrote " + file + " may not have finished");
            }
        }
        return ModelCodec.decode(file.readAll(FramedFile.MAX_BYTES), file.toString());
    }

    /** The {@code spark.*} entries of {@code KEY=VALUE} arguments (split at the first '=', trimmed; later ones win). */
    static Map<String, String> sparkKeys(List<String> keyValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.startsWith("spark.")) keys.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return keys;
    }
}
