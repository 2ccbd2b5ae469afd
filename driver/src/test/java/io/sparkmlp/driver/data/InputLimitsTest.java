package io.sparkmlp.driver.data;

import static io.sparkmlp.driver.data.SparkTests.file;
import static io.sparkmlp.driver.data.SparkTests.with;
import static io.sparkmlp.driver.data.SparkTests.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.DataFormat;
import io.sparkmlp.driver.data.LayoutDetector.HeaderDecision;

/**
 * Hostile sizes and ambiguous first rows: too many classes, rows too wide (CSV columns, a huge LIBSVM index)
 * refused in one line before any block is allocated; the header rule decides in one logged line or refuses.
 */
class InputLimitsTest {
    static JavaSparkContext sc;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        sc = SparkTests.context("input-limits");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static String fail(DataOptions o) {
        DataException e = assertThrows(DataException.class, () -> DataLoader.prepare(sc, o));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static String csv(int rows, java.util.function.IntFunction<String> line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) sb.append(line.apply(i)).append('\n');
        return sb.toString();
    }

    @Test
    void aContinuousTargetIsRefusedAsTooManyClassesSuggestingMse() throws Exception {
        // 2,000 rows, every label distinct: each of the two splits meets more than 1,000 on its own
        Path p = write(dir, "continuous.csv", csv(2000, i -> i + ",1," + (i * 0.37 + 0.001)));
        String m = fail(file(p.toString()));
        assertTrue(m.startsWith(p.toString()), m);
        assertTrue(m.endsWith(": found more than data.maxClasses = 1000 distinct labels, expected class labels;"
                + " for a real-valued target set model.loss=mse"), m);
        // the same data as a regression trains: the limit is on classes only
        assertEquals(2000, DataLoader.prepare(sc, file(p.toString()).withRegression(true)).trainRows());
        // a lower limit, met on a line of the first split: named with its line
        Path q = write(dir, "six.csv", csv(8, i -> i + ",1," + (i + 0.5)));
        assertEquals(q + ":6: found more than data.maxClasses = 5 distinct labels, expected class labels;"
                + " for a real-valued target set model.loss=mse", fail(file(q.toString()).withMaxClasses(5).withPartitions(1)));
        assertEquals(8, DataLoader.prepare(sc, file(q.toString()).withMaxClasses(8)).labels().size());
    }

    @Test
    void aLibsvmIndexBeyondMaxFeaturesIsRefusedInTheFirstPass() throws Exception {
        Path p = write(dir, "wide.svm", "1 1:0.5 2:1\n0 1:1\n1 3:2 2000000000:1\n0 2:1\n");
        DataOptions o = with(file(p.toString()), DataFormat.LIBSVM, null, null);
        assertEquals(p + ":3: found index 2000000000, expected at most data.maxFeatures = 100000"
                + " (raise data.maxFeatures for wider rows, or set data.numFeatures)", fail(o));
        assertEquals(p + ": data.numFeatures is 200000, expected at most data.maxFeatures = 100000"
                + " (raise data.maxFeatures for wider rows)", fail(o.withNumFeatures(200_000)));
        Path q = write(dir, "narrow.svm", "1 1:0.5 2:1\n0 1:1\n1 3:2\n0 2:1\n");
        assertEquals(3, DataLoader.prepare(sc, with(file(q.toString()), DataFormat.LIBSVM, null, null)).numFeatures());
        assertEquals(q + ":3: found index 3, expected at most data.maxFeatures = 2"
                + " (raise data.maxFeatures for wider rows, or set data.numFeatures)",
                fail(with(file(q.toString()), DataFormat.LIBSVM, null, null).withMaxFeatures(2)));
    }

    @Test
    void aCsvWiderThanMaxFeaturesIsRefusedAtItsFirstLine() throws Exception {
        Path p = write(dir, "five.csv", "1,2,3,4,0\n5,6,7,8,1\n");
        assertEquals(p + ":1: found 5 columns (4 features), expected at most data.maxFeatures = 3 features"
                + " (raise data.maxFeatures for wider rows)", fail(file(p.toString()).withMaxFeatures(3)));
        assertEquals(4, DataLoader.prepare(sc, file(p.toString()).withMaxFeatures(4)).numFeatures());
    }

    // ------------------------------------------------------------------ header rule

    @Test
    void headerRuleSaysWhatItDecidedAndWhy() {
        HeaderDecision named = LayoutDetector.decideHeader(List.of("sepal length", "1.5", "species"), 2, "f.csv", 1);
        assertTrue(named.header());
        assertEquals("data.header not set: first row of f.csv taken as a header because cell 1 'sepal length' is not"
                + " a number; set data.header=true|false to decide", named.notice());
        HeaderDecision numbers = LayoutDetector.decideHeader(List.of("1.5", "-2", "x"), 2, "f.csv", 1);
        assertFalse(numbers.header());
        assertEquals("data.header not set: first row of f.csv taken as data because every feature cell is a number;"
                + " set data.header=true|false to decide", numbers.notice());
        HeaderDecision missing = LayoutDetector.decideHeader(List.of("1.5", "?", "NA", "0"), 3, "f.csv", 1);
        assertFalse(missing.header(), "a '?' is a missing value of a data row, not a column name");
        assertEquals("data.header not set: first row of f.csv taken as data because its only other cells are"
                + " missing-value markers ('?', 'NA'); set data.header=true|false to decide", missing.notice());
        // the label column is not looked at: a class named 'x' is data
        assertFalse(LayoutDetector.decideHeader(List.of("3", "4", "x"), 2, "f.csv", 1).header());
    }

    @Test
    void aRowOfColumnNumbersIsAmbiguousAndRefused() {
        DataException e = assertThrows(DataException.class,
                () -> LayoutDetector.decideHeader(List.of("0", "1", "2"), 2, "f.csv", 4));
        assertEquals("f.csv:4: found the first row 0,1,2, the column numbers 0..2: a header (as pandas writes with"
                + " index=False) or a data row; expected data.header=true or data.header=false to decide", e.getMessage());
        assertThrows(DataException.class, () -> LayoutDetector.decideHeader(List.of("1", "2", "3", "4"), 3, "f.csv", 1));
        assertFalse(LayoutDetector.decideHeader(List.of("0", "1", "3"), 2, "f.csv", 1).header());
        assertFalse(LayoutDetector.decideHeader(List.of("2", "3", "4"), 2, "f.csv", 1).header());
    }

    @Test
    void headerRuleOnRealFiles() throws Exception {
        Path pandas = write(dir, "pandas.csv", "0,1,2\n0.5,1.5,0\n2.5,3.5,1\n");
        assertEquals(pandas + ":1: found the first row 0,1,2, the column numbers 0..2: a header (as pandas writes"
                + " with index=False) or a data row; expected data.header=true or data.header=false to decide",
                fail(file(pandas.toString())));
        PreparedData declared = DataLoader.prepare(sc, with(file(pandas.toString()), DataFormat.AUTO, true, null));
        assertEquals(List.of("0", "1"), declared.featureNames());
        assertEquals(2, declared.trainRows());
        // a '?' in the first row is a missing value: the row is data, and fails where the '?' is
        Path question = write(dir, "question.csv", "1,?,0\n3,4,1\n");
        assertEquals(question + ":1:2: found '?' in column 2, expected a number", fail(file(question.toString())));
        Path plain = write(dir, "plain.csv", "1,2,0\n3,4,1\n");
        PreparedData data = DataLoader.prepare(sc, file(plain.toString()));
        assertNull(data.featureNames());
        assertEquals(2, data.trainRows());
    }
}
