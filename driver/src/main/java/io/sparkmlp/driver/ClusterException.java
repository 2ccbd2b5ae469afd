package io.sparkmlp.driver;

/**
 * The cluster could not run the job as configured: the master is unreachable, executors were
 * lost (an executor that runs out of memory exits with code 52), the data does not fit in the
 * executors' storage memory, or Spark stopped the application. One line, with what to change.
 */
public final class ClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        this(message, null);
    }

    public ClusterException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * A failure of the cluster rather than of the job's own code or data, recognised in
     * {@code e} or its causes (a Spark job aborted because executors were lost or ran out of
     * memory; the application stopped under the job), as a one-line {@code ClusterException};
     * null when it is none of these.
     */
    public static ClusterException recognize(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClusterException c) return c;
            String m = t.getMessage();
            if (m == null) continue;
            String first = firstLine(m);
            if (m.contains("OutOfMemoryError") || m.contains("exited with code 52")) {
                return new ClusterException("the Spark job failed because an executor ran out of memory: " + first
                        + "; expected executors with room for a data block: raise spark.executor.memory, or set"
                        + " data.partitions higher so that each block is smaller", e);
            }
            if (m.contains("ExecutorLostFailure")) {
                return new ClusterException("the Spark job failed because executors were lost: " + first
                        + "; see the executors' logs (an executor that runs out of memory exits with code 52)", e);
            }
            if (m.contains("SparkContext was shut down") || m.contains("Master removed our application")
                    || m.contains("All masters are unresponsive")) {
                return new ClusterException("Spark stopped the application while it ran: " + first
                        + "; see the driver's log (was the master lost, or the application killed?)", e);
            }
        }
        return null;
    }

    static String firstLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
