package io.sparkmlp.bench;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Writes a set of sparkmlp's generator ({@code data.format=synthetic}, any {@code synthetic.*} keys) to files that
 * sparkmlp and another tool read alike: its training and test splits, unstandardised, each as
 *
 * <pre>
 * NAME.csv     header f0,…,f(d−1),label; features rounded to 4 decimals, label the class index
 * NAME.x.f32   the same rounded features as little-endian float32, row-major (rows × d)
 * NAME.y.i32   the labels as little-endian int32
 * </pre>
 *
 * for NAME = train and test, in DIR. The keys given are those of {@code bin/sparkmlp train} (data.testFraction sets
 * the test share; the validation split is left out of the files).
 *
 * <pre>bench/run-kernel-bench.sh --class SyntheticFiles DIR KEY=VALUE…</pre>
 */
public final class SyntheticFiles {

    private SyntheticFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) throw new IllegalArgumentException("usage: SyntheticFiles DIR KEY=VALUE…");
        Path dir = Files.createDirectories(Path.of(args[0]));
        List<String> keys = new ArrayList<>(List.of("data.format=synthetic", "data.validationFraction=0",
                "data.standardize=false", "spark.master=local[2]", "spark.ui.enabled=false"));
        keys.addAll(List.of(args).subList(1, args.length));
        TrainConfig cfg = TrainConfig.load(null, keys);
        try (JavaSparkContext sc = SparkContexts.start("sparkmlp SyntheticFiles", Map.of("spark.master", "local[2]",
                "spark.ui.enabled", "false"))) {
            PreparedData data = DataLoader.prepare(sc, cfg.data());
            write(data.train(), dir, "train");
            write(data.test(), dir, "test");
        }
    }

    private static void write(JavaRDD<Block> blocks, Path dir, String name) throws IOException {
        long rows = 0;
        int d = 0;
        try (Writer csv = new BufferedWriter(Files.newBufferedWriter(dir.resolve(name + ".csv"), StandardCharsets.US_ASCII),
                1 << 20);
             DataOutputStream x = new DataOutputStream(new BufferedOutputStream(
                     Files.newOutputStream(dir.resolve(name + ".x.f32")), 1 << 20));
             DataOutputStream y = new DataOutputStream(new BufferedOutputStream(
                     Files.newOutputStream(dir.resolve(name + ".y.i32"))))) {
            StringBuilder line = new StringBuilder();
            for (Block b : blocks.collect()) {
                d = b.features();
                if (rows == 0 && line.isEmpty()) {
                    for (int j = 0; j < d; j++) line.append('f').append(j).append(',');
                    csv.write(line.append("label\n").toString());
                }
                for (int r = 0; r < b.rows(); r++) {
                    line.setLength(0);
                    for (int j = 0; j < d; j++) {
                        String cell = fixed4(Math.round(b.x()[r * d + j] * 1e4));
                        line.append(cell).append(',');
                        x.writeInt(Integer.reverseBytes(Float.floatToIntBits(Float.parseFloat(cell))));
                    }
                    int label = (int) b.y()[r];
                    csv.write(line.append(label).append('\n').toString());
                    y.writeInt(Integer.reverseBytes(label));
                    rows++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "SyntheticFiles: %s: %d rows × %d features%n", name, rows, d);
    }

    /** {@code q / 10⁴} with exactly 4 decimals. */
    static String fixed4(long q) {
        long a = Math.abs(q);
        String frac = Long.toString(a % 10000);
        return (q < 0 ? "-" : "") + a / 10000 + "." + "0".repeat(4 - frac.length()) + frac;
    }
}
