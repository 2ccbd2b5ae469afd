package io.sparkmlp.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.DataFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables of numeric columns: wider than {@code spark.sql.codegen.maxFields}, of every numeric type, read from
 * Parquet's and ORC's column batches, from Spark's rows and from the same rows as CSV give the same blocks, bit
 * for bit; a bad feature value is reported at the first bad row in global order, whichever task meets it.
 */
class TableColumnsTest {
    private static final int FEATURES = 130;
    private static final String[] TYPES = {"tinyint", "smallint", "int", "bigint", "float", "double", "decimal(9,3)"};
    private static JavaSparkContext sc;
    private static SparkSession spark;
    @TempDir
    static Path dir;
    private static String csv;
    private static String parquet;
    private static String orc;
    private static String json;

    @BeforeAll
    static void start() throws Exception {
        sc = SparkTests.context("table columns");
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> table = wide(300).coalesce(1);
        csv = dir.resolve("wide.csv").toString();
        parquet = dir.resolve("wide.parquet").toString();
        orc = dir.resolve("wide.orc").toString();
        json = dir.resolve("wide.json").toString();
        table.write().option("header", "true").csv(csv);
        table.write().parquet(parquet);
        table.write().orc(orc);
        table.write().json(json);
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    /**
     * {@code rows} rows: an int label 0..2 then x0..x129 cycling through the numeric types, values k/8 (exact in
     * every type that holds fractions, so CSV text gives the same floats).
     */
    private static Dataset<Row> wide(int rows) {
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col("id").mod(3).cast("int").as("label"));
        for (int j = 0; j < FEATURES; j++) {
            String type = TYPES[j % TYPES.length];
            Column k = functions.col("id").multiply(7).plus(13 * j).mod(41).minus(20);
            Column v = type.startsWith("float") || type.startsWith("double") || type.startsWith("decimal")
                    ? k.divide(8.0) : k;
            cols.add(v.cast(type).as("x" + j));
        }
        return spark.range(rows).select(cols.toArray(Column[]::new));
    }

    private static DataOptions options(DataFormat format, String path) {
        return DataOptions.defaults().withFormat(format).withTrain(path).withTestFraction(0.2)
                .withValidationFraction(0.2).withStandardize(true).withPartitions(3).withSeed(5)
                .withHeader(format == DataFormat.CSV ? true : null)
                .withLabelColumn(format == DataFormat.CSV ? "label" : null);
    }

    private static void assertSameBlocks(PreparedData expected, PreparedData got, String what) {
        assertEquals(expected.numFeatures(), got.numFeatures(), what);
        assertEquals(expected.labels(), got.labels(), what);
        for (int s = 0; s < 3; s++) {
            JavaRDD<Block> e = s == 0 ? expected.train() : s == 1 ? expected.validation() : expected.test();
            JavaRDD<Block> g = s == 0 ? got.train() : s == 1 ? got.validation() : got.test();
            List<Block> eb = e.collect();
            List<Block> gb = g.collect();
            assertEquals(eb.size(), gb.size(), what);
            for (int p = 0; p < eb.size(); p++) {
                assertTrue(eb.get(p).rows() > 0, what + ": an empty block " + p + " of split " + s);
                assertArrayEquals(eb.get(p).y(), gb.get(p).y(), what + ": labels of block " + p + " of split " + s);
                assertArrayEquals(eb.get(p).x(), gb.get(p).x(), what + ": features of block " + p + " of split " + s);
            }
        }
    }

