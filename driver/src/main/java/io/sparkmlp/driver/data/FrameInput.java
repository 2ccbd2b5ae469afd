package io.sparkmlp.driver.data;

import io.sparkmlp.driver.config.DataOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A DataFrame as the cached dense float blocks of a training job ({@link PreparedData}), the way
 * {@link DataLoader#prepare} makes them from a file: the same global row indices, split, scaling and
 * partitioning, so the same rows give the same bits whichever way they came in.
 *
 * <p><b>Global row index.</b> The frame's rows in partition order, then in order within a partition
 * (for {@code spark.read.csv} of one file: the file's data lines in order, as the CLI counts them).
 * Partition {@code p} of {@code P} ({@code data.partitions}, 0 = Spark's default parallelism) owns rows
 * {@code [⌊p·N/P⌋, ⌊(p+1)·N/P⌋)}; test and validation rows come from the seeded hash of the row index
 * ({@code RowSplit}), or validation rows from a boolean indicator column when one is given. So the same
 * contents, order and partitioning of the frame give the same blocks, bit for bit.
 *
 * <p><b>Two passes over the frame, no per-row objects cached.</b> Pass 1 counts each frame partition's
 * rows, checks every label and feature (null, non-finite, a label that is not a class index 0..k−1, a
 * vector of another size) and finds the class count; the first bad row in global order is reported in
 * one line. Pass 2 writes each partition's rows as float chunks for their target partitions, which one
 * shuffle brings together (as for text files); only the assembled blocks are cached. Features come from
 * a Vector column (dense or sparse) or from numeric columns; doubles are rounded to float once.
 *
 * <p>Labels are as spark.ml expects: class indices 0, 1, ..., k−1 as numbers (k is the largest plus one,
 * at least {@code classesHint}), or real-valued targets for regression.
 */
public final class FrameInput {

    /**
     * Which columns hold what.
     *
     * @param label the label column (numeric)
     * @param vector the features as one Vector column, or null to use {@code numeric}
     * @param numeric the features as numeric columns, in order (used when {@code vector} is null)
     * @param validationIndicator a boolean column, true for validation rows; null: validation rows by
     *        {@code data.validationFraction}
     */
    public record Columns(String label, String vector, List<String> numeric, String validationIndicator)
            implements Serializable {
        public Columns {
            Objects.requireNonNull(label, "label");
            numeric = numeric == null ? List.of() : List.copyOf(numeric);
            if (vector == null && numeric.isEmpty()) {
                throw new IllegalArgumentException("features need a vector column or at least one numeric column");
            }
        }

        /** Features from the Vector column {@code vector}. */
        public static Columns ofVector(String label, String vector, String validationIndicator) {
            return new Columns(label, vector, null, validationIndicator);
        }

        int features(int vectorSize) {
            return vector != null ? vectorSize : numeric.size();
        }
    }

    private FrameInput() {
    }

    /** Runs a Spark action, rethrowing a task's {@link DataException} as itself. */
    private static <T> T run(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {
            throw DataException.unwrap(e);
        }
    }

    /**
     * The frame's rows split (test by {@code data.testFraction}, validation by the indicator column or
     * {@code data.validationFraction}), standardised ({@code data.standardize}, statistics of the training
     * split) and cached {@code MEMORY_ONLY} in {@code data.partitions} blocks each; materialised, so the
     * row counts are known and bad rows have failed here.
     *
     * @param opts the data settings; {@code regression()} says whether labels are targets or class indices,
     *        {@code train()} names the data in messages (may be null)
     * @param classesHint the number of classes known from the label column's metadata, or 0
     * @throws DataException for a bad row (one line: column, row, value found, what was expected)
     */
    public static PreparedData prepare(Dataset<Row> frame, Columns columns, DataOptions opts, int classesHint) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        String where = opts.train() != null ? opts.train() : "DataFrame";
        boolean regression = opts.regression();
        checkTypes(frame.schema(), columns, where);
        // Spark's internal rows: numbers read in place, no boxed value or external Row per row (about 4x faster
        // than Dataset.javaRDD() for a 784-column table, which converts every value to an object)
        JavaRDD<InternalRow> rows = classic(frame).select(selection(columns)).queryExecution().toRdd().toJavaRDD();
        Reader reader = new Reader(columns, regression);

        List<Scan> scans = run(() -> rows.mapPartitions(it -> Collections.singletonList(
                reader.scan(it)).iterator()).collect());
        long total = 0;
        long[] base = new long[scans.size()];
        int vectorSize = -1;
        double maxLabel = -1;
        long indicated = 0;
        for (int p = 0; p < scans.size(); p++) {
            Scan s = scans.get(p);
            base[p] = total;
            if (s.badRow >= 0) {
                throw DataException.of(where, s.problem.replace(Scan.ROW, "row " + (total + s.badRow)));
            }
            if (s.rows > 0 && columns.vector() != null) {
                if (vectorSize >= 0 && s.vectorSize != vectorSize) {
                    throw DataException.of(where, "column '" + columns.vector() + "', row " + (total + s.firstRowOfSize)
                            + ": a vector of size " + s.vectorSize + ", expected " + vectorSize + " as in row 0");
                }
                vectorSize = s.vectorSize;
            }
            maxLabel = Math.max(maxLabel, s.maxLabel);
            indicated += s.indicated;
            total += s.rows;
        }
        if (total == 0) {
            throw DataException.of(where, "no rows, expected some training data");
        }
        int features = columns.features(vectorSize);
        if (features > opts.maxFeatures()) {
            throw DataException.of(where, (columns.vector() != null ? "column '" + columns.vector() + "': vectors of "
                    : "") + features + " features, expected at most data.maxFeatures = " + opts.maxFeatures()
                    + " (raise data.maxFeatures for wider rows)");
        }
        LabelIndex labels = regression ? null : classes(where, columns, maxLabel, classesHint, opts.maxClasses());


        int parts = DataLoader.partitions(sc, opts);
        boolean byIndicator = columns.validationIndicator() != null;
        RowSplit split = new RowSplit(opts.seed(), opts.testFraction(), byIndicator ? 0 : opts.validationFraction());
        long n = total;
        JavaRDD<Tuple2<Integer, Chunk>> chunks = rows.mapPartitionsWithIndex(
                (p, it) -> reader.chunks(it, base[p], n, parts, features, split), false);
        JavaRDD<Block> all = JavaPairRDD.fromJavaRDD(chunks)
                .partitionBy(new SlotPartitioner(RowSplit.SLOTS * parts))
                .mapPartitionsWithIndex((index, it) -> {
                    List<Chunk> list = new ArrayList<>();
                    while (it.hasNext()) {
                        list.add(it.next()._2());
                    }
                    return Collections.singletonList(Chunk.assemble(index % parts, features, list)).iterator();
                }, true);
        boolean hasValidation = byIndicator ? indicated > 0 : split.hasValidation();
        JavaRDD<Block> train = DataLoader.slot(all, RowSplit.TRAIN, parts);
        JavaRDD<Block> validation = hasValidation ? DataLoader.slot(all, RowSplit.VALIDATION, parts) : null;
        JavaRDD<Block> test = split.hasTest() ? DataLoader.slot(all, RowSplit.TEST, parts) : null;
        return run(() -> finish(opts, where, train, validation, test, features, labels,
                columns.vector() == null ? columns.numeric() : null));
    }

    /** Class indices 0..k−1 named "0".."k−1", k the largest label plus one (at least {@code hint}). */
    private static LabelIndex classes(String where, Columns columns, double maxLabel, int classesHint, int maxClasses) {
        if (maxLabel >= maxClasses) {
            throw DataException.of(where, "column '" + columns.label() + "': found the class index " + (long) maxLabel
                    + ", expected class indices below data.maxClasses = " + maxClasses
                    + "; for a real-valued target set model.loss=mse (MlpRegressor)");
        }
        int classes = Math.max(classesHint, (int) maxLabel + 1);
        if (classes < 2) {
            throw DataException.of(where, "column '" + columns.label() + "': every label is " + (int) maxLabel
                    + ", expected at least 2 classes (class indices 0..k-1) for classification");
        }
        List<String> names = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            names.add(String.valueOf(c));
        }
        return LabelIndex.ofOrdered(names);
    }

    /** The label and numeric features as doubles, the vector as it is (its internal struct), the indicator. */
    private static Column[] selection(Columns c) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column(c.label()).cast(DataTypes.DoubleType));
        if (c.vector() != null) {
            cols.add(new Column(c.vector()));
        } else {
            for (String name : c.numeric()) cols.add(new Column(name).cast(DataTypes.DoubleType));
        }
        if (c.validationIndicator() != null) cols.add(new Column(c.validationIndicator()));
        return cols.toArray(new Column[0]);
    }

    /** The frame as Spark's classic (in-process) Dataset, whose query gives the internal rows. */
    private static Dataset<Row> classic(Dataset<Row> frame) {
        if (!(frame instanceof org.apache.spark.sql.classic.Dataset<Row>)) {
            throw new IllegalArgumentException("a DataFrame of a Spark Connect session; expected a classic (in-process)"
                    + " SparkSession's DataFrame: training runs on the session's SparkContext");
        }
        return frame;
    }

    /**
     * The columns' types, checked before any row is read: numbers for the label and numeric features (cast to
     * double exactly as Spark casts), a spark.ml Vector for the vector column, a boolean indicator.
     */
    static void checkTypes(StructType schema, Columns c, String where) {
        requireType(schema, c.label(), where, t -> t instanceof NumericType,
                "numbers (class indices 0..k-1, or targets for regression)");
        if (c.vector() != null) {
            requireType(schema, c.vector(), where,
                    t -> t instanceof UserDefinedType<?> u && Vector.class.isAssignableFrom(u.userClass()),
                    "a spark.ml Vector column (VectorAssembler makes one)");
        } else {
            for (String name : c.numeric()) requireType(schema, name, where, t -> t instanceof NumericType, "numbers");
        }
        if (c.validationIndicator() != null) {
            requireType(schema, c.validationIndicator(), where, t -> t instanceof BooleanType,
                    "true or false (a boolean column)");
        }
    }

    private static void requireType(StructType schema, String column, String where,
                                    java.util.function.Predicate<DataType> ok, String expected) {
        int at;
        try {
            at = schema.fieldIndex(column);
        } catch (IllegalArgumentException e) {
            throw DataException.of(where, "column '" + column + "': no such column among "
                    + Arrays.toString(schema.fieldNames()) + ", expected " + expected);
        }
        DataType t = schema.fields()[at].dataType();
        if (!ok.test(t)) {
            throw DataException.of(where, "column '" + column + "': found " + t.simpleString() + ", expected " + expected);
        }
    }

    /** Scaling, caching and counting, as {@code DataLoader} finishes a file's blocks. */
    private static PreparedData finish(DataOptions opts, String where, JavaRDD<Block> train, JavaRDD<Block> validation,
                                       JavaRDD<Block> test, int features, LabelIndex labels, List<String> featureNames) {
        boolean regression = labels == null;
        FeatureScaling scaling = opts.standardize() ? FeatureScaling.fit(train, regression) : null;
        int classes = regression ? 0 : labels.size();
        JavaRDD<Block> trainCached = cache(train, scaling, "train");
        long[] trainCounts = count(trainCached, classes);
        if (trainCounts[0] == 0) {
            throw DataException.of(where, "the training split has no rows, expected some (lower the test and"
                    + " validation fractions, or give more data)");
        }
        JavaRDD<Block> validationCached = validation == null ? null : cache(validation, scaling, "validation");
        long validationRows = validation == null ? 0 : count(validationCached, 0)[0];
        JavaRDD<Block> testCached = test == null ? null : cache(test, scaling, "test");
        long testRows = test == null ? 0 : count(testCached, 0)[0];
        long[] classCounts = regression ? null : Arrays.copyOfRange(trainCounts, 1, trainCounts.length);
        return new PreparedData(trainCached, validationCached, testCached, features, labels, scaling, trainCounts[0],
                validationRows, testRows, featureNames, classCounts);
    }

    private static JavaRDD<Block> cache(JavaRDD<Block> blocks, FeatureScaling scaling, String name) {
        JavaRDD<Block> out = scaling == null ? blocks : blocks.map(scaling::applyInPlace);
        return out.setName(name).persist(StorageLevel.MEMORY_ONLY());
    }

    /** Materialises {@code blocks}: [rows, rows of class 0, rows of class 1, ...]. */
    private static long[] count(JavaRDD<Block> blocks, int classes) {
        long[] total = new long[1 + classes];
        for (long[] c : blocks.map(b -> {
            long[] k = new long[1 + classes];
            k[0] = b.rows();
            if (classes > 0) {
                for (float y : b.y()) k[1 + (int) y]++;
            }
            return k;
        }).collect()) {
            for (int i = 0; i < total.length; i++) total[i] += c[i];
        }
        return total;
    }

    /**
     * spark.ml's Vector in a row (its UDT's SQL type): {@code struct<type: byte, size: int, indices: array<int>,
     * values: array<double>>}, type 0 sparse (size, indices, values), 1 dense (values only).
     */
    private static final int VECTOR_FIELDS = 4;
    private static final byte DENSE = 1;

    private static int vectorSize(InternalRow v) {
        return v.getByte(0) == DENSE ? v.getArray(3).numElements() : v.getInt(1);
    }

    /** What pass 1 found in one frame partition. */
    static final class Scan implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Stands for the bad row's global index in {@link #problem}, which only the driver knows. */
        static final String ROW = "\u0000row\u0000";

        long rows;
        double maxLabel = -1;
        int vectorSize = -1;
        long firstRowOfSize;
        long indicated;
        long badRow = -1;
        String problem;
    }

    /** Reads the selected columns of a row: label, features (a vector or numbers), indicator. */
    private static final class Reader implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Columns columns;
        private final boolean regression;
        private final int indicatorAt;

        Reader(Columns columns, boolean regression) {
            this.columns = columns;
            this.regression = regression;
            this.indicatorAt = columns.validationIndicator() == null ? -1
                    : 1 + (columns.vector() != null ? 1 : columns.numeric().size());
        }

        Scan scan(java.util.Iterator<InternalRow> it) {
            Scan s = new Scan();
            while (it.hasNext()) {
                InternalRow r = it.next();
                String problem = check(r, s);
                if (problem != null) {
                    s.badRow = s.rows;
                    s.problem = problem;
                    return s;
                }
                s.rows++;
            }
            return s;
        }

        /** Null when the row is good (and noted in {@code s}); else the problem, naming {@link Scan#ROW}. */
        private String check(InternalRow r, Scan s) {
            String label = columns.label();
            if (r.isNullAt(0)) return at(label, "null", regression ? "a number" : "a class index");
            double y = r.getDouble(0);
            if (regression) {
                if (!Double.isFinite(y)) return at(label, String.valueOf(y), "a finite number");
            } else {
                if (!(y >= 0 && y == Math.rint(y) && y < Integer.MAX_VALUE)) {
                    return at(label, String.valueOf(y), "a class index 0, 1, 2, ... (a whole number >= 0, as"
                            + " spark.ml expects; StringIndexer makes one from other labels)");
                }
                s.maxLabel = Math.max(s.maxLabel, y);
            }
            if (columns.vector() != null) {
                String col = columns.vector();
                if (r.isNullAt(1)) return at(col, "null", "a vector");
                InternalRow v = r.getStruct(1, VECTOR_FIELDS);
                int size = vectorSize(v);
                if (s.vectorSize < 0) {
                    s.vectorSize = size;
                    s.firstRowOfSize = s.rows;
                } else if (size != s.vectorSize) {
                    return at(col, "a vector of size " + size, "size " + s.vectorSize + " as in the rows before");
                }
                ArrayData values = v.getArray(3);
                for (int k = 0, n = values.numElements(); k < n; k++) {
                    double d = values.getDouble(k);
                    if (!Double.isFinite(d)) return at(col, "a vector holding " + d, "finite numbers");
                }
            } else {
                for (int j = 0; j < columns.numeric().size(); j++) {
                    String col = columns.numeric().get(j);
                    if (r.isNullAt(1 + j)) return at(col, "null", "a number");
                    double f = r.getDouble(1 + j);
                    if (!Double.isFinite(f)) return at(col, String.valueOf(f), "a finite number");
                }
            }
            if (indicatorAt > 0) {
                String col = columns.validationIndicator();
                if (r.isNullAt(indicatorAt)) return at(col, "null", "true or false");
                if (r.getBoolean(indicatorAt)) s.indicated++;
            }
            return null;
        }

        private static String at(String column, String found, String expected) {
            return "column '" + column + "', " + Scan.ROW + ": found " + found + ", expected " + expected;
        }

        /** Pass 2: the partition's rows (global indices from {@code first}) as chunks keyed by target slot. */
        java.util.Iterator<Tuple2<Integer, Chunk>> chunks(java.util.Iterator<InternalRow> it, long first, long total, int parts,
                                                          int features, RowSplit split) {
            List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
            Chunk.Buffer[] buffers = new Chunk.Buffer[RowSplit.SLOTS];
            long row = first;
            int target = 0;
            long targetEnd = RowSplit.rangeStart(1, parts, total);
            while (it.hasNext()) {
                InternalRow r = it.next();
                while (row >= targetEnd) {
                    flush(buffers, target, parts, out);
                    target++;
                    targetEnd = RowSplit.rangeStart(target + 1, parts, total);
                }
                int slot = split.slotOf(row);
                if (indicatorAt > 0 && slot != RowSplit.TEST && r.getBoolean(indicatorAt)) {
                    slot = RowSplit.VALIDATION;
                }
                if (buffers[slot] == null) {
                    buffers[slot] = new Chunk.Buffer(features);
                }
                Chunk.Buffer buffer = buffers[slot];
                int off = buffer.offset();
                fill(r, buffer.array(), off, features);
                buffer.commit(row, (float) r.getDouble(0));
                row++;
            }
            flush(buffers, target, parts, out);
            return out.iterator();
        }

        private void fill(InternalRow r, float[] x, int off, int features) {
            if (columns.vector() == null) {
                for (int j = 0; j < features; j++) x[off + j] = (float) r.getDouble(1 + j);
                return;
            }
            InternalRow v = r.getStruct(1, VECTOR_FIELDS);
            ArrayData values = v.getArray(3);
            if (v.getByte(0) == DENSE) {
                for (int j = 0; j < features; j++) x[off + j] = (float) values.getDouble(j);
            } else {
                Arrays.fill(x, off, off + features, 0f);
                ArrayData idx = v.getArray(2);
                for (int k = 0, n = idx.numElements(); k < n; k++) x[off + idx.getInt(k)] = (float) values.getDouble(k);
            }
        }

        private static void flush(Chunk.Buffer[] buffers, int target, int parts, List<Tuple2<Integer, Chunk>> out) {
            for (int slot = 0; slot < RowSplit.SLOTS; slot++) {
                Chunk.Buffer b = buffers[slot];
                if (b != null && !b.isEmpty()) {
                    out.add(new Tuple2<>(slot * parts + target, b.take()));
                }
            }
        }
    }
}
