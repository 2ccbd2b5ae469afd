package io.sparkmlp.driver.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The output directory on the local disk, named by a plain path and by a {@code file:} URI: same files, same refusals. */
class RunOutputTest {

    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void writesItsFilesWholeAndNothingElse(LocalFs fs) throws IOException {
        Path dir = tmp.resolve("runs/x");
        RunOutput out = RunOutput.prepare(fs.of(dir), false);
        assertEquals(List.of(), names(dir), "created, empty");
        try (MetricsLog metrics = out.openMetrics(1, List.of("1,0.5,row of the run before the resume"))) {
            assertEquals(List.of(), names(dir), "metrics.csv appears on commit only");
            metrics.commit();
        }
        out.writeSummary(Map.of("steps", 10));
        out.writeReport("<html></html>");
        assertEquals(List.of(RunOutput.METRICS_FILE, RunOutput.REPORT_FILE, RunOutput.SUMMARY_FILE), names(dir));
        assertEquals(MetricsLog.header(1) + "\n1,0.5,row of the run before the resume\n",
                Files.readString(dir.resolve(RunOutput.METRICS_FILE)));
        assertEquals("{\n  \"steps\" : 10\n}", Files.readString(dir.resolve(RunOutput.SUMMARY_FILE)));
        assertEquals("<html></html>", Files.readString(dir.resolve(RunOutput.REPORT_FILE), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aMetricsLogThatIsNotCommittedLeavesTheEarlierFile(LocalFs fs) throws IOException {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunOutput.METRICS_FILE), "earlier");
        RunOutput out = RunOutput.prepare(fs.of(dir), true);
        try (MetricsLog metrics = out.openMetrics(2)) {
            assertEquals(List.of(), metrics.rows());
        }
        assertEquals("earlier", Files.readString(dir.resolve(RunOutput.METRICS_FILE)));
        assertEquals(List.of(RunOutput.METRICS_FILE), names(dir));
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void unusableDirectoriesAreRefusedNamingThemAsWritten(LocalFs fs) throws IOException {
        Path occupied = tmp.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("notes.txt"), "mine");
        RunOutput.OutputDirectoryException e = assertThrows(RunOutput.OutputDirectoryException.class,
                () -> RunOutput.prepare(fs.of(occupied), false));
        assertEquals("output.dir = " + fs.of(occupied) + ": directory exists and is not empty; expected a new directory"
                + " (or set output.overwrite=true)", e.getMessage());
        assertEquals(List.of("notes.txt"), names(occupied));

        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        e = assertThrows(RunOutput.OutputDirectoryException.class, () -> RunOutput.prepare(fs.of(file), true));
        assertEquals("output.dir = " + fs.of(file) + ": exists and is not a directory", e.getMessage());

        Path absent = tmp.resolve("absent");
        e = assertThrows(RunOutput.OutputDirectoryException.class, () -> RunOutput.prepare(fs.of(absent), false, true));
        assertEquals("output.dir = " + fs.of(absent) + ": no such directory; expected the output directory of the run"
                + " to resume (train.resume = true)", e.getMessage());
    }
}
