package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.sweep.SweepPlan;
import io.sparkmlp.driver.sweep.SweepRunner;
import io.sparkmlp.driver.train.StartupWarmup;
import io.sparkmlp.driver.transport.persistent.StageWarmup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sparkmlp sweep CONFIG [KEY=VALUE ...]}: trains every combination of the config's
 * {@code sweep.KEY=V1|V2|...} lines ({@link SweepPlan}) one after the other in one SparkContext, on one dataset
 * loaded (or generated), split, standardised and cached once; each run writes what {@code train} writes under
 * {@code output.dir/runs/NAME/}, and {@code output.dir} gets sweep.csv and sweep.html ({@link SweepRunner}). Started
 * again, it skips the runs that finished.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train every combination of the config's sweep.KEY=V1|V2|... lines on one cached dataset, in one",
                "SparkContext: each run to output.dir/runs/NAME/, the comparison to output.dir/sweep.csv and sweep.html.",
                "Run it again to resume: finished runs are skipped. sweep.mode=zip pairs the i-th values instead."})
final class SweepCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "CONFIG|KEY=VALUE",
            description = "A properties file (optional, first), then KEY=VALUE overrides and sweep.KEY=V1|V2 lines.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> overrides = new ArrayList<>(args);
        Path file = TrainCommand.takeConfigFile(overrides);
        SweepPlan plan = SweepPlan.of(file, overrides);
        Set<String> warnings = new LinkedHashSet<>(plan.base().warnings());
        for (SweepPlan.Run run : plan.runs()) warnings.addAll(run.config().warnings());
        for (String w : warnings) System.err.println("sparkmlp: warning: " + w);
        SweepRunner.Outcome outcome;
        try (SharedData shared = new SharedData(plan.base())) {
            outcome = new SweepRunner(plan, System.out).run(shared::train);
        }
        if (outcome.diverged().isEmpty()) return 0;
        System.err.println("sparkmlp: error: " + outcome.diverged().size() + " of " + plan.runs().size()
                + " sweep runs diverged (" + String.join(", ", outcome.diverged()) + "); sweep.csv marks them");
        return Failures.DIVERGED;
    }

    /**
     * The SparkContext and the cached dataset every run of a sweep shares, started and loaded when the first run
     * that needs training starts (a sweep whose runs all finished earlier starts no Spark).
     */
    private static final class SharedData implements AutoCloseable {
        private final TrainConfig base;
        private JavaSparkContext sc;
        private PreparedData data;

        SharedData(TrainConfig base) {
            this.base = base;
        }

        void train(TrainConfig cfg, RunOutput output, PrintStream log) throws IOException {
            if (sc == null) {
                sc = SparkContexts.start("sparkmlp sweep", base.sparkConf());
                sc.sc().uiWebUrl().foreach(url -> {
                    System.out.println("sparkmlp: Spark UI at " + url);
                    return null;
                });
                try (StartupWarmup warmup = sc.isLocal() ? StartupWarmup.start(base.model().activation(), base.model().backend()) : null;
                     StageWarmup stage = StageWarmup.start(sc)) {
                    data = TrainCommand.load(sc, base, base.data(), System.out);
                }
            }
            Checkpointer checkpoints = new Checkpointer(cfg, output.dir(), log);
            Checkpoint resume = checkpoints.resumePoint();
            TrainCommand.trainOn(sc, data, cfg, output, checkpoints, resume, log);
        }

        @Override
        public void close() {
            if (sc != null) sc.close();
        }
    }
}
