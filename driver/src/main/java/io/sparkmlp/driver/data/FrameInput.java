package io.sparkmlp.driver.data;

import io.sparkmlp.driver.config.DataOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
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
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
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
 * <p><b>Two passes over the frame, no per-row objects cached.</b> Pass 1 reads the label (and the vector
 * and indicator columns, when there are such) of every row: it counts each frame partition's rows, checks
 * every label (null, non-finite, not a class index 0..k−1), vector (null, non-finite, another size) and
 * indicator, and finds the class count; when the frame is a columnar file scan, numeric feature columns are
 * not read (a column-pruned scan; other plans are read with the same columns in both passes). Pass 2
 * writes each partition's rows as float chunks for their target partitions, checking the numeric features as
 * it goes, and one shuffle brings them together (as for text files, {@link ChunkShuffle}); only the assembled
 * blocks are cached. The first bad row in global order is reported in one line (when pass 2 finds a bad
 * feature, one more scan finds the first). Features come from a Vector column (dense or sparse) or from
 * numeric columns, read in their own type and converted as Spark casts them to double; doubles are rounded
 * to float once.
 *
 * <p><b>Column batches.</b> When the selected columns' plan is a columnar scan (Parquet or ORC of numeric
 * columns, reached through column projections only), the rows are read straight from its column batches, not
 * through rows Spark copies one by one ({@link ColumnarRows}); otherwise from Spark's internal rows.
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
        String where = opts.train() != null ? opts.train() : "DataFrame";
        boolean regression = opts.regression();
        checkTypes(frame.schema(), columns, where);
        Dataset<Row> source = classic(frame);
        Reader reader = Reader.of(source.schema(), columns, regression, where, true);
        Dataset<Row> selected = source.select(reader.selection());
        JavaRDD<ColumnarBatch> batches = columns.vector() == null ? ColumnarRows.batches(selected) : null;
        // a columnar file scan splits the files whatever the columns: pass 1 reads no numeric feature column;
        // any other plan is read with the same selection in both passes, so both see the same partitions
        Reader checking = batches != null ? Reader.of(source.schema(), columns, regression, where, false) : reader;
        JavaRDD<InternalRow> checked = ColumnarRows.of(batches != null ? source.select(checking.selection()) : selected);
        List<Scan> scans = DataLoader.plain(() -> checked.mapPartitions(it -> Collections.singletonList(
                checking.scan(it)).iterator()).collect());
        throwFirstProblem(scans, columns, where);
        long total = 0;
        long[] base = new long[scans.size()];
        long[] counted = new long[scans.size()];
        int vectorSize = -1;
        double maxLabel = -1;
        long indicated = 0;
        for (int p = 0; p < scans.size(); p++) {
            Scan s = scans.get(p);
            base[p] = total;
            counted[p] = s.rows;
            if (s.rows > 0 && columns.vector() != null) vectorSize = s.vectorSize;
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

        int parts = DataLoader.partitions(JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext()), opts);
        boolean byIndicator = columns.validationIndicator() != null;
        RowSplit split = new RowSplit(opts.seed(), opts.testFraction(), byIndicator ? 0 : opts.validationFraction());
        long n = total;
        JavaRDD<Tuple2<Integer, Chunk>> chunks = (batches != null
                ? batches.mapPartitionsWithIndex((p, it) -> reader.chunksOfBatches(it, base[p], n, parts, features,
                        split), false)
                : ColumnarRows.of(selected).mapPartitionsWithIndex(
                        (p, it) -> reader.chunks(it, base[p], n, parts, features, split), false))
                .mapPartitionsWithIndex((p, it) -> counted(it, p, counted[p]), true);
        ChunkShuffle all = new ChunkShuffle(chunks, parts, features);
        boolean hasValidation = byIndicator ? indicated > 0 : split.hasValidation();
        JavaRDD<Block> train = all.slot(RowSplit.TRAIN);
        JavaRDD<Block> validation = hasValidation ? all.slot(RowSplit.VALIDATION) : null;
        JavaRDD<Block> test = split.hasTest() ? all.slot(RowSplit.TEST) : null;
        DataLoader.Runner runner = new FirstBadRow(selected, reader, columns, where);
        return DataLoader.finish(opts, where, runner, runner, train, validation, test, features, labels,
                columns.vector() == null ? columns.numeric() : null);
    }

    /**
     * The chunks of frame partition {@code p}, checked to hold the {@code expected} rows pass 1 counted there: a
     * frame whose partitions change between two runs of its plan would otherwise give wrong blocks silently.
     */
    private static java.util.Iterator<Tuple2<Integer, Chunk>> counted(java.util.Iterator<Tuple2<Integer, Chunk>> it,
                                                                       int p, long expected) {
        List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
        long rows = 0;
        while (it.hasNext()) {
            Tuple2<Integer, Chunk> t = it.next();
            rows += t._2().rows;
            out.add(t);
        }
        if (rows != expected) {
            throw new IllegalStateException("partition " + p + " of the DataFrame gave " + rows + " rows in the"
                    + " second pass, " + expected + " in the first (is its plan nondeterministic?)");
        }
        return out.iterator();
    }

    /** Throws the first bad row in global order that {@code scans} (one per frame partition, in order) found. */
    private static void throwFirstProblem(List<Scan> scans, Columns columns, String where) {
        long before = 0;
        int vectorSize = -1;
        for (Scan s : scans) {
            if (s.badRow >= 0) {
                throw DataException.of(where, s.problem.replace(Scan.ROW, "row " + (before + s.badRow)));
            }
            if (s.rows > 0 && columns.vector() != null) {
                if (vectorSize >= 0 && s.vectorSize != vectorSize) {
                    throw DataException.of(where, "column '" + columns.vector() + "', row " + (before + s.firstRowOfSize)
                            + ": a vector of size " + s.vectorSize + ", expected " + vectorSize + " as in row 0");
                }
                vectorSize = s.vectorSize;
            }
            before += s.rows;
        }
    }

    /**
     * Runs the actions over pass 2's blocks: when a task finds a bad feature value (a task of any partition, as
     * the tasks happen to fail), one more scan of every column finds the first bad row in global order.
     */
    private static final class FirstBadRow implements DataLoader.Runner {
        private final Dataset<Row> selected;
        private final Reader reader;
        private final Columns columns;
        private final String where;

        FirstBadRow(Dataset<Row> selected, Reader reader, Columns columns, String where) {
            this.selected = selected;
            this.reader = reader;
            this.columns = columns;
            this.where = where;
        }

        @Override
        public <T> T run(java.util.function.Supplier<T> action) {
            try {
                return action.get();
            } catch (Exception e) {
                RuntimeException r = DataException.unwrap(e);
                if (r instanceof DataException) {
                    Reader full = reader;
                    throwFirstProblem(ColumnarRows.of(selected).mapPartitions(it -> Collections.singletonList(
                            full.scan(it)).iterator()).collect(), columns, where);
                }
                throw r;
            }
        }
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

    /** How a numeric column is read from an internal row (each as Spark casts it to double). */
    private static final byte DOUBLE = 0;
    private static final byte FLOAT = 1;
    private static final byte LONG = 2;
    private static final byte INT = 3;
    private static final byte SHORT = 4;
    private static final byte BYTE = 5;
    private static final byte DECIMAL = 6;

    /**
     * Reads the selected columns of a row, in this order: the label, then the vector or (in pass 2) the numeric
     * features, then the indicator. Numbers are read in their own type ({@link #DOUBLE} ...) and converted as
     * Spark casts them to double, so that the selection only picks columns and a columnar scan can give them.
     */
    private static final class Reader implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Columns columns;
        private final boolean regression;
        private final String where;
        /** Whether the rows hold the numeric feature columns (pass 2, and the full check). */
        private final boolean numeric;
        private final int indicatorAt;
        /** How to read each selected column that is a number (label, numeric features). */
        private final byte[] kinds;
        /** Precision and scale of each selected decimal column. */
        private final int[] precision;
        private final int[] scale;
        private final transient Column[] selection;

        private Reader(Columns columns, boolean regression, String where, boolean numeric, byte[] kinds,
                       int[] precision, int[] scale, Column[] selection) {
            this.columns = columns;
            this.regression = regression;
            this.where = where;
            this.numeric = numeric;
            this.kinds = kinds;
            this.precision = precision;
            this.scale = scale;
            this.selection = selection;
            int width = columns.vector() != null ? 1 : numeric ? columns.numeric().size() : 0;
            this.indicatorAt = columns.validationIndicator() == null ? -1 : 1 + width;
        }

        /** The reader of pass 1 ({@code numeric} false: no numeric feature column) or of pass 2. */
        static Reader of(StructType schema, Columns c, boolean regression, String where, boolean numeric) {
            List<String> names = new ArrayList<>();
            names.add(c.label());
            if (c.vector() != null) names.add(c.vector());
            else if (numeric) names.addAll(c.numeric());
            if (c.validationIndicator() != null) names.add(c.validationIndicator());
            Column[] selection = new Column[names.size()];
            byte[] kinds = new byte[names.size()];
            int[] precision = new int[names.size()];
            int[] scale = new int[names.size()];
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                DataType t = schema.fields()[schema.fieldIndex(name)].dataType();
                if (t instanceof DecimalType d) {
                    precision[i] = d.precision();
                    scale[i] = d.scale();
                }
                kinds[i] = kind(t);
                selection[i] = new Column(name);
            }
            return new Reader(c, regression, where, numeric, kinds, precision, scale, selection);
        }

        private static byte kind(DataType t) {
            if (DataTypes.FloatType.equals(t)) return FLOAT;
            if (DataTypes.LongType.equals(t)) return LONG;
            if (DataTypes.IntegerType.equals(t)) return INT;
            if (DataTypes.ShortType.equals(t)) return SHORT;
            if (DataTypes.ByteType.equals(t)) return BYTE;
            if (t instanceof DecimalType) return DECIMAL;
            return DOUBLE;    // double (or not a number: the vector, the indicator)
        }

        Column[] selection() {
            return selection;
        }

        /** Column {@code at} of {@code r} (a number, not null) as a double, as Spark's cast gives it. */
        private double number(InternalRow r, int at) {
            switch (kinds[at]) {
                case FLOAT: return r.getFloat(at);
                case LONG: return r.getLong(at);
                case INT: return r.getInt(at);
                case SHORT: return r.getShort(at);
                case BYTE: return r.getByte(at);
                case DECIMAL: return r.getDecimal(at, precision[at], scale[at]).toDouble();
                default: return r.getDouble(at);
            }
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
            double y = number(r, 0);
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
            } else if (numeric) {
                for (int j = 0; j < columns.numeric().size(); j++) {
                    String problem = checkNumber(r, 1 + j);
                    if (problem != null) return problem;
                }
            }
            if (indicatorAt > 0) {
                String col = columns.validationIndicator();
                if (r.isNullAt(indicatorAt)) return at(col, "null", "true or false");
                if (r.getBoolean(indicatorAt)) s.indicated++;
            }
            return null;
        }

        /** Null when numeric feature column {@code at} of the row is a finite number; else the problem. */
        private String checkNumber(InternalRow r, int at) {
            boolean isNull = r.isNullAt(at);
            return numberProblem(at, isNull, isNull ? 0 : number(r, at));
        }

        /** Null when {@code value} of numeric feature column {@code at} is a finite number; else the problem. */
        private String numberProblem(int at, boolean isNull, double value) {
            String col = columns.numeric().get(at - 1);
            if (isNull) return at(col, "null", "a number");
            return Double.isFinite(value) ? null : at(col, String.valueOf(value), "a finite number");
        }

        private static String at(String column, String found, String expected) {
            return "column '" + column + "', " + Scan.ROW + ": found " + found + ", expected " + expected;
        }

        /**
         * Pass 2: the partition's rows (global indices from {@code first}) as chunks keyed by target slot; a bad
         * numeric feature fails the task (naming its row; {@link FirstBadRow} then finds the first).
         */
        java.util.Iterator<Tuple2<Integer, Chunk>> chunks(java.util.Iterator<InternalRow> it, long first, long total,
                                                          int parts, int features, RowSplit split) {
            ChunkWriter out = new ChunkWriter(first, total, parts, features);
            while (it.hasNext()) {
                InternalRow r = it.next();
                int slot = split.slotOf(out.row());
                if (indicatorAt > 0 && slot != RowSplit.TEST && r.getBoolean(indicatorAt)) {
                    slot = RowSplit.VALIDATION;
                }
                out.begin(slot);
                fill(r, out.array(), out.offset(), features, out.row());
                out.commit((float) number(r, 0));
            }
            return out.finish();
        }

        private void fill(InternalRow r, float[] x, int off, int features, long row) {
            if (columns.vector() == null) {
                for (int j = 0; j < features; j++) {
                    int at = 1 + j;
                    if (r.isNullAt(at)) throw bad(r, at, row);
                    double d = number(r, at);
                    if (!Double.isFinite(d)) throw bad(r, at, row);
                    x[off + j] = (float) d;
                }
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

        private DataException bad(InternalRow r, int at, long row) {
            return DataException.of(where, checkNumber(r, at).replace(Scan.ROW, "row " + row));
        }

        /** Rows per tile of {@link #chunksOfBatches}: a tile of 784 floats a row stays in the L2 cache. */
        private static final int TILE = 32;

        /**
         * Pass 2 over column batches (label, the numeric features, the indicator): as {@link #chunks}, the batch's
         * columns copied a tile of rows at a time, column by column (each column's values read in sequence), into
         * rows of floats that then go to their chunks whole.
         */
        java.util.Iterator<Tuple2<Integer, Chunk>> chunksOfBatches(java.util.Iterator<ColumnarBatch> it, long first,
                                                                   long total, int parts, int features, RowSplit split) {
            ChunkWriter out = new ChunkWriter(first, total, parts, features);
            float[] tile = new float[TILE * features];
            while (it.hasNext()) {
                ColumnarBatch b = it.next();
                ColumnVector label = b.column(0);
                ColumnVector indicator = indicatorAt > 0 ? b.column(indicatorAt) : null;
                for (int r0 = 0, n = b.numRows(); r0 < n; r0 += TILE) {
                    int m = Math.min(TILE, n - r0);
                    for (int j = 0; j < features; j++) {
                        copyColumn(b.column(1 + j), 1 + j, r0, m, tile, j, features, out.row());
                    }
                    for (int i = 0; i < m; i++) {
                        int slot = split.slotOf(out.row());
                        if (indicator != null && slot != RowSplit.TEST && indicator.getBoolean(r0 + i)) {
                            slot = RowSplit.VALIDATION;
                        }
                        out.begin(slot);
                        System.arraycopy(tile, i * features, out.array(), out.offset(), features);
                        out.commit((float) number(label, 0, r0 + i));
                    }
                }
            }
            return out.finish();
        }

        /** Rows {@code [r0, r0 + m)} of numeric feature column {@code at} into column {@code j} of the tile. */
        private void copyColumn(ColumnVector v, int at, int r0, int m, float[] tile, int j, int features, long firstRow) {
            boolean nulls = v.hasNull();
            for (int i = 0; i < m; i++) {
                boolean isNull = nulls && v.isNullAt(r0 + i);
                double d = isNull ? 0 : number(v, at, r0 + i);
                if (isNull || !Double.isFinite(d)) {
                    throw DataException.of(where, numberProblem(at, isNull, d).replace(Scan.ROW, "row " + (firstRow + i)));
                }
                tile[i * features + j] = (float) d;
            }
        }

        /** Row {@code row} of column vector {@code v} (selected column {@code at}, not null) as a double. */
        private double number(ColumnVector v, int at, int row) {
            switch (kinds[at]) {
                case FLOAT: return v.getFloat(row);
                case LONG: return v.getLong(row);
                case INT: return v.getInt(row);
                case SHORT: return v.getShort(row);
                case BYTE: return v.getByte(row);
                case DECIMAL: return v.getDecimal(row, precision[at], scale[at]).toDouble();
                default: return v.getDouble(row);
            }
        }
    }
}
