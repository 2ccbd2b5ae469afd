package io.sparkmlp.driver.cluster;

import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;

/**
 * A tiny Spark application for the cluster tests, submitted from a jar {@link AppJars} builds at test
 * time: {@code PartitionProbeApp PARTITIONS [TASK_MILLIS]}.
 * <p>
 * It waits until PARTITIONS executors have registered (so that a job cannot run on fewer than the
 * cluster has), prints {@code PROBE-READY}, then runs one job of PARTITIONS tasks, each sleeping
 * TASK_MILLIS ms, and prints one line per partition:
 * {@code PROBE partition=P executor=ID pid=PID attempt=A dir=EXECUTOR_WORKING_DIRECTORY}.
 * An executor's working directory lies in the work directory of the Worker that launched it.
 */
public final class PartitionProbeApp {

    public static final String READY = "PROBE-READY";
    public static final String LINE = "PROBE ";

    private PartitionProbeApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: PartitionProbeApp PARTITIONS [TASK_MILLIS], found " + List.of(args));
            System.exit(2);
        }
        int partitions = Integer.parseInt(args[0]);
        long taskMillis = args.length > 1 ? Long.parseLong(args[1]) : 0;
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("partition-probe"))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            // The driver's own block manager is among the entries.
            while (sc.sc().getExecutorMemoryStatus().size() - 1 < partitions) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + (sc.sc().getExecutorMemoryStatus().size() - 1)
                            + " executor(s) registered after 60 s, expected " + partitions);
                }
                Thread.sleep(100);
            }
            System.out.println(READY + " executors=" + (sc.sc().getExecutorMemoryStatus().size() - 1));
            List<String> lines = sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                    .mapPartitionsWithIndex(new Probe(taskMillis), false)
                    .collect();
            lines.forEach(System.out::println);
        }
    }

    /** One partition's report; runs on an executor. */
    static final class Probe implements Function2<Integer, Iterator<Integer>, Iterator<String>> {
        private final long taskMillis;

        Probe(long taskMillis) {
            this.taskMillis = taskMillis;
        }

        @Override
        public Iterator<String> call(Integer partition, Iterator<Integer> rows) throws InterruptedException {
            Thread.sleep(taskMillis);
            String line = LINE + "partition=" + partition
                    + " executor=" + SparkEnv.get().executorId()
                    + " pid=" + ProcessHandle.current().pid()
                    + " attempt=" + TaskContext.get().attemptNumber()
                    + " vector=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    + " dir=" + System.getProperty("user.dir");
            return List.of(line).iterator();
        }
    }
}
