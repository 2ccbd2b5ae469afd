package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.file;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sparkmlp.driver.config.DataOptions;

/**
 * Mutated CSV and LIBSVM files, from valid ones with deterministic seeds (characters and bytes inserted,
 * deleted or replaced from a hostile alphabet, lines doubled, dropped or swapped, cells replaced by extreme
 * numbers, truncation), read by the real readers in Spark local mode ({@link DataLoader#prepare}, format
 * detected). Each either loads (rows, at least two classes) or is refused with a one-line {@link DataException};
 * any other exception fails the test with the seed.
 */
class TextFuzzTest {
    static final int FILES = 100;
    static JavaSparkContext sc;
    @TempDir
    static Path dir;

    private static final String CSV = "x1,x2,\"x 3\",label\n0.5,1,-2e-1,a\n1.5,2,3,b\n\"2.5\", 3 ,4,a\n-0,4,5.25,c\n"
            + "6,7,8,b\n";
    private static final String LIBSVM = "1 1:0.5 3:1\n0 2:-1.5 4:2e3\n1 1:1 2:2 3:3 # comment\n\n0 4:0.25\n2 1:-0\n";
    /** Hostile pieces: separators, quotes, line ends, comment and pair markers, numbers' letters, odd bytes. */
    private static final String[] PIECES = {",", "\"", "\n", "\r", "\r\n", " ", "\t", "#", ":", "?", "-", "e", ".",
        "0", "9", "x", "\u0000", "\u00ff", "é", "\u2028", "\uFEFF", "🌸", "NaN", "Infinity", "1e39", "-1e-50",
        "2147483648", "99999999999", "100001", "0:1", "1:1:1", ",,", "\"\"", "nan"};

    @BeforeAll
    static void start() {
        sc = SparkTests.context("text-fuzz");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @Test
    @Timeout(90)
    void mutatedCsvFilesLoadOrAreRefusedInOneLine() throws Exception {
        fuzz("csv", CSV);
    }

    @Test
    @Timeout(90)
    void mutatedLibsvmFilesLoadOrAreRefusedInOneLine() throws Exception {
        fuzz("svm", LIBSVM);
    }

    /**
     * Reads the {@link #FILES} mutations of {@code valid}, four at a time (concurrent jobs on one SparkContext: a
     * small job's cost is mostly scheduling latency, which overlaps), and checks each outcome.
     */
    private static void fuzz(String kind, String valid) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (long seed = 1; seed <= FILES; seed++) {
                long s = seed;
                outcomes.add(pool.submit(() -> readOne(kind, valid, s)));
            }
            int loaded = 0;
            for (Future<Boolean> f : outcomes) {
                try {
                    if (f.get()) loaded++;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
                }
            }
            assertTrue(loaded > 0 && loaded < FILES, kind + ": some mutations load, others are refused; loaded " + loaded);
        } finally {
            pool.shutdownNow();
        }
    }

    /** True when mutation {@code seed} loaded; false when refused in one line; an AssertionError otherwise. */
    private static boolean readOne(String kind, String valid, long seed) throws Exception {
        Path p = dir.resolve(kind + "-" + seed + "." + kind);
        Files.write(p, mutate(valid, seed));
        DataOptions o = file(p.toString()).withPartitions(1).withMaxFeatures(1000);
        try {
            PreparedData d = DataLoader.prepare(sc, o);
            assertTrue(d.trainRows() > 0 && d.labels().size() >= 2 && d.numFeatures() >= 1, "seed " + seed);
            d.train().unpersist(false);
            return true;
        } catch (DataException e) {
            String m = e.getMessage();
            assertTrue(m.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029'),
                    kind + " seed " + seed + ": one line, found " + m);
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError(kind + " seed " + seed + ": unexpected " + e + " for "
                    + new String(Files.readAllBytes(p), StandardCharsets.UTF_8), e);
        }
    }

    /** The bytes of {@code valid} after 1–3 mutations chosen by {@code seed}. */
    static byte[] mutate(String valid, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        StringBuilder s = new StringBuilder(valid);
        for (int k = 1 + r.nextInt(3); k > 0 && s.length() > 1; k--) {
            int at = r.nextInt(s.length());
            String piece = PIECES[r.nextInt(PIECES.length)];
            switch (r.nextInt(7)) {
                case 0 -> s.insert(at, piece);
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(4)));
                case 2 -> s.replace(at, Math.min(s.length(), at + 1), piece);
                case 3 -> {                                       // a line doubled or dropped
                    String[] lines = s.toString().split("\n", -1);
                    int i = r.nextInt(lines.length);
                    s = new StringBuilder(String.join("\n", java.util.stream.Stream.concat(
                            java.util.Arrays.stream(lines, 0, i + (r.nextBoolean() ? 1 : 0)),
                            java.util.Arrays.stream(lines, i, lines.length)).toList()));
                }
                case 4 -> {                                       // two lines swapped (the first may lose its place)
                    String[] lines = s.toString().split("\n", -1);
                    int i = r.nextInt(lines.length), j = r.nextInt(lines.length);
                    String t = lines[i];
                    lines[i] = lines[j];
                    lines[j] = t;
                    s = new StringBuilder(String.join("\n", lines));
                }
                case 5 -> s.setLength(at);                        // truncated
                default -> {                                      // a number replaced by an extreme one
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?(e-?\\d+)?").matcher(s);
                    if (m.find(at) || m.find(0)) s.replace(m.start(), m.end(), PIECES[22 + r.nextInt(6)]);
                }
            }
        }
        byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(10) == 0 && b.length > 0) b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(0x80)); // bad UTF-8
        return b;
    }
}
