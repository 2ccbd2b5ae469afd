package io.sparkmlp.driver.data;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
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
 * the transition to rows, whole-stage code generation and projections that only pick columns, the rows here
 * are views of the batches' column vectors instead (each read before the next batch is); any other plan
 * (a filter, an expression, a row-based source such as JSON) is executed as it is.
 */
final class ColumnarRows {
    private ColumnarRows() {
    }

    /** The rows of {@code query} (a classic Dataset), the selected columns in order. */
    static JavaRDD<InternalRow> of(Dataset<Row> query) {
        SparkPlan top = query.queryExecution().executedPlan();
        SparkPlan scan = columnarScan(top);
        if (scan == null) {
            return query.queryExecution().toRdd().toJavaRDD();
        }
        int[] pick = positions(top.output(), scan.output());
        if (pick == null) {
            return query.queryExecution().toRdd().toJavaRDD();
        }
        return scan.executeColumnar().toJavaRDD().mapPartitions(batches -> rows(batches, pick));
    }

    /** True when {@link #of} reads {@code query}'s column batches (tests, benchmarks). */
    static boolean columnar(Dataset<Row> query) {
        SparkPlan top = query.queryExecution().executedPlan();
        SparkPlan scan = columnarScan(top);
        return scan != null && positions(top.output(), scan.output()) != null;
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
        List<Attribute> want = CollectionConverters.asJava(wanted);
        List<Attribute> have = CollectionConverters.asJava(available);
        int[] at = new int[want.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = -1;
            for (int j = 0; j < have.size(); j++) {
                if (have.get(j).exprId().equals(want.get(i).exprId())) {
                    at[i] = j;
                    break;
                }
            }
            if (at[i] < 0) return null;
        }
        return at;
    }

    /** Each batch's rows, as rows over the picked columns (valid until the next batch is read). */
    private static Iterator<InternalRow> rows(Iterator<ColumnarBatch> batches, int[] pick) {
        return new Iterator<>() {
            private Iterator<InternalRow> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (!batches.hasNext()) return false;
                    ColumnarBatch b = batches.next();
                    ColumnVector[] columns = new ColumnVector[pick.length];
                    for (int i = 0; i < pick.length; i++) columns[i] = b.column(pick[i]);
                    current = new ColumnarBatch(columns, b.numRows()).rowIterator();
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
