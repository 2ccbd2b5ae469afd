package io.sparkmlp.ml;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * The trainer's progress lines (written to a {@link PrintStream} for the CLI's console) as SLF4J
 * INFO messages: a library called from Spark code does not print to standard output. A line ends at
 * '\n' or '\r' (the console's progress bar); empty lines are dropped.
 */
final class LogStream extends OutputStream {

    private final Logger log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(160);

    private LogStream(Logger log) {
        this.log = log;
    }

    /** A print stream whose lines go to {@code log} at INFO. */
    static PrintStream to(Logger log) {
        return new PrintStream(new LogStream(log), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n' || b == '\r') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void close() {
        flushLine();
    }

    private void flushLine() {
        if (line.size() > 0) {
            log.info(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
