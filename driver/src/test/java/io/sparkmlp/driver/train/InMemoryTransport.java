package io.sparkmlp.driver.train;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.step.PartitionWorker;
import io.sparkmlp.driver.step.StepContext;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.driver.transport.StepTransport;
import java.util.ArrayList;
import java.util.List;

/**
 * A step transport over blocks held in this JVM: {@link PartitionWorker} on each block in partition order, the
 * partials added in the fixed tree order of {@link MergeTree}, exactly what the job and persistent
 * transports do with the blocks on the executors, so the same bits.
 */
final class InMemoryTransport implements StepTransport {

    private final List<Block> blocks;
    private final StepContext ctx;

    /** @param blocks the training blocks, block {@code p} of partition {@code p} */
    InMemoryTransport(List<Block> blocks, StepContext ctx) {
        this.blocks = List.copyOf(blocks);
        this.ctx = ctx;
    }

    @Override
    public GradientPartial gradient(float[] params, long step) {
        List<GradientPartial> partials = new ArrayList<>(blocks.size());
        for (Block b : blocks) partials.add(PartitionWorker.gradient(b, ctx, params, step));
        return MergeTree.sum(partials, blocks.size(), ctx.architecture().parameterCount());
    }

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public void close() {
    }
}
