package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.SlotPartitioner;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The persistent stage's input: each partition's training block, zipped with its validation block
 * when the stage evaluates, in a lineage a barrier stage accepts.
 *
 * <p>Spark refuses a barrier stage when an RDD within it (reached without crossing a shuffle) has
 * another partition count than the stage has tasks, cached or not. The data layer's blocks (read
 * from a file or a table, each split behind its own slice of the shuffle; or generated) have the
 * task count throughout and are used as they are. Only a lineage that mixes partition counts (say
 * a user's coalesced RDD) is moved once behind a shuffle (partition p stays partition p, same
 * blocks, same bits) and cached there for the transport's lifetime.
 */
final class StageInput {

    private static final Logger LOG = LoggerFactory.getLogger(StageInput.class);

    private final JavaRDD<Block> train;
    /** Null when the stage does not evaluate. */
    private final JavaRDD<Block> validation;
    private final int partitions;
    /** The cached copy behind a shuffle, when the blocks' lineage needs it and a stage has run; else null. */
    private JavaRDD<PersistentTask.Input> copy;

    StageInput(JavaRDD<Block> train, JavaRDD<Block> validation) {
        this.train = train;
        this.validation = validation;
        this.partitions = train.getNumPartitions();
    }

    /** The RDD the barrier stage maps over; the shuffled copy is made at the first call that needs it. */
    JavaRDD<PersistentTask.Input> rdd() {
        if (copy != null) return copy;
        JavaRDD<PersistentTask.Input> inputs = validation == null
                ? train.mapPartitions(blocks -> List.of(new PersistentTask.Input(next(blocks), null)).iterator(), true)
                : train.zipPartitions(validation, (t, v) -> List.of(new PersistentTask.Input(next(t), next(v))).iterator());
        RDD<?> wider = widerWithinStage(inputs.rdd(), partitions);
        if (wider == null) return inputs;
        LOG.debug("persistent stage input: {} (id {}) of {} partitions lies within the barrier stage of {} tasks;"
                + " caching a copy of the blocks behind one shuffle", wider.getClass().getSimpleName(), wider.id(),
                wider.getNumPartitions(), partitions);
        int n = partitions;
        StorageLevel level = train.getStorageLevel().useMemory() || train.getStorageLevel().useDisk() ? train.getStorageLevel()
                : StorageLevel.MEMORY_AND_DISK();
        copy = inputs.mapPartitionsWithIndex((p, it) -> List.of(new Tuple2<>(p, it.next())).iterator(), true)
                .mapToPair(t -> t)
                .partitionBy(new SlotPartitioner(n))
                .values()
                .setName("persistent stage input")
                .persist(level);
        return copy;
    }

    /** Drops the cached copy, if one was made. */
    void close() {
        if (copy != null) copy.unpersist(false);
    }

    private static Block next(Iterator<Block> blocks) {
        return blocks.hasNext() ? blocks.next() : null;
    }

    /**
     * An RDD reached from {@code rdd} without crossing a shuffle whose partition count is not {@code n},
     * or null when there is none (Spark's rule for the RDDs of a barrier stage).
     */
    static RDD<?> widerWithinStage(RDD<?> rdd, int n) {
        if (rdd.getNumPartitions() != n) return rdd;
        scala.collection.Iterator<Dependency<?>> deps = rdd.dependencies().iterator();
        while (deps.hasNext()) {
            Dependency<?> d = deps.next();
            if (d instanceof ShuffleDependency<?, ?, ?>) continue;
            RDD<?> found = widerWithinStage(d.rdd(), n);
            if (found != null) return found;
        }
        return null;
    }
}
