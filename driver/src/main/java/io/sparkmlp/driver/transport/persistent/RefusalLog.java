package io.sparkmlp.driver.transport.persistent;

/**
 * Rate limit of the step server's refusal lines: at most one line per interval, which counts the
 * refusals held back since the last line. A flood of connections (a scan, a slow-loris attack)
 * thus costs a line per interval rather than a line per connection.
 */
final class RefusalLog {

    private final long intervalNanos;
    /** When a line was last let through; guarded by this. */
    private long last;
    private boolean any;
    /** Refusals held back since that line; guarded by this. */
    private int held;

    RefusalLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * The line to log for a refusal {@code why} at time {@code nowNanos} ({@link System#nanoTime}),
     * or null when it is held back (counted into the next line).
     */
    synchronized String admit(String why, long nowNanos) {
        if (any && nowNanos - last < intervalNanos) {
            held++;
            return null;
        }
        String line = held == 0 ? why : why + " (and " + held + " more since the last such line)";
        any = true;
        last = nowNanos;
        held = 0;
        return line;
    }
}
