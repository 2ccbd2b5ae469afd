package io.sparkmlp.driver.report;

import io.sparkmlp.driver.data.Block;
import io.sparkmlp.driver.data.FeatureScaling;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * What a 2-feature classifier predicts over the plane, and a sample of labelled points to draw
 * on it. The grid spans the sampled points (plus a margin) in the standardised space the network
 * sees; coordinates are returned in the data's own units.
 *
 * @param gridX x of each grid point (data units)
 * @param gridY y of each grid point (data units)
 * @param gridClass the predicted class of each grid point
 * @param pointX x of each sampled point (data units)
 * @param pointY y of each sampled point
 * @param pointClass the true class of each sampled point
 * @param source which split the points come from ({@code test}, {@code validation} or {@code training})
 */
public record DecisionBoundary(double[] gridX, double[] gridY, int[] gridClass, double[] pointX, double[] pointY,
                               int[] pointClass, String source) {

    /** Grid points per axis. */
    static final int GRID = 90;
    /** At most this many points are collected to the driver. */
    static final int MAX_POINTS = 3000;

    /**
     * The boundary of a trained 2-feature classifier.
     *
     * @param blocks standardised blocks the points are sampled from (every ⌈n/share⌉-th row of each partition)
     * @param scaling the standardisation the blocks carry, null when off
     * @param params trained weights. Not modified.
     */
    public static DecisionBoundary compute(JavaRDD<Block> blocks, String source, Architecture arch, Backend backend,
                                           FeatureScaling scaling, float[] params) {
        if (arch.inputSize() != 2) throw new IllegalArgumentException("a decision boundary needs 2 features, the network takes " + arch.inputSize());
        int share = Math.max(1, (MAX_POINTS + blocks.getNumPartitions() - 1) / blocks.getNumPartitions());
        List<float[]> parts = blocks.mapPartitions(it -> {
            if (!it.hasNext()) return Collections.<float[]>emptyIterator();
            Block b = it.next();
            int stride = Math.max(1, (b.rows() + share - 1) / share);
            int n = (b.rows() + stride - 1) / stride;
            float[] out = new float[n * 3];
            for (int i = 0, r = 0; r < b.rows(); r += stride, i++) {
                out[3 * i] = b.x()[2 * r];
                out[3 * i + 1] = b.x()[2 * r + 1];
                out[3 * i + 2] = b.y()[r];
            }
            return Collections.singletonList(out).iterator();
        }).collect();
        int total = parts.stream().mapToInt(p -> p.length / 3).sum();
        double[] px = new double[total], py = new double[total];
        int[] pc = new int[total];
        float minX = Float.POSITIVE_INFINITY, maxX = Float.NEGATIVE_INFINITY, minY = minX, maxY = maxX;
        int i = 0;
        float[] mean = scaling == null ? null : scaling.mean();
        float[] std = scaling == null ? null : scaling.std();
        for (float[] p : parts) {
            for (int j = 0; j < p.length; j += 3, i++) {
                minX = Math.min(minX, p[j]);
                maxX = Math.max(maxX, p[j]);
                minY = Math.min(minY, p[j + 1]);
                maxY = Math.max(maxY, p[j + 1]);
                px[i] = unscale(p[j], mean, std, 0);
                py[i] = unscale(p[j + 1], mean, std, 1);
                pc[i] = (int) p[j + 2];
            }
        }
        if (total == 0) {
            minX = minY = -1;
            maxX = maxY = 1;
        }
        float mx = 0.1f * Math.max(maxX - minX, 1e-3f), my = 0.1f * Math.max(maxY - minY, 1e-3f);
        minX -= mx;
        maxX += mx;
        minY -= my;
        maxY += my;
        int n = GRID * GRID;
        float[] grid = new float[2 * n];
        double[] gx = new double[n], gy = new double[n];
        for (int a = 0; a < GRID; a++) {
            for (int b = 0; b < GRID; b++) {
                int k = a * GRID + b;
                float x = minX + (maxX - minX) * b / (GRID - 1);
                float y = minY + (maxY - minY) * a / (GRID - 1);
                grid[2 * k] = x;
                grid[2 * k + 1] = y;
                gx[k] = unscale(x, mean, std, 0);
                gy[k] = unscale(y, mean, std, 1);
            }
        }
        int k = arch.outputSize();
        float[] out = new float[n * k];
        new MlpKernel(arch, backend).predict(grid, 0, n, params, out, 0);
        int[] gc = new int[n];
        for (int g = 0; g < n; g++) gc[g] = MlpKernel.predictedClass(out, g * k, k);
        return new DecisionBoundary(gx, gy, gc, px, py, pc, source);
    }

    private static double unscale(float z, float[] mean, float[] std, int feature) {
        return mean == null ? z : (double) z * std[feature] + mean[feature];
    }
}
