package io.sparkmlp.driver.checkpoint;

import io.sparkmlp.kernel.io.FramedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint files of a run: {@code OUTPUT_DIR/checkpoints/step-NNNNNNNNNNNN.ckpt} (the step,
 * zero-padded to 12 digits), in the {@link CheckpointCodec} format.
 *
 * <ul>
 *   <li>{@link #write} is atomic (temporary file, fsync, rename: {@link FramedFile#writeAtomically}),
 *       then deletes all but the newest {@code keep} checkpoints. A process killed at any moment
 *       leaves the previous checkpoints whole, and at worst a hidden {@code .*.tmp} file, which
 *       {@link #clearLeftovers} removes.</li>
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

    private final Path dir;
    private final int keep;

    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1, found " + keep);
        this.dir = dir;
        this.keep = keep;
    }

    /** The checkpoints of the run in {@code outputDir}, keeping {@value #KEEP}. */
    public static CheckpointStore of(Path outputDir) {
        return new CheckpointStore(outputDir.resolve(DIRECTORY), KEEP);
    }

    public Path dir() {
        return dir;
    }

    /** The file of the checkpoint after {@code step} steps. */
    public Path pathFor(long step) {
        return dir.resolve(String.format(Locale.ROOT, "step-%012d.ckpt", step));
    }

    /** The step a checkpoint file name stands for, or -1 when it is not one. */
    static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Checkpoint files, newest (highest step) first; empty when the folder does not exist. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> stepOf(p) >= 0 && Files.isRegularFile(p))
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf).reversed())
                    .toList();
        }
    }

    /**
     * Writes {@code c} atomically as {@link #pathFor}({@code c.step()}), replacing a file of that
     * step, then deletes the checkpoints beyond the newest {@code keep}.
     *
     * @return the file written
     */
    public Path write(Checkpoint c) throws IOException {
        Files.createDirectories(dir);
        Path target = pathFor(c.step());
        FramedFile.writeAtomically(target, CheckpointCodec.encode(c));
        List<Path> all = list();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(old);
        }
        return target;
    }

    /**
     * The newest readable checkpoint.
     *
     * @param skipped the checkpoint files passed over and why
     */
    public record Loaded(Checkpoint checkpoint, Path path, List<String> skipped) {
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
        List<Path> files = list();
        if (files.isEmpty()) {
            throw CheckpointException.unusable(dir + ": no checkpoint to resume from; expected step-*.ckpt files"
                    + " written by a run with train.checkpointEvery > 0");
        }
        List<String> skipped = new ArrayList<>();
        List<Path> damaged = new ArrayList<>();
        for (Path f : files) {
            try {
                Checkpoint c = CheckpointCodec.decode(FramedFile.read(f), f.toString());
                if (c.step() != stepOf(f)) {
                    throw CheckpointException.damaged(f.toString(), "holds step " + c.step() + ", its name says "
                            + stepOf(f), null);
                }
                if (setAside) {
                    for (Path d : damaged) {
                        Files.move(d, d.resolveSibling(d.getFileName() + DAMAGED_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
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
        deleteMatching(p -> stepOf(p) >= 0 || p.getFileName().toString().endsWith(DAMAGED_SUFFIX)
                || FramedFile.isTemporary(p));
    }

    /** Deletes the temporary files of writes a killed process did not finish. */
    public void clearLeftovers() throws IOException {
        deleteMatching(FramedFile::isTemporary);
    }

    private void deleteMatching(java.util.function.Predicate<Path> which) throws IOException {
        if (!Files.isDirectory(dir)) return;
        List<Path> victims;
        try (Stream<Path> s = Files.list(dir)) {
            victims = s.filter(which).toList();
        }
        for (Path p : victims) Files.deleteIfExists(p);
    }
}
