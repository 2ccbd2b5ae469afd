package io.sparkmlp.driver.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one spark-submit run.
 *
 * @param command  the command line that ran
 * @param exitCode the process's exit code (after a timeout: the code of the killed process)
 * @param timedOut whether the harness killed it because it ran past its timeout
 * @param stdout   everything it wrote to stdout
 * @param stderr   everything it wrote to stderr (Spark's driver log)
 * @param elapsed  from start to exit
 */
public record SubmitResult(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr,
                           Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** A failure message: exit code, time, the command, and the ends of stdout and stderr. */
    public String describe() {
        return "spark-submit " + (timedOut ? "timed out and was killed (exit code " + exitCode + ")"
                : "exited with " + exitCode) + " after " + elapsed.toMillis() + " ms\n"
                + "command: " + String.join(" ", command) + "\n"
                + "--- stdout (last 40 lines) ---\n" + ManagedProcess.tail(stdout, 40)
                + "--- stderr (last 80 lines) ---\n" + ManagedProcess.tail(stderr, 80);
    }
}
