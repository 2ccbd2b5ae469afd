package io.sparkmlp.driver.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A spark-submit process in flight (its JVM is the application's driver). */
public final class RunningSubmission {

    private final ManagedProcess process;
    private final List<String> command;
    private final long startNanos = System.nanoTime();

    RunningSubmission(ManagedProcess process, List<String> command) {
        this.process = process;
        this.command = List.copyOf(command);
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.handle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it wrote to stdout so far. */
    public String stdout() {
        return process.stdout();
    }

    /** What it wrote to stderr so far. */
    public String stderr() {
        return process.stderr();
    }

    /**
     * Waits until stdout contains {@code text}; returns false when the process ended or
     * {@code timeout} passed first.
     */
    public boolean awaitStdout(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stdout().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return stdout().contains(text);
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Waits for the end; after {@code timeout} kills the process (and anything it started). */
    public SubmitResult await(Duration timeout) {
        boolean timedOut = false;
        try {
            if (!process.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for spark-submit pid " + pid(), e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        return new SubmitResult(command, process.process().exitValue(), timedOut, stdout(), stderr(), elapsed);
    }

    /** Kills the submission at once with SIGKILL, as a crash of the driver's machine would, and waits until it is gone. */
    public void killForcibly() {
        process.handle().destroyForcibly();
        try {
            if (!process.process().waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("spark-submit pid " + pid() + " still alive 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for spark-submit pid " + pid() + " to die", e);
        }
    }

    /** Stops the submission: SIGTERM, SIGKILL after 5 s. Waits until it is gone. */
    public void kill() {
        List<ProcessHandle> alive = ManagedProcess.stopTrees(List.of(process.handle()), Duration.ofSeconds(5));
        if (!alive.isEmpty()) {
            throw new IllegalStateException("spark-submit pid " + pid() + ": processes still alive after SIGKILL: "
                    + alive.stream().map(ProcessHandle::pid).toList());
        }
        try {
            process.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
