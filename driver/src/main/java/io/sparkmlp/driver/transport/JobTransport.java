package io.sparkmlp.driver.transport;

import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;

import io.sparkmlp.driver.data.Block;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One Spark job per step: broadcast the weights, run one task per partition, collect the
 * partials (they arrive in partition order), add them in the fixed tree order of {@link MergeTree}
 * (the persistent transport's order too), and destroy the broadcast so neither driver nor executors
 * keep old weights.
 */
public final class JobTransport implements StepTransport {

    private final JavaSparkContext sc;
    private final JavaRDD<Block> train;
    private final StepContext ctx;
    private final long totalSteps;

    public JobTransport(JavaSparkContext sc, JavaRDD<Block> train, StepContext ctx, long totalSteps) {
        this.sc = sc;
        this.train = train;
        this.ctx = ctx;
        this.totalSteps = totalSteps;
    }

    @Override
    public String name() {
        return "job";
    }

    @Override
    public GradientPartial gradient(float[] params, long step) {
        Broadcast<float[]> weights = sc.broadcast(params.clone());
        try {
            sc.setJobDescription("sparkmlp step " + (step + 1) + "/" + totalSteps);
            List<GradientPartial> partials = train.mapPartitions(new StepFunction(weights, ctx, step)).collect();
            return MergeTree.sum(partials, train.getNumPartitions(), ctx.architecture().parameterCount());
        } finally {
            weights.destroy();
        }
    }

    @Override
    public void close() {
        sc.setJobDescription(null);
    }

    /** The task body: a named class, so the closure holds exactly these fields. */
    private static final class StepFunction implements FlatMapFunction<Iterator<Block>, GradientPartial> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<float[]> weights;
        private final StepContext ctx;
        private final long step;

        StepFunction(Broadcast<float[]> weights, StepContext ctx, long step) {
            this.weights = weights;
            this.ctx = ctx;
            this.step = step;
        }

        @Override
        public Iterator<GradientPartial> call(Iterator<Block> blocks) {
            if (!blocks.hasNext()) return Collections.emptyIterator();
            Block block = blocks.next();
            if (blocks.hasNext()) {
                throw new IllegalStateException("partition " + block.partition() + " holds more than one block");
            }
            return Collections.singletonList(PartitionWorker.gradient(block, ctx, weights.value(), step)).iterator();
        }
    }
}
