package io.sparkmlp.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Single-threaded sgemm GFLOP/s (2·m·n·k per call) of every transposition pair at given
 * column-major shapes, per netlib implementation: which layout of the operands is fast.
 *
 * <p>Usage: {@code SgemmFlags [m,n,k ...]}; defaults to the three products of the first layer of
 * 784-256-128-10 at batch 128 and 1024, as {@code BlasBackend} issues them.
 */
public final class SgemmFlags {

    private SgemmFlags() {
    }

    public static void main(String[] args) {
        List<int[]> shapes = new ArrayList<>();
        for (String a : args) {
            String[] p = a.split(",");
            shapes.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])});
        }
        if (shapes.isEmpty()) {
            for (int b : new int[] {128, 1024}) {
                shapes.add(new int[] {256, b, 784});   // forward: Zt = op(W)·Xt
                shapes.add(new int[] {784, 256, b});   // weight gradient: Gt = Xt·op(D)
                shapes.add(new int[] {784, b, 256});   // input gradient (layer-0 shape): DXt = Wt·Dt
            }
            shapes.add(new int[] {256, 512, 784});     // DESIGN.md reference product
        }
        List<BLAS> impls = new ArrayList<>();
        impls.add(JavaBLAS.getInstance());
        try {
            impls.add(NativeBLAS.getInstance());
        } catch (Throwable t) {
            System.out.println("native BLAS not available: " + t.getMessage());
        }
        String[][] flags = {{"N", "N"}, {"N", "T"}, {"T", "N"}, {"T", "T"}};
        Random rnd = new Random(1);
        System.out.printf("%-22s %-8s %8s %8s %8s %8s   (GFLOP/s, median of 5)%n", "impl", "m,n,k", "NN", "NT", "TN", "TT");
        for (BLAS blas : impls) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(rnd, m * k), b = random(rnd, k * n), c = new float[m * n];
                double[] med = new double[4];
                // warm-up all four, then 5 alternating rounds
                for (int f = 0; f < 4; f++) time(blas, flags[f], m, n, k, a, b, c, 1.0);
                double[][] rates = new double[4][5];
                for (int round = 0; round < 5; round++) {
                    for (int f = 0; f < 4; f++) rates[f][round] = time(blas, flags[f], m, n, k, a, b, c, 0.2);
                }
                for (int f = 0; f < 4; f++) {
                    Arrays.sort(rates[f]);
                    med[f] = rates[f][2];
                }
                System.out.printf("%-22s %-8s %8.1f %8.1f %8.1f %8.1f%n", blas.getClass().getSimpleName(),
                        m + "," + n + "," + k, med[0], med[1], med[2], med[3]);
            }
        }
    }

    private static double time(BLAS blas, String[] f, int m, int n, int k, float[] a, float[] b, float[] c, double seconds) {
        int lda = f[0].equals("N") ? m : k;
        int ldb = f[1].equals("N") ? k : n;
        long calls = 0;
        long t0 = System.nanoTime(), t;
        do {
            blas.sgemm(f[0], f[1], m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, m);
            calls++;
            t = System.nanoTime();
        } while (t - t0 < seconds * 1e9);
        return 2.0 * m * n * k * calls / (t - t0);
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextFloat() - 0.5f;
        return v;
    }
}
