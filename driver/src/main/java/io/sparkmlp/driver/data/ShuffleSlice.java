package io.sparkmlp.driver.data;

import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.MapOutputTrackerMaster;
import org.apache.spark.Partition;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.shuffle.ShuffleReader;
import scala.Product2;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Reduce partitions {@code [from, from + n)} of a shuffle, as an RDD of {@code n} partitions whose one
 * dependency is that shuffle: what Spark's {@code ShuffledRDD} is for all of a shuffle's partitions. Several
 * slices of one shuffle share its map stage (run once), and each slice's lineage has its own width up to
 * the shuffle, as a barrier stage of {@code n} tasks requires (a {@code PartitionPruningRDD} over the whole
 * shuffle would keep the wider RDD within the stage).
 *
 * <p>Reads through Spark's shuffle manager and prefers the map outputs' locations as {@code ShuffledRDD}
 * does ({@code SparkEnv}'s {@code shuffleManager} and {@code mapOutputTracker}: Spark-internal API, public
 * in the bytecode only; a Spark upgrade must check this class).
 */
final class ShuffleSlice<K, V> extends RDD<Tuple2<K, V>> {
    private static final long serialVersionUID = 1L;

    private final ShuffleDependency<K, V, V> dependency;
    private final int from;
    private final int n;

    @SuppressWarnings({"unchecked", "rawtypes"})
    ShuffleSlice(ShuffleDependency<K, V, V> dependency, int from, int n) {
        super(dependency.rdd().context(),
                CollectionConverters.asScala(List.<Dependency<?>>of(dependency)).toList(),
                (scala.reflect.ClassTag) ClassTag$.MODULE$.apply(Tuple2.class));
        int width = dependency.partitioner().numPartitions();
        if (from < 0 || n < 1 || from + n > width) {
            throw new IllegalArgumentException("partitions [" + from + ", " + (from + n) + ") of a shuffle of " + width);
        }
        this.dependency = dependency;
        this.from = from;
        this.n = n;
    }

    /** The one shuffle behind a {@code partitionBy}'s result ({@code ShuffledRDD}). */
    @SuppressWarnings("unchecked")
    static <K, V> ShuffleDependency<K, V, V> dependencyOf(RDD<?> shuffled) {
        if (shuffled.dependencies().size() != 1 || !(shuffled.dependencies().head() instanceof ShuffleDependency<?, ?, ?> d)) {
            throw new IllegalArgumentException("not a shuffled RDD: " + shuffled);
        }
        return (ShuffleDependency<K, V, V>) d;
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] parts = new Partition[n];
        for (int i = 0; i < n; i++) {
            parts[i] = new Slice(i);
        }
        return parts;
    }

    /** Where most of the partition's map output is, as {@code ShuffledRDD} prefers (driver side). */
    @Override
    public scala.collection.immutable.Seq<String> getPreferredLocations(Partition split) {
        MapOutputTrackerMaster tracker = (MapOutputTrackerMaster) SparkEnv.get().mapOutputTracker();
        return tracker.getPreferredLocationsForShuffle(dependency, from + split.index());
    }

    @Override
    @SuppressWarnings("unchecked")
    public scala.collection.Iterator<Tuple2<K, V>> compute(Partition split, TaskContext context) {
        int reduce = from + split.index();
        ShuffleReader<K, V> reader = SparkEnv.get().shuffleManager().getReader(dependency.shuffleHandle(), reduce,
                reduce + 1, context, context.taskMetrics().createTempShuffleReadMetrics());
        scala.collection.Iterator<Product2<K, V>> it = reader.read();
        return (scala.collection.Iterator<Tuple2<K, V>>) (scala.collection.Iterator<?>) it;
    }

    private record Slice(int index) implements Partition {
        @Override
        public int hashCode() {
            return index;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slice s && s.index == index;
        }
    }
}
