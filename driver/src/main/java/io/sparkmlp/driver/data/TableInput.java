package io.sparkmlp.driver.data;

import io.sparkmlp.driver.config.DataOptions;
import io.sparkmlp.driver.config.DataOptions.DataFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * The CLI's tabular sources ({@code data.format = parquet | orc | json | table}): Spark SQL reads
 * {@code data.train} (a path, or a table name of the session's catalog) into a DataFrame, and
 * {@link FrameInput} turns it into cached blocks exactly as it does for the spark.ml estimators, so a
 * table trained through the CLI and the same DataFrame fitted from Spark code give the same bits.
 *
 * <p>Columns: the label is {@code data.labelColumn} (default {@code label}, class labels 0..k−1 as in
 * spark.ml); the features are the Vector column {@code data.featuresColumn}, or, when it is unset, every
 * other numeric column in schema order.
 */
final class TableInput {

    /** The label column when {@code data.labelColumn} is unset, as in spark.ml. */
    static final String DEFAULT_LABEL = "label";

    private TableInput() {
    }

    /** The table's rows prepared as {@link FrameInput#prepare} does. */
    static PreparedData prepare(DataOptions opts) {
        Dataset<Row> frame = read(opts);
        return FrameInput.prepare(frame, columns(frame.schema(), opts), opts, 0);
    }

    /** The DataFrame of {@code data.train}; a missing path or table is a one-line error naming it. */
    static Dataset<Row> read(DataOptions opts) {
        SparkSession spark = SparkSession.builder().getOrCreate();    // the running context: sc is active
        DataFormat format = opts.format();
        try {
            if (format == DataFormat.TABLE) return spark.table(opts.train());
            return reading(spark, format).read().format(format.name().toLowerCase(Locale.ROOT)).load(opts.train());
        } catch (Exception e) {    // Scala's AnalysisException is a checked exception that Java cannot name here
            if (!(e instanceof AnalysisException)) throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            throw DataException.of(opts.train(), "cannot be read as " + format.name().toLowerCase(Locale.ROOT)
                    + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * The session that reads a file of {@code format}. Parquet and ORC: a new session of the same context
     * whose {@code spark.sql.codegen.maxFields} lets the scan give column batches however many columns the
     * file has ({@link ColumnarRows} reads them; Spark's own row path is not run on such a plan). Others:
     * {@code spark} itself.
     */
    private static SparkSession reading(SparkSession spark, DataFormat format) {
        if (format != DataFormat.PARQUET && format != DataFormat.ORC) return spark;
        SparkSession columnar = spark.newSession();
        columnar.conf().set("spark.sql.codegen.maxFields", String.valueOf(Integer.MAX_VALUE));
        return columnar;
    }

    /** Which columns are the label and the features, checked against the schema. */
    static FrameInput.Columns columns(StructType schema, DataOptions opts) {
        String label = opts.labelColumn() != null ? opts.labelColumn() : DEFAULT_LABEL;
        String where = opts.train();
        List<String> names = Arrays.asList(schema.fieldNames());
        StructField labelField = field(schema, label);
        if (labelField == null) {
            throw DataException.of(where, "data.labelColumn = " + label + ": no such column; expected one of "
                    + names);
        }
        if (!(labelField.dataType() instanceof NumericType)) {
            throw DataException.of(where, "label column " + label + " is " + labelField.dataType().simpleString()
                    + ", expected a numeric column (class indices 0..k-1, or targets with model.loss=mse)");
        }
        String vector = opts.featuresColumn();
        if (vector != null) {
            StructField f = field(schema, vector);
            if (f == null) {
                throw DataException.of(where, "data.featuresColumn = " + vector + ": no such column; expected one of "
                        + names);
            }
            if (!(f.dataType() instanceof UserDefinedType<?> u && Vector.class.isAssignableFrom(u.userClass()))) {
                throw DataException.of(where, "features column " + vector + " is " + f.dataType().simpleString()
                        + ", expected a Vector column (or leave data.featuresColumn unset for numeric columns)");
            }
            return FrameInput.Columns.ofVector(labelField.name(), f.name(), null);
        }
        List<String> numeric = new ArrayList<>();
        for (StructField f : schema.fields()) {
            DataType t = f.dataType();
            if (t instanceof NumericType && !f.name().equals(labelField.name())) numeric.add(f.name());
        }
        if (numeric.isEmpty()) {
            throw DataException.of(where, "no numeric column besides the label " + label + " among " + names
                    + ", expected numeric feature columns or data.featuresColumn naming a Vector column");
        }
        return new FrameInput.Columns(labelField.name(), null, numeric, null);
    }

    /** The field named {@code name} (Spark's case-insensitive resolution), or null. */
    private static StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) return f;
        }
        for (StructField f : schema.fields()) {
            if (f.name().equalsIgnoreCase(name)) return f;
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
