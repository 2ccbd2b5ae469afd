package io.sparkmlp.driver.train;

import io.sparkmlp.driver.config.Transport;
import io.sparkmlp.driver.data.Block;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** The step transport for {@code train.transport}. */
public final class StepTransports {

    private StepTransports() {
    }

    public static StepTransport create(Transport kind, JavaSparkContext sc, JavaRDD<Block> train, StepContext ctx,
                                       long totalSteps, PrintStream log) {
        return switch (kind) {
            case JOB -> new JobTransport(sc, train, ctx, totalSteps);
            case PERSISTENT -> new PersistentTransport(sc, train, ctx, totalSteps, log);
        };
    }
}
