package io.sparkmlp.driver.step;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import java.util.HashMap;
import java.util.Map;

/**
 * The executor side of a step: picks the partition's rows for the step, gathers them into a
 * contiguous batch and runs the kernel. The kernel and buffers are kept per executor thread and
 * reused from step to step (tasks of one executor thread never overlap), so the steady state
 * allocates only the partial that is sent back ({@link #gradient}), or nothing but its record
 * ({@link #gradientView}, for a caller that is done with the partial before it asks for the next).
 */
public final class PartitionWorker {

    private static final ThreadLocal<Map<Architecture, Workspace>> WORKSPACES = ThreadLocal.withInitial(HashMap::new);

    private PartitionWorker() {
    }

    private static final class Workspace {
        final MlpKernel kernel;
        final Backend backend;
        float[] grad;
        float[] x = new float[0];
        float[] y = new float[0];
        int[] rows = new int[0];

        Workspace(Architecture arch, Backend backend) {
            this.kernel = new MlpKernel(arch, backend);
            this.backend = backend;
            this.grad = new float[arch.parameterCount()];
        }

        void ensure(int batch, int features) {
            if (rows.length < batch) {
                rows = new int[batch];
                y = new float[batch];
                x = new float[batch * features];
            }
        }
    }

    private static Workspace workspace(Architecture arch, Backend backend) {
        Map<Architecture, Workspace> map = WORKSPACES.get();
        Workspace ws = map.get(arch);
        if (ws == null || ws.backend != backend) {
            ws = new Workspace(arch, backend);
            map.put(arch, ws);
        }
        return ws;
    }

    /** The partial gradient of {@code block} at step {@code step}, in an array of its own. */
    public static GradientPartial gradient(Block block, StepContext ctx, float[] params, long step) {
        GradientPartial p = gradientView(block, ctx, params, step);
        return p.count() == 0 ? p : new GradientPartial(p.partition(), p.gradSum().clone(), p.lossSum(), p.count(),
                p.kernelNanos());
    }

    /**
     * {@link #gradient} without the copy: the partial's {@code gradSum} is this thread's workspace
     * buffer, valid until this thread's next call for the same architecture (a view, in the terms of
     * {@link GradientPartial}). At 235,146 parameters the copy was a 0.94 MB allocation per step.
     */
    public static GradientPartial gradientView(Block block, StepContext ctx, float[] params, long step) {
        Architecture arch = ctx.architecture();
        if (block.features() != arch.inputSize()) {
            throw new IllegalStateException("partition " + block.partition() + " has " + block.features()
                    + " features, the network takes " + arch.inputSize());
        }
        int p = block.partition();
        BatchPlan plan = ctx.plan();
        if (plan.partitionRows(p) != block.rows()) {
            throw new IllegalStateException("partition " + p + " has " + block.rows() + " rows, the batch plan expects "
                    + plan.partitionRows(p));
        }
        int b = plan.rowsPerStep(p);
        if (b == 0) {
            return new GradientPartial(p, new float[0], 0, 0);
        }
        Workspace ws = workspace(arch, ctx.backend());
        double loss;
        long kernelStart;
        if (plan.isFullBatch()) {
            kernelStart = System.nanoTime();
            loss = ws.kernel.gradient(block.x(), 0, block.y(), 0, block.rows(), params, ws.grad);
        } else {
            int f = block.features();
            ws.ensure(b, f);
            RowSampler.rowsForStep(ctx.seed(), p, block.rows(), b, step, ws.rows);
            float[] bx = block.x();
            float[] by = block.y();
            for (int i = 0; i < b; i++) {
                int r = ws.rows[i];
                System.arraycopy(bx, r * f, ws.x, i * f, f);
                ws.y[i] = by[r];
            }
            kernelStart = System.nanoTime();
            loss = ws.kernel.gradient(ws.x, 0, ws.y, 0, b, params, ws.grad);
        }
        long kernelNanos = System.nanoTime() - kernelStart;
        return new GradientPartial(p, ws.grad, loss, b, kernelNanos);
    }

    /** The backend name the kernel reports on this executor. */
    public static String backendName(Architecture arch, Backend backend) {
        return workspace(arch, backend).kernel.backendName();
    }
}
