package io.sparkmlp.driver.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The output directory's lock and completion marker: of runs started together on one new directory exactly one
 * writes, the others are refused naming the lock and its holder; a crashed run's lock is reported as stale with how
 * to remove it, and left in place; {@code _SUCCESS} is written last and removed before a run replaces anything.
 */
class RunLockTest {

    @TempDir
    Path tmp;

    private static String lockText(Path dir) throws IOException {
        return Files.readString(dir.resolve(RunLock.FILE), StandardCharsets.UTF_8).strip();
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void ofRunsStartedTogetherOnOneNewDirectoryOneWritesTheOthersAreRefused(LocalFs fs) throws Exception {
        Path dir = tmp.resolve("runs/new");
        int runs = 4;
        CyclicBarrier start = new CyclicBarrier(runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        List<Future<RunOutput>> results = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return RunOutput.open(fs.of(dir), false, false);
                }));
            }
            List<RunOutput> opened = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (Future<RunOutput> f : results) {
                try {
                    opened.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof RunOutput.OutputDirectoryException, e.getCause().toString());
                    refusals.add(e.getCause().getMessage());
                }
            }
            assertEquals(1, opened.size(), "runs that got the directory: " + opened.size() + ", refusals " + refusals);
            String holder = lockText(dir);
            assertTrue(holder.matches("run=[0-9a-f-]{36} host=\\S+ pid=" + ProcessHandle.current().pid()
                    + " started=\\S+Z"), holder);
            String lock = fs.of(dir).resolve(RunLock.FILE).toString();
            for (String refusal : refusals) {
                assertEquals("output.dir = " + fs.of(dir) + ": locked by another run (" + lock + ": " + holder
                        + "); expected a directory no other run is writing (wait for that run or choose another"
                        + " output.dir; if that run has died, delete " + lock + ")", refusal);
            }
            opened.get(0).writeSummary(java.util.Map.of("steps", 1));
            opened.get(0).complete();
            opened.get(0).close();
            assertEquals(List.of(RunOutput.SUCCESS_FILE, RunOutput.SUMMARY_FILE), names(dir), "lock removed at the end");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aCrashedRunsLockIsReportedAsStaleAndOnlyAResumeTakesItOver(LocalFs fs) throws Exception {
        Path dir = tmp.resolve("crashed");
        Files.createDirectories(dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String text = "run=0b7e3c2a-0000-4000-8000-000000000001 host=" + InetAddress.getLocalHost().getHostName()
                + " pid=" + gone.pid() + " started=2026-01-01T00:00:00Z\n";
        Files.writeString(dir.resolve(RunLock.FILE), text);
        Files.writeString(dir.resolve(RunOutput.METRICS_FILE), "step\n");
        String lock = fs.of(dir).resolve(RunLock.FILE).toString();

        RunOutput.OutputDirectoryException e = assertThrows(RunOutput.OutputDirectoryException.class,
                () -> RunOutput.open(fs.of(dir), true, false));
        assertEquals("output.dir = " + fs.of(dir) + ": locked by a run that is no longer running (" + lock + ": "
                + text.strip() + "); expected no lock: if no run is writing " + fs.of(dir) + ", delete " + lock
                + " and start again", e.getMessage());
        assertEquals(text, Files.readString(dir.resolve(RunLock.FILE)), "a new run does not take it over");
        assertEquals(List.of(RunLock.FILE, RunOutput.METRICS_FILE), names(dir), "nothing else touched");

        // resuming the run that died: its lock (this host, process gone) is replaced by the resumed run's
        try (RunOutput out = RunOutput.open(fs.of(dir), false, true)) {
            String now = Files.readString(dir.resolve(RunLock.FILE));
            assertFalse(now.equals(text), "taken over");
            assertTrue(now.contains(" pid=" + ProcessHandle.current().pid() + " "), now);
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)));
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aLiveHoldersLockIsNeverTakenOverEvenByAResume(LocalFs fs) throws Exception {
        Path dir = tmp.resolve("live");
        Files.createDirectories(dir);
        try (RunOutput holder = RunOutput.open(fs.of(dir), false, false)) {
            assertThrows(RunOutput.OutputDirectoryException.class, () -> RunOutput.open(fs.of(dir), false, true));
        }
    }

    /**
     * A run replacing a completed one removes the marker before its first file: failing before that, it leaves the
     * earlier outputs with their marker; failing after, nothing marked complete.
     */
    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aRunThatFailsPartWayLeavesNothingMarkedComplete(LocalFs fs) throws IOException {
        Path dir = tmp.resolve("replaced");
        try (RunOutput first = RunOutput.open(fs.of(dir), false, false)) {
            first.writeSummary(java.util.Map.of("steps", 1));
            first.writeReport("<html>first</html>");
            first.complete();
        }
        assertEquals(List.of(RunOutput.SUCCESS_FILE, RunOutput.REPORT_FILE, RunOutput.SUMMARY_FILE), names(dir));

        RunOutput.OutputDirectoryException refused = assertThrows(RunOutput.OutputDirectoryException.class,
                () -> RunOutput.open(fs.of(dir), false, false));
        assertEquals("output.dir = " + fs.of(dir) + ": directory exists and is not empty; expected a new directory"
                + " (or set output.overwrite=true)", refused.getMessage());
        assertTrue(Files.exists(dir.resolve(RunOutput.SUCCESS_FILE)), "a refused run leaves the marker");

        try (RunOutput second = RunOutput.open(fs.of(dir), true, false)) {
            // the run fails before it writes anything
        }
        assertEquals(List.of(RunOutput.SUCCESS_FILE, RunOutput.REPORT_FILE, RunOutput.SUMMARY_FILE), names(dir),
                "the earlier run's outputs, with their marker");

        try (RunOutput third = RunOutput.open(fs.of(dir), true, false)) {
            third.writeSummary(java.util.Map.of("steps", 2));
            assertFalse(Files.exists(dir.resolve(RunOutput.SUCCESS_FILE)), "removed before the first file is replaced");
            // the run fails here, before its report and the marker
        }
        assertEquals(List.of(RunOutput.REPORT_FILE, RunOutput.SUMMARY_FILE), names(dir), "old and new files, unmarked");
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
