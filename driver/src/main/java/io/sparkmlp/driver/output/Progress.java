package io.sparkmlp.driver.output;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Where training is: step/total, epoch, running mean training loss, last validation metric,
 * samples/s and ETA. On a terminal, one bar redrawn in place (carriage return) at most every
 * {@value #BAR_INTERVAL_MILLIS} ms; otherwise (spark-submit logs, CI, tests) a plain line at most
 * every {@value #LOG_INTERVAL_MILLIS} ms. Both always show the last step.
 */
public final class Progress {

    static final long BAR_INTERVAL_MILLIS = 200;
    static final long LOG_INTERVAL_MILLIS = 2000;

    private final PrintStream out;
    private final long totalSteps;
    private final long minIntervalMillis;
    private final boolean bar;
    private final int width;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos;
    private boolean barShown;
    private String lastValidation = "-";
    private double elapsedBefore;

    Progress(PrintStream out, long totalSteps, long minIntervalMillis, boolean bar, int width) {
        this.out = out;
        this.totalSteps = totalSteps;
        this.minIntervalMillis = minIntervalMillis;
        this.bar = bar;
        this.width = width;
    }

    /** A bar when {@code out} is the terminal's stdout, log lines otherwise. */
    public static Progress forStream(PrintStream out, long totalSteps) {
        boolean terminal = out == System.out && System.console() != null;
        return terminal ? new Progress(out, totalSteps, BAR_INTERVAL_MILLIS, true, terminalWidth())
                : new Progress(out, totalSteps, LOG_INTERVAL_MILLIS, false, 0);
    }

    /** {@code $COLUMNS} when the shell exports it, else 100. */
    static int terminalWidth() {
        try {
            String c = System.getenv("COLUMNS");
            return c == null ? 100 : Math.max(40, Integer.parseInt(c.trim()));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    public void validation(String metric) {
        lastValidation = metric;
    }

    /** Continues a resumed run: {@code seconds} of training before this process count as elapsed. */
    public void resumeAfter(double seconds) {
        elapsedBefore = seconds;
    }

    /** Training time so far, including that before a resume. */
    public double elapsedSeconds() {
        return elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    public void step(long stepsDone, double epoch, double runningLoss, long samples, boolean force) {
        long now = System.nanoTime();
        if (!force && (now - lastPrintNanos) / 1_000_000 < minIntervalMillis) return;
        lastPrintNanos = now;
        double elapsed = elapsedSeconds();
        double rate = elapsed > 0 ? samples / elapsed : 0;
        double eta = stepsDone > 0 ? elapsed / stepsDone * (totalSteps - stepsDone) : Double.NaN;
        String text = String.format(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.4f  val %s  %,.0f samples/s  ETA %s",
                stepsDone, totalSteps, epoch, runningLoss, lastValidation, rate, formatDuration(eta));
        if (bar) {
            out.print('\r' + barLine(text, stepsDone, totalSteps, width));
            barShown = true;
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Ends the bar's line, so that what is printed next starts on a line of its own. */
    public void finish() {
        if (barShown) {
            out.println();
            out.flush();
            barShown = false;
        }
    }

    /** {@code [#####.....]  45% text}, fitted to {@code width − 1} columns (the bar shrinks first, then the text is cut). */
    static String barLine(String text, long done, long total, int width) {
        double f = total > 0 ? Math.min(1, (double) done / total) : 1;
        String pct = String.format(Locale.ROOT, "%3d%% ", (int) Math.floor(f * 100));
        int barWidth = Math.max(10, Math.min(40, width - 1 - text.length() - pct.length() - 3));
        int filled = (int) Math.round(f * barWidth);
        String line = "[" + "#".repeat(filled) + ".".repeat(barWidth - filled) + "] " + pct + text;
        return line.length() > width - 1 ? line.substring(0, width - 1) : line + " ".repeat(width - 1 - line.length());
    }

    static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds)) return "-";
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
