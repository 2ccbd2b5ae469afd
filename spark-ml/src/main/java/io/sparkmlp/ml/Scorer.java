package io.sparkmlp.ml;

import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelCodec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A model's {@code transform} of one partition: rows go through the kernel {@value #CHUNK} at a time.
 * Each chunk's features are copied into one float block (reused, as are the kernel's buffers and the
 * output block), standardised as the model says, run forward once, and the rows come out with every
 * input column and the new ones after them.
 *
 * <p>Classification columns, from the network's probabilities {@code p} (softmax outputs; for one
 * sigmoid output {@code (1 − p, p)}): {@code probability = p}, {@code rawPrediction = ln p} (so that
 * {@code softmax(rawPrediction) = probability}), {@code prediction} = the class of the largest
 * probability (one output: {@code p ≥ 0.5}), as the CLI's predict decides. Regression: the output in
 * target units, {@code o·targetStd + targetMean}.
 */
final class Scorer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows per forward pass. */
    static final int CHUNK = MlpKernel.CHUNK_ROWS;

    /** What each appended column holds. */
    enum Out { PREDICTION, RAW, PROBABILITY }

    private final byte[] model;
    private final int featuresAt;
    private final Out[] appended;
    private final double[] thresholds;

    /**
     * @param model the model file's bytes ({@link ModelCodec})
     * @param featuresAt the index of the features (a Vector) in the input rows
     * @param thresholds spark.ml's class thresholds {@code t}, or null: then the prediction is the class
     *        of {@code max p_c / t_c} (as {@code ProbabilisticClassificationModel} decides with thresholds)
     * @param appended the columns appended to each row, in order
     */
    Scorer(byte[] model, int featuresAt, double[] thresholds, Out... appended) {
        this.model = model;
        this.featuresAt = featuresAt;
        this.thresholds = thresholds;
        this.appended = appended;
    }

    /** The rows of one partition, scored. */
    Iterator<Row> apply(Iterator<Row> rows) {
        return new Chunks(ModelCodec.decode(model, "model"), rows);
    }

    /** The class of {@code max p_c / t_c} (t_c = 0: that class wins), the first on ties. */
    static int thresholded(double[] p, double[] t) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < p.length; c++) {
            double v = t[c] == 0 ? Double.POSITIVE_INFINITY : p[c] / t[c];
            if (v > bestValue) {
                best = c;
                bestValue = v;
            }
        }
        return best;
    }

    /** The network's outputs for one row: probabilities (classification) or the value in target units. */
    static double[] score(Model m, Vector features) {
        int n = m.architecture().inputSize();
        int k = m.architecture().outputSize();
        float[] x = new float[n];
        copy(features, x, 0, n);
        m.standardize(x, 0, 1);
        float[] o = new float[k];
        new MlpKernel(m.architecture(), Backend.AUTO).predict(x, 0, 1, m.parameters().flat(), o, 0);
        if (m.classLabels().isEmpty()) {
            return new double[] {m.targetScaling() == null ? o[0] : m.targetScaling().unscale(o[0])};
        }
        return probabilities(o, 0, k);
    }

    static double[] probabilities(float[] o, int off, int k) {
        if (k == 1) return new double[] {1.0 - o[off], o[off]};
        double[] p = new double[k];
        for (int j = 0; j < k; j++) p[j] = o[off + j];
        return p;
    }

    static double[] logs(double[] p) {
        double[] r = new double[p.length];
        for (int j = 0; j < p.length; j++) r[j] = Math.log(p[j]);
        return r;
    }

    /** Writes the vector's {@code n} values as floats at {@code x[off..]}. */
    static void copy(Vector v, float[] x, int off, int n) {
        if (v.size() != n) {
            throw new IllegalArgumentException("features: a vector of size " + v.size() + ", expected " + n
                    + " (the model's input size)");
        }
        if (v instanceof DenseVector d) {
            double[] values = d.values();
            for (int j = 0; j < n; j++) x[off + j] = (float) values[j];
        } else {
            SparseVector s = (SparseVector) v;
            Arrays.fill(x, off, off + n, 0f);
            int[] idx = s.indices();
            double[] values = s.values();
            for (int i = 0; i < idx.length; i++) x[off + idx[i]] = (float) values[i];
        }
    }

    /** The scored rows, one chunk ahead. */
    private final class Chunks implements Iterator<Row> {
        private final Model m;
        private final Iterator<Row> in;
        private final MlpKernel kernel;
        private final float[] params;
        private final int n;
        private final int k;
        private final boolean regression;
        private final float[] x;
        private final float[] out;
        private final Row[] rows = new Row[CHUNK];
        private int size;
        private int next;

        Chunks(Model m, Iterator<Row> in) {
            this.m = m;
            this.in = in;
            this.kernel = new MlpKernel(m.architecture(), Backend.AUTO);
            this.params = m.parameters().flat();
            this.n = m.architecture().inputSize();
            this.k = m.architecture().outputSize();
            this.regression = m.classLabels().isEmpty();
            this.x = new float[CHUNK * n];
            this.out = new float[CHUNK * k];
        }

        @Override
        public boolean hasNext() {
            if (next < size) return true;
            size = 0;
            next = 0;
            while (size < CHUNK && in.hasNext()) {
                Row r = in.next();
                Object f = r.get(featuresAt);
                if (!(f instanceof Vector v)) {
                    throw new IllegalArgumentException("features: found " + f + ", expected a vector of size " + n);
                }
                copy(v, x, size * n, n);
                rows[size++] = r;
            }
            if (size == 0) return false;
            m.standardize(x, 0, size);
            kernel.predict(x, 0, size, params, out, 0);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            int i = next++;
            Row r = rows[i];
            rows[i] = null;
            int width = r.length();
            Object[] values = new Object[width + appended.length];
            for (int c = 0; c < width; c++) values[c] = r.get(c);
            if (regression) {
                float o = out[i * k];
                values[width] = (double) (m.targetScaling() == null ? o : m.targetScaling().unscale(o));
                return RowFactory.create(values);
            }
            double[] p = probabilities(out, i * k, k);
            DenseVector probability = new DenseVector(p);
            for (int c = 0; c < appended.length; c++) {
                values[width + c] = switch (appended[c]) {
                    case PREDICTION -> (double) (thresholds != null ? thresholded(p, thresholds)
                            : MlpKernel.predictedClass(out, i * k, k));
                    case RAW -> new DenseVector(logs(p));
                    case PROBABILITY -> probability;
                };
            }
            return RowFactory.create(values);
        }
    }
}
