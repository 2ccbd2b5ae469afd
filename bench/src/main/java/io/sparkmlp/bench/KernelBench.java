package io.sparkmlp.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MatrixBackend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Single-threaded speed of {@link MlpKernel#gradient} against the raw matrix products of its
 * backend, for each backend (EJML reference, netlib pure-Java, our Vector API sgemm, native BLAS
 * when present).
 *
 * <p>What is counted, per gradient step of a batch of B rows over weights
 * {@code W = Σ_l n_in·n_out}:
 * <ul>
 *   <li><b>eff GF/s</b>: the nominal {@code 6·W·B} flops (2 forward, 2 weight gradient, 2 input
 *       gradient) per step time. This is the issue's definition; it overstates the work done,
 *       because layer 0 skips its input gradient.</li>
 *   <li><b>gemm GF/s</b>: the product flops the kernel really issues,
 *       {@code 2·W·B + 2·W·B + 2·(W − W_0)·B}, per step time (biases, activations, softmax and
 *       loss not counted).</li>
 *   <li><b>sgemm L0</b>: the backend's own three product calls at layer 0's shape (forward
 *       {@code B×n_0 · n_0×n_1}, weight gradient, input gradient), exactly as the kernel issues
 *       them (same transposition flags), timed one by one; the combined rate is
 *       {@code 3·2·n_0·n_1·B} over the sum of the three times.</li>
 *   <li><b>gemm/sgemm</b>: gemm GF/s ÷ sgemm L0 — how close the kernel runs to its backend's
 *       product speed (the issue's target: ≥ 0.70). <b>eff/sgemm</b> uses the nominal count.</li>
 *   <li><b>ref 256×784·784×512</b>: one plain product per backend (column-major NN sgemm;
 *       EJML {@code mult}; the vector backend's row-major {@code inputGradient}, which is
 *       {@code C = A·B}), the reference shape of DESIGN.md.</li>
 * </ul>
 * Each measurement runs the operation repeatedly for {@code --seconds}; after a warm-up round,
 * {@code --rounds} rounds are run, visiting backends in a rotated order each round, and the
 * median of the rounds is printed, with the bytes the thread allocated per step after them.
 *
 * <p>Options: {@code --rounds N} (7), {@code --seconds S} (0.25), {@code --warmup S} (1.5),
 * {@code --backends ejml,java,vector,native} (all available), {@code --batches 128,1024}.
 */
public final class KernelBench {

    private record Net(String name, int[] sizes) {
        long weights() {
            long w = 0;
            for (int l = 0; l + 1 < sizes.length; l++) w += (long) sizes[l] * sizes[l + 1];
            return w;
        }

        long layer0Weights() {
            return (long) sizes[0] * sizes[1];
        }
    }

    /** One timed operation; returns nothing so the loop does not allocate. */
    /** One timed call. */
    interface Op {
        void run();
    }

    /** Everything one (network, batch, backend) cell needs, allocated once. */
    private static final class Cell {
        final Net net;
        final int batch;
        final Backend backend;
        final MlpKernel kernel;
        final MatrixBackend products;
        final float[] x, labels, params, grad;
        final float[] w0, z0, d0, g0, dx0;
        final Map<String, List<Double>> seconds = new TreeMap<>();
        double lossSink;

        Cell(Net net, int batch, Backend backend, long seed) {
            this.net = net;
            this.batch = batch;
            this.backend = backend;
            Architecture arch = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, net.sizes);
            this.kernel = new MlpKernel(arch, backend);
            this.products = backend.create();
            Random rnd = new Random(seed);
            int n0 = net.sizes[0], n1 = net.sizes[1], k = net.sizes[net.sizes.length - 1];
            x = new float[batch * n0];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
            labels = new float[batch];
            for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(k);
            params = Parameters.initialize(arch, seed).toFlat();
            grad = new float[params.length];
            w0 = Arrays.copyOf(params, n1 * n0);
            z0 = new float[batch * n1];
            d0 = random(rnd, batch * n1);
            g0 = new float[n1 * n0];
            dx0 = new float[batch * n0];
        }

        void step() {
            lossSink += kernel.gradient(x, 0, labels, 0, batch, params, grad);
        }

        void forward0() {
            products.forward(batch, net.sizes[0], net.sizes[1], x, 0, w0, 0, 0f, z0, 0);
        }

        void weightGradient0() {
            products.weightGradient(batch, net.sizes[0], net.sizes[1], d0, 0, x, 0, 0f, g0, 0);
        }

        void inputGradient0() {
            products.inputGradient(batch, net.sizes[0], net.sizes[1], d0, 0, w0, 0, dx0, 0);
        }

        void record(String what, double s) {
            seconds.computeIfAbsent(what, key -> new ArrayList<>()).add(s);
        }

        double median(String what) {
            List<Double> v = new ArrayList<>(seconds.get(what));
            v.sort(null);
            int n = v.size();
            return n % 2 == 1 ? v.get(n / 2) : 0.5 * (v.get(n / 2 - 1) + v.get(n / 2));
        }
    }

    private KernelBench() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = 7;
        double secs = 0.25, warmup = 1.5;
        List<Backend> backends = new ArrayList<>(List.of(Backend.EJML, Backend.JAVA));
        if (Backend.vectorAvailable()) backends.add(Backend.VECTOR);
        if (Backend.nativeAvailable()) backends.add(Backend.NATIVE);
        int[] batches = {128, 1024};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> secs = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--backends" -> {
                    backends.clear();
                    for (String b : args[++i].split(",")) backends.add(Backend.parse(b));
                }
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "', expected --rounds N, --seconds S, --warmup S, --backends LIST, --batches LIST");
            }
        }
        List<Net> nets = List.of(new Net("784-256-128-10", new int[] {784, 256, 128, 10}),
                new Net("100-128-64-10", new int[] {100, 128, 64, 10}));

        printMachine(backends);
        checkGradients(nets, backends);

        List<Cell> cells = new ArrayList<>();
        for (Net net : nets) {
            for (int b : batches) {
                for (Backend be : backends) cells.add(new Cell(net, b, be, 42));
            }
        }
        System.out.printf(Locale.ROOT, "%nwarm-up %.1f s per kernel cell, then %d rounds of %.2f s per measurement...%n",
                warmup, rounds, secs);
        for (Cell c : cells) {
            time(c::step, warmup);
            time(c::forward0, warmup / 4);
            time(c::weightGradient0, warmup / 4);
            time(c::inputGradient0, warmup / 4);
        }
        int nb = backends.size();
        for (int r = 0; r < rounds; r++) {
            for (int g = 0; g < cells.size(); g += nb) {
                for (int j = 0; j < nb; j++) {
                    Cell c = cells.get(g + (j + r) % nb);   // rotate the backend order each round
                    c.record("step", time(c::step, secs));
                    c.record("fwd", time(c::forward0, secs / 2));
                    c.record("wgrad", time(c::weightGradient0, secs / 2));
                    c.record("igrad", time(c::inputGradient0, secs / 2));
                }
            }
        }

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] bytesPerStep = new long[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 10; s++) cells.get(i).step();
            bytesPerStep[i] = (threads.getCurrentThreadAllocatedBytes() - a0) / 10;
        }

        System.out.printf(Locale.ROOT, "%n%-15s %5s %-26s %10s %8s %8s %8s | %7s %7s %7s %7s | %10s %10s %10s%n",
                "network", "batch", "backend", "samples/s", "step ms", "eff GF/s", "gemm GF/s",
                "fwd", "wgrad", "igrad", "L0 all", "gemm/sgemm", "eff/sgemm", "bytes/step");
        System.out.printf(Locale.ROOT, "%-15s %5s %-26s %10s %8s %8s %8s | %-31s |%n", "", "", "", "", "", "", "",
                "  sgemm GF/s at layer 0 shape");
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            double step = c.median("step");
            double w = c.net.weights(), w0 = c.net.layer0Weights(), b = c.batch;
            double eff = 6 * w * b / step / 1e9;
            double done = (4 * w + 2 * (w - w0)) * b / step / 1e9;
            double f = c.median("fwd"), wg = c.median("wgrad"), ig = c.median("igrad");
            double one = 2 * w0 * b;
            double all = 3 * one / (f + wg + ig) / 1e9;
            System.out.printf(Locale.ROOT, "%-15s %5d %-26s %10.0f %8.2f %8.1f %8.1f | %7.1f %7.1f %7.1f %7.1f | %10.2f %10.2f %10d%n",
                    c.net.name, c.batch, shortName(c.kernel.backendName()), b / step, step * 1e3, eff, done,
                    one / f / 1e9, one / wg / 1e9, one / ig / 1e9, all, done / all, eff / all, bytesPerStep[i]);
        }
        referenceProducts(backends, rounds, secs);
    }

    private static String shortName(String name) {
        return name.length() <= 26 ? name : name.substring(0, 26);
    }

    /** Runs op until {@code seconds} have passed (at least once); returns seconds per call. */
    static double time(Op op, double seconds) {
        long calls = 0;
        long t0 = System.nanoTime(), t;
        do {
            op.run();
            calls++;
            t = System.nanoTime();
        } while (t - t0 < seconds * 1e9);
        return (t - t0) / 1e9 / calls;
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextFloat() - 0.5f;
        return v;
    }

    private static void printMachine(List<Backend> backends) throws IOException {
        String model = "?";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        }
        System.out.println("== sparkmlp kernel benchmark (single thread) ==");
        System.out.println("cpu: " + model + ", " + Runtime.getRuntime().availableProcessors() + " cores visible");
        Path loadavg = Path.of("/proc/loadavg");
        if (Files.isReadable(loadavg)) {
            System.out.println("load average at start: " + Files.readString(loadavg).trim()
                    + " (other processes on the machine distort single-thread timings)");
        }
        System.out.println("jvm: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        StringBuilder env = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(System.getenv()).entrySet()) {
            if (e.getKey().startsWith("OPENBLAS")) env.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        System.out.println("env:" + (env.length() == 0 ? " (no OPENBLAS_* variables)" : env));
        System.out.println("netlib: java=" + JavaBLAS.getInstance().getClass().getSimpleName()
                + ", native=" + (Backend.nativeAvailable() ? NativeBLAS.getInstance().getClass().getSimpleName() : "not available")
                + "; backends benchmarked: " + backends);
    }

    /** Gradients of every backend against netlib's pure-Java one, same data and parameters. */
    private static void checkGradients(List<Net> nets, List<Backend> backends) {
        System.out.println("\ngradient agreement with the pure-Java backend (batch 256):"
                + " max|g − g_java| / max|g_java|, |loss − loss_java| / loss_java");
        for (Net net : nets) {
            Cell ref = new Cell(net, 256, Backend.JAVA, 7);
            double refLoss = ref.kernel.gradient(ref.x, 0, ref.labels, 0, ref.batch, ref.params, ref.grad);
            double scale = 0;
            for (float g : ref.grad) scale = Math.max(scale, Math.abs(g));
            for (Backend be : backends) {
                if (be == Backend.JAVA) continue;
                Cell c = new Cell(net, 256, be, 7);
                double loss = c.kernel.gradient(c.x, 0, c.labels, 0, c.batch, c.params, c.grad);
                double diff = 0;
                for (int i = 0; i < c.grad.length; i++) diff = Math.max(diff, Math.abs(c.grad[i] - ref.grad[i]));
                System.out.printf(Locale.ROOT, "  %-15s %-7s grad %.2e  loss %.2e%n", net.name, be.configName(),
                        diff / scale, Math.abs(loss - refLoss) / refLoss);
            }
        }
    }

    /** 256×784 · 784×512, the DESIGN.md reference product, per backend. */
    private static void referenceProducts(List<Backend> backends, int rounds, double secs) {
        int m = 256, k = 784, n = 512;
        Random rnd = new Random(3);
        float[] a = random(rnd, m * k), b = random(rnd, k * n), c = new float[m * n];
        FMatrixRMaj ea = FMatrixRMaj.wrap(m, k, a), eb = FMatrixRMaj.wrap(k, n, b), ec = new FMatrixRMaj(m, n);
        List<Op> ops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Backend be : backends) {
            switch (be) {
                case EJML -> {
                    ops.add(() -> CommonOps_FDRM.mult(ea, eb, ec));
                    names.add("EJML CommonOps_FDRM.mult");
                }
                case JAVA, NATIVE -> {
                    BLAS blas = be == Backend.JAVA ? JavaBLAS.getInstance() : NativeBLAS.getInstance();
                    ops.add(() -> blas.sgemm("N", "N", m, n, k, 1f, a, 0, m, b, 0, k, 0f, c, 0, m));
                    names.add("netlib " + blas.getClass().getSimpleName() + " sgemm NN");
                }
                case VECTOR -> {
                    MatrixBackend vec = be.create();
                    ops.add(() -> vec.inputGradient(m, n, k, a, 0, b, 0, c, 0));   // C(m×n) = A(m×k)·B(k×n)
                    names.add(vec.name().replaceFirst(" \\(.*", "") + " A·B");
                }
                default -> { }
            }
        }
        double[][] s = new double[ops.size()][rounds];
        for (Op op : ops) time(op, 1.0);
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < ops.size(); j++) {
                int i = (j + r) % ops.size();
                s[i][r] = time(ops.get(i), secs);
            }
        }
        System.out.printf(Locale.ROOT, "%nreference product 256×784 · 784×512 (median of %d):%n", rounds);
        for (int i = 0; i < ops.size(); i++) {
            Arrays.sort(s[i]);
            System.out.printf(Locale.ROOT, "  %-34s %6.1f GFLOP/s%n", names.get(i), 2.0 * m * n * k / s[i][rounds / 2] / 1e9);
        }
    }
}
