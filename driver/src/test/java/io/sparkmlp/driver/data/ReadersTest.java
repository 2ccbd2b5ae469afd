package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.file;
import static io.sparkmlp.driver.data.SparkTests.rows;
import static io.sparkmlp.driver.data.SparkTests.with;
import static io.sparkmlp.driver.data.SparkTests.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.DataFormat;

/** Readers: CSV and LIBSVM content, headers, label columns, compression, multi-file and multi-split input. */
class ReadersTest {
    static JavaSparkContext sc;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        sc = SparkTests.context("readers");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static PreparedData read(DataOptions o) {
        return DataLoader.prepare(sc, o);
    }

    private static void assertRows(float[][] expected, PreparedData d) {
        List<float[]> got = rows(d.train());
        assertEquals(expected.length, got.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], got.get(i), "row " + i);
        }
    }

    @Test
    void csvWithNumericLabelsAndNoHeader() throws Exception {
        Path p = write(dir, "num.csv", "1.5,2,0\n-3,4e-1,1\n\n5,6,1\n0.25,-0,2\n");
        PreparedData d = read(file(p.toString()));
        assertEquals(2, d.numFeatures());
        assertEquals(List.of("0", "1", "2"), d.labels().labels());
        assertNull(d.featureNames());
        assertRows(new float[][] {{1.5f, 2, 0}, {-3, 0.4f, 1}, {5, 6, 1}, {0.25f, -0f, 2}}, d);
        assertArrayEquals(new long[] {1, 2, 1}, d.trainClassCounts());
        assertEquals(4, d.trainRows());
        assertNull(d.validation());
        assertNull(d.test());
        assertNull(d.scaling());
    }

    @Test
    void stringLabelsAreSortedAsStrings() throws Exception {
        Path p = write(dir, "animals.csv", "1,2,dog\n3,4,cat\n5,6,bird\n7,8,cat\n");
        PreparedData d = read(file(p.toString()));
        assertEquals(List.of("bird", "cat", "dog"), d.labels().labels());
        assertRows(new float[][] {{1, 2, 2}, {3, 4, 1}, {5, 6, 0}, {7, 8, 1}}, d);
    }

    @Test
    void headerDetectedFromANonNumberInAFeatureColumn() throws Exception {
        Path p = write(dir, "header.csv", "a,b,label\n1,2,x\n3,4,y\n");
        PreparedData d = read(file(p.toString()));
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(2, d.trainRows());
        // a first line whose only non-number is in the label column is data, not a header
        Path q = write(dir, "noheader.csv", "1,2,x\n3,4,y\n");
        PreparedData e = read(file(q.toString()));
        assertNull(e.featureNames());
        assertEquals(2, e.trainRows());
    }

    @Test
    void headerGivenExplicitly() throws Exception {
        Path p = write(dir, "numheader.csv", "10,20,30\n1,2,0\n3,4,1\n");
        PreparedData d = read(with(file(p.toString()), DataFormat.CSV, true, null));
        assertEquals(List.of("10", "20"), d.featureNames());
        assertRows(new float[][] {{1, 2, 0}, {3, 4, 1}}, d);
        PreparedData e = read(with(file(p.toString()), DataFormat.CSV, false, null));
        assertEquals(3, e.trainRows());
    }

    @Test
    void labelColumnByNameOrIndex() throws Exception {
        Path p = write(dir, "middle.csv", "x1,species,x2\n1,b,2\n3,a,4\n");
        PreparedData byName = read(with(file(p.toString()), DataFormat.AUTO, null, "species"));
        assertEquals(List.of("x1", "x2"), byName.featureNames());
        assertRows(new float[][] {{1, 2, 1}, {3, 4, 0}}, byName);
        PreparedData byIndex = read(with(file(p.toString()), DataFormat.AUTO, null, "1"));
        assertRows(new float[][] {{1, 2, 1}, {3, 4, 0}}, byIndex);
        Path q = write(dir, "first.csv", "0,1,2\n1,3,4\n");
        // a first row of column numbers is ambiguous (InputLimitsTest): said to be data here
        PreparedData first = read(with(file(q.toString()), DataFormat.AUTO, false, "0"));
        assertRows(new float[][] {{1, 2, 0}, {3, 4, 1}}, first);
    }

    @Test
    void quotedCellsByRfc4180() throws Exception {
        Path p = write(dir, "quoted.csv", "\"x, one\",x2,name\n\"1.5\", 2 ,\"big, red\"\n3,4,\"say \"\"hi\"\"\"\n");
        PreparedData d = read(file(p.toString()));
        assertEquals(List.of("x, one", "x2"), d.featureNames());
        assertEquals(List.of("big, red", "say \"hi\""), d.labels().labels());
        assertRows(new float[][] {{1.5f, 2, 0}, {3, 4, 1}}, d);
    }

    @Test
    void gzipIsReadTransparentlyAndBomAndCrlfAreHandled() throws Exception {
        String content = "\uFEFFa,b,y\r\n1,2,0\r\n3,4,1\r\n";
        Path gz = SparkTests.writeGz(dir, "data.csv.gz", content);
        PreparedData d = read(file(gz.toString()));
        assertEquals(List.of("a", "b"), d.featureNames());
        assertRows(new float[][] {{1, 2, 0}, {3, 4, 1}}, d);
    }

    @Test
    void regressionTargets() throws Exception {
        Path p = write(dir, "reg.csv", "x,y\n1,0.5\n2,-1.25\n3,1e2\n");
        PreparedData d = read(SparkTests.regression(file(p.toString())));
        assertNull(d.labels());
        assertNull(d.trainClassCounts());
        assertRows(new float[][] {{1, 0.5f}, {2, -1.25f}, {3, 100}}, d);
    }

    @Test
    void libsvmSampleFiles() {
        PreparedData m = read(file(SparkTests.dataFile("sample_multiclass_classification_data.txt")));
        assertEquals(4, m.numFeatures());
        assertEquals(150, m.trainRows());
        assertEquals(List.of("0", "1", "2"), m.labels().labels());
        assertArrayEquals(new long[] {50, 50, 50}, m.trainClassCounts());
        float[] first = rows(m.train()).get(0);    // "1 1:-0.222222 2:0.5 3:-0.762712 4:-0.833333"
        assertArrayEquals(new float[] {-0.222222f, 0.5f, -0.762712f, -0.833333f, 1}, first);

        PreparedData b = read(file(SparkTests.dataFile("sample_binary_classification_data.txt")));
        assertEquals(692, b.numFeatures());
        assertEquals(100, b.trainRows());
        assertArrayEquals(new long[] {43, 57}, b.trainClassCounts());
        float[] row0 = rows(b.train()).get(0);     // "0 128:51 129:159 ..."
        assertEquals(0f, row0[126]);
        assertEquals(51f, row0[127]);
        assertEquals(159f, row0[128]);
        assertEquals(0f, row0[692]);
    }

    @Test
    void libsvmDenseWithZerosAndGivenFeatureCount() throws Exception {
        Path p = write(dir, "small.svm", "# comment line\n+1 1:0.5 3:2 # trailing comment\n-1\t2:-1\n\n-1 4:7\n");
        DataOptions o = SparkTests.numFeatures(with(file(p.toString()), DataFormat.LIBSVM, null, null), 6);
        PreparedData d = read(o);
        assertEquals(6, d.numFeatures());
        assertEquals(List.of("-1", "+1"), d.labels().labels());
        assertRows(new float[][] {{0.5f, 0, 2, 0, 0, 0, 1}, {0, -1, 0, 0, 0, 0, 0}, {0, 0, 0, 7, 0, 0, 0}}, d);
        PreparedData auto = read(with(file(p.toString()), DataFormat.LIBSVM, null, null));
        assertEquals(4, auto.numFeatures());
    }

    @Test
    void autoFormatByContent() {
        assertTrue(LayoutDetector.looksLikeLibsvm("1 1:0.5 2:3"));
        assertTrue(LayoutDetector.looksLikeLibsvm("cat\t3:1e-3"));
        assertTrue(!LayoutDetector.looksLikeLibsvm("1,2,3"));
        assertTrue(!LayoutDetector.looksLikeLibsvm("1"));
        assertTrue(!LayoutDetector.looksLikeLibsvm("a b:1"));
    }

    @Test
    void directoryOfFilesEachWithAHeaderInPathOrder() throws Exception {
        Path d = Files.createDirectory(dir.resolve("parts"));
        write(d, "part-1.csv", "a,b,y\n5,6,1\n");
        write(d, "part-0.csv", "a,b,y\n1,2,0\n3,4,1\n");
        write(d, "_SUCCESS", "");
        write(d, ".hidden.csv", "garbage\n");
        PreparedData data = read(file(d.toString()));
        assertRows(new float[][] {{1, 2, 0}, {3, 4, 1}, {5, 6, 1}}, data);
    }

    @Test
    void manySplitsGiveTheSameBlocksAsOne() throws Exception {
        StringBuilder sb = new StringBuilder("id,v,label\n");
        for (int i = 0; i < 500; i++) {
            sb.append(i).append(',').append(i * 0.5f).append(',').append(i % 3 == 0 ? "a" : "b").append('\n');
            if (i % 50 == 0) {
                sb.append('\n');
            }
        }
        Path p = write(dir, "long.csv", sb.toString());
        DataOptions o = SparkTests.split(file(p.toString()), null, 0, 0, false, 3);
        List<float[]> one = rows(DataLoader.prepare(sc, o, 1).train());
        List<float[]> many = rows(DataLoader.prepare(sc, o, 17).train());
        assertEquals(500, one.size());
        for (int i = 0; i < 500; i++) {
            assertArrayEquals(new float[] {i, i * 0.5f, i % 3 == 0 ? 0 : 1}, one.get(i));
            assertArrayEquals(one.get(i), many.get(i));
        }
    }
}
