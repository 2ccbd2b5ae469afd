package io.sparkmlp.kernel.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Model files on disk, in the format of {@link ModelCodec}.
 *
 * <p>{@link #write} is atomic: the bytes go to a temporary file in the target's directory, which
 * is flushed to the device ({@code fsync}) and then renamed over the target in one step. A reader
 * sees the old file or the complete new one, never a partial file under the final name; if
 * anything fails the temporary file is removed and an existing target is left as it was.
 */
public final class ModelFile {

    private ModelFile() {
    }

    /** A step of the write between writing the temporary file and renaming it (a test seam). */
    @FunctionalInterface
    interface Step {
        void run(Path temporary) throws IOException;
    }

    /**
     * Writes {@code model} to {@code target} atomically, replacing an existing file.
     *
     * @throws IOException when the directory is missing or not writable, the device is full, the
     *         rename fails, or the file system has no atomic rename; the target is then untouched
     */
    public static void write(Path target, Model model) throws IOException {
        writeAtomically(target, ModelCodec.encode(model), t -> { });
    }

    /** Reads and decodes a model file. */
    public static Model read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > ModelCodec.MAX_BYTES) {
            throw new ModelFormatException(file.toString(), "file is " + size + " bytes, more than the "
                    + ModelCodec.MAX_BYTES + " this reader handles");
        }
        return ModelCodec.decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Writes {@code bytes} to a temporary file next to {@code target}, forces it to the device,
     * runs {@code beforeRename}, and renames it to {@code target} with {@code ATOMIC_MOVE}; then
     * forces the directory so the rename itself is durable (where the platform allows).
     */
    static void writeAtomically(Path target, byte[] bytes, Step beforeRename) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null) {
            throw new IOException("cannot write a model file at " + target + ": it has no parent directory");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write a model file at " + target + ": it is a directory");
        }
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            // Not Files.createTempFile: its files are private (0600); this one gets the umask's mode.
            tmp = dir.resolve("." + absolute.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
        boolean moved = false;
        try {
            try (FileChannel out = ch) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) out.write(buf);
                out.force(true);
            }
            beforeRename.run(tmp);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + " atomically: the file system of " + dir
                        + " has no atomic rename (" + e.getMessage() + ")", e);
            }
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // The original failure matters more; a stray hidden .tmp file is harmless.
                }
            }
        }
    }

    /** fsync of a directory: supported on Linux and macOS, not on Windows (ignored there). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data itself was forced before the rename.
        }
    }
}
