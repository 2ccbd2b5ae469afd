package io.sparkmlp.driver.eval;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Loss, accuracy / RMSE and the confusion matrix of a model on cached blocks, computed on the
 * executors (one small result per partition) and summed on the driver in partition order.
 */
public final class Evaluator {

    /**
     * How outputs are read.
     *
     * @param classes number of classes, 0 for regression
     * @param targetScale regression: std of the target (predictions and labels are standardised by it), else 1
     */
    public record Task(Architecture architecture, Backend backend, int classes, float targetScale) implements Serializable {

        /** Most cells of a confusion matrix: what one Java array holds. */
        public static final long MAX_CONFUSION_CELLS = Integer.MAX_VALUE - 8;

        /**
         * @throws IllegalArgumentException when {@code classes} is negative, or {@code classes²} (in long arithmetic)
         *         exceeds {@link #MAX_CONFUSION_CELLS}: the matrix could not be allocated
         */
        public Task {
            if (classes < 0 || (long) classes * classes > MAX_CONFUSION_CELLS) {
                throw new IllegalArgumentException("a confusion matrix of " + classes + " classes needs "
                        + (long) classes * classes + " cells, expected at most " + MAX_CONFUSION_CELLS
                        + " (at most " + (long) Math.sqrt(MAX_CONFUSION_CELLS) + " classes)");
            }
        }

        public boolean regression() {
            return classes == 0;
        }

        /** Counts in the confusion matrix: classes², 0 for regression. */
        public int confusionCells() {
            return classes * classes;
        }
    }

    /**
     * Each thread's last kernel and the task it is for, reused while the task stays the same: a kernel's buffers
     * for {@link MlpKernel#CHUNK_ROWS} rows are megabytes (3.6 MB for 784-256-128-10), which every validation pass
     * inside the persistent stage used to allocate anew. One per thread, so a long-lived executor thread holds
     * no more than one.
     */
    private static final ThreadLocal<Map.Entry<Task, MlpKernel>> KERNEL = new ThreadLocal<>();

    private Evaluator() {
    }

    public static EvalMetrics evaluate(JavaSparkContext sc, JavaRDD<Block> data, Task task, float[] params, String description) {
        Broadcast<float[]> weights = sc.broadcast(params.clone());
        try {
            sc.setJobDescription(description);
            List<EvalMetrics> parts = data.mapPartitions(new EvalFunction(weights, task)).collect();
            return EvalMetrics.sumInOrder(parts);
        } finally {
            weights.destroy();
        }
    }

    /** Drops the calling thread's kernel (a thread that evaluated a partition and goes on to other work). */
    public static void releaseThisThread() {
        KERNEL.remove();
    }

    /** Metrics of one block; also the local (no Spark) path used by tests. */
    public static EvalMetrics evaluateBlock(Block block, Task task, float[] params) {
        Architecture arch = task.architecture();
        int k = arch.outputSize();
        int rows = block.rows();
        Map.Entry<Task, MlpKernel> cached = KERNEL.get();
        if (cached == null || !cached.getKey().equals(task)) {
            cached = Map.entry(task, new MlpKernel(arch, task.backend()));
            KERNEL.set(cached);
        }
        MlpKernel kernel = cached.getValue();
        int chunk = MlpKernel.CHUNK_ROWS;
        float[] out = new float[Math.min(rows, chunk) * k];
        double loss = 0, sq = 0;
        long correct = 0;
        int classes = task.classes();
        long[] confusion = task.regression() ? null : new long[classes * classes];
        int f = block.features();
        for (int start = 0; start < rows; start += chunk) {
            int n = Math.min(chunk, rows - start);
            loss += kernel.loss(block.x(), start * f, block.y(), start, n, params, out, 0);
            for (int i = 0; i < n; i++) {
                float label = block.y()[start + i];
                if (task.regression()) {
                    double d = ((double) out[i * k] - label) * task.targetScale();
                    sq += d * d;
                } else {
                    int predicted = MlpKernel.predictedClass(out, i * k, k);
                    int actual = (int) label;
                    if (predicted == actual) correct++;
                    confusion[actual * classes + predicted]++;
                }
            }
        }
        return new EvalMetrics(loss, rows, correct, sq, confusion);
    }

    private static final class EvalFunction implements FlatMapFunction<Iterator<Block>, EvalMetrics> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<float[]> weights;
        private final Task task;

        EvalFunction(Broadcast<float[]> weights, Task task) {
            this.weights = weights;
            this.task = task;
        }

        @Override
        public Iterator<EvalMetrics> call(Iterator<Block> blocks) {
            if (!blocks.hasNext()) return Collections.emptyIterator();
            return Collections.singletonList(evaluateBlock(blocks.next(), task, weights.value())).iterator();
        }
    }
}
