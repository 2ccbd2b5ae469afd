package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.kernel.io.FramedFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoint files of a run: {@code OUTPUT_DIR/checkpoints/step-NNNNNNNNNNNN.ckpt} (the step,
 * zero-padded to 12 digits), in the {@link CheckpointCodec} format.
 *
 * <ul>
 *   <li>{@link #write} writes a file whole ({@link FsPath#write}: temporary file, sync, rename on the
 *       local disk and HDFS; one stream that appears on close on S3), then deletes all but the
 *       newest {@code keep} checkpoints. A process killed at any moment leaves the previous
 *       checkpoints whole, and at worst a hidden {@code .*.tmp} file, which {@link #clearLeftovers}
 *       removes.</li>
 *   <li>{@link #loadNewest} reads the newest checkpoint; when it is truncated or damaged (checksum,
 *       format) it says so and falls back to the next older one. Damaged files can be set aside as
 *       {@code NAME.damaged}, so that a later run neither picks nor counts them.</li>
 * </ul>
 */
public final class CheckpointStore {

    /** The folder in the output directory. */
    public static final String DIRECTORY = "checkpoints";
    /** Checkpoints kept by default: the newest and one to fall back on. */
    public static final int KEEP = 2;
    static final String DAMAGED_SUFFIX = ".damaged";
    private static final Pattern NAME = Pattern.compile("step-(\\d{12})\\.ckpt");

    private final FsPath dir;
    private final int keep;

    public CheckpointStore(FsPath dir, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1, found " + keep);
        this.dir = dir;
        this.keep = keep;
    }

    /** The checkpoints of the run in {@code outputDir}, keeping {@value #KEEP}. */
    public static CheckpointStore of(FsPath outputDir) {
        return new CheckpointStore(outputDir.resolve(DIRECTORY), KEEP);
    }

    public FsPath dir() {
        return dir;
    }

    /** The file of the checkpoint after {@code step} steps. */
    public FsPath pathFor(long step) {
        return dir.resolve(String.format(Locale.ROOT, "step-%012d.ckpt", step));
    }

    /** The step a checkpoint file name stands for, or -1 when it is not one. */
    static long stepOf(FsPath file) {
        Matcher m = NAME.matcher(file.name());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Checkpoint files, newest (highest step) first; empty when the folder does not exist. */
    public List<FsPath> list() throws IOException {
        List<FsPath> found = new ArrayList<>();
        for (FsPath p : dir.list()) {
            if (stepOf(p) >= 0 && p.isFile()) found.add(p);
        }
        found.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
        return found;
    }

    /**
     * Writes {@code c} atomically as {@link #pathFor}({@code c.step()}), replacing a file of that
     * step, then deletes the checkpoints beyond the newest {@code keep}.
     *
     * @return the file written
     */
    public FsPath write(Checkpoint c) throws IOException {
        dir.mkdirs();
        FsPath target = pathFor(c.step());
        target.write(CheckpointCodec.encode(c));
        List<FsPath> all = list();
        for (FsPath old : all.subList(Math.min(keep, all.size()), all.size())) {
            old.delete();
        }
        return target;
    }

    /**
     * The newest readable checkpoint.
     *
     * @param skipped the checkpoint files passed over and why
     */
    public record Loaded(Checkpoint checkpoint, FsPath path, List<String> skipped) {
    }

    /**
     * Reads the checkpoints from the newest on and returns the first that decodes; every newer one
     * is damaged (truncated, checksum mismatch, not a checkpoint) and is listed in
     * {@link Loaded#skipped()} with the reason, and with {@code setAside} renamed to
     * {@code NAME.damaged}.
     *
     * @throws CheckpointException when there is no checkpoint, or none is readable (the message lists
     *         each file and its problem)
     */
    public Loaded loadNewest(boolean setAside) throws IOException {
        List<FsPath> files = list();
        if (files.isEmpty()) {
            throw CheckpointException.unusable(dir + ": no checkpoint to resume from; expected step-*.ckpt files"
                    + " written by a run with train.checkpointEvery > 0");
        }
        List<String> skipped = new ArrayList<>();
        List<FsPath> damaged = new ArrayList<>();
        for (FsPath f : files) {
            try {
                Checkpoint c = CheckpointCodec.decode(f.readAll(FramedFile.MAX_BYTES), f.toString());
                if (c.step() != stepOf(f)) {
                    throw CheckpointException.damaged(f.toString(), "holds step " + c.step() + ", its name says "
                            + stepOf(f), null);
                }
                if (setAside) {
                    for (FsPath d : damaged) {
                        d.renameTo(dir.resolve(d.name() + DAMAGED_SUFFIX));
                    }
                }
                return new Loaded(c, f, List.copyOf(skipped));
            } catch (CheckpointException e) {
                skipped.add(e.getMessage());
                damaged.add(f);
            } catch (NoSuchFileException e) {
                skipped.add(f + ": vanished while reading");
            } catch (IOException e) {
                skipped.add(f + ": cannot be read (" + e + ")");
            }
        }
        throw CheckpointException.unusable(dir + ": no readable checkpoint, expected at least one undamaged: "
                + String.join("; ", skipped));
    }

    /** Deletes every checkpoint, damaged one and temporary file (a fresh run in a reused directory). */
    public void clear() throws IOException {
        deleteMatching(p -> stepOf(p) >= 0 || p.name().endsWith(DAMAGED_SUFFIX) || p.temporary());
    }

    /** Deletes the temporary files of writes a killed process did not finish. */
    public void clearLeftovers() throws IOException {
        deleteMatching(FsPath::temporary);
    }

    private void deleteMatching(java.util.function.Predicate<FsPath> which) throws IOException {
        for (FsPath p : dir.list()) {
            if (which.test(p)) p.delete();
        }
    }
}
