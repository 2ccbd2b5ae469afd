package io.sparkmlp.driver.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The one shuffle of the data layer, for text files ({@link ParsingPass}) and tables ({@link FrameInput})
 * alike: chunks keyed {@code slot·parts + target} ({@link ChunkWriter}) go to reduce partition
 * {@code slot·parts + target}, and each slot's blocks are the {@code parts} reduce partitions of its range
 * ({@link ShuffleSlice}), each the chunks concatenated in global row order ({@link Chunk#assemble}).
 *
 * <p>The map side runs once for all slots. Each slot's blocks have {@code parts} partitions from the shuffle
 * on, so a barrier stage of {@code parts} tasks takes them as they are (no copy behind another shuffle).
 */
final class ChunkShuffle {
    private final ShuffleDependency<Integer, Chunk, Chunk> dependency;
    private final int parts;
    private final int features;

    /** Lazy: the shuffle runs with the first action on one of its slots. */
    ChunkShuffle(JavaRDD<Tuple2<Integer, Chunk>> chunks, int parts, int features) {
        JavaPairRDD<Integer, Chunk> shuffled = JavaPairRDD.fromJavaRDD(chunks)
                .partitionBy(new SlotPartitioner(RowSplit.SLOTS * parts));
        this.dependency = ShuffleSlice.dependencyOf(shuffled.rdd());
        this.parts = parts;
        this.features = features;
    }

    /** The blocks of {@code slot} ({@link RowSplit}): partition {@code p} holds its rows of {@code p}'s range, in order. */
    JavaRDD<Block> slot(int slot) {
        int f = features;
        return new ShuffleSlice<>(dependency, slot * parts, parts).toJavaRDD().mapPartitionsWithIndex((index, it) -> {
            List<Chunk> list = new ArrayList<>();
            while (it.hasNext()) {
                list.add(it.next()._2());
            }
            return Collections.singletonList(Chunk.assemble(index, f, list)).iterator();
        }, true);
    }
}
