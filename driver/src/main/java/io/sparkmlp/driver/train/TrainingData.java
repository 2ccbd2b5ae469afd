package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.PreparedData;
import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import java.io.PrintStream;

/**
 * The prepared data a run trains on, and how the training loop reaches its blocks: a step transport over the
 * training blocks, evaluations of weights on the validation and test blocks, the kernel backend the workers
 * resolve. The loop sees only this, so it needs no SparkContext: {@link SparkTrainingData} runs the work as
 * Spark jobs on cached RDDs; the tests hold blocks in memory.
 */
public interface TrainingData {

    /** A split that weights are evaluated on. */
    enum Split { VALIDATION, TEST }

    /**
     * What the data is: row counts, features, labels, scaling, feature names. The result and the model report
     * it; the loop reaches the blocks only through the other methods.
     */
    PreparedData prepared();

    /** Training rows of each partition, in partition order. */
    long[] partitionRows();

    /** Whether the data has this split. */
    boolean has(Split split);

    /**
     * The step transport over the training blocks; the caller closes it.
     *
     * @param task how the transport reads outputs when it can evaluate the validation split itself
     * @param log where the choice of transport is reported
     */
    StepTransport transport(RunPlan plan, StepContext ctx, Evaluator.Task task, PrintStream log);

    /**
     * The metrics of {@code weights} on a split, summed in partition order.
     *
     * @param weights flat parameters. Not modified.
     * @param description what the evaluation is for (Spark shows it as the job's description)
     */
    EvalMetrics evaluate(Split split, Evaluator.Task task, float[] weights, String description);

    /**
     * The same data with each partition's validation rows appended to its training rows, and no validation split
     * (for a run whose defaults make no use of one: {@link EarlyStopping#trainsOnValidation}). Requires a validation
     * split.
     */
    TrainingData withValidationInTraining();

    /**
     * The name of the matrix backend the kernel resolves to where the steps run. On a cluster it runs a Spark job:
     * call it before a transport {@link StepTransport#start starts} (whose stage holds the task slots).
     */
    String kernelBackend(Architecture arch, Backend backend);

    /**
     * Whether the steps run on threads of this JVM (Spark's local mode), so that code warmed here is warm for
     * them ({@link KernelWarmup}).
     */
    default boolean stepsRunInThisJvm() {
        return false;
    }
}
