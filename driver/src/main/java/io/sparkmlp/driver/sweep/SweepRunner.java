package io.sparkmlp.driver.sweep;

import io.sparkmlp.driver.checkpoint.CheckpointStore;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunLock;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.report.SweepReport;
import io.sparkmlp.driver.train.DivergenceException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a sweep's runs one after the other into {@code output.dir/runs/<name>/}, then (and after every run) rebuilds
 * {@value #CSV_FILE} and {@value #HTML_FILE} from the finished runs' summary.json and metrics.csv.
 *
 * <ul>
 *   <li>The sweep's directory is locked for the whole sweep (as a run's is, {@link RunOutput#open}); a lock left by
 *       a sweep of this host that died is taken over. Each run locks its own directory too.</li>
 *   <li>A run whose directory holds {@value RunOutput#SUCCESS_FILE} finished earlier and is skipped, after checking
 *       that its summary.json was written with this run's configuration (else the sweep is refused: its results would
 *       be mixed with another sweep's).</li>
 *   <li>An unfinished run (the sweep was stopped during it, or it diverged) resumes from its newest checkpoint when
 *       it has one and {@code train.checkpointEvery > 0} (as {@code train.resume=true}: byte-identical to an
 *       uninterrupted run); otherwise it is trained again from scratch, replacing what it had written.</li>
 *   <li>{@code output.overwrite=true} trains every run again.</li>
 *   <li>A run that diverges is reported and the sweep goes on with the next; the sweep's directory gets
 *       {@value RunOutput#SUCCESS_FILE} only when every run finished.</li>
 * </ul>
 *
 * Every line a run prints starts with {@code [i/N name]}, its progress lines included.
 */
public final class SweepRunner {

    public static final String CSV_FILE = "sweep.csv";
    public static final String HTML_FILE = "sweep.html";

    /** What the sweep's directory may hold besides the runs (else it is some other run's directory). */
    private static final Set<String> OWN_FILES = Set.of(SweepPlan.RUNS_DIR, CSV_FILE, HTML_FILE, RunOutput.SUCCESS_FILE,
            RunLock.FILE);

    /** Trains one run: what {@code sparkmlp train} does once its output directory is open. */
    @FunctionalInterface
    public interface RunTrainer {
        /**
         * Trains {@code cfg} (resuming from its checkpoint when {@code cfg.train().resume()}) and writes its outputs,
         * {@value RunOutput#SUCCESS_FILE} last, to {@code output}.
         *
         * @param log where the run prints, progress included
         */
        void train(TrainConfig cfg, RunOutput output, PrintStream log) throws IOException;
    }

    /**
     * How the sweep went.
     *
     * @param trained runs trained (or resumed) by this process
     * @param skipped runs that had finished before
     * @param diverged names of the runs that diverged
     */
    public record Outcome(int trained, int skipped, List<String> diverged) {
    }

    private final SweepPlan plan;
    private final PrintStream out;

    public SweepRunner(SweepPlan plan, PrintStream out) {
        this.plan = plan;
        this.out = out;
    }

    /** Runs the sweep (see the class comment). */
    public Outcome run(RunTrainer trainer) throws IOException {
        TrainConfig base = plan.base();
        FsPath dir = FsPath.of(base.output().dir(), FsPath.configuration(base.sparkConf()));
        boolean overwrite = base.output().overwrite();
        dir.mkdirs();
        try (RunOutput sweep = RunOutput.open(dir, false, true)) {
            checkOwnDirectory(dir, overwrite);
            dir.resolve(RunOutput.SUCCESS_FILE).delete();
            List<SweepPlan.Run> runs = plan.runs();
            out.println("sparkmlp: sweep of " + runs.size() + " runs (" + SweepReport.title(plan.spec().keys()) + ", "
                    + plan.spec().mode().name().toLowerCase(java.util.Locale.ROOT) + ") into " + dir);
            int trained = 0, skipped = 0;
            Set<String> diverged = new HashSet<>();
            try {
                for (SweepPlan.Run run : runs) {
                    String label = "[" + run.number() + "/" + runs.size() + " " + run.name() + "]";
                    FsPath runDir = FsPath.of(run.config().output().dir(), FsPath.configuration(base.sparkConf()));
                    if (!overwrite && RunRecord.finished(runDir)) {
                        requireSameRun(run, runDir);
                        out.println("sparkmlp: " + label + " finished earlier: skipped");
                        skipped++;
                        continue;
                    }
                    out.println("sparkmlp: " + label + " " + describe(run.values()));
                    try {
                        train(run, runDir, overwrite, trainer, prefixed(out, label + " "));
                        trained++;
                    } catch (DivergenceException e) {
                        out.println("sparkmlp: " + label + " diverged, going on with the next run: " + e.getMessage());
                        diverged.add(run.name());
                    } finally {
                        writeResults(dir, diverged);
                    }
                }
            } finally {
                writeResults(dir, diverged);
            }
            if (diverged.isEmpty()) sweep.complete();
            out.println("sparkmlp: sweep done: " + trained + " trained, " + skipped + " finished earlier, "
                    + diverged.size() + " diverged; wrote " + dir.resolve(CSV_FILE) + ", " + dir.resolve(HTML_FILE));
            List<String> failed = runs.stream().map(SweepPlan.Run::name).filter(diverged::contains).toList();
            return new Outcome(trained, skipped, failed);
        }
    }

    /** Trains one run: fresh into a new directory, resumed from its checkpoint, or again from scratch. */
    private static void train(SweepPlan.Run run, FsPath runDir, boolean overwrite, RunTrainer trainer, PrintStream log)
            throws IOException {
        TrainConfig cfg = run.config();
        if (!runDir.exists()) {
            try (RunOutput output = RunOutput.open(runDir, false, false)) {
                trainer.train(cfg, output, log);
            }
            return;
        }
        boolean resumable = !overwrite && cfg.train().checkpointEvery() > 0
                && !CheckpointStore.of(runDir).list().isEmpty();
        if (resumable) {
            Map<String, String> settings = new TreeMap<>(cfg.settings());
            settings.put("train.resume", "true");
            cfg = TrainConfig.fromMap(settings, "sweep run " + run.name());
        } else {
            log.println("sparkmlp: " + runDir + " holds an unfinished run without a checkpoint: training it again");
        }
        // resume = true: the run's directory exists, and a lock left by a sweep of this host that died is taken over
        try (RunOutput output = RunOutput.open(runDir, !resumable, true)) {
            trainer.train(cfg, output, log);
        }
    }

    /**
     * Fails unless the finished run in {@code runDir} was trained with {@code run}'s configuration (but for the keys
     * that do not change the run: {@code output.*}, {@code train.resume}, {@code train.checkpointEvery}); keys that
     * summary.json lacks (added to sparkmlp since) are not compared.
     */
    private static void requireSameRun(SweepPlan.Run run, FsPath runDir) throws IOException {
        Object saved = RunRecord.summary(runDir).get("config");
        Map<?, ?> then = saved instanceof Map<?, ?> m ? m : Map.of();
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> e : run.config().effective().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("output.") || k.equals("train.resume") || k.equals("train.checkpointEvery")) continue;
            Object was = then.get(k);
            if (was != null && !was.toString().equals(e.getValue())) {
                diffs.add(k + " = \"" + was + "\" there, \"" + e.getValue() + "\" now");
            }
        }
        if (!diffs.isEmpty()) {
            throw new RunOutput.OutputDirectoryException(runDir + ": holds a finished run of another configuration ("
                    + String.join("; ", diffs) + "); expected this sweep's (a new output.dir, or output.overwrite=true"
                    + " to train every run again)");
        }
    }

    /** Refuses a directory that holds something other than a sweep's files, unless {@code overwrite}. */
    private static void checkOwnDirectory(FsPath dir, boolean overwrite) throws IOException {
        if (overwrite) return;
        for (FsPath f : dir.list()) {
            if (!OWN_FILES.contains(f.name())) {
                throw new RunOutput.OutputDirectoryException("output.dir = " + dir + ": holds " + f.name()
                        + ", which is not a sweep's; expected a new directory or an earlier sweep's (or set"
                        + " output.overwrite=true)");
            }
        }
    }

    /** Rebuilds sweep.csv and sweep.html from what the runs' directories hold now. */
    private void writeResults(FsPath dir, Set<String> diverged) throws IOException {
        List<RunRecord> records = new ArrayList<>();
        for (SweepPlan.Run run : plan.runs()) {
            FsPath runDir = FsPath.of(run.config().output().dir(), FsPath.configuration(plan.base().sparkConf()));
            records.add(RunRecord.read(run, runDir, diverged.contains(run.name())));
        }
        SweepTable table = SweepTable.of(plan.spec().keys(), records);
        dir.resolve(CSV_FILE).write(table.csv().getBytes(StandardCharsets.UTF_8));
        List<SweepReport.Run> runs = records.stream().map(r -> new SweepReport.Run(r.run().name(),
                String.join(", ", r.run().values().values()), r.status(), r.rows(),
                number(r.summary(), "train_seconds"), number(r.summary(), "seconds_to_best"))).toList();
        String html = SweepReport.html(plan.spec().keys(), regression(), runs, table.header(),
                table.rows());
        dir.resolve(HTML_FILE).write(html.getBytes(StandardCharsets.UTF_8));
    }

    private boolean regression() {
        return plan.base().data().regression();
    }

    private static double number(Map<String, Object> summary, String key) {
        Object v = summary == null ? null : summary.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String describe(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" = ").append(v));
        return sb.toString();
    }

    /** {@code out} with {@code prefix} at the start of every line. */
    static PrintStream prefixed(PrintStream out, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        return new PrintStream(new OutputStream() {
            private boolean lineStart = true;

            @Override
            public void write(int b) {
                if (lineStart) out.write(p, 0, p.length);
                out.write(b);
                lineStart = b == '\n';
            }

            @Override
            public void flush() {
                out.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
