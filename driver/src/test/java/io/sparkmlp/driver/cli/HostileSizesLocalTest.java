package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkmlp train} in local mode on sizes that used to crash: a network too large for the heap is refused in
 * one line (exit 5) before any of its arrays exist, a continuous target read as classes in one line (exit 3); the
 * output directory gets no model.
 */
class HostileSizesLocalTest {

    @TempDir
    static Path dir;

    private static Path csv(String name, int rows, int features, boolean continuous) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) sb.append((r * 31 + f * 7) % 13).append(',');
            sb.append(continuous ? String.valueOf(r * 0.37 + 0.001) : String.valueOf(r % 2)).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void aNetworkTooLargeForTheHeapIsRefusedBeforeTraining() throws Exception {
        // 2,000 features under one hidden layer of 100,000 units: 200M parameters, 764 MB per copy, in a 2 GB test JVM
        Path data = csv("wide.csv", 40, 2000, false);
        Path out = dir.resolve("wide-run");
        Cli.Result r = Cli.train(null, "data.train=" + data, "model.hidden=100000", "data.partitions=2",
                "output.dir=" + out);
        assertEquals(5, r.exit(), r.toString());
        List<String> errors = r.errors();
        assertEquals(1, errors.size(), r.toString());
        assertTrue(errors.get(0).startsWith("sparkmlp: error: the network 2000-100000-1 (200,200,001 parameters,"
                + " 763.7 MB per copy) needs about "), errors.get(0));
        assertTrue(errors.get(0).endsWith("; expected a smaller network (model.hidden) or fewer features, or a larger"
                + " heap (bin/sparkmlp: SPARKMLP_JAVA_OPTS=-Xmx...; spark-submit: --driver-memory)"), errors.get(0));
        assertFalse(Files.exists(out.resolve("model.sparkmlp")));
    }

    @Test
    void aContinuousTargetIsRefusedAsTooManyClasses() throws Exception {
        Path data = csv("continuous.csv", 2500, 2, true);
        Cli.Result r = Cli.train(null, "data.train=" + data, "data.partitions=2", "output.dir=" + dir.resolve("c-run"));
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.errors().size(), r.toString());
        assertTrue(r.errors().get(0).endsWith(": found more than data.maxClasses = 1000 distinct labels, expected class"
                + " labels; for a real-valued target set model.loss=mse"), r.errors().get(0));
    }
}
