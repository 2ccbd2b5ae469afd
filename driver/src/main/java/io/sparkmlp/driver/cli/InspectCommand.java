package io.sparkmlp.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.io.FramedFile;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.PrintableText;
import io.sparkmlp.kernel.io.ModelCodec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sparkmlp inspect MODEL}: what a model file holds, for a person at a terminal. Everything printed
 * comes from the file, which anyone may have written, so each line passes {@link #printable}: a label or
 * metadata value cannot move the cursor, retitle the window or hide text.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a model's architecture, parameter counts, labels, provenance and metrics.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.sparkmlp): a local path or a Hadoop URI (hdfs://, s3a://, file:).")
    String modelPath;

    @Option(names = "--json", description = "Print the model's provenance and metrics as stored (JSON) instead of as text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        FsPath file = Locations.of(modelPath, List.of());
        byte[] bytes = file.readAll(FramedFile.MAX_BYTES);
        Model model = ModelCodec.decode(bytes, file.toString());
        Architecture arch = model.parameters().architecture();
        print(String.format(Locale.ROOT, "model %s (%,d bytes)", file, bytes.length));
        print("architecture " + arch.shape() + ", hidden activation " + arch.hidden().configName()
                + ", output " + arch.output().configName());
        for (String line : arch.describeLayers()) print("  " + line);
        print(model.classLabels().isEmpty() ? "task regression"
                + (model.targetScaling() == null ? "" : " (targets scaled: mean " + model.targetScaling().mean()
                + ", std " + model.targetScaling().std() + ")")
                : "classes " + model.classLabels().size() + ": " + model.classLabels());
        print("feature standardisation " + (model.featureMean() == null ? "off" : "on"));
        if (!model.featureNames().isEmpty()) print("features " + model.featureNames());
        if (json) {
            String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(model.info());
            ("info " + text).lines().forEach(InspectCommand::print);
            return 0;
        }
        Map<String, Object> info = model.info();
        if (info.get("sparkmlp_version") != null) print("trained by sparkmlp " + info.get("sparkmlp_version"));
        section("training", info.get("training"), "");
        section("data", info.get("data"), "");
        section("metrics", info.get("metrics"), "");
        section("config", info.get("config"), "= ");
        for (Map.Entry<String, Object> e : info.entrySet()) {
            if (!java.util.Set.of("sparkmlp_version", "training", "data", "metrics", "config").contains(e.getKey())) {
                print(e.getKey() + " " + value(e.getValue()));
            }
        }
        return 0;
    }

    /** {@code name} then one indented {@code key value} line per entry; synthetic.* keys only for synthetic data. */
    private static void section(String name, Object section, String separator) {
        if (!(section instanceof Map<?, ?> map) || map.isEmpty()) return;
        boolean synthetic = "synthetic".equals(map.get("data.format"));
        print(name);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("synthetic.") && !synthetic) continue;
            print("  " + key + " " + separator + value(e.getValue()));
        }
    }

    private static String value(Object v) {
        if (v == null) return "-";
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d)
                    : String.format(Locale.ROOT, "%.6g", d);
        }
        return String.valueOf(v);
    }

    /** Prints {@code line} {@link #printable}: a line break inside it is escaped too, so it stays one line. */
    private static void print(String line) {
        System.out.println(printable(line));
    }

    /** {@code line} safe to print on a terminal ({@link PrintableText#escape}). */
    static String printable(String line) {
        return PrintableText.escape(line);
    }
}
