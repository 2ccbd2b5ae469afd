package io.sparkmlp.driver.train;

import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.JobTransport;
import io.sparkmlp.driver.transport.StepTransport;
import io.sparkmlp.driver.transport.persistent.PersistentTransport;

import io.sparkmlp.driver.config.Transport;
import io.sparkmlp.driver.config.TransportOptions;
import io.sparkmlp.driver.data.Block;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The step transport for {@code train.transport}. The default, persistent, needs a task slot per
 * partition and a cluster without dynamic allocation (Spark runs no barrier stage under it); when
 * the user did not ask for it explicitly and the cluster cannot run it, the job transport is used
 * instead (with a one-line notice). Asked for explicitly, either is an error, in one line.
 */
public final class StepTransports {

    private StepTransports() {
    }

    /**
     * @param explicit whether {@code train.transport} was set by the user (not left at its default)
     * @param network the persistent transport's port, timeouts and encryption ({@code transport.*})
     * @param validation validation blocks the transport may evaluate on without releasing its slots, or null
     * @param evalTask how those evaluations read the outputs; null when {@code validation} is
     * @throws IllegalArgumentException when {@code train.transport = persistent} was set explicitly and the cluster cannot run it
     */
    public static StepTransport create(Transport kind, boolean explicit, TransportOptions network, JavaSparkContext sc,
                                       JavaRDD<Block> train, JavaRDD<Block> validation, Evaluator.Task evalTask, StepContext ctx,
                                       long totalSteps, PrintStream log) {
        PersistentTransport.Options options = PersistentTransport.Options.from(network, sc.getConf());
        if (kind == Transport.PERSISTENT && !explicit) {
            String unavailable = PersistentTransport.unavailable(sc.getConf());
            if (unavailable != null) {
                log.println("sparkmlp: step transport job: " + unavailable);
                return new JobTransport(sc, train, ctx, totalSteps);
            }
            int partitions = train.getNumPartitions();
            int slots = PersistentTransport.slots(sc);
            if (slots < partitions) {
                try {
                    PersistentTransport.requireSlots(sc, partitions, options.slotWait());
                } catch (IllegalArgumentException e) {
                    log.println("sparkmlp: step transport job: " + partitions + " partitions but " + PersistentTransport.slots(sc)
                            + " task slots, and the persistent transport needs one per partition");
                    return new JobTransport(sc, train, ctx, totalSteps);
                }
            }
        }
        StepTransport t = switch (kind) {
            case JOB -> new JobTransport(sc, train, ctx, totalSteps);
            case PERSISTENT -> new PersistentTransport(sc, train, validation, evalTask, ctx, totalSteps, options, log);
        };
        log.println("sparkmlp: step transport " + t.name() + (kind == Transport.PERSISTENT && options.encrypt()
                ? " (frames encrypted: " + firstNonNull(PersistentTransport.sparkSecured(sc.getConf()), "transport.encrypt = true") + ")"
                : ""));
        return t;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
