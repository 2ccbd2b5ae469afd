package io.sparkmlp.driver.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;

/**
 * scikit-learn's {@code make_classification}, row by row.
 *
 * <p>With {@code I} informative, {@code R} redundant and {@code P} repeated features among {@code F}, and
 * {@code C = classes · clustersPerClass} clusters, cluster {@code c} belonging to class {@code c mod classes}:
 * <pre>
 *   μ_c  = a distinct vertex of {−s, +s}^I, s = classSep   (hypercube = false: μ_c·u_c ⊙ v, u_c, v_j ~ U[0, 1))
 *   A_c  ~ U[−1, 1)^(I×I),  B ~ U[−1, 1)^(I×R)
 *   row of cluster c:  x_inf = z·A_c + μ_c,  z ~ N(0, I_I)      (cluster covariance A_cᵀA_c)
 *                      x_red = x_inf·B,  x_rep = copies of columns ⌊(I+R−1)·u + ½⌋ of (x_inf, x_red)
 *                      the other F − I − R − P features ~ N(0, 1)
 *   label: the cluster's class; with probability flipY, a class drawn uniformly (possibly the same)
 *   x ← (x + shift) · scale        (per feature; random: shift_j ~ U[−s, s), scale_j ~ U[1, 101))
 * </pre>
 * The class of a row is drawn with the class weights (uniform without), its cluster uniformly within the
 * class.
 *
 * <p>What cannot carry over from scikit-learn: it draws centroids, maps and then every row from one global
 * generator, assigns exact per-cluster counts ({@code ⌊N·w_k / clustersPerClass⌋} plus remainders) and
 * shuffles rows and columns. Here the centroids, maps, redundant combination, repeated columns, shift and
 * scale are drawn from the seed alone (the same in every task), each row from its own stream, so class and
 * cluster counts are multinomial (proportions within sampling error of the weights), and the columns stay in
 * order: informative, redundant, repeated, noise. So the same seed does not give scikit-learn's numbers,
 * but the same distribution.
 */
final class ClassificationRows implements SyntheticRows {
    private static final long serialVersionUID = 1L;

    private final int classes;
    private final int clustersPerClass;
    private final int informative;
    private final int redundant;
    private final int features;
    /** Cumulative class proportions, last = 1; null: uniform. */
    private final double[] cumulative;
    private final double flipY;
    /** C × I, row-major. */
    private final double[] centroids;
    /** C × I × I: the map of cluster c, A_c[i][j] at (c·I + i)·I + j. */
    private final double[] maps;
    /** I × R, row-major. */
    private final double[] redundantMap;
    /** Source column of each repeated feature. */
    private final int[] repeatedFrom;
    private final double[] shift;
    private final double[] scale;

    ClassificationRows(SyntheticOptions o, SplittableRandom setup) {
        classes = o.classes();
        clustersPerClass = o.clustersPerClass();
        informative = o.informative();
        redundant = o.redundant();
        features = o.features();
        flipY = o.flipY();
        int clusters = classes * clustersPerClass;
        if (informative + redundant + o.repeated() > features
                || (informative < 62 && (long) clusters > 1L << informative)) {
            throw new IllegalArgumentException("classification needs informative + redundant + repeated <= features"
                    + " and classes x clustersPerClass <= 2^informative, found " + o);
        }
        cumulative = cumulative(o.weights(), classes);

        centroids = new double[clusters * informative];
        Set<BitSet> used = new HashSet<>();
        for (int c = 0; c < clusters; c++) {
            BitSet vertex;
            do {
                vertex = new BitSet(informative);
                for (int j = 0; j < informative; j++) {
                    vertex.set(j, setup.nextBoolean());
                }
            } while (!used.add(vertex));
            for (int j = 0; j < informative; j++) {
                centroids[c * informative + j] = vertex.get(j) ? o.classSep() : -o.classSep();
            }
        }
        if (!o.hypercube()) {
            for (int c = 0; c < clusters; c++) {
                double u = setup.nextDouble();
                for (int j = 0; j < informative; j++) {
                    centroids[c * informative + j] *= u;
                }
            }
            for (int j = 0; j < informative; j++) {
                double v = setup.nextDouble();
                for (int c = 0; c < clusters; c++) {
                    centroids[c * informative + j] *= v;
                }
            }
        }
        maps = uniformSigned(setup, clusters * informative * informative);
        redundantMap = uniformSigned(setup, informative * redundant);
        repeatedFrom = new int[o.repeated()];
        for (int p = 0; p < repeatedFrom.length; p++) {
            repeatedFrom[p] = (int) ((informative + redundant - 1) * setup.nextDouble() + 0.5);
        }
        shift = new double[features];
        scale = new double[features];
        for (int j = 0; j < features; j++) {
            shift[j] = Double.isNaN(o.shift()) ? (2 * setup.nextDouble() - 1) * o.classSep() : o.shift();
        }
        for (int j = 0; j < features; j++) {
            scale[j] = Double.isNaN(o.scale()) ? 1 + 100 * setup.nextDouble() : o.scale();
        }
    }

