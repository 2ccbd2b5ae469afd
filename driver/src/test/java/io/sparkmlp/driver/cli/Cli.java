package io.sparkmlp.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared helpers of the command-line tests: run {@link Main} with stdout/stderr captured, project files. */
final class Cli {

    /** Spark settings of every run: two local threads, no UI, loopback only. */
    static final List<String> SPARK = List.of("spark.master=local[2]", "spark.ui.enabled=false",
            "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1");

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Start logging before any capture: log4j's console appender keeps the System.err it first sees.
        org.apache.logging.log4j.LogManager.getLogger(Cli.class);
    }

    private Cli() {
    }

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
        /** The lines sparkmlp itself wrote to stderr (Spark's own log lines aside). */
        List<String> errors() {
            return err.lines().filter(l -> l.startsWith("sparkmlp: error:")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Runs {@code Main.run(args)} with System.out and System.err captured (restored afterwards). */
    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(po);
            System.setErr(pe);
            code = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** {@code train [config] overrides... SPARK...}. */
    static Result train(String config, String... overrides) {
        List<String> args = new ArrayList<>();
        args.add("train");
        if (config != null) args.add(config);
        args.addAll(List.of(overrides));
        args.addAll(SPARK);
        return run(args.toArray(String[]::new));
    }

    /** A file of the project (tests run in driver/, the project root is one up). */
    static String project(String relative) {
        Path p = Path.of("..", relative);
        if (!Files.exists(p)) p = Path.of(relative);
        if (!Files.exists(p)) throw new IllegalStateException("cannot find " + relative + " from " + Path.of("").toAbsolutePath());
        return p.toAbsolutePath().normalize().toString();
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Every file under {@code dir} (relative name → bytes). */
    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /**
     * A metrics.csv line without its timing cells (samples_per_second, elapsed_seconds, kernel_ms, step_ms): what
     * two runs of the same configuration must agree on.
     */
    static String withoutTimings(String csvLine) {
        String[] cells = csvLine.split(",", -1);
        int timings = io.sparkmlp.driver.output.MetricsLog.HEADER.split(",").length - 2;
        java.util.List<String> kept = new java.util.ArrayList<>(java.util.Arrays.asList(cells).subList(0, timings));
        kept.addAll(java.util.Arrays.asList(cells).subList(timings + 2, cells.length - 2));
        return String.join(",", kept);
    }
}
