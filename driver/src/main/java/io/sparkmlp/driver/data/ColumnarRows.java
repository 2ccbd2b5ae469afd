package io.sparkmlp.driver.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A query's rows as Spark's internal rows, read from the column batches of its scan when the plan allows.
 *
 * <p>Spark turns a columnar scan's batches into rows with a projection that copies every row into an
 * {@code UnsafeRow}, and for more than {@code spark.sql.codegen.maxFields} columns its Parquet and ORC scans
 * return such rows themselves; for a 784-column table that copy costs more than the CSV parser (see
 * BENCHMARKS.md, "Tables and the spark.ml face"). When the executed plan is a columnar scan under nothing but
 * the transition to rows, whole-stage code generation and projections that only pick columns, the batches
 * are given as they are ({@link #batches}; {@code FrameInput} copies them column by column) or the rows are
 * views of the batches' column vectors ({@link #of}); any other plan (a filter, an expression, a row-based
 * source such as JSON) is executed as it is.
 */
final class ColumnarRows {
    private ColumnarRows() {
    }

    /** The rows of {@code query} (a classic Dataset), the selected columns in order. */
    static JavaRDD<InternalRow> of(Dataset<Row> query) {
        JavaRDD<ColumnarBatch> batches = batches(query);
        return batches == null ? query.queryExecution().toRdd().toJavaRDD() : batches.mapPartitions(ColumnarRows::rows);
    }

    /**
     * The column batches of {@code query}'s scan, each with the selected columns in order (valid until the next
     * batch is read); null when the plan is not a columnar scan under column picks.
     */
    static JavaRDD<ColumnarBatch> batches(Dataset<Row> query) {
        SparkPlan top = query.queryExecution().executedPlan();
        SparkPlan scan = columnarScan(top);
        int[] pick = scan == null ? null : positions(top.output(), scan.output());
        if (pick == null) return null;
        return scan.executeColumnar().toJavaRDD().map(b -> {
            ColumnVector[] columns = new ColumnVector[pick.length];
            for (int i = 0; i < pick.length; i++) columns[i] = b.column(pick[i]);
            return new ColumnarBatch(columns, b.numRows());
        });
    }

    /** True when {@link #of} reads {@code query}'s column batches (tests, benchmarks). */
    static boolean columnar(Dataset<Row> query) {
        return batches(query) != null;
    }

    /** The columnar plan under {@code plan}'s row transition, code generation and column picks; or null. */
    private static SparkPlan columnarScan(SparkPlan plan) {
        SparkPlan p = plan;
        while (true) {
            if (p instanceof WholeStageCodegenExec w) {
                p = w.child();
            } else if (p instanceof InputAdapter a) {
                p = a.child();
            } else if (p instanceof ProjectExec project && picksColumns(project)) {
                p = project.child();
            } else if (p instanceof ColumnarToRowExec c) {
                return c.child().supportsColumnar() ? c.child() : null;
            } else {
                return null;
            }
        }
    }

    private static boolean picksColumns(ProjectExec project) {
        for (NamedExpression e : CollectionConverters.asJava(project.projectList())) {
            if (!(e instanceof Attribute)) return false;
        }
        return true;
    }

    /** For each column of {@code wanted}, its position among {@code available} (by expression id); null if one is missing. */
    private static int[] positions(scala.collection.immutable.Seq<Attribute> wanted,
                                   scala.collection.immutable.Seq<Attribute> available) {
        Map<ExprId, Integer> at = new HashMap<>();
        int j = 0;
        for (Attribute a : CollectionConverters.asJava(available)) at.putIfAbsent(a.exprId(), j++);
        List<Attribute> want = new ArrayList<>(CollectionConverters.asJava(wanted));    // a Scala List: no get(i)
        int[] pick = new int[want.size()];
        for (int i = 0; i < pick.length; i++) {
            Integer k = at.get(want.get(i).exprId());
            if (k == null) return null;
            pick[i] = k;
        }
        return pick;
    }

    /** Each batch's rows (valid until the next batch is read). */
    private static Iterator<InternalRow> rows(Iterator<ColumnarBatch> batches) {
        return new Iterator<>() {
            private Iterator<InternalRow> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (!batches.hasNext()) return false;
                    current = batches.next().rowIterator();
                }
                return true;
            }

            @Override
            public InternalRow next() {
                if (!hasNext()) throw new java.util.NoSuchElementException();
                return current.next();
            }
        };
    }
}
