package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.file;
import static io.sparkmlp.driver.data.SparkTests.rows;
import static io.sparkmlp.driver.data.SparkTests.split;
import static io.sparkmlp.driver.data.SparkTests.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkmlp.driver.config.DataOptions;

/** Partitioning, splits, standardisation, counts, and reading data for a saved model. */
class DataLoaderTest {
    static JavaSparkContext sc;
    @TempDir
    static Path dir;
    /** 2000 rows: id, id², a constant, label "a"/"b"/"c" by id % 3. */
    static Path ids;

    @BeforeAll
    static void start() throws Exception {
        sc = SparkTests.context("loader");
        StringBuilder sb = new StringBuilder("id,sq,const,label\n");
        for (int i = 0; i < 2000; i++) {
            sb.append(i).append(',').append((float) i * i / 1000f).append(",7,").append("abc".charAt(i % 3)).append('\n');
        }
        ids = write(dir, "ids.csv", sb.toString());
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static List<Integer> idsOf(JavaRDD<Block> rdd, FeatureScaling s) {
        List<Integer> out = new ArrayList<>();
        for (float[] row : rows(rdd)) {
            out.add(Math.round(s == null ? row[0] : row[0] * s.std()[0] + s.mean()[0]));
        }
        return out;
    }

    @Test
    void partitioningIsDeterministicAndKeepsFileOrder() {
        DataOptions o = split(file(ids.toString()), null, 0, 0, false, 3);
        List<Block> a = DataLoader.prepare(sc, o, 1).train().collect();
        List<Block> b = DataLoader.prepare(sc, o, 9).train().collect();
        assertArrayEquals(new int[] {666, 667, 667}, a.stream().mapToInt(Block::rows).toArray());
        for (int p = 0; p < 3; p++) {
            assertEquals(p, a.get(p).partition());
            assertArrayEquals(a.get(p).x(), b.get(p).x(), "partition " + p);
            assertArrayEquals(a.get(p).y(), b.get(p).y(), "partition " + p);
        }
        List<Integer> order = idsOf(DataLoader.prepare(sc, o, 5).train(), null);
        for (int i = 0; i < 2000; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @Test
    void unevenPartitionSizesForAFile() throws Exception {
        Path p = write(dir, "ten.csv", "1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n");
        PreparedData four = DataLoader.prepare(sc, split(file(p.toString()), null, 0, 0, false, 4));
        List<Block> blocks = four.train().collect();
        assertArrayEquals(new int[] {2, 3, 2, 3}, blocks.stream().mapToInt(Block::rows).toArray());
        assertArrayEquals(new long[] {2, 3, 2, 3}, four.trainPartitionRows(), "the load's own count of each partition");
        PreparedData twelve = DataLoader.prepare(sc, split(file(p.toString()), null, 0, 0, false, 12));
        List<Block> sparse = twelve.train().collect();
        assertArrayEquals(DataLoader.partitionRows(twelve.train()), twelve.trainPartitionRows());
        assertEquals(12, sparse.size());
        assertEquals(10, sparse.stream().mapToInt(Block::rows).sum());
        assertEquals(0, sparse.get(0).rows());
    }

    @Test
    void splitFractionsAreApproximatelyRightDisjointAndComplete() {
        DataOptions o = split(file(ids.toString()), null, 0.2, 0.25, false, 3);
        PreparedData d = DataLoader.prepare(sc, o);
        assertEquals(2000, d.trainRows() + d.validationRows() + d.testRows());
        assertTrue(Math.abs(d.testRows() - 400) < 60, "test rows " + d.testRows());
        assertTrue(Math.abs(d.validationRows() - 400) < 60, "validation rows " + d.validationRows());   // 0.25 of 1600
        assertEquals(d.trainRows(), Arrays.stream(d.trainClassCounts()).sum());
        assertEquals(3, d.train().getNumPartitions());
        assertEquals(3, d.validation().getNumPartitions());
        assertEquals(3, d.test().getNumPartitions());
        List<Integer> all = new ArrayList<>();
        for (JavaRDD<Block> rdd : List.of(d.train(), d.validation(), d.test())) {
            List<Integer> part = idsOf(rdd, null);
            for (int i = 1; i < part.size(); i++) {
                assertTrue(part.get(i - 1) < part.get(i), "each split keeps global order");
            }
            all.addAll(part);
        }
        all.sort(null);
        for (int i = 0; i < 2000; i++) {
            assertEquals(i, all.get(i), "every row in exactly one split");
        }
        // the same seed gives the same split; another seed another one
        PreparedData again = DataLoader.prepare(sc, o);
        assertEquals(idsOf(d.test(), null), idsOf(again.test(), null));
        DataOptions other = o.withSeed(8);
        assertTrue(!idsOf(d.test(), null).equals(idsOf(DataLoader.prepare(sc, other).test(), null)));
    }

    @Test
    void validationRowsJoinTheTrainingRowsOfTheirPartition() {
        PreparedData d = DataLoader.prepare(sc, split(file(ids.toString()), null, 0.2, 0.25, true, 3));
        PreparedData m = DataLoader.withValidationInTraining(d);
        assertNull(m.validation());
        assertNull(m.trainPartitionRows(), "merged blocks: counted by a job when needed");
        assertEquals(0, m.validationRows());
        assertEquals(d.trainRows() + d.validationRows(), m.trainRows());
        assertEquals(d.test(), m.test());
        assertEquals(d.scaling(), m.scaling());
        List<Block> train = d.train().collect(), validation = d.validation().collect(), merged = m.train().collect();
        assertEquals(3, merged.size(), "one block per partition");
        long[] classes = new long[3];
        for (int p = 0; p < 3; p++) {
            Block t = train.get(p), v = validation.get(p), b = merged.get(p);
            assertEquals(t.rows() + v.rows(), b.rows());
            assertEquals(p, b.partition());
            assertArrayEquals(Arrays.copyOf(b.x(), t.x().length), t.x(), "the training rows first");
            assertArrayEquals(Arrays.copyOfRange(b.x(), t.x().length, b.x().length), v.x(), "then the validation rows");
            assertArrayEquals(Arrays.copyOfRange(b.y(), t.rows(), b.rows()), v.y());
            for (float y : b.y()) classes[(int) y]++;
        }
        assertArrayEquals(classes, m.trainClassCounts());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.withValidationInTraining(m));
    }

    @Test
    void standardisationUsesTheTrainingSplitOnly() {
        DataOptions raw = split(file(ids.toString()), null, 0.3, 0, false, 2);
        DataOptions scaled = split(file(ids.toString()), null, 0.3, 0, true, 2);
        PreparedData r = DataLoader.prepare(sc, raw);
        PreparedData s = DataLoader.prepare(sc, scaled);
        FeatureScaling f = s.scaling();
        // statistics of the raw training rows, in double
        List<float[]> trainRaw = rows(r.train());
        for (int j = 0; j < 3; j++) {
            double mean = 0;
            for (float[] row : trainRaw) {
                mean += row[j];
            }
            mean /= trainRaw.size();
            double m2 = 0;
            for (float[] row : trainRaw) {
                m2 += (row[j] - mean) * (row[j] - mean);
            }
            double std = Math.sqrt(m2 / trainRaw.size());
            assertEquals((float) mean, f.mean()[j], Math.abs(mean) * 1e-6, "mean " + j);
            assertEquals(j == 2 ? 1f : (float) std, f.std()[j], std * 1e-6, "std " + j);   // constant: std 1
        }
        assertEquals(7f, f.mean()[2]);
        // scaled training features: mean 0, std 1 (the constant becomes 0)
        List<float[]> trainScaled = rows(s.train());
        double m0 = trainScaled.stream().mapToDouble(row -> row[0]).average().orElseThrow();
        double v0 = trainScaled.stream().mapToDouble(row -> row[0] * row[0]).average().orElseThrow();
        assertEquals(0, m0, 1e-5);
        assertEquals(1, v0, 1e-4);
        assertTrue(trainScaled.stream().allMatch(row -> row[2] == 0f));
        // test rows scaled with the training statistics, labels untouched
        List<float[]> testRaw = rows(r.test());
        List<float[]> testScaled = rows(s.test());
        assertEquals(testRaw.size(), testScaled.size());
        for (int i = 0; i < testRaw.size(); i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals((testRaw.get(i)[j] - f.mean()[j]) / f.std()[j], testScaled.get(i)[j], "row " + i);
            }
            assertEquals(testRaw.get(i)[3], testScaled.get(i)[3]);
        }
        // test statistics differ from the training ones: the test mean of the id is not 0 once scaled
        double testMean = testScaled.stream().mapToDouble(row -> row[0]).average().orElseThrow();
        assertTrue(Math.abs(testMean) > 1e-4, "test mean " + testMean);
    }

    @Test
    void regressionTargetsAreStandardisedToo() throws Exception {
        Path p = write(dir, "reg.csv", "x,y\n1,10\n2,20\n3,30\n4,40\n");
        DataOptions o = SparkTests.regression(split(file(p.toString()), null, 0, 0, true, 2));
        PreparedData d = DataLoader.prepare(sc, o);
        FeatureScaling f = d.scaling();
        assertTrue(f.scalesTarget());
        assertEquals(25f, f.targetMean());
        assertEquals((float) Math.sqrt(125), f.targetStd(), 1e-5);
        List<float[]> rows = rows(d.train());
        assertEquals((10 - 25) / f.targetStd(), rows.get(0)[1], 1e-6);
        assertEquals(40f, f.unscaleTarget(rows.get(3)[1]), 1e-5);
        assertNull(d.labels());
    }

    @Test
    void testFileAndCounts() throws Exception {
        Path test = write(dir, "xor-test.csv", "x1,x2,label\n1,1,0\n0,1,1\n");
        DataOptions o = split(file(SparkTests.dataFile("xor.csv")), test.toString(), 0.5, 0.2, true, 2);
        PreparedData d = DataLoader.prepare(sc, o);
        assertEquals(2, d.testRows());                  // the file, not a fraction of the training data
        assertEquals(100, d.trainRows() + d.validationRows());
        assertTrue(d.validationRows() > 5 && d.validationRows() < 40, "validation " + d.validationRows());
        assertEquals(List.of("x1", "x2"), d.featureNames());
        assertEquals(d.trainRows(), d.trainClassCounts()[0] + d.trainClassCounts()[1]);
        List<float[]> t = rows(d.test());
        FeatureScaling f = d.scaling();
        assertArrayEquals(new float[] {(1 - f.mean()[0]) / f.std()[0], (1 - f.mean()[1]) / f.std()[1], 0}, t.get(0));
    }

    @Test
    void loadForModelChecksFeaturesAndLabelsAndReadsUnlabelledRows() throws Exception {
        PreparedData d = DataLoader.prepare(sc, split(file(SparkTests.dataFile("xor.csv")), null, 0, 0, true, 2));
        DataOptions xor = file(SparkTests.dataFile("xor.csv"));
        JavaRDD<Block> again = DataLoader.loadForModel(sc, xor, 2, d.labels(), d.scaling());
        assertEquals(rows(d.train()).size(), rows(again).size());
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(rows(d.train()).get(i), rows(again).get(i));
        }
        // unlabelled CSV (exactly the model's features): y = NaN
        Path unl = write(dir, "predict.csv", "x1,x2\n0,1\n1,1\n");
        List<float[]> u = rows(DataLoader.loadForModel(sc, file(unl.toString()), 2, d.labels(), null));
        assertEquals(2, u.size());
        assertTrue(Float.isNaN(u.get(0)[2]));
        assertEquals(1f, u.get(1)[0]);
        // wrong feature count: both counts named
        Path three = write(dir, "three.csv", "1,2,3,0\n");
        DataException e = assertThrows(DataException.class,
                () -> DataLoader.loadForModel(sc, file(three.toString()), 2, d.labels(), null));
        assertEquals(three + ":1: found 4 columns (3 features and a label), expected 3 (the model's 2 features and a label) or 2 (features only, unlabelled)",
                e.getMessage());
        // LIBSVM index beyond the model's features
        DataException svm = assertThrows(DataException.class, () -> DataLoader.loadForModel(sc,
                file(SparkTests.dataFile("sample_multiclass_classification_data.txt")), 3, LabelIndex.ofOrdered(
                        List.of("0", "1", "2")), null));
        // every line is bad: the first one is reported, whichever task fails first
        assertEquals(SparkTests.dataFile("sample_multiclass_classification_data.txt") + ":1: found index 4 in"
                + " '4:-0.833333', expected at most 3 (the model's number of features)", svm.getMessage());
        // a label the model does not know
        Path unknown = write(dir, "unknown.csv", "x1,x2,label\n0,0,0\n0,1,2\n");
        DataException l = assertThrows(DataException.class,
                () -> DataLoader.loadForModel(sc, file(unknown.toString()), 2, d.labels(), null));
        assertEquals(unknown + ":3:3: found label '2', expected one of the known classes ['0', '1']", l.getMessage());
    }

    @Test
    void syntheticTestSplitForAModel() {
        DataOptions o = SparkTests.synthetic(3000, 5, 3, 3, 0, 4, 2, 0.2, 0, false);
        PreparedData d = DataLoader.prepare(sc, o);
        JavaRDD<Block> test = DataLoader.loadForModel(sc, o, 5, d.labels(), null);
        List<float[]> a = rows(d.test());
        List<float[]> b = rows(test);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        DataException e = assertThrows(DataException.class, () -> DataLoader.loadForModel(sc, o, 6, d.labels(), null));
        assertEquals("synthetic.features is 5, expected 6 (the model's number of features)", e.getMessage());
    }
}
