package io.sparkmlp.driver.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for integration tests: one
 * {@code org.apache.spark.deploy.master.Master} and {@code n} {@code org.apache.spark.deploy.worker.Worker}
 * JVMs (what {@code sbin/start-master.sh} and {@code start-worker.sh} run), started from a
 * {@link SparkHome} made of the Spark jars Maven resolved, with the java of this JVM. Applications go
 * in through a real spark-submit ({@link #submit(Path)}).
 * <p>
 * Everything lives in one fresh directory under {@code target/it/}: the Spark home, {@code logs/}
 * (one file per process), each Worker's work directory {@code worker-i/} (an executor runs in
 * {@code worker-i/APP_ID/EXECUTOR_ID/}, its stdout and stderr there) and scratch space {@code local/}.
 * <p>
 * {@link #close()} stops every process it started and their descendants (executors are children of
 * the Workers), gracefully first, then forcibly; a shutdown hook does the same if the JVM exits
 * without a close. {@link #leakedProcesses()} lists what survived.
 * <pre>
 * try (SparkCluster cluster = SparkCluster.builder().workers(2).start()) {
 *     SubmitResult r = cluster.submit(jar).args("--version").run();
 *     assertTrue(r.succeeded(), r::describe);
 * }
 * </pre>
 */
public final class SparkCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_LINES = 60;

    private final ItSettings settings;
    private final Path dir;
    private final SparkHome home;
    private final Builder config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ManagedProcess> workers = new ArrayList<>();
    private final List<RunningSubmission> submissions = new ArrayList<>();
    private final Set<ProcessHandle> executorsSeen = new LinkedHashSet<>();
    private final Thread shutdownHook = new Thread(this::close, "spark-cluster-shutdown");
    private ManagedProcess master;
    private int masterPort;
    private int masterUiPort;
    private boolean closed;
    private List<ProcessHandle> survivors = List.of();

    private SparkCluster(Builder config, Path dir, SparkHome home) {
        this.settings = config.settings;
        this.config = config;
        this.dir = dir;
        this.home = home;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings of a cluster; {@link #start()} starts it. */
    public static final class Builder {
        private ItSettings settings = ItSettings.fromSystemProperties();
        private int workers = 2;
        private int coresPerWorker = 1;
        private String workerMemory = "1g";
        private Duration startTimeout = Duration.ofSeconds(90);

        private Builder() {
        }

        public Builder settings(ItSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /** Number of Worker JVMs (default 2). */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, found " + count);
            }
            this.workers = count;
            return this;
        }

        /** {@code --cores} of each Worker (default 1). */
        public Builder coresPerWorker(int cores) {
            if (cores < 1) {
                throw new IllegalArgumentException("coresPerWorker must be at least 1, found " + cores);
            }
            this.coresPerWorker = cores;
            return this;
        }

        /** {@code --memory} of each Worker (default "1g", which fits one executor of Spark's default 1g). */
        public Builder workerMemory(String memory) {
            this.workerMemory = Objects.requireNonNull(memory);
            return this;
        }

        /** How long the Master and all Workers may take to be up (default 90 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Starts the Master, waits until its web UI reports it ALIVE, starts the Workers, and waits until
         * the Master lists all of them ALIVE. On any failure everything started so far is stopped and the
         * exception carries the ends of the logs.
         */
        public SparkCluster start() throws IOException {
            Files.createDirectories(settings.workDir());
            Path dir = Files.createTempDirectory(settings.workDir(), "cluster-");
            SparkHome home = SparkHome.create(dir.resolve("spark-home"), settings.sparkClasspathFile());
            SparkCluster cluster = new SparkCluster(this, dir, home);
            try {
                cluster.startAll();
                return cluster;
            } catch (IOException | RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------------------------------- start

    private void startAll() throws IOException {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        Files.createDirectories(dir.resolve("local"));
        startMaster(deadline);
        for (int i = 0; i < config.workers; i++) {
            workers.add(startWorker(i));
        }
        int n = config.workers;
        awaitMasterJson(json -> aliveWorkers(json) == n, deadline,
                () -> n + " ALIVE workers (of " + n + " started) in the Master's " + masterJsonUri());
    }

    private void startMaster(long deadline) throws IOException {
        // Ports are picked here (Spark would print the ones it chose only to its log); Spark is told not
        // to move to the next port when one is taken, so a lost race ends the attempt and a new pair is tried.
        for (int attempt = 1; ; attempt++) {
            masterPort = freePort();
            masterUiPort = freePort();
            List<String> cmd = daemonCommand("org.apache.spark.deploy.master.Master",
                    List.of("-Dspark.port.maxRetries=0", "-Dspark.master.rest.enabled=false"),
                    List.of("--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                            "--webui-port", String.valueOf(masterUiPort)));
            master = ManagedProcess.start(attempt == 1 ? "master" : "master-attempt" + attempt, cmd, environment(),
                    dir, logDir(), false);
            try {
                awaitMasterJson(json -> "ALIVE".equals(json.path("status").asText()), deadline,
                        () -> "the Master ALIVE at " + masterJsonUri());
                return;
            } catch (IllegalStateException e) {
                boolean portTaken = !master.isAlive() && master.stdout().contains("BindException");
                if (!portTaken || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private ManagedProcess startWorker(int index) throws IOException {
        Path workDir = Files.createDirectories(workerDir(index));
        // Port 0: the Worker's RPC and web UI ports are chosen by the OS, and reported to the Master.
        List<String> cmd = daemonCommand("org.apache.spark.deploy.worker.Worker", List.of(),
                List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
                        "--cores", String.valueOf(config.coresPerWorker), "--memory", config.workerMemory,
                        "--work-dir", workDir.toString(), masterUrlOf(masterPort)));
        return ManagedProcess.start("worker-" + index, cmd, environment(), dir, logDir(), false);
    }

    private List<String> daemonCommand(String mainClass, List<String> systemProperties, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        // Small, quick-starting daemons: they only coordinate; the executors do the work.
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(settings.sparkJavaOpts());
        cmd.addAll(systemProperties);
        cmd.add("-cp");
        cmd.add(home.classpath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private Map<String, String> environment() {
        return home.environment(dir.resolve("local"));
    }

    /**
     * Polls the Master's {@code /json} until {@code ready} holds. Fails at the deadline, or at once
     * when a process of the cluster has exited, with what was awaited and the ends of the logs.
     */
    private JsonNode awaitMasterJson(Predicate<JsonNode> ready, long deadline, java.util.function.Supplier<String> what) {
        String last = "(no answer yet)";
        while (true) {
            for (ManagedProcess p : daemons()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited with code " + p.process().exitValue()
                            + " while waiting for " + what.get() + "\n" + describeLogs());
                }
            }
            try {
                JsonNode json = masterStatus();
                if (ready.test(json)) {
                    return json;
                }
                last = "status " + json.path("status").asText() + ", " + aliveWorkers(json) + " ALIVE worker(s)";
            } catch (IOException | UncheckedIOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Spark cluster not up after " + config.startTimeout.toSeconds()
                        + " s: waited for " + what.get() + "; last answer: " + last + "\n" + describeLogs());
            }
            sleep(200);
        }
    }

    private static int aliveWorkers(JsonNode json) {
        int alive = 0;
        for (JsonNode w : json.path("workers")) {
            if ("ALIVE".equals(w.path("state").asText())) {
                alive++;
            }
        }
        return alive;
    }

    // -------------------------------------------------------------------------------------- queries

    public ItSettings settings() {
        return settings;
    }

    /** The cluster's directory under {@code target/it/}. */
    public Path dir() {
        return dir;
    }

    public SparkHome sparkHome() {
        return home;
    }

    public Path logDir() {
        return dir.resolve("logs");
    }

    /** Worker {@code index}'s work directory; its executors run in {@code APP_ID/EXECUTOR_ID/} below it. */
    public Path workerDir(int index) {
        return dir.resolve("worker-" + index);
    }

    /** {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return masterUrlOf(masterPort);
    }

    private static String masterUrlOf(int port) {
        return "spark://127.0.0.1:" + port;
    }

    public int masterWebUiPort() {
        return masterUiPort;
    }

    public ManagedProcess master() {
        return master;
    }

    public List<ManagedProcess> workers() {
        return List.copyOf(workers);
    }

    private URI masterJsonUri() {
        return URI.create("http://127.0.0.1:" + masterUiPort + "/json/");
    }

    /**
     * The Master's state as its web UI's {@code /json} reports it: {@code status}, {@code workers}
     * (each with {@code id}, {@code state}, {@code cores}, {@code coresused}), {@code activeapps},
     * {@code completedapps}, ...
     */
    public JsonNode masterStatus() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(masterJsonUri()).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + masterJsonUri() + " answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: GET " + masterJsonUri(), e);
        }
    }

    /** The executor JVMs alive now, in Worker order. */
    public synchronized List<ExecutorProcess> executors() {
        List<ExecutorProcess> found = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            int index = i;
            workers.get(i).handle().children()
                    .map(p -> ExecutorProcess.of(index, p))
                    .filter(e -> e != null && e.handle().isAlive())
                    .sorted(Comparator.comparing(ExecutorProcess::executorId))
                    .forEach(found::add);
        }
        found.forEach(e -> executorsSeen.add(e.handle()));
        return found;
    }

    /** Waits until at least {@code count} executors are alive; fails after {@code timeout} with the logs. */
    public List<ExecutorProcess> awaitExecutors(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ExecutorProcess> now = executors();
            if (now.size() >= count) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(now.size() + " executor(s) alive after " + timeout.toSeconds()
                        + " s, expected " + count + ": " + now + "\n" + describeLogs());
            }
            sleep(100);
        }
    }

    /**
     * Kills an executor of this cluster with SIGKILL, as a crash or the OOM killer would, and waits
     * until it is gone.
     */
    public void killExecutor(long pid) {
        ExecutorProcess executor = executors().stream().filter(e -> e.pid() == pid).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pid " + pid + " is not a live executor of this cluster;"
                        + " its executors: " + executors()));
        executor.handle().destroyForcibly();
        if (!ManagedProcess.awaitExit(List.of(executor.handle()), Duration.ofSeconds(10))) {
            throw new IllegalStateException("executor " + executor + " still alive 10 s after SIGKILL");
        }
    }

    /** The ends of all logs: Master, Workers, submissions, and every executor's stderr. */
    public String describeLogs() {
        StringBuilder sb = new StringBuilder("logs of the Spark cluster in " + dir + ":\n");
        for (ManagedProcess p : daemons()) {
            sb.append(p.describe(LOG_LINES));
        }
        for (int i = 0; i < workers.size(); i++) {
            Path work = workerDir(i);
            if (!Files.isDirectory(work)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(work, 3)) {
                for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList()) {
                    sb.append("--- executor log ").append(f).append(" ---\n")
                            .append(ManagedProcess.tail(ManagedProcess.read(f), LOG_LINES));
                }
            } catch (IOException e) {
                sb.append("(cannot list ").append(work).append(": ").append(e).append(")\n");
            }
        }
        return sb.toString();
    }

    private List<ManagedProcess> daemons() {
        List<ManagedProcess> all = new ArrayList<>();
        if (master != null) {
            all.add(master);
        }
        all.addAll(workers);
        return all;
    }

    // ---------------------------------------------------------------------------------- submissions

    /** A spark-submit of {@code appJar} to this cluster; configure it, then {@code run()} or {@code start()}. */
    public SparkSubmission submit(Path appJar) {
        return new SparkSubmission(this, appJar);
    }

    synchronized RunningSubmission startSubmission(List<String> command) throws IOException {
        if (closed) {
            throw new IllegalStateException("the cluster in " + dir + " is closed");
        }
        String name = "submit-" + (submissions.size() + 1);
        ManagedProcess p = ManagedProcess.start(name, command, environment(), dir, logDir(), true);
        RunningSubmission running = new RunningSubmission(p, command);
        submissions.add(running);
        return running;
    }

    // ---------------------------------------------------------------------------------------- close

    /**
     * Stops, in order, the running submissions, the Workers with their executors, and the Master:
     * SIGTERM to each, SIGKILL to whatever of its process tree is left after a grace period. Then
     * any process still running from this cluster's Spark home (one that lost its parent earlier)
     * is killed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // close() runs from the hook itself
        } catch (IllegalArgumentException neverAdded) {
            // start failed before the hook was added
        }
        List<ProcessHandle> left = new ArrayList<>();
        left.addAll(ManagedProcess.stopTrees(
                submissions.stream().map(RunningSubmission::handle).toList(), Duration.ofSeconds(5)));
        left.addAll(ManagedProcess.stopTrees(workers.stream().map(ManagedProcess::handle).toList(),
                Duration.ofSeconds(15)));
        if (master != null) {
            left.addAll(ManagedProcess.stopTrees(List.of(master.handle()), Duration.ofSeconds(10)));
        }
        List<ProcessHandle> strays = processesOfThisCluster();
        strays.forEach(ProcessHandle::destroyForcibly);
        ManagedProcess.awaitExit(strays, Duration.ofSeconds(10));
        left.addAll(strays);
        survivors = left.stream().filter(ProcessHandle::isAlive).distinct().toList();
    }

    /**
     * After {@link #close()}: the processes of this cluster still alive (none, when all went well):
     * processes it started, executors it saw, and any process whose command line names this cluster's
     * directory (executors, drivers and daemons all run from its Spark home).
     */
    public synchronized List<ProcessHandle> leakedProcesses() {
        Set<ProcessHandle> alive = new LinkedHashSet<>(survivors);
        daemons().forEach(p -> alive.add(p.handle()));
        submissions.forEach(s -> alive.add(s.handle()));
        alive.addAll(executorsSeen);
        alive.addAll(processesOfThisCluster());
        return alive.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** Describes processes for a failure message: pid and command line. */
    public static String describe(List<ProcessHandle> processes) {
        StringBuilder sb = new StringBuilder();
        for (ProcessHandle p : processes) {
            sb.append("  pid ").append(p.pid()).append(": ")
                    .append(p.info().commandLine().orElse("(command line unknown)")).append('\n');
        }
        return sb.toString();
    }

    private List<ProcessHandle> processesOfThisCluster() {
        String marker = home.dir().toString();
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != self && p.isAlive())
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .toList();
        }
    }

    // -------------------------------------------------------------------------------------- helpers

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A TCP port free on 127.0.0.1 now (the OS's choice). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Spark cluster", e);
        }
    }

    @Override
    public String toString() {
        return "SparkCluster[" + masterUrl() + ", " + workers.size() + " workers, " + dir + "]";
    }
}
