package io.sparkmlp.bench;

import io.sparkmlp.driver.step.GradientPartial;
import io.sparkmlp.driver.transport.MergeTree;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import io.sparkmlp.kernel.Reductions;
import io.sparkmlp.kernel.optim.OptimizerKind;
import io.sparkmlp.kernel.optim.OptimizerSpec;
import io.sparkmlp.kernel.optim.Optimizer;
import io.sparkmlp.kernel.optim.Optimizers;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The work a training step does outside the kernel, without Spark or threads, for 784-256-128-10 (235,146
 * parameters) with momentum: as the loop did it before issue 14 and as it does it now, alternately (A B A B), one
 * row per phase, median µs per step.
 * <ul>
 *   <li><b>before</b>: the worker's partial copied out of its buffer (a new 0.94 MB array per partition), the merge
 *       into a new array, the mean, the layer norms (one running double sum each), the optimizer's own global norm
 *       (another), the momentum update in double, the finiteness check (a loop with an early exit);</li>
 *   <li><b>now</b>: no copy (the worker's buffer is sent), the merge into a reused buffer, the mean, one pass of
 *       {@link Reductions#layerNorms} (whose sums also give the global norm), the update in float,
 *       {@link Reductions#allFinite}.</li>
 * </ul>
 *
 * <pre>bench/run-kernel-bench.sh --class StepWorkBench [--partitions 1] [--rounds 15] [--steps 200]</pre>
 */
public final class StepWorkBench {

    public static void main(String[] args) {
        int partitions = 1, rounds = 15, steps = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "', expected --partitions --rounds --steps");
            }
        }
        Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 784, 256, 128, 10);
        int n = arch.parameterCount();
        SplittableRandom rnd = new SplittableRandom(1);
        float[][] workerBuffers = new float[partitions][n];
        for (float[] g : workerBuffers) for (int i = 0; i < n; i++) g[i] = (float) rnd.nextDouble(-1, 1);
        float[] wBefore = Parameters.initialize(arch, 1).flat(), wNow = wBefore.clone();
        float[] velocity = new float[n], grad = new float[n], merged = new float[n];
        double[] layers = new double[arch.numLayers()];
        MergeTree merger = new MergeTree(n);
        Optimizer now = Optimizers.create(OptimizerSpec.defaults(OptimizerKind.MOMENTUM), arch);
        String[] phases = {"copy of the partial", "merge", "mean", "norms", "update", "finite check", "total"};
        double[][] before = new double[phases.length][rounds], after = new double[phases.length][rounds];
        System.out.printf(Locale.ROOT, "StepWorkBench: %s, %,d parameters, %d partition(s), %d rounds of %d steps, load %s%n",
                arch.shape(), n, partitions, rounds, steps, ScaleBench.loadAverage());
        double sink = 0;
        for (int r = 0; r < rounds + 2; r++) {   // two warm-up rounds
            long[] a = new long[phases.length], b = new long[phases.length];
            for (int s = 0; s < steps; s++) {
                // before
                long t0 = System.nanoTime();
                GradientPartial[] parts = new GradientPartial[partitions];
                for (int p = 0; p < partitions; p++) parts[p] = new GradientPartial(p, workerBuffers[p].clone(), 1, 64);
                long t1 = System.nanoTime();
                GradientPartial sum = runningSum(parts, n);
                long t2 = System.nanoTime();
                sum.meanInto(grad);
                long t3 = System.nanoTime();
                Parameters.layerNorms(arch, grad, layers);
                double norm = Parameters.l2Norm(grad, 0, n);
                long t4 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    float vi = (float) (0.9 * velocity[i] + grad[i]);
                    velocity[i] = vi;
                    wBefore[i] = (float) (wBefore[i] - 1e-9 * vi);
                }
                long t5 = System.nanoTime();
                boolean finite = Parameters.wrap(arch, wBefore).allFinite();
                long t6 = System.nanoTime();
                sink += norm + (finite ? 1 : 0) + layers[0];
                add(a, t0, t1, t2, t3, t4, t5, t6);
                // now
                t0 = System.nanoTime();
                for (int p = 0; p < partitions; p++) parts[p] = new GradientPartial(p, workerBuffers[p], 1, 64);
                t1 = System.nanoTime();
                sum = merger.sumInto(List.of(parts), partitions, merged);
                t2 = System.nanoTime();
                sum.meanInto(grad);
                t3 = System.nanoTime();
                norm = Reductions.layerNorms(arch, grad, layers);
                t4 = System.nanoTime();
                now.step(wNow, grad, 1e-9, norm);
                t5 = System.nanoTime();
                finite = Reductions.allFinite(wNow);
                t6 = System.nanoTime();
                sink += norm + (finite ? 1 : 0);
                add(b, t0, t1, t2, t3, t4, t5, t6);
            }
            if (r < 2) continue;
            for (int k = 0; k < phases.length; k++) {
                before[k][r - 2] = a[k] / 1e3 / steps;
                after[k][r - 2] = b[k] / 1e3 / steps;
            }
        }
        System.out.println();
        System.out.println("| phase | before µs | now µs |");
        System.out.println("|---|---:|---:|");
        for (int k = 0; k < phases.length; k++) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", phases[k], OverheadBench.median(before[k]),
                    OverheadBench.median(after[k]));
        }
        System.out.println("(sink " + (sink > 0 ? "+" : "-") + ", vector reductions " + vectorPath() + ")");
    }

    /** Adds the phases between consecutive times to {@code acc}, and their total as its last entry. */
    private static void add(long[] acc, long... t) {
        for (int k = 0; k + 1 < t.length; k++) acc[k] += t[k + 1] - t[k];
        acc[acc.length - 1] += t[t.length - 1] - t[0];
    }

    private static String vectorPath() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off";
    }

    private StepWorkBench() {
    }

    /** The merge as it was before: the partials added one after another into a new array. */
    private static GradientPartial runningSum(GradientPartial[] parts, int n) {
        float[] total = new float[n];
        double loss = 0;
        long count = 0;
        for (GradientPartial p : parts) {
            float[] g = p.gradSum();
            for (int i = 0; i < n; i++) total[i] += g[i];
            loss += p.lossSum();
            count += p.count();
        }
        return new GradientPartial(-1, total, loss, count);
    }
}
