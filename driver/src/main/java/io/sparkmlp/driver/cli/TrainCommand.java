package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.driver.checkpoint.Checkpoint;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.data.StorageCheck;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.report.DecisionBoundary;
import io.sparkmlp.driver.report.RunReport;
import io.sparkmlp.driver.report.Summaries;
import io.sparkmlp.driver.train.MemoryBudget;
import io.sparkmlp.driver.train.SparkTrainingData;
import io.sparkmlp.driver.train.StartupWarmup;
import io.sparkmlp.driver.train.TrainResult;
import io.sparkmlp.driver.train.Trainer;
import io.sparkmlp.driver.transport.persistent.StageWarmup;
import io.sparkmlp.kernel.io.Model;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a network on Spark and write the model, metrics.csv, summary.json and report.html to output.dir.",
                "Keys and defaults: docs/CONFIG.md."})
final class TrainCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "CONFIG|KEY=VALUE",
            description = "A properties file (optional, first), then KEY=VALUE overrides, e.g. train.epochs=5 spark.master=local[2].")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> overrides = new ArrayList<>(args);
        Path file = takeConfigFile(overrides);
        TrainConfig cfg = TrainConfig.load(file, overrides);
        train(cfg);
        return 0;
    }

    /**
     * The properties file a command line names first, taken out of {@code args}; null when the first
     * argument is already a KEY=VALUE. Modified: args.
     */
    static Path takeConfigFile(List<String> args) {
        return !args.isEmpty() && !args.get(0).contains("=") ? Path.of(args.remove(0)) : null;
    }

    /**
     * Runs a training job: output directory (locked until the end, {@code _SUCCESS} written last), SparkContext, resume point, data, training, model, summary. A resumed
     * run loads its data with the checkpoint's partition count when {@code data.partitions} is auto.
     */
    static void train(TrainConfig cfg) throws java.io.IOException {
        for (String warning : cfg.warnings()) System.err.println("sparkmlp: warning: " + warning);
        try (RunOutput output = RunOutput.open(FsPath.of(cfg.output().dir(), FsPath.configuration(cfg.sparkConf())),
                cfg.output().overwrite(), cfg.train().resume());
             JavaSparkContext sc = SparkContexts.start("sparkmlp train", cfg.sparkConf())) {
            sc.sc().uiWebUrl().foreach(url -> {
                System.out.println("sparkmlp: Spark UI at " + url);
                return null;
            });
            Checkpointer checkpoints = new Checkpointer(cfg, output.dir(), System.out);
            Checkpoint resume = checkpoints.resumePoint();
            PreparedData data;
            try (StartupWarmup warmup = sc.isLocal() ? StartupWarmup.start(cfg.model().activation(), cfg.model().backend()) : null;
                 StageWarmup stage = StageWarmup.start(sc)) {
                data = load(sc, cfg, checkpoints.dataOptions(resume), System.out);
            }
            trainOn(sc, data, cfg, output, checkpoints, resume, System.out);
        }
    }

    /**
     * Trains {@code cfg} on {@code data} (loaded by {@link #load}) and writes the model, summary and report, then
     * {@code _SUCCESS}: the part of a run after its output directory, SparkContext and data; a sweep runs it once per
     * run on one dataset.
     *
     * @param resume the checkpoint to continue from, or null
     * @param log where the run prints, progress included
     */
    static void trainOn(JavaSparkContext sc, PreparedData data, TrainConfig cfg, RunOutput output,
                        Checkpointer checkpoints, Checkpoint resume, PrintStream log) throws java.io.IOException {
        SparkTrainingData training = new SparkTrainingData(sc, data);
        MemoryBudget.require(cfg, data, training.heaps());
        Trainer trainer = new Trainer(cfg, log);
        TrainResult result = trainer.train(training, output, checkpoints, resume);
        Model model = Summaries.model(result, cfg);
        output.writeModel(model);
        output.writeSummary(Summaries.summary(result, cfg, model));
        output.writeReport(RunReport.html(result, cfg, trainer.history(), boundary(sc, result, cfg)));
        output.complete();
        log.println("sparkmlp: wrote " + output.modelPath() + ", " + RunOutput.METRICS_FILE + ", "
                + RunOutput.SUMMARY_FILE + ", " + RunOutput.REPORT_FILE);
    }

    /** Reads (or generates) the data, splits, scales and caches it; fails when a block did not fit in memory. */
    static PreparedData load(JavaSparkContext sc, TrainConfig cfg, DataOptions options, PrintStream log) {
        log.println("sparkmlp: loading data (" + cfg.data().format().name().toLowerCase(Locale.ROOT) + ")");
        PreparedData data = DataLoader.prepare(sc, options);
        StorageCheck.requireCached(sc, data);
        return data;
    }

    /** The decision boundary of a classifier of 2 features over the test points (else validation, else training), or null. */
    static DecisionBoundary boundary(JavaSparkContext sc, TrainResult r, TrainConfig cfg) {
        PreparedData d = r.data();
        if (d.numFeatures() != 2 || d.labels() == null) return null;
        JavaRDD<Block> blocks = d.test() != null ? d.test() : d.validation() != null ? d.validation() : d.train();
        String source = d.test() != null ? "test" : d.validation() != null ? "validation" : "training";
        sc.setJobDescription("sparkmlp report: decision boundary points");
        return DecisionBoundary.compute(blocks, source, r.architecture(), cfg.model().backend(), d.scaling(),
                r.parameters().flat());
    }
}
