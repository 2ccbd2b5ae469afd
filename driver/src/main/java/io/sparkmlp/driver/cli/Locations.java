package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.output.FsPath;
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

    /** Reads and decodes a model file. */
    static Model readModel(FsPath file) throws IOException {
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
