package io.sparkmlp.driver.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One JVM the harness started, with its output in files (never in pipes: a full pipe blocks the child).
 * The command line is written next to the log as {@code NAME.cmd}.
 */
public final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ManagedProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code command} in {@code workDir}. With {@code separateStderr} the output goes to
     * {@code logDir/NAME.out} and {@code NAME.err}, otherwise both to {@code logDir/NAME.log}.
     */
    static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                Path logDir, boolean separateStderr) throws IOException {
        Files.createDirectories(logDir);
        Files.write(logDir.resolve(name + ".cmd"), List.of(String.join(" \\\n  ", command)), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        SparkHome.applyEnvironment(pb.environment(), env);
        Path out;
        Path err;
        if (separateStderr) {
            out = logDir.resolve(name + ".out");
            err = logDir.resolve(name + ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        } else {
            out = logDir.resolve(name + ".log");
            err = out;
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        return new ManagedProcess(name, pb.start(), out, err);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stdoutFile() {
        return stdout;
    }

    public Path stderrFile() {
        return stderr;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** The last {@code lines} lines of the process's log(s), headed by its name, pid and state. */
    public String describe(int lines) {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        StringBuilder sb = new StringBuilder("--- " + name + " (pid " + pid() + ", " + state + "), last lines of "
                + stdout + " ---\n" + tail(read(stdout), lines));
        if (!stderr.equals(stdout)) {
            sb.append("--- last lines of ").append(stderr).append(" ---\n").append(tail(read(stderr), lines));
        }
        return sb.toString();
    }

    static String read(Path file) {
        try {
            // Decoding replaces malformed bytes instead of failing, as a log may end mid-character.
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return (all.size() > lines ? "[... " + (all.size() - lines) + " earlier lines]\n" : "")
                + String.join("\n", last) + "\n";
    }

    /**
     * Stops processes and all their descendants: SIGTERM to the roots (Spark's shutdown hooks then
     * stop what they started: a Worker kills its executors), and after {@code grace} SIGKILL to every
     * process of the trees still alive. The trees are taken before anything is signalled, because a
     * child whose parent died is re-parented and no longer a descendant.
     *
     * @return the processes that were still alive after the SIGKILL and a further wait (empty when all stopped)
     */
    static List<ProcessHandle> stopTrees(List<ProcessHandle> roots, Duration grace) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            root.descendants().forEach(all::add);
            all.add(root);
        }
        roots.forEach(ProcessHandle::destroy);
        awaitExit(all, grace);
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitExit(all, Duration.ofSeconds(10));
        List<ProcessHandle> alive = new ArrayList<>();
        all.stream().filter(ProcessHandle::isAlive).forEach(alive::add);
        return alive;
    }

    /** Waits until all processes exited or {@code timeout} passed; returns whether all exited. */
    static boolean awaitExit(Iterable<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : processes) {
            CompletableFuture<ProcessHandle> exit = p.onExit();
            long left = deadline - System.nanoTime();
            try {
                exit.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for the exit of pid " + p.pid(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + "(pid " + pid() + ")";
    }
}
