package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.file;
import static io.sparkmlp.driver.data.SparkTests.with;
import static io.sparkmlp.driver.data.SparkTests.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.DataFormat;

/** Every malformed input gives one line naming file, line (CSV: column), the value found and what was expected. */
class BadInputTest {
    static JavaSparkContext sc;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        sc = SparkTests.context("bad-input");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static String fail(DataOptions o) {
        DataException e = assertThrows(DataException.class, () -> DataLoader.prepare(sc, o));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        assertEquals(0, e.splitStart(), "line made exact: " + m);
        return m;
    }

    private static String csv(String name, String content) throws Exception {
        return fail(file(write(dir, name, content).toString()));
    }

    private static String svm(String name, String content, int numFeatures) throws Exception {
        DataOptions o = with(file(write(dir, name, content).toString()), DataFormat.LIBSVM, null, null);
        return fail(SparkTests.numFeatures(o, numFeatures));
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void sparkWrapsTaskExceptionsAndUnwrapFindsThem() {
        DataException thrown = DataException.at("f.csv", 3, 2, "found 'x', expected a number");
        Exception e = assertThrows(Exception.class, () -> sc.parallelize(List.of(1, 2), 2).map(i -> {
            if (i == 2) {
                throw thrown;
            }
            return i;
        }).collect());
        assertInstanceOf(SparkException.class, e);
        DataException found = DataException.find(e);
        assertNotNull(found, "the task's exception is the SparkException's cause");
        assertEquals("f.csv:3:2: found 'x', expected a number", found.getMessage());
        assertSame(found, DataException.unwrap(e));
        RuntimeException other = new IllegalStateException("x");
        assertSame(other, DataException.unwrap(other));
    }

    @Test
    void csvCellNotANumber() throws Exception {
        String m = csv("cell.csv", "a,b,y\n1,2,0\n3,abc,1\n");
        assertEquals(path("cell.csv") + ":3:2: found 'abc' in column 2 'b', expected a number", m);
    }

    @Test
    void csvEmptyCell() throws Exception {
        String m = csv("emptycell.csv", "1,2,0\n3,,1\n");
        assertEquals(path("emptycell.csv") + ":2:2: found an empty cell in column 2, expected a number", m);
    }

    @Test
    void csvWrongNumberOfColumns() throws Exception {
        String m = csv("cols.csv", "1,2,0\n3,4,1\n5,6,7,1\n");
        assertEquals(path("cols.csv") + ":3: found 4 columns, expected 3 (as in the first line of the data)", m);
        String few = csv("cols2.csv", "1,2,0\n3,1\n");
        assertEquals(path("cols2.csv") + ":2: found 2 columns, expected 3 (as in the first line of the data)", few);
    }

    @Test
    void csvColumnsDisagreeWithNumFeatures() throws Exception {
        Path p = write(dir, "nf.csv", "1,2,0\n3,4,1\n");
        String m = fail(SparkTests.numFeatures(file(p.toString()), 3));
        assertEquals(p + ":1: found 3 columns (2 features and a label), expected 4 (data.numFeatures is 3)", m);
    }

    @Test
    void nanAndInfinityInAFeature() throws Exception {
        String nan = csv("nan.csv", "1,2,0\n3,NaN,1\n");
        assertEquals(path("nan.csv") + ":2:2: found 'NaN' in column 2, expected a finite float32 feature (no NaN or Inf)", nan);
        String inf = csv("inf.csv", "1,2,0\n-inf,1,1\n");
        assertTrue(inf.startsWith(path("inf.csv") + ":2:1: found '-inf' in column 1"), inf);
        String big = csv("big.csv", "1,2,0\n1e40,1,1\n");
        assertTrue(big.startsWith(path("big.csv") + ":2:1: found '1e40'") && big.contains("finite float32"), big);
    }

    @Test
    void emptyFileHeaderOnlyAndMissingPath() throws Exception {
        assertEquals(path("empty.csv") + ": empty file, expected CSV or LIBSVM rows", csv("empty.csv", ""));
        assertEquals(path("blank.csv") + ": empty file, expected CSV or LIBSVM rows", csv("blank.csv", "\n  \n"));
        assertEquals(path("hdr.csv") + ":1: found only a header line, expected data rows after it",
                csv("hdr.csv", "a,b,label\n\n"));
        assertEquals(path("nothere.csv") + ": no such file or directory, expected a file, a directory or a glob",
                fail(file(path("nothere.csv"))));
    }

    @Test
    void badLabels() throws Exception {
        String oneClass = csv("one.csv", "1,2,a\n3,4,a\n");
        assertEquals(path("one.csv") + ": found 1 class ['a'], expected at least 2 classes for classification"
                + " (real-valued targets need a regression loss)", oneClass);
        String emptyLabel = csv("emptylabel.csv", "1,2,a\n3,4,\n");
        assertEquals(path("emptylabel.csv") + ":2:3: found an empty label cell in column 3, expected a class label or target",
                emptyLabel);
        String target = fail(SparkTests.regression(file(write(dir, "target.csv", "x,y\n1,2\n3,abc\n").toString())));
        assertEquals(path("target.csv") + ":3:2: found target 'abc', expected a number (regression target)", target);
    }

    @Test
    void labelColumnNotFound() throws Exception {
        Path p = write(dir, "lc.csv", "a,b,c\n1,2,3\n");
        String m = fail(with(file(p.toString()), DataFormat.AUTO, null, "label"));
        assertEquals(p + ":1: label column 'label' is not in the first line [a, b, c]"
                + ", expected a header name or a 0-based column index", m);
        String range = fail(with(file(p.toString()), DataFormat.AUTO, null, "3"));
        assertEquals(p + ":1: label column index 3 is out of range, expected 0..2 (the first line has 3 columns)", range);
    }

    @Test
    void libsvmIndexZero() throws Exception {
        assertEquals(path("zero.svm") + ":2: found index 0 in '0:1', expected 1-based indices (1, 2, ...)",
                svm("zero.svm", "1 1:1\n0 0:1 2:3\n", 0));
    }

    @Test
    void libsvmUnsortedAndDuplicateIndices() throws Exception {
        assertEquals(path("unsorted.svm") + ":1: found index 2 after index 3 in '2:1', expected strictly increasing indices",
                svm("unsorted.svm", "1 3:1 2:1\n0 1:1\n", 0));
        assertEquals(path("dup.svm") + ":3: found index 2 after index 2 in '2:5', expected strictly increasing indices",
                svm("dup.svm", "1 1:1\n0 1:1\n0 2:1 2:5\n", 0));
    }

    @Test
    void libsvmIndexAboveNumFeatures() throws Exception {
        assertEquals(path("above.svm") + ":2: found index 9 in '9:1', expected at most 4 (the number of features)",
                svm("above.svm", "1 1:1 4:2\n0 9:1\n", 4));
    }

    @Test
    void libsvmBadValuesAndLabels() throws Exception {
        assertEquals(path("val.svm") + ":2: found value 'x' for index 2, expected a number",
                svm("val.svm", "1 1:1\n0 2:x\n", 0));
        assertEquals(path("idx.svm") + ":1: found 'a:1', expected index:value with a whole-number index",
                svm("idx.svm", "1 a:1\n0 2:1\n", 0));
        assertEquals(path("nolabel.svm") + ":2: found '1:0.5' where the label should be, expected a label before the index:value pairs",
                svm("nolabel.svm", "1 1:1\n1:0.5 2:1\n", 0));
        assertEquals(path("nanval.svm") + ":1: found value 'nan' for index 1, expected a finite float32 feature (no NaN or Inf)",
                svm("nanval.svm", "1 1:nan\n0 2:1\n", 0));
    }

    @Test
    void exactLineNumbersInLaterSplitsOfALargeFile() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 2; i <= 3000; i++) {
            sb.append(i == 2717 ? "1,zz,0" : i + ",1," + (i % 2)).append('\n');
            if (i % 100 == 0) {
                sb.append('\n');
                i++;               // the blank line is line i+1: keep i equal to the line number
            }
        }
        Path p = write(dir, "large.csv", sb.toString());
        DataOptions o = SparkTests.split(file(p.toString()), null, 0, 0, false, 2);
        DataException e = assertThrows(DataException.class, () -> DataLoader.prepare(sc, o, 8));
        assertEquals(p + ":2717:2: found 'zz' in column 2 'b', expected a number", e.getMessage());
        // and in the first (scan) pass, which checks the labels
        Path q = write(dir, "large2.csv", sb.toString().replace("1,zz,0", "1,2,0").replace("\n2902,1,0\n", "\n2902,1,\n"));
        DataOptions o2 = SparkTests.split(file(q.toString()), null, 0, 0, false, 2);
        DataException f = assertThrows(DataException.class, () -> DataLoader.prepare(sc, o2, 8));
        assertEquals(q + ":2902:3: found an empty label cell in column 3 'y', expected a class label or target", f.getMessage());
    }

    @Test
    void theFirstBadLineIsReportedWhateverTaskFailsFirst() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            sb.append(i == 7 ? "x" : i).append(",1,").append(i % 2).append('\n');
        }
        // line 1999 fails the first pass (empty label), in a later split; line 7 only the second (not a number):
        // the earlier splits are re-checked on the error path, so line 7 is reported
        Path p = write(dir, "twobad.csv", sb.toString().replace("\n1999,1,1\n", "\n1999,1,\n"));
        DataOptions o = SparkTests.split(file(p.toString()), null, 0, 0, false, 2);
        for (int run = 0; run < 3; run++) {
            DataException e = assertThrows(DataException.class, () -> DataLoader.prepare(sc, o, 6));
            assertEquals(p + ":7:1: found 'x' in column 1, expected a number", e.getMessage());
        }
    }

    @Test
    void errorsInsideAGzipFile() throws Exception {
        Path gz = SparkTests.writeGz(dir, "bad.csv.gz", "1,2,0\n\n3,4,1\n5,?,1\n");
        String m = fail(file(gz.toString()));
        assertEquals(gz + ":4:2: found '?' in column 2, expected a number", m);
    }

    @Test
    void testFileMustMatchTheTrainingData() throws Exception {
        Path train = write(dir, "tr.csv", "a,b,y\n1,2,x\n3,4,z\n");
        Path cols = write(dir, "te-cols.csv", "a,y\n1,x\n");
        String m = fail(SparkTests.split(file(train.toString()), cols.toString(), 0, 0, false, 2));
        assertEquals(cols + ":1: found 2 columns (1 feature and a label), expected 3 (the training data's 2 features and a label)", m);
        Path label = write(dir, "te-label.csv", "a,b,y\n1,2,x\n3,4,w\n");
        String l = fail(SparkTests.split(file(train.toString()), label.toString(), 0, 0, false, 2));
        assertEquals(label + ":3:3: found label 'w', expected one of the known classes ['x', 'z']", l);
    }
}
