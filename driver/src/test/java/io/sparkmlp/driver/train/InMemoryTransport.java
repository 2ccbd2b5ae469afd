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
 * transports do with the blocks on the executors, so the same bits. Like the persistent transport it holds the
 * cluster's task {@link Slots} from its start (or first step) until it releases them or closes.
 */
final class InMemoryTransport implements StepTransport {

    private final List<Block> blocks;
    private final StepContext ctx;
    private final Slots slots;

    /**
     * @param blocks the training blocks, block {@code p} of partition {@code p}
     * @param slots the task slots of the cluster the blocks stand for
     */
    InMemoryTransport(List<Block> blocks, StepContext ctx, Slots slots) {
        this.blocks = List.copyOf(blocks);
        this.ctx = ctx;
        this.slots = slots;
    }

    /**
     * The task slots of a cluster, as a started persistent stage holds them all: a Spark job submitted meanwhile
     * waits for a slot until the stage ends, and so, when the loop waits for that job, forever. The in-memory data
     * refuses such a job at once.
     */
    static final class Slots {
        private boolean held;

        /** Fails when a started transport holds the slots: {@code job} would wait for them forever. */
        void requireFree(String job) {
            if (held) {
                throw new IllegalStateException(job + " would run as a Spark job while a started transport's stage"
                        + " holds every task slot (call release() first, or run it before start())");
            }
        }
    }

    @Override
    public void start() {
        slots.held = true;
    }

    @Override
    public void release() {
        slots.held = false;
    }

    @Override
    public GradientPartial gradient(float[] params, long step) {
        slots.held = true;
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
        slots.held = false;
    }
}
