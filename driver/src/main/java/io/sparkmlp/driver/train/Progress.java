package io.sparkmlp.driver.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line: step/total, epoch, running training loss, last validation metric,
 * samples/s and ETA. Printed at most every {@code minIntervalMillis} and always at the end.
 */
final class Progress {

    private final PrintStream out;
    private final long totalSteps;
    private final long minIntervalMillis;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos;
    private String lastValidation = "-";
    private double elapsedBefore;

    Progress(PrintStream out, long totalSteps, long minIntervalMillis) {
        this.out = out;
        this.totalSteps = totalSteps;
        this.minIntervalMillis = minIntervalMillis;
    }

    void validation(String metric) {
        lastValidation = metric;
    }

    /** Continues a resumed run: {@code seconds} of training before this process count as elapsed. */
    void resumeAfter(double seconds) {
        elapsedBefore = seconds;
    }

    /** Training time so far, including that before a resume. */
    double elapsedSeconds() {
        return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    void step(long stepsDone, double epoch, double runningLoss, long samples, boolean force) {
        long now = System.nanoTime();
        if (!force && (now - lastPrintNanos) / 1_000_000 < minIntervalMillis) return;
        lastPrintNanos = now;
        double elapsed = elapsedSeconds();
        double rate = elapsed > 0 ? samples / elapsed : 0;
        double eta = stepsDone > 0 ? elapsed / stepsDone * (totalSteps - stepsDone) : Double.NaN;
        out.println(String.format(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.4f  val %s  %,.0f samples/s  ETA %s",
                stepsDone, totalSteps, epoch, runningLoss, lastValidation, rate, formatDuration(eta)));
        out.flush();
    }

    static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds)) return "-";
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
