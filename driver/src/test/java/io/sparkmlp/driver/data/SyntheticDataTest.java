package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.rows;
import static io.sparkmlp.driver.data.SparkTests.synthetic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.SyntheticKind;
import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;

/**
 * The generators: the statistics of what they draw (class proportions, separation by the informative features
 * only, redundant and repeated features, label flips, the regression noise, the shapes' geometry), and, on
 * Spark, rows that depend on the seed and row index only.
 */
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

    private static SyntheticOptions base(SyntheticKind kind) {
        return DataOptions.defaults().synthetic().withKind(kind).withSeed(9).withFlipY(0);
    }

    /** Rows 0..n−1 drawn directly (features then label), as the tasks draw them. */
    private static float[][] draw(SyntheticData gen, int n) {
        int f = gen.features();
        float[][] rows = new float[n][f + 1];
        for (int i = 0; i < n; i++) {
            rows[i][f] = gen.row(i, rows[i], 0);
        }
        return rows;
    }

    private static double[] classShares(float[][] rows, int classes) {
        double[] share = new double[classes];
        for (float[] r : rows) {
            share[(int) r[r.length - 1]] += 1.0 / rows.length;
        }
        return share;
    }

    // ---- classification ----

    @Test
    void classProportionsFollowTheWeights() {
        SyntheticOptions o = base(SyntheticKind.CLASSIFICATION).withClasses(3).withFeatures(6).withInformative(3);
        double[] balanced = classShares(draw(new SyntheticData(o), 30_000), 3);
        for (double s : balanced) {
            assertEquals(1.0 / 3, s, 0.015, Arrays.toString(balanced));
        }
        // two of three weights: the last class gets the rest; an imbalance of 10:1 and more
        double[] imbalanced = classShares(draw(new SyntheticData(o.withWeights(List.of(0.75, 0.2))), 30_000), 3);
        assertArrayEquals(new double[] {0.75, 0.2, 0.05}, imbalanced, 0.015, Arrays.toString(imbalanced));
        // all three: scaled to sum 1
        double[] scaled = classShares(draw(new SyntheticData(o.withWeights(List.of(2.0, 1.0, 1.0))), 30_000), 3);
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, scaled, 0.015, Arrays.toString(scaled));
    }

    @Test
    void informativeFeaturesSeparateTheClassesByTwiceClassSepAndNoiseFeaturesDoNot() {
        for (double sep : new double[] {1, 3}) {
            SyntheticOptions o = base(SyntheticKind.CLASSIFICATION).withClasses(2).withClustersPerClass(1)
                    .withFeatures(7).withInformative(4).withClassSep(sep);
            SyntheticData gen = new SyntheticData(o);
            ClassificationRows c = (ClassificationRows) gen.generator();
            float[][] rows = draw(gen, 20_000);
            double[][] mean = classMeans(rows, 2, 7);
            double squared = 0;
            for (int j = 0; j < 4; j++) {
                // one cluster per class: the class mean is the cluster's centroid, a vertex of {−sep, +sep}^4
                assertEquals(sep, Math.abs(c.centroid(0, j)), 1e-12);
                double expected = c.centroid(0, j) - c.centroid(1, j);
                double found = mean[0][j] - mean[1][j];
                assertEquals(expected, found, 0.1, "informative feature " + j + ", class_sep " + sep);
                squared += found * found;
            }
            // distinct vertices: the classes differ on at least one informative feature, by 2·class_sep
            assertTrue(Math.sqrt(squared) > 2 * sep - 0.1, "class means " + Math.sqrt(squared) + " apart");
            for (int j = 4; j < 7; j++) {
                assertEquals(0, mean[0][j] - mean[1][j], 0.05, "noise feature " + j);
                assertEquals(0, mean[0][j], 0.05, "noise feature " + j);
            }
        }
    }

    private static double[][] classMeans(float[][] rows, int classes, int features) {
        double[][] sum = new double[classes][features];
        long[] count = new long[classes];
        for (float[] r : rows) {
            int k = (int) r[features];
            count[k]++;
            for (int j = 0; j < features; j++) {
                sum[k][j] += r[j];
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < features; j++) {
                sum[k][j] /= count[k];
            }
        }
        return sum;
    }

    @Test
    void clusterCentresAreDistinctVerticesOrInsideTheCubeWithoutHypercube() {
        SyntheticOptions o = base(SyntheticKind.CLASSIFICATION).withClasses(4).withClustersPerClass(4)
                .withFeatures(4).withInformative(4).withClassSep(2);
        ClassificationRows cube = (ClassificationRows) new SyntheticData(o).generator();
        Set<List<Double>> vertices = new HashSet<>();
        for (int c = 0; c < 16; c++) {
            vertices.add(List.of(cube.centroid(c, 0), cube.centroid(c, 1), cube.centroid(c, 2), cube.centroid(c, 3)));
        }
        assertEquals(16, vertices.size(), "16 clusters on the 16 vertices of the 4-cube: " + vertices);
        ClassificationRows polytope = (ClassificationRows) new SyntheticData(o.withHypercube(false)).generator();
        boolean allOnVertices = true;
        for (int c = 0; c < 16; c++) {
            for (int j = 0; j < 4; j++) {
                double v = Math.abs(polytope.centroid(c, j));
                assertTrue(v < 2, "inside the cube: " + v);
                allOnVertices &= v == 2;
            }
        }
        assertFalse(allOnVertices);
    }

    @Test
    void redundantFeaturesAreLinearCombinationsAndRepeatedOnesCopies() {
        SyntheticOptions o = base(SyntheticKind.CLASSIFICATION).withClasses(3).withFeatures(12).withInformative(4)
                .withRedundant(3).withRepeated(2);
        SyntheticData gen = new SyntheticData(o);
        ClassificationRows c = (ClassificationRows) gen.generator();
        float[][] rows = draw(gen, 2000);
        double spread = 0;
        for (float[] r : rows) {
            for (int j = 0; j < 3; j++) {
                double combination = 0;
                for (int i = 0; i < 4; i++) {
                    combination += r[i] * c.redundantWeight(i, j);
                }
                assertEquals(combination, r[4 + j], 1e-5 * (1 + Math.abs(combination)), "redundant feature " + j);
                spread += Math.abs(r[4 + j]);
            }
            for (int p = 0; p < 2; p++) {
                assertEquals(r[c.repeatedFrom(p)], r[7 + p], "repeated feature " + p + " copies column "
                        + c.repeatedFrom(p));
            }
        }
        assertTrue(spread / (3 * rows.length) > 0.3, "redundant features are not zero: " + spread);
        for (int p = 0; p < 2; p++) {
            assertTrue(c.repeatedFrom(p) >= 0 && c.repeatedFrom(p) < 7);
        }
    }

    @Test
    void flipYDrawsThatShareOfLabelsAgain() {
        // far-apart clusters: the nearest centroid is the row's true class; a flipped label differs from it
        // with probability 1 − 1/classes
        SyntheticOptions o = base(SyntheticKind.CLASSIFICATION).withClasses(2).withClustersPerClass(1)
                .withFeatures(3).withInformative(3).withClassSep(10);
        for (double flip : new double[] {0, 0.3}) {
            SyntheticData gen = new SyntheticData(o.withFlipY(flip));
            ClassificationRows c = (ClassificationRows) gen.generator();
            float[][] rows = draw(gen, 20_000);
            int differ = 0;
            for (float[] r : rows) {
                double d0 = 0;
                double d1 = 0;
                for (int j = 0; j < 3; j++) {
                    d0 += (r[j] - c.centroid(0, j)) * (r[j] - c.centroid(0, j));
                    d1 += (r[j] - c.centroid(1, j)) * (r[j] - c.centroid(1, j));
                }
                if ((d0 < d1 ? 0 : 1) != (int) r[3]) {
                    differ++;
                }
            }
            assertEquals(flip / 2, (double) differ / rows.length, 0.012, "flip_y " + flip);
        }
    }

    @Test
    void shiftAndScaleApplyToEveryFeature() {
        SyntheticOptions o = base(SyntheticKind.CLASSIFICATION).withFeatures(4).withInformative(2).withShift(5)
                .withScale(2);
        float[][] rows = draw(new SyntheticData(o), 20_000);
        // noise feature: (N(0, 1) + 5)·2
        double mean = Arrays.stream(rows).mapToDouble(r -> r[3]).average().orElseThrow();
        double var = Arrays.stream(rows).mapToDouble(r -> (r[3] - mean) * (r[3] - mean)).average().orElseThrow();
        assertEquals(10, mean, 0.06);
        assertEquals(2, Math.sqrt(var), 0.05);
        // random: each feature its own shift in [−class_sep, class_sep] and scale in [1, 101]
        float[][] random = draw(new SyntheticData(o.withShift(Double.NaN).withScale(Double.NaN)), 2000);
        double s2 = Arrays.stream(random).mapToDouble(r -> r[2] * r[2]).average().orElseThrow();
        double s3 = Arrays.stream(random).mapToDouble(r -> r[3] * r[3]).average().orElseThrow();
        assertTrue(Math.abs(Math.log(s2 / s3)) > 0.01, "the noise features have different scales: " + s2 + ", " + s3);
        assertTrue(s2 >= 0.5 && s2 < 2 * 102 * 102 && s3 >= 0.5 && s3 < 2 * 102 * 102, s2 + ", " + s3);
    }

    // ---- regression ----

    @Test
    void regressionResidualOfTheTrueModelHasTheNoiseStd() {
        SyntheticOptions o = base(SyntheticKind.REGRESSION).withFeatures(6).withInformative(3).withNoise(2.5)
                .withBias(7);
        SyntheticData gen = new SyntheticData(o);
        assertNull(gen.labels(), "regression: labels are targets");
        RegressionRows m = (RegressionRows) gen.generator();
        for (int j = 0; j < 6; j++) {
            double b = m.coefficient(j);
            assertTrue(j < 3 ? b > 0 && b < 100 : b == 0, "coefficient " + j + " = " + b);
        }
        float[][] rows = draw(gen, 20_000);
        double sum = 0;
        double squares = 0;
        double labelSquares = 0;
        for (float[] r : rows) {
            double fit = 7;
            for (int j = 0; j < 6; j++) {
                fit += m.coefficient(j) * r[j];
            }
            double e = r[6] - fit;
            sum += e;
            squares += e * e;
            labelSquares += (r[6] - 7) * (r[6] - 7);
        }
        int n = rows.length;
        assertEquals(0, sum / n, 0.06, "residual mean");
        assertEquals(2.5, Math.sqrt(squares / n - (sum / n) * (sum / n)), 0.05, "residual std");
        // the signal: std √(Σβ²) over the noise
        double beta = Math.sqrt(m.coefficient(0) * m.coefficient(0) + m.coefficient(1) * m.coefficient(1)
                + m.coefficient(2) * m.coefficient(2));
        assertEquals(Math.sqrt(beta * beta + 2.5 * 2.5), Math.sqrt(labelSquares / n), 0.03 * beta);
    }

    // ---- the shapes ----

    @Test
    void moonsAreTwoHalfCirclesOfRadiusOne() {
        SyntheticData gen = new SyntheticData(base(SyntheticKind.MOONS));
        assertEquals(2, gen.features());
        float[][] rows = draw(gen, 5000);
        for (float[] r : rows) {
            boolean outer = r[2] == 0;
            double cx = outer ? 0 : 1;
            double cy = outer ? 0 : 0.5;
            assertEquals(1, Math.hypot(r[0] - cx, r[1] - cy), 1e-6);
            assertTrue(outer ? r[1] >= 0 : r[1] <= 0.5, Arrays.toString(r));
        }
        assertEquals(0.5, classShares(rows, 2)[0], 0.03);
        // noise: Gaussian, so the distance to the centre spreads by about the noise's std
        float[][] noisy = draw(new SyntheticData(base(SyntheticKind.MOONS).withNoise(0.1)), 5000);
        double sq = 0;
        for (float[] r : noisy) {
            boolean outer = r[2] == 0;
            double d = Math.hypot(r[0] - (outer ? 0 : 1), r[1] - (outer ? 0 : 0.5)) - 1;
            sq += d * d;
        }
        assertEquals(0.1, Math.sqrt(sq / noisy.length), 0.01);
    }

    @Test
    void circlesHaveRadiusOneAndFactor() {
        float[][] rows = draw(new SyntheticData(base(SyntheticKind.CIRCLES).withFactor(0.3)), 5000);
        for (float[] r : rows) {
            assertEquals(r[2] == 0 ? 1 : 0.3, Math.hypot(r[0], r[1]), 1e-6, Arrays.toString(r));
        }
        assertEquals(0.5, classShares(rows, 2)[1], 0.03);
    }

    @Test
    void xorLabelsTheQuadrants() {
        float[][] rows = draw(new SyntheticData(base(SyntheticKind.XOR)), 5000);
        for (float[] r : rows) {
            assertTrue(Math.abs(r[0]) <= 1 && Math.abs(r[1]) <= 1);
            assertEquals((r[0] > 0) != (r[1] > 0) ? 1f : 0f, r[2], Arrays.toString(r));
        }
        assertEquals(0.5, classShares(rows, 2)[1], 0.03);
    }

    @Test
    void blobsAreGaussianAroundTheirCentres() {
        SyntheticData gen = new SyntheticData(base(SyntheticKind.BLOBS).withCenters(4).withClusterStd(0.5));
        PlaneRows blobs = (PlaneRows) gen.generator();
        float[][] rows = draw(gen, 20_000);
        double[][] mean = classMeans(rows, 4, 2);
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 2; j++) {
                assertTrue(Math.abs(blobs.centre(k, j)) <= 10);
                assertEquals(blobs.centre(k, j), mean[k][j], 0.03, "blob " + k);
            }
        }
        double sq = 0;
        for (float[] r : rows) {
            int k = (int) r[2];
            sq += Math.pow(r[0] - blobs.centre(k, 0), 2);
        }
        assertEquals(0.5, Math.sqrt(sq / rows.length), 0.01);
        assertEquals(List.of("0", "1", "2", "3"), gen.labels().labels());
    }

    // ---- on Spark ----

    @Test
    void everyKindGivesTheSameRowsForOneAndThreePartitions() {
        for (SyntheticKind kind : SyntheticKind.values()) {
            DataOptions o = synthetic(3000, 5, 3, 3, 0.05, 123, 1, 0, 0, false);
            o = o.withSynthetic(o.synthetic().withKind(kind).withNoise(0.1))
                    .withRegression(kind == SyntheticKind.REGRESSION);
            List<Block> one = DataLoader.prepare(sc, o).train().collect();
            List<Block> three = DataLoader.prepare(sc, o.withPartitions(3)).train().collect();
            assertEquals(1, one.size());
            assertEquals(3, three.size());
            List<float[]> a = rows(sc.parallelize(one, 1));
            List<float[]> b = rows(sc.parallelize(three, 1));
            assertEquals(3000, a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), kind + " row " + i);
            }
            // partitions are not copies of each other, and another seed is another data set
            assertFalse(Arrays.equals(Arrays.copyOf(three.get(0).x(), 20), Arrays.copyOf(three.get(1).x(), 20)));
            DataOptions other = o.withSynthetic(o.synthetic().withSeed(124));
            assertFalse(Arrays.equals(one.get(0).x(), DataLoader.prepare(sc, other).train().collect().get(0).x()),
                    kind.toString());
        }
    }

    @Test
    void regressionIsLoadedAsARegressionSet() {
        DataOptions o = synthetic(2000, 4, 2, 2, 0, 5, 2, 0.2, 0, true);
        o = o.withSynthetic(o.synthetic().withKind(SyntheticKind.REGRESSION).withNoise(1)).withRegression(true);
        PreparedData d = DataLoader.prepare(sc, o);
        assertNull(d.labels(), "no classes");
        Set<Float> distinct = new HashSet<>();
        for (float[] r : rows(d.train())) {
            distinct.add(r[4]);
        }
        assertTrue(distinct.size() > 1000, "real-valued labels: " + distinct.size() + " distinct");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DataLoader.prepare(sc, synthetic(100, 4, 2, 2, 0, 5, 2, 0, 0, false).withRegression(true)));
        assertTrue(e.getMessage().contains("CLASSIFICATION"), e.getMessage());
        d.unpersist();
    }

    @Test
    void unevenRowsSplitAsEvenlyAsPossible() {
        List<Block> blocks = DataLoader.prepare(sc, synthetic(10, 3, 2, 2, 0, 1, 4, 0, 0, false)).train().collect();
        assertArrayEquals(new int[] {2, 3, 2, 3}, blocks.stream().mapToInt(Block::rows).toArray());
        List<Block> more = DataLoader.prepare(sc, synthetic(3, 3, 2, 2, 0, 1, 5, 0, 0, false)).train().collect();
        assertArrayEquals(new int[] {0, 1, 0, 1, 1}, more.stream().mapToInt(Block::rows).toArray());
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
