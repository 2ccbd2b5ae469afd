package io.sparkmlp.driver.cli;

import io.sparkmlp.driver.config.ConfigException;
import io.sparkmlp.driver.data.DataException;
import io.sparkmlp.driver.train.DivergenceException;
import io.sparkmlp.driver.train.RunOutput;
import io.sparkmlp.kernel.io.ModelFormatException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns what went wrong into one line on stderr and an exit code: 2 for a bad command line or
 * configuration, 3 for bad or missing data or model files, 4 for divergence, 1 for anything else (which also
 * gets its stack trace, since it is a bug or an environment problem rather than bad input).
 */
final class Failures {

    static final int CONFIG = 2;
    static final int INPUT = 3;
    static final int DIVERGED = 4;

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
        err.println("sparkmlp: error: " + e);
        e.printStackTrace(err);
        return 1;
    }
}
