package io.sparkmlp.kernel.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Model files on disk, in the format of {@link ModelCodec}.
 *
 * <p>{@link #write} is atomic ({@link FramedFile#writeAtomically}): the bytes go to a temporary file in the target's directory, which
 * is flushed to the device ({@code fsync}) and then renamed over the target in one step. A reader
 * sees the old file or the complete new one, never a partial file under the final name; if
 * anything fails the temporary file is removed and an existing target is left as it was.
 */
public final class ModelFile {

    private ModelFile() {
    }

    /**
     * Writes {@code model} to {@code target} atomically, replacing an existing file.
     *
     * @throws IOException when the directory is missing or not writable, the device is full, the
     *         rename fails, or the file system has no atomic rename; the target is then untouched
     */
    public static void write(Path target, Model model) throws IOException {
        FramedFile.writeAtomically(target, ModelCodec.encode(model));
    }

    /** Reads and decodes a model file. */
    public static Model read(Path file) throws IOException {
        return ModelCodec.decode(FramedFile.read(file), file.toString());
    }

    /** {@link FramedFile#writeAtomically(Path, byte[])} with a step before the rename (a test seam). */
    static void writeAtomically(Path target, byte[] bytes, FramedFile.Step beforeRename) throws IOException {
        FramedFile.writeAtomically(target, bytes, beforeRename);
    }
}
