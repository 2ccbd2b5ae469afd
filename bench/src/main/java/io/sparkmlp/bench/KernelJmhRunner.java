package io.sparkmlp.bench;

import io.sparkmlp.kernel.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link KernelJmh} for every available backend (every {@link Backend} but AUTO whose
 * {@code create()} succeeds here, so NATIVE is skipped without a native BLAS and new backends are
 * picked up), the gradient of 784-256-128-10 and 100-128-64-10 and the raw layer-0 products of
 * 784-256-128-10 (the largest layer shape) at each batch, in one process; with {@code --rounds 2}
 * the gradient and sgemm sets alternate. Prints one table:
 *
 * <ul>
 *   <li><b>gemm GF/s</b> = {@code (4·W + 2·(W − W₀))·B / t}: the product flops the kernel issues
 *       (layer 0 has no input gradient), W = Σ n_in·n_out, W₀ = n₀·n₁;</li>
 *   <li><b>eff GF/s</b> = {@code 6·W·B / t}, the nominal count;</li>
 *   <li><b>sgemm GF/s</b> = {@code 6·784·256·B / t} of the same backend's three layer-0 products
 *       of 784-256-128-10 at the same batch;</li>
 *   <li><b>kernel/sgemm</b> = gemm GF/s ÷ sgemm GF/s (target ≥ 0.70).</li>
 * </ul>
 *
 * <pre>bench/run-kernel-bench.sh --class KernelJmhRunner [--forks 1] [--warmup 2] [--iterations 3] [--time 1]
 *     [--rounds 1] [--batches 32,128,1024] [--backends JAVA,NATIVE,EJML]</pre>
 */
public final class KernelJmhRunner {

    static final String[] NETS = {"784,256,128,10", "100,128,64,10"};
    static final String SGEMM_NET = "784,256,128,10";

    public static void main(String[] args) throws RunnerException {
        int forks = 1, warmup = 2, iterations = 3, rounds = 1;
        double seconds = 1;
        String[] batches = {"32", "128", "1024"};
        List<String> backends = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--time" -> seconds = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batches" -> batches = args[++i].split(",");
                case "--backends" -> backends = Arrays.asList(args[++i].toUpperCase(Locale.ROOT).split(","));
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "', expected --forks --warmup --iterations --time --rounds --batches --backends");
            }
        }
        List<String> available = new ArrayList<>();
        for (Backend b : Backend.values()) {
            if (b == Backend.AUTO || (backends != null && !backends.contains(b.name()))) continue;
            try {
                String name = b.create().name();
                available.add(b.name());
                System.out.println("backend " + b.name() + ": " + name);
            } catch (RuntimeException | LinkageError e) {
                System.out.println("backend " + b.name() + ": not available here (" + e.getMessage() + "), skipped");
            }
        }
        System.out.println("load average at start: " + ScaleBench.loadAverage());
        System.out.println("java " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS") + " OPENBLAS_CORETYPE="
                + System.getenv("OPENBLAS_CORETYPE"));
        String[] bk = available.toArray(String[]::new);

        // key: benchmark|net|batch|backend -> per-round µs/op
        Map<String, List<Double>> us = new HashMap<>();
        for (int r = 0; r < rounds; r++) {
            collect(us, run(base(forks, warmup, iterations, seconds).include(KernelJmh.class.getName() + ".gradient$")
                    .param("net", NETS).param("batch", batches).param("backend", bk)));
            collect(us, run(base(forks, warmup, iterations, seconds).include(KernelJmh.class.getName() + ".sgemmL0$")
                    .param("net", SGEMM_NET).param("batch", batches).param("backend", bk)));
        }
        System.out.println();
        System.out.println("load average at end: " + ScaleBench.loadAverage());
        System.out.println();
        System.out.println("| network | batch | backend | step µs | samples/s | gemm GF/s | eff GF/s | sgemm L0 µs | sgemm GF/s | kernel/sgemm | eff/sgemm |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        int[] big = KernelJmh.sizes(SGEMM_NET);
        for (String net : NETS) {
            int[] s = KernelJmh.sizes(net);
            long w = 0;
            for (int l = 0; l + 1 < s.length; l++) w += (long) s[l] * s[l + 1];
            long w0 = (long) s[0] * s[1];
            for (String batch : batches) {
                int b = Integer.parseInt(batch);
                for (String backend : bk) {
                    List<Double> g = us.get("gradient|" + net + "|" + batch + "|" + backend);
                    List<Double> q = us.get("sgemmL0|" + SGEMM_NET + "|" + batch + "|" + backend);
                    if (g == null) continue;
                    double t = ScaleBench.median(g.stream().mapToDouble(Double::doubleValue).toArray());
                    double gemm = (4.0 * w + 2.0 * (w - w0)) * b / t / 1e3;
                    double eff = 6.0 * w * b / t / 1e3;
                    double tq = q == null ? Double.NaN : ScaleBench.median(q.stream().mapToDouble(Double::doubleValue).toArray());
                    double sg = 6.0 * big[0] * big[1] * b / tq / 1e3;
                    System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %,.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |%n",
                            net.replace(',', '-'), b, backend, t, b / t * 1e6, gemm, eff, tq, sg, gemm / sg, eff / sg);
                }
            }
        }
    }

    private static ChainedOptionsBuilder base(int forks, int warmup, int iterations, double seconds) {
        TimeValue tv = TimeValue.milliseconds((long) (seconds * 1000));
        return new OptionsBuilder().forks(forks).warmupIterations(warmup).warmupTime(tv).measurementIterations(iterations)
                .measurementTime(tv).threads(1).verbosity(VerboseMode.NORMAL).shouldFailOnError(true);
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder o) throws RunnerException {
        return new Runner(o.build()).run();
    }

    private static void collect(Map<String, List<Double>> us, Collection<RunResult> results) {
        for (RunResult r : results) {
            var p = r.getParams();
            String label = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            String key = label + "|" + p.getParam("net") + "|" + p.getParam("batch") + "|" + p.getParam("backend");
            us.computeIfAbsent(key, k -> new ArrayList<>()).add(r.getPrimaryResult().getScore());
        }
    }
}
