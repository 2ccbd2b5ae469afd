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
 * A classification set in the spirit of scikit-learn's {@code make_classification}, generated inside
 * the tasks, never on the driver.
 *
 * <p>Each class has {@value #CLUSTERS_PER_CLASS} Gaussian clusters on the first {@code informative}
 * features (so classes are not linearly separable): centre coordinates {@code c ~ N(0, s²)} drawn from
 * the seed with {@code s = SEPARATION / √(2·informative)}, so two centres are {@value #SEPARATION} noise
 * standard deviations apart on average whatever the dimension; a row of cluster {@code c} is
 * {@code c + N(0, I)}. The other features are {@code N(0, 1)} noise. With probability {@code noise} the
 * label is then replaced by a uniformly drawn class (possibly the same). Class and cluster are uniform.
 *
 * <p>Row {@code i} depends only on {@code (seed, i)} (its own {@link SplittableRandom} seeded from both),
 * so the data set is the same whatever the partitioning, and a split only generates the rows it keeps.
 */
final class SyntheticData implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int CLUSTERS_PER_CLASS = 2;
    static final double SEPARATION = 4.0;

    private final SyntheticOptions options;
    private final long rowSeed;
    /** (classes · CLUSTERS_PER_CLASS) × informative, row-major. */
    private final float[] centres;

    SyntheticData(SyntheticOptions o) {
        if (o.rows() < 1 || o.features() < 1 || o.classes() < 2 || o.informative() < 1
                || o.informative() > o.features() || !(o.noise() >= 0 && o.noise() <= 1)) {
            throw new IllegalArgumentException("synthetic data needs rows ≥ 1, features ≥ 1, classes ≥ 2,"
                    + " 1 ≤ informative ≤ features and noise in [0, 1], found " + o);
        }
        this.options = o;
        this.rowSeed = RowSplit.mix64(o.seed() ^ 0x2545F4914F6CDD1DL);
        SplittableRandom r = new SplittableRandom(RowSplit.mix64(o.seed()));
        double s = SEPARATION / Math.sqrt(2.0 * o.informative());
        centres = new float[o.classes() * CLUSTERS_PER_CLASS * o.informative()];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (s * r.nextGaussian());
        }
    }

    SyntheticOptions options() {
        return options;
    }

    /** The labels: "0", "1", ... */
    LabelIndex labels() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < options.classes(); k++) {
            names.add(Integer.toString(k));
        }
        return LabelIndex.ofOrdered(names);
    }

    /** Centre of cluster {@code cluster} of class {@code k}, coordinate {@code j} (for tests). */
    float centre(int k, int cluster, int j) {
        return centres[(k * CLUSTERS_PER_CLASS + cluster) * options.informative() + j];
    }

    /**
     * Row {@code row} of the data set.
     *
     * @param x its {@code features} values at {@code off}. Modified.
     * @return its class
     */
    int row(long row, float[] x, int off) {
        SplittableRandom r = new SplittableRandom(RowSplit.mix64(rowSeed + RowSplit.mix64(row)));
        int classes = options.classes();
        int k = r.nextInt(classes);
        int cluster = r.nextInt(CLUSTERS_PER_CLASS);
        int informative = options.informative();
        int c = (k * CLUSTERS_PER_CLASS + cluster) * informative;
        for (int j = 0; j < informative; j++) {
            x[off + j] = (float) (centres[c + j] + r.nextGaussian());
        }
        for (int j = informative; j < options.features(); j++) {
            x[off + j] = (float) r.nextGaussian();
        }
        if (options.noise() > 0 && r.nextDouble() < options.noise()) {
            k = r.nextInt(classes);
        }
        return k;
    }

    /**
     * The rows of slot {@code slot} of {@code split}, in {@code parts} blocks: block {@code p} holds the
     * slot's rows among global rows {@code [rangeStart(p), rangeStart(p+1))}, generated in its task.
     */
    JavaRDD<Block> blocks(JavaSparkContext sc, int parts, RowSplit split, int slot) {
        long total = options.rows();
        int features = options.features();
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
