package io.sparkmlp.driver.train;

import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.driver.transport.persistent.PersistentTransport;

import io.sparkmlp.driver.config.Transport;
import io.sparkmlp.driver.data.Block;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The step transport for {@code train.transport}. The default, persistent, needs a task slot per
 * partition; when the user did not ask for it explicitly and the cluster has fewer slots than
 * partitions, the job transport is used instead (with a notice). Asked for explicitly, too few
 * slots is an error.
 */
public final class StepTransports {

    private StepTransports() {
    }

    /**
     * @param explicit whether {@code train.transport} was set by the user (not left at its default)
     * @param validation validation blocks the transport may evaluate on without releasing its slots, or null
     * @param evalTask how those evaluations read the outputs; null when {@code validation} is
     */
    public static StepTransport create(Transport kind, boolean explicit, JavaSparkContext sc, JavaRDD<Block> train,
                                       JavaRDD<Block> validation, Evaluator.Task evalTask, StepContext ctx, long totalSteps,
                                       PrintStream log) {
        if (kind == Transport.PERSISTENT && !explicit) {
            int partitions = train.getNumPartitions();
            int slots = PersistentTransport.slots(sc);
            if (slots < partitions) {
                try {
                    PersistentTransport.requireSlots(sc, partitions, PersistentTransport.Options.defaults().slotWait());
                } catch (IllegalArgumentException e) {
                    log.println("sparkmlp: step transport job: " + partitions + " partitions but " + PersistentTransport.slots(sc)
                            + " task slots, and the persistent transport needs one per partition");
                    return new JobTransport(sc, train, ctx, totalSteps);
                }
            }
        }
        StepTransport t = switch (kind) {
            case JOB -> new JobTransport(sc, train, ctx, totalSteps);
            case PERSISTENT -> new PersistentTransport(sc, train, validation, evalTask, ctx, totalSteps,
                    PersistentTransport.Options.defaults(), log);
        };
        log.println("sparkmlp: step transport " + t.name());
        return t;
    }
}
