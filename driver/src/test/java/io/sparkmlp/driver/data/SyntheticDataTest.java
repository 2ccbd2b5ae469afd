package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.rows;
import static io.sparkmlp.driver.data.SparkTests.synthetic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sparkmlp.driver.config.DataOptions;

class SyntheticDataTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTests.context("synthetic");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @Test
    void sameSeedSameBlocksAndRowsIndependentOfPartitioning() {
        DataOptions o = synthetic(5000, 8, 3, 4, 0.1, 123, 3, 0, 0, false);
        List<Block> a = DataLoader.prepare(sc, o).train().collect();
        List<Block> b = DataLoader.prepare(sc, o).train().collect();
        assertEquals(3, a.size());
        for (int p = 0; p < 3; p++) {
            assertEquals(p, a.get(p).partition());
            assertArrayEquals(a.get(p).x(), b.get(p).x());
            assertArrayEquals(a.get(p).y(), b.get(p).y());
        }
        // row i depends on (seed, i) only: 7 partitions hold the same rows in the same global order
        List<float[]> three = rows(DataLoader.prepare(sc, o).train());
        List<float[]> seven = rows(DataLoader.prepare(sc, synthetic(5000, 8, 3, 4, 0.1, 123, 7, 0, 0, false)).train());
        assertEquals(5000, seven.size());
        for (int i = 0; i < 5000; i++) {
            assertArrayEquals(three.get(i), seven.get(i));
        }
        // partitions are not copies of each other, and another seed is another data set
        assertFalse(Arrays.equals(Arrays.copyOf(a.get(0).x(), 80), Arrays.copyOf(a.get(1).x(), 80)));
        List<Block> other = DataLoader.prepare(sc, synthetic(5000, 8, 3, 4, 0.1, 124, 3, 0, 0, false)).train().collect();
        assertFalse(Arrays.equals(a.get(0).x(), other.get(0).x()));
    }

    @Test
    void unevenRowsSplitAsEvenlyAsPossible() {
        List<Block> blocks = DataLoader.prepare(sc, synthetic(10, 3, 2, 2, 0, 1, 4, 0, 0, false)).train().collect();
        assertArrayEquals(new int[] {2, 3, 2, 3}, blocks.stream().mapToInt(Block::rows).toArray());
        List<Block> more = DataLoader.prepare(sc, synthetic(3, 3, 2, 2, 0, 1, 5, 0, 0, false)).train().collect();
        assertArrayEquals(new int[] {0, 1, 0, 1, 1}, more.stream().mapToInt(Block::rows).toArray());
    }

    @Test
    void balancedClassesAndSignalOnlyInInformativeFeatures() {
        int classes = 4;
        int informative = 3;
        int features = 6;
        int n = 20_000;
        PreparedData d = DataLoader.prepare(sc, synthetic(n, features, classes, informative, 0, 5, 2, 0, 0, false));
        assertEquals(List.of("0", "1", "2", "3"), d.labels().labels());
        for (long c : d.trainClassCounts()) {
            assertTrue(Math.abs(c - n / classes) < 300, "balanced: " + Arrays.toString(d.trainClassCounts()));
        }
        // per-class mean of every feature; informative features differ between classes, noise ones do not
        double[][] sum = new double[classes][features];
        long[] count = new long[classes];
        for (float[] row : rows(d.train())) {
            int k = (int) row[features];
            count[k]++;
            for (int j = 0; j < features; j++) {
                sum[k][j] += row[j];
            }
        }
        double informativeSpread = 0;
        double noiseSpread = 0;
        for (int j = 0; j < features; j++) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int k = 0; k < classes; k++) {
                double m = sum[k][j] / count[k];
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
            }
            if (j < informative) {
                informativeSpread = Math.max(informativeSpread, hi - lo);
            } else {
                noiseSpread = Math.max(noiseSpread, hi - lo);
            }
        }
        assertTrue(informativeSpread > 1.0, "informative class means spread " + informativeSpread);
        assertTrue(noiseSpread < 0.1, "noise class means spread " + noiseSpread);
    }

    @Test
    void nearestCentreAccuracyShowsLearnableButNotTrivialAndLabelNoise() {
        DataOptions.SyntheticOptions clean = DataOptions.defaults().synthetic().withRows(8000).withFeatures(10)
                .withClasses(5).withInformative(4).withNoise(0).withSeed(9);
        double acc = nearestCentreAccuracy(clean);
        assertTrue(acc > 0.6 && acc < 0.995, "nearest-centre accuracy " + acc);
        // all labels replaced by a random class: no better than chance
        double noisy = nearestCentreAccuracy(clean.withNoise(1.0));
        assertTrue(Math.abs(noisy - 0.2) < 0.03, "accuracy with noise 1: " + noisy);
    }

    /** Classifies rows by the nearest true cluster centre (the Bayes-like oracle of the generator). */
    private static double nearestCentreAccuracy(DataOptions.SyntheticOptions s) {
        SyntheticData gen = new SyntheticData(s);
        DataOptions o = synthetic(s.rows(), s.features(), s.classes(), s.informative(), s.noise(), s.seed(), 2, 0, 0, false);
        List<float[]> rows = rows(DataLoader.prepare(sc, o).train());
        int correct = 0;
        for (float[] row : rows) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < s.classes(); k++) {
                for (int c = 0; c < SyntheticData.CLUSTERS_PER_CLASS; c++) {
                    double dist = 0;
                    for (int j = 0; j < s.informative(); j++) {
                        double e = row[j] - gen.centre(k, c, j);
                        dist += e * e;
                    }
                    if (dist < bestD) {
                        bestD = dist;
                        best = k;
                    }
                }
            }
            if (best == (int) row[s.features()]) {
                correct++;
            }
        }
        return (double) correct / rows.size();
    }

    @Test
    void cachedSizeIsCloseToTheRawFloats() {
        long rows = 200_000;
        int features = 50;
        PreparedData d = DataLoader.prepare(sc, synthetic(rows, features, 3, 10, 0, 3, 2, 0, 0, false));
        long mem = 0;
        for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == d.train().id()) {
                mem = info.memSize();
                assertEquals(2, info.numCachedPartitions());
            }
        }
        long raw = rows * features * 4;
        assertTrue(mem > raw && mem <= 1.25 * raw, "cached " + mem + " bytes for " + raw + " raw bytes");
        System.out.printf("cached %d bytes for %d raw bytes (%.3f)%n", mem, raw, (double) mem / raw);
        d.unpersist();
    }
}
