package io.sparkmlp.driver.eval;

import java.io.Serializable;
import java.util.List;

/**
 * Sums over evaluated rows, mergeable across partitions, and the metrics they give.
 *
 * @param lossSum sum of per-row losses (the training loss)
 * @param count rows evaluated
 * @param correct rows whose predicted class is the label (classification)
 * @param squaredErrorSum Σ (prediction − target)² in the model's target units (regression)
 * @param confusion {@code classes × classes} counts, row = true class, column = predicted; null for regression
 */
public record EvalMetrics(double lossSum, long count, long correct, double squaredErrorSum, long[] confusion)
        implements Serializable {

    public static EvalMetrics sumInOrder(List<EvalMetrics> parts) {
        double loss = 0, sq = 0;
        long count = 0, correct = 0;
        long[] conf = null;
        for (EvalMetrics m : parts) {
            loss += m.lossSum;
            sq += m.squaredErrorSum;
            count += m.count;
            correct += m.correct;
            if (m.confusion != null) {
                if (conf == null) conf = new long[m.confusion.length];
                for (int i = 0; i < conf.length; i++) conf[i] += m.confusion[i];
            }
        }
        return new EvalMetrics(loss, count, correct, sq, conf);
    }

    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** Root mean squared error, {@code √(Σ(ŷ−y)²/n)}, in the original target units. */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(squaredErrorSum / count);
    }

    public int classes() {
        return confusion == null ? 0 : (int) Math.round(Math.sqrt(confusion.length));
    }

    /** Per-class precision, recall and F1 from the confusion matrix ({@code [class][0..2]}); NaN where undefined. */
    public double[][] perClass() {
        int k = classes();
        double[][] out = new double[k][3];
        for (int c = 0; c < k; c++) {
            long tp = confusion[c * k + c], predicted = 0, actual = 0;
            for (int j = 0; j < k; j++) {
                predicted += confusion[j * k + c];
                actual += confusion[c * k + j];
            }
            double precision = predicted == 0 ? Double.NaN : (double) tp / predicted;
            double recall = actual == 0 ? Double.NaN : (double) tp / actual;
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : Double.NaN;
            out[c][0] = precision;
            out[c][1] = recall;
            out[c][2] = f1;
        }
        return out;
    }
}
