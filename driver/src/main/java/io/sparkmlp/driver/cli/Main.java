package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sparkmlp COMMAND ...}: the entry point of bin/sparkmlp and of the spark-submit jar.
 * Every failure a user can cause ends in one line on stderr and a non-zero exit (see {@link Failures}).
 */
@Command(name = "sparkmlp", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Synchronous data-parallel mini-batch training of multilayer perceptrons on Apache Spark.",
        subcommands = {TrainCommand.class, SweepCommand.class, ResumeCommand.class, EvaluateCommand.class, PredictCommand.class, InspectCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = run(args);
        System.exit(code);
    }

    /** Runs a command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> Failures.report(e, System.err));
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }


    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sparkmlp " + Version.current()};
        }
    }
}
