package io.sparkmlp.driver.data;

import io.sparkmlp.driver.ClusterException;
import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.PreparedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.RDDBlockId;
import scala.Tuple2;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * After the data is loaded: is every block actually cached? A block larger than an executor's
 * storage memory is not cached ({@code MEMORY_ONLY}); Spark then recomputes it, reading or
 * generating the whole partition again, at every step that touches it, which turns an O(batch)
 * step into an O(data) one. So a block that did not fit is an error that says how big the blocks
 * are, how much storage memory the executors have and what to change.
 *
 * <p>The check asks the driver's block manager master where each block lives (Spark's own
 * bookkeeping, updated before a task that stores a block ends, so it is exact right after the
 * loading jobs). That is a Spark-internal interface; if it is unavailable the check is skipped.
 */
public final class StorageCheck {

    private StorageCheck() {
    }

    /** Fails when a block of {@code data} is not cached; see the class comment. */
    public static void requireCached(JavaSparkContext sc, PreparedData data) {
        List<String> problems = new ArrayList<>();
        check(data.train(), "training", data.trainRows(), data.numFeatures(), problems);
        check(data.validation(), "validation", data.validationRows(), data.numFeatures(), problems);
        check(data.test(), "test", data.testRows(), data.numFeatures(), problems);
        if (problems.isEmpty()) return;
        if (sc.isLocal()) {
            throw new ClusterException("the data does not fit in the storage memory of this local-mode JVM: "
                    + String.join(", ", problems) + "; storage memory " + storageMemory(sc) + " (of a heap of "
                    + mb(Runtime.getRuntime().maxMemory()) + "); expected every block cached: give the JVM a larger"
                    + " heap (bin/sparkmlp: SPARKMLP_JAVA_OPTS=-Xmx...; spark-submit: --driver-memory), or use a cluster");
        }
        String memory = sc.getConf().get("spark.executor.memory", "1g (default)");
        throw new ClusterException("the data does not fit in the executors' storage memory: " + String.join(", ", problems)
                + "; storage memory " + storageMemory(sc) + " (spark.executor.memory = " + memory + ");"
                + " expected every block cached: raise spark.executor.memory, or set data.partitions higher (now "
                + data.train().getNumPartitions() + ") so that each block is smaller, or add executors");
    }

    private static void check(JavaRDD<Block> rdd, String split, long rows, int features, List<String> problems) {
        if (rdd == null) return;
        int parts = rdd.getNumPartitions();
        BlockId[] ids = new BlockId[parts];
        for (int p = 0; p < parts; p++) ids[p] = new RDDBlockId(rdd.id(), p);
        int missing = 0;
        try {
            IndexedSeq<Seq<BlockManagerId>> where = SparkEnv.get().blockManager().master().getLocations(ids);
            for (int p = 0; p < parts; p++) {
                if (where.apply(p).isEmpty()) missing++;
            }
        } catch (RuntimeException | LinkageError e) {
            return; // Spark's internals changed: no check rather than a wrong one
        }
        if (missing > 0) {
            double blockBytes = (double) rows / parts * (features + 1) * 4;
            problems.add(String.format(Locale.ROOT, "%d of %d %s blocks (about %s each) not cached",
                    missing, parts, split, mb(blockBytes)));
        }
    }

    /** The storage memory of each executor (not the driver's, unless it is the only one: local mode). */
    private static String storageMemory(JavaSparkContext sc) {
        try {
            Map<String, Tuple2<Object, Object>> status = CollectionConverters.asJava(sc.sc().getExecutorMemoryStatus());
            String driver = SparkEnv.get().blockManager().blockManagerId().hostPort();
            List<String> sizes = new ArrayList<>();
            status.forEach((hostPort, mem) -> {
                if (!hostPort.equals(driver) || status.size() == 1) sizes.add(mb(((Number) mem._1()).doubleValue()));
            });
            if (sizes.isEmpty()) return "unknown (no executor registered)";
            return (sc.isLocal() ? "" : "per executor ") + String.join(", ", sizes);
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    private static String mb(double bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024 * 1024));
    }
}
