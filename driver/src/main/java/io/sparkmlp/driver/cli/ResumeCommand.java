package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.driver.checkpoint.CheckpointStore;
import io.sparkmlp.driver.checkpoint.Checkpointer;
import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.RunOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sparkmlp resume OUTPUT_DIR [KEY=VALUE ...]}: continues the run in OUTPUT_DIR from its
 * newest good checkpoint, with the configuration the checkpoint recorded (what the user set,
 * without output and Spark keys), so the original properties file is not needed. Only sparkmlp keys are replayed
 * ({@link Checkpointer#replayableSettings}): a checkpoint whose settings carry anything else is refused. Equivalent to
 * {@code sparkmlp train <the recorded settings> output.dir=OUTPUT_DIR train.resume=true KEY=VALUE...}.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an interrupted run from the newest good checkpoint in OUTPUT_DIR, with the configuration",
                "saved in the checkpoint. The result is byte-identical to an uninterrupted run.",
                "Overrides: spark.* keys; train.epochs or train.maxSteps to train longer (not with a cosine schedule);",
                "train.checkpointEvery, train.logEvery. Other changes are refused."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUTPUT_DIR", description = "The output directory of the run (output.dir): a local path or a Hadoop URI.")
    String dir;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Overrides, e.g. spark.master=spark://host:7077 train.maxSteps=20000.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        FsPath location = Locations.of(dir, overrides);
        if (!location.isDirectory()) {
            throw new RunOutput.OutputDirectoryException(location + ": no such directory; expected the output directory"
                    + " of a run with train.checkpointEvery > 0");
        }
        CheckpointStore.Loaded newest = CheckpointStore.of(location).loadNewest(false);
        Map<String, String> settings = Checkpointer.replayableSettings(newest.checkpoint(), newest.path());
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add(k + "=" + v));
        args.add("output.dir=" + dir);
        args.add("train.resume=true");
        args.addAll(overrides);
        TrainCommand.train(TrainConfig.load(null, args));
        return 0;
    }
}
