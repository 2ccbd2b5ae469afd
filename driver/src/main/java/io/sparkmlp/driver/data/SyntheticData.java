package io.sparkmlp.driver.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;

/**
 * A synthetic data set, generated inside the tasks, never on the driver: the generator of
 * {@code synthetic.kind} ({@link ClassificationRows}, {@link RegressionRows}, {@link PlaneRows}), after
 * scikit-learn's {@code make_<kind>}.
 *
 * <p>The generator's parameters (centres, linear maps, coefficients) are drawn once from the seed; row
 * {@code i} is then drawn from its own {@link SplittableRandom} seeded by {@code (seed, i)}. So the data set
 * is the same whatever the partitioning, a task generates exactly the rows of its range and split, and its
 * memory is that of its block: any size.
 */
final class SyntheticData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SyntheticOptions options;
    private final long rowSeed;
    private final SyntheticRows rows;

    SyntheticData(SyntheticOptions o) {
        if (o.rows() < 1 || o.featureCount() < 1 || o.informative() < 1 || o.classes() < 2
                || !(o.flipY() >= 0 && o.flipY() <= 1) || !(o.noise() >= 0)) {
            throw new IllegalArgumentException("synthetic data needs rows >= 1, features >= 1, informative >= 1,"
                    + " classes >= 2, flipY in [0, 1] and noise >= 0, found " + o);
        }
        this.options = o;
        this.rowSeed = RowSplit.mix64(o.seed() ^ 0x2545F4914F6CDD1DL);
        SplittableRandom setup = new SplittableRandom(RowSplit.mix64(o.seed()));
        this.rows = switch (o.kind()) {
            case CLASSIFICATION -> new ClassificationRows(o, setup);
            case REGRESSION -> new RegressionRows(o, setup);
            case MOONS, CIRCLES, XOR, BLOBS -> new PlaneRows(o, setup);
        };
    }

    SyntheticOptions options() {
        return options;
    }

    /** The generator, for tests of its parameters. */
    SyntheticRows generator() {
        return rows;
    }

    /** Features of a row. */
    int features() {
        return options.featureCount();
    }

    /** The labels "0", "1", ...; null for regression (the labels are targets). */
    LabelIndex labels() {
        int classes = options.classCount();
        if (classes == 0) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        return LabelIndex.ofOrdered(names);
    }

    /**
     * Row {@code row} of the data set.
     *
     * @param x its {@link #features()} values at {@code off}. Modified.
     * @return its label: class index, or target
     */
    float row(long row, float[] x, int off) {
        return rows.row(new SplittableRandom(RowSplit.mix64(rowSeed + RowSplit.mix64(row))), x, off);
    }

    /**
     * The rows of slot {@code slot} of {@code split}, in {@code parts} blocks: block {@code p} holds the
     * slot's rows among global rows {@code [rangeStart(p), rangeStart(p+1))}, generated in its task.
     */
    JavaRDD<Block> blocks(JavaSparkContext sc, int parts, RowSplit split, int slot) {
        long total = options.rows();
        int features = features();
        SyntheticData self = this;
        List<Integer> indices = IntStream.range(0, parts).boxed().toList();
        return sc.parallelize(indices, parts).mapPartitionsWithIndex((p, it) -> {
            long start = RowSplit.rangeStart(p, parts, total);
            long end = RowSplit.rangeStart(p + 1, parts, total);
            long n = 0;
            for (long g = start; g < end; g++) {
                if (split.slotOf(g) == slot) {
                    n++;
                }
            }
            if (n * features > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("partition " + p + " would hold " + n + " rows × " + features
                        + " features, more than one Java array can; use more partitions");
            }
            float[] x = new float[(int) (n * features)];
            float[] y = new float[(int) n];
            int r = 0;
            for (long g = start; g < end; g++) {
                if (split.slotOf(g) == slot) {
                    y[r] = self.row(g, x, r * features);
                    r++;
                }
            }
            return Collections.singletonList(new Block(p, r, features, x, y)).iterator();
        }, true);
    }
}
