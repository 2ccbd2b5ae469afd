package io.sparkmlp.driver.output;

import io.sparkmlp.kernel.io.PrintableText;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive lock of a run on its output directory: the file {@value #FILE}, created in one atomic step
 * ({@link FsPath#createNew}) and holding the run's id, host, process id and start time; removed when the run ends,
 * however it ends. A lock left by a run that died is never taken over silently: the refusal says how to remove it.
 */
public final class RunLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    /** The lock file's name (with {@code _}, as Hadoop's {@code _SUCCESS}: input listings skip it). */
    public static final String FILE = "_sparkmlp.lock";

    private final FsPath file;
    private final String text;
    private boolean released;

    private RunLock(FsPath file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * Takes the lock of {@code dir} (an existing directory).
     *
     * @throws RunOutput.OutputDirectoryException naming the lock file and its holder when another run holds it
     */
    static RunLock acquire(FsPath dir) throws IOException {
        return acquire(dir, false);
    }

    /**
     * Takes the lock of {@code dir}; with {@code takeOverStale} (a resume of a run that died), a lock whose holder ran
     * on this host and is no longer running is replaced, with a warning: the run being resumed is the one that left
     * it. A lock of another host, or of a process still alive, is never taken over.
     */
    static RunLock acquire(FsPath dir, boolean takeOverStale) throws IOException {
        FsPath file = dir.resolve(FILE);
        if (takeOverStale && file.exists() && isStale(file)) {
            LOG.warn("{}: taking over the lock of a run on this host that is no longer running ({})", file,
                    printable(new String(file.readAll(4096), StandardCharsets.UTF_8).strip()));
            file.delete();
        }
        return create(dir, file);
    }

    private static RunLock create(FsPath dir, FsPath file) throws IOException {
        Map<String, String> holder = new LinkedHashMap<>();
        holder.put("run", UUID.randomUUID().toString());
        holder.put("host", host());
        holder.put("pid", Long.toString(ProcessHandle.current().pid()));
        holder.put("started", Instant.now().toString());
        StringBuilder sb = new StringBuilder();
        holder.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        String text = sb.append('\n').toString();
        if (!file.createNew(text.getBytes(StandardCharsets.UTF_8))) throw refusal(dir, file);
        return new RunLock(file, text);
    }

    /**
     * The one-line refusal: who holds the lock; for a holder on this host whose process is gone, that the lock is
     * stale and how to remove it.
     */
    private static RunOutput.OutputDirectoryException refusal(FsPath dir, FsPath file) {
        String content;
        boolean stale = false;
        try {
            content = holderText(file);
            stale = isStale(fields(content));
        } catch (IOException | RuntimeException e) {
            content = "unreadable: " + e.getMessage();
        }
        String shown = printable(content);
        if (stale) {
            return new RunOutput.OutputDirectoryException("output.dir = " + dir + ": locked by a run that is no longer"
                    + " running (" + file + ": " + shown + "); expected no lock: if no run is writing " + dir
                    + ", delete " + file + " and start again");
        }
        return new RunOutput.OutputDirectoryException("output.dir = " + dir + ": locked by another run (" + file + ": "
                + shown + "); expected a directory no other run is writing (wait for that run or choose another"
                + " output.dir; if that run has died, delete " + file + ")");
    }

    /**
     * The holder's line. The file is created before its line is written (on every file system), so a run refused in
     * that instant can read it empty: it reads again for up to a second before it shows what it found.
     */
    private static String holderText(FsPath file) throws IOException {
        String content = new String(file.readAll(4096), StandardCharsets.UTF_8).strip();
        for (int i = 0; content.isEmpty() && i < 50; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            content = new String(file.readAll(4096), StandardCharsets.UTF_8).strip();
        }
        return content;
    }

    /** Whether the lock's holder ran on this host and its process is gone. */
    private static boolean isStale(FsPath file) {
        try {
            return isStale(fields(new String(file.readAll(4096), StandardCharsets.UTF_8).strip()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isStale(Map<String, String> fields) {
        return fields.containsKey("pid") && host().equals(fields.get("host"))
                && ProcessHandle.of(Long.parseLong(fields.get("pid"))).isEmpty();
    }

    private static Map<String, String> fields(String content) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : content.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return fields;
    }

    /** Removes the lock if it is still this run's; a failure to remove it is logged (the run's outcome stands). */
    @Override
    public void close() {
        if (released) return;
        released = true;
        try {
            if (file.exists() && new String(file.readAll(4096), StandardCharsets.UTF_8).equals(text)) {
                file.delete();
            } else {
                LOG.warn("{}: the lock is no longer this run's; left as it is", file);
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot remove the lock ({}); delete it before the next run in this directory", file, e.toString());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The file's text for a message: escaped ({@link PrintableText#escape}), at most 200 characters. */
    private static String printable(String s) {
        String shown = PrintableText.escape(s.length() > 200 ? s.substring(0, 200) : s);
        return s.length() > 200 ? shown + "..." : shown;
    }
}