    @Test
    void parquetOrcRowsAndCsvOfTheSameRowsGiveTheSameBlocks() {
        PreparedData fromCsv = DataLoader.prepare(sc, options(DataFormat.CSV, csv));
        assertEquals(FEATURES, fromCsv.numFeatures());
        for (DataFormat f : List.of(DataFormat.PARQUET, DataFormat.ORC)) {
            PreparedData table = DataLoader.prepare(sc, options(f, f == DataFormat.PARQUET ? parquet : orc));
            assertSameBlocks(fromCsv, table, f.name());
            table.unpersist();
        }
        // the same file through a plan Spark runs row by row (a filter keeping every row)
        Dataset<Row> filtered = spark.read().parquet(parquet).filter("label >= 0");
        assertFalse(ColumnarRows.columnar(filtered));
        PreparedData rows = FrameInput.prepare(filtered, TableInput.columns(filtered.schema(),
                options(DataFormat.PARQUET, parquet)), options(DataFormat.PARQUET, parquet), 0);
        assertSameBlocks(fromCsv, rows, "rows");
        rows.unpersist();
        fromCsv.unpersist();
    }

    @Test
    void wideParquetAndOrcAreReadFromColumnBatchesAndOtherPlansFromRows() {
        for (DataFormat f : List.of(DataFormat.PARQUET, DataFormat.ORC)) {
            Dataset<Row> frame = TableInput.read(options(f, f == DataFormat.PARQUET ? parquet : orc));
            // the features in another order than the file's, and the label last: columns picked by a projection
            Column[] picked = Stream.concat(Stream.of("x5", "x3", "x100"), Stream.of("label"))
                    .map(Column::new).toArray(Column[]::new);
            assertTrue(ColumnarRows.columnar(frame.select(picked)), f.name());
            assertFalse(ColumnarRows.columnar(frame.filter("x0 > 0").select(picked)), "a filter is run by Spark");
            assertFalse(ColumnarRows.columnar(frame.select(frame.col("x1").plus(1))), "an expression is run by Spark");
            List<Row> viaSpark = frame.select(picked).collectAsList();
            List<org.apache.spark.sql.catalyst.InternalRow> viaBatches = ColumnarRows.of(frame.select(picked))
                    .map(r -> r.copy()).collect();
            assertEquals(viaSpark.size(), viaBatches.size());
            for (int i = 0; i < viaSpark.size(); i += 17) {
                assertEquals(viaSpark.get(i).getInt(3), viaBatches.get(i).getInt(3), "label of row " + i);
                assertEquals(viaSpark.get(i).getDouble(0), viaBatches.get(i).getDouble(0), "x5 (double) of row " + i);
                assertEquals(viaSpark.get(i).getLong(1), viaBatches.get(i).getLong(1), "x3 (bigint) of row " + i);
            }
        }
        assertFalse(ColumnarRows.columnar(TableInput.read(options(DataFormat.JSON, json)).select("x0")), "json");
    }

    @Test
    void aBadFeatureIsReportedAtTheFirstBadRowInOrder() {
        // 3 frame partitions of 20 rows; bad values in the second and third: the first in order is row 25
        Dataset<Row> frame = spark.range(0, 60, 1, 3).select(
                functions.col("id").mod(2).as("label"),
                functions.when(functions.col("id").equalTo(25), null).otherwise(functions.col("id")).cast("double")
                        .as("x0"),
                functions.when(functions.col("id").equalTo(45), Double.NaN).otherwise(functions.col("id"))
                        .cast("float").as("x1"));
        FrameInput.Columns columns = new FrameInput.Columns("label", null, List.of("x0", "x1"), null);
        for (int round = 0; round < 3; round++) {
            DataException e = assertThrows(DataException.class, () -> FrameInput.prepare(frame, columns,
                    options(DataFormat.PARQUET, null).withPartitions(2), 0));
            assertEquals("DataFrame: column 'x0', row 25: found null, expected a number", e.getMessage());
        }
        String path = dir.resolve("bad.parquet").toString();
        frame.write().parquet(path);
        DataException e = assertThrows(DataException.class, () -> DataLoader.prepare(sc,
                options(DataFormat.PARQUET, path)));
        assertTrue(e.getMessage().startsWith(path + ": column 'x"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found null, expected a number")
                || e.getMessage().endsWith("found NaN, expected a finite number"), e.getMessage());
        assertTrue(Files.isDirectory(Path.of(path)));
    }
}
