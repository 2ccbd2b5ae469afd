package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.ClusterException;
import io.sparkmlp.driver.config.ConfigException;
import io.sparkmlp.driver.data.DataException;
import io.sparkmlp.driver.checkpoint.CheckpointException;
import io.sparkmlp.driver.train.DivergenceException;
import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.kernel.io.ModelFormatException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns what went wrong into one line on stderr and an exit code: 2 for a bad command line or
 * configuration (or a checkpoint of another run), 3 for bad data, model or checkpoint files, 4 for
 * divergence, 5 when the cluster could not run the job (unreachable master, lost executors, data
 * that does not fit in memory), 1 for anything else (which also gets its stack trace, since it is
 * a bug or an environment problem rather than bad input).
 */
final class Failures {

    static final int CONFIG = 2;
    static final int INPUT = 3;
    static final int DIVERGED = 4;
    static final int CLUSTER = 5;

    private Failures() {
    }

    static int report(Throwable e, PrintStream err) {
        DataException d = DataException.find(e);
        if (d != null) {
            err.println("sparkmlp: error: " + d.getMessage());
            return INPUT;
        }
        if (e instanceof ConfigException || e instanceof RunOutput.OutputDirectoryException || e instanceof IllegalArgumentException) {
            err.println("sparkmlp: error: " + e.getMessage());
            return CONFIG;
        }
        if (e instanceof ModelFormatException) {
            err.println("sparkmlp: error: " + e.getMessage());
            return INPUT;
        }
        if (e instanceof NoSuchFileException f) {
            err.println("sparkmlp: error: " + f.getFile() + ": no such file");
            return INPUT;
        }
        if (e instanceof AccessDeniedException f) {
            err.println("sparkmlp: error: " + f.getFile() + ": permission denied");
            return INPUT;
        }
        if (e instanceof DivergenceException) {
            err.println("sparkmlp: error: " + e.getMessage());
            return DIVERGED;
        }
        if (e instanceof CheckpointException c) {
            err.println("sparkmlp: error: " + c.getMessage());
            return c.damaged() ? INPUT : CONFIG;
        }
        ClusterException cluster = ClusterException.recognize(e);
        if (cluster != null) {
            err.println("sparkmlp: error: " + cluster.getMessage());
            return CLUSTER;
        }
        err.println("sparkmlp: error: " + e);
        e.printStackTrace(err);
        return 1;
    }
}
