package io.sparkmlp.driver.cluster;

import java.util.List;

/**
 * A live executor JVM ({@code CoarseGrainedExecutorBackend}) of the test cluster.
 *
 * @param workerIndex the index of the Worker that launched it (0-based, in start order)
 * @param handle      the process
 * @param appId       the application it serves ({@code --app-id} of its command line)
 * @param executorId  Spark's executor id ({@code --executor-id})
 */
public record ExecutorProcess(int workerIndex, ProcessHandle handle, String appId, String executorId) {

    static final String MAIN_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    public long pid() {
        return handle.pid();
    }

    /** The executor described by a process's arguments, or null when the process is not an executor. */
    static ExecutorProcess of(int workerIndex, ProcessHandle process) {
        List<String> args = List.of(process.info().arguments().orElse(new String[0]));
        if (!args.contains(MAIN_CLASS)) {
            return null;
        }
        return new ExecutorProcess(workerIndex, process, argument(args, "--app-id"), argument(args, "--executor-id"));
    }

    private static String argument(List<String> args, String option) {
        int i = args.indexOf(option);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "?";
    }
}