    /** Cumulative proportions of {@code classes} classes from as many weights (scaled to sum 1) or one fewer. */
    static double[] cumulative(List<Double> weights, int classes) {
        if (weights.isEmpty()) {
            return null;
        }
        List<Double> w = new ArrayList<>(weights);
        if (w.size() == classes - 1) {
            w.add(Math.max(0, 1 - w.stream().mapToDouble(Double::doubleValue).sum()));
        }
        double sum = w.stream().mapToDouble(Double::doubleValue).sum();
        if (w.size() != classes || !(sum > 0)) {
            throw new IllegalArgumentException("weights needs " + classes + " or " + (classes - 1)
                    + " proportions with a positive sum, found " + weights);
        }
        double[] c = new double[classes];
        double acc = 0;
        for (int k = 0; k < classes; k++) {
            acc += w.get(k);
            c[k] = acc / sum;
        }
        c[classes - 1] = 1;
        return c;
    }

    private static double[] uniformSigned(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 2 * r.nextDouble() - 1;
        }
        return a;
    }

    /** Centre of cluster {@code cluster}, coordinate {@code j}; cluster c belongs to class c mod classes. */
    double centroid(int cluster, int j) {
        return centroids[cluster * informative + j];
    }

    /** The weight of informative feature {@code i} in redundant feature {@code j}. */
    double redundantWeight(int i, int j) {
        return redundantMap[i * redundant + j];
    }

    /** The column that repeated feature {@code p} copies. */
    int repeatedFrom(int p) {
        return repeatedFrom[p];
    }

    @Override
    public float row(SplittableRandom r, float[] x, int off) {
        int k;
        if (cumulative == null) {
            k = r.nextInt(classes);
        } else {
            double u = r.nextDouble();
            k = 0;
            while (cumulative[k] <= u) {
                k++;
            }
        }
        int c = r.nextInt(clustersPerClass) * classes + k;
        double[] v = new double[features];
        double[] z = new double[informative];
        for (int i = 0; i < informative; i++) {
            z[i] = r.nextGaussian();
        }
        int a = c * informative * informative;
        for (int j = 0; j < informative; j++) {
            double s = centroids[c * informative + j];
            for (int i = 0; i < informative; i++) {
                s += z[i] * maps[a + i * informative + j];
            }
            v[j] = s;
        }
        for (int j = 0; j < redundant; j++) {
            double s = 0;
            for (int i = 0; i < informative; i++) {
                s += v[i] * redundantMap[i * redundant + j];
            }
            v[informative + j] = s;
        }
        int n = informative + redundant;
        for (int p = 0; p < repeatedFrom.length; p++) {
            v[n + p] = v[repeatedFrom[p]];
        }
        for (int j = n + repeatedFrom.length; j < features; j++) {
            v[j] = r.nextGaussian();
        }
        if (flipY > 0 && r.nextDouble() < flipY) {
            k = r.nextInt(classes);
        }
        for (int j = 0; j < features; j++) {
            x[off + j] = (float) ((v[j] + shift[j]) * scale[j]);
        }
        return k;
    }
}
