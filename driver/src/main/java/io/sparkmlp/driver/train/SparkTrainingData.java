package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.DataLoader;
import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Prepared data cached on a Spark cluster: steps travel by the configured transport
 * ({@link StepTransports}), evaluations are Spark jobs ({@link Evaluator#evaluate}), the kernel backend is
 * what an executor resolves.
 */
public final class SparkTrainingData implements TrainingData {

    private final JavaSparkContext sc;
    private final PreparedData data;

    /** @param data loaded by {@link DataLoader#prepare} (or prepared otherwise), its blocks cached */
    public SparkTrainingData(JavaSparkContext sc, PreparedData data) {
        this.sc = sc;
        this.data = data;
    }

    @Override
    public PreparedData prepared() {
        return data;
    }

    /** As the load counted them; else a Spark job over the training blocks. */
    @Override
    public long[] partitionRows() {
        long[] counted = data.trainPartitionRows();
        return counted != null ? counted.clone() : DataLoader.partitionRows(data.train());
    }

    @Override
    public boolean has(Split split) {
        return blocks(split) != null;
    }

    @Override
    public StepTransport transport(RunPlan plan, StepContext ctx, Evaluator.Task task, PrintStream log) {
        return StepTransports.create(plan.transport(), plan.transportChosen(), plan.network(), sc, data.train(), data.validation(), task,
                ctx, plan.totalSteps(), log);
    }

    @Override
    public EvalMetrics evaluate(Split split, Evaluator.Task task, float[] weights, String description) {
        return Evaluator.evaluate(sc, blocks(split), task, weights, description);
    }

    /** {@link DataLoader#withValidationInTraining}: the merged blocks are not cached again. */
    @Override
    public TrainingData withValidationInTraining() {
        return new SparkTrainingData(sc, DataLoader.withValidationInTraining(data));
    }

    /**
     * The backend of an executor (a native BLAS is a property of the executor host): a one-task job, or in local mode,
     * where the executors are this JVM, resolved here without one.
     */
    @Override
    public String kernelBackend(Architecture arch, Backend backend) {
        if (sc.isLocal()) return PartitionWorker.backendName(arch, backend);
        sc.setJobDescription("sparkmlp kernel backend");
        return sc.parallelize(List.of(0), 1).map(i -> PartitionWorker.backendName(arch, backend)).first();
    }

    @Override
    public boolean stepsRunInThisJvm() {
        return sc.isLocal();
    }

    /** The heaps of this run for {@link MemoryBudget}: the driver's, and {@code spark.executor.memory} with its task slots. */
    public MemoryBudget.Heaps heaps() {
        int slots = sc.isLocal() ? sc.defaultParallelism()
                : Math.max(1, sc.getConf().getInt("spark.executor.cores", 1) / sc.getConf().getInt("spark.task.cpus", 1));
        return new MemoryBudget.Heaps(Runtime.getRuntime().maxMemory(), sc.getConf().getSizeAsBytes("spark.executor.memory",
                "1g"), Math.min(slots, data.train().getNumPartitions()), sc.isLocal());
    }

    private JavaRDD<Block> blocks(Split split) {
        return switch (split) {
            case VALIDATION -> data.validation();
            case TEST -> data.test();
        };
    }
}
