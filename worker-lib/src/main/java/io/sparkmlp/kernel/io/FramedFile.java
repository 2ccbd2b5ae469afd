package io.sparkmlp.kernel.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The container shared by sparkmlp's binary files (model files, training checkpoints): a magic
 * string, a format version, a JSON header, a little-endian data section and a CRC-32 over all of
 * it; plus the atomic, fsync'ed write both use.
 *
 * <pre>
 * offset        size  content
 * 0             8     magic (ASCII, 8 characters: what kind of file it is)
 * 8             4     u32 format version
 * 12            4     u32 header length H (16 + H is a multiple of 8)
 * 16            H     header: UTF-8 JSON object, padded with spaces (0x20)
 * 16+H          8     u64 data length D
 * 24+H          D     data section (the header says what lies where)
 * 24+H+D        4     u32 CRC-32 (zlib/PNG polynomial) of bytes [0, 24+H+D)
 * </pre>
 *
 * {@link #decode} checks, in order: magic, version, lengths, checksum, that the header is a JSON
 * object; any failure is a one-line {@link ModelFormatException} naming the source. The meaning
 * of the header and the data is the caller's; both formats hold float32 tensors there, through
 * {@link TensorFile}.
 */
public final class FramedFile {

    /** Magic, version and header length. */
    static final int PREFIX_BYTES = 16;
    /** Bytes besides header and data: prefix, data length, checksum. */
    public static final int FIXED_BYTES = PREFIX_BYTES + 8 + 4;
    /** Largest file (a Java array) the codecs build or read. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /** Compact JSON, strict on reading (duplicate keys, trailing tokens), plain UTF-8 on writing. */
    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Characters beyond the BMP (emoji) as plain UTF-8, not as \uD83C\uDF38 escape pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private FramedFile() {
    }

    /**
     * A decoded container: the header and the data section.
     *
     * @param header the header object
     * @param buffer the whole file, little-endian
     * @param dataStart offset of the data section in {@code buffer}
     * @param dataBytes length of the data section
     */
    public record Frame(ObjectNode header, ByteBuffer buffer, long dataStart, long dataBytes) {
    }

    /**
     * The bytes of a container.
     *
     * @param magic 8 ASCII characters
     * @param header the header object
     * @param dataBytes length of the data section
     * @param writeData writes exactly {@code dataBytes} bytes at the buffer's position (little-endian)
     * @param what what is encoded, for messages (e.g. {@code model 4-6-3})
     * @throws IllegalArgumentException when the file would exceed {@value #MAX_BYTES} bytes
     */
    public static byte[] encode(String magic, int version, ObjectNode header, long dataBytes,
                                Consumer<ByteBuffer> writeData, String what) {
        byte[] magicBytes = magicBytes(magic);
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write the header of " + what + " as JSON: " + e.getOriginalMessage(), e);
        }
        int headerBytes = json.length + Math.floorMod(-(PREFIX_BYTES + json.length), 8);
        long total = FIXED_BYTES + (long) headerBytes + dataBytes;
        if (total > MAX_BYTES) {
            throw new IllegalArgumentException(what + " needs a file of " + total
                    + " bytes, more than the " + MAX_BYTES + " this codec handles");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(magicBytes).putInt(version).putInt(headerBytes).put(json);
        while (buf.position() < PREFIX_BYTES + headerBytes) buf.put((byte) ' ');
        buf.putLong(dataBytes);
        int dataStart = buf.position();
        writeData.accept(buf);
        if (buf.position() != dataStart + dataBytes) {
            throw new IllegalStateException("the data section of " + what + " has " + (buf.position() - dataStart)
                    + " bytes, the header announced " + dataBytes);
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /**
     * The header and data section of a container.
     *
     * @param bytes a whole file. Not modified (the frame's buffer wraps it).
     * @param magic the expected 8-character magic
     * @param version the version this build reads
     * @param kind what the file should be, for messages: {@code not a KIND: first bytes are ...}
     * @param sourceName where the bytes came from (a path), for messages; null: {@code <bytes>}
     * @throws ModelFormatException when the bytes are not a complete, undamaged container of this
     *         magic and version
     */
    public static Frame decode(byte[] bytes, String magic, int version, String kind, String sourceName) {
        String src = sourceName == null ? "<bytes>" : sourceName;
        byte[] magicBytes = magicBytes(magic);
        long n = bytes.length;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        int magicSeen = (int) Math.min(n, magicBytes.length);
        if (!Arrays.equals(bytes, 0, magicSeen, magicBytes, 0, magicSeen) || n == 0) {
            throw new ModelFormatException(src, "not a " + kind + ": first bytes are "
                    + describeBytes(bytes, magicSeen) + ", expected \"" + magic + "\"");
        }
        if (n < PREFIX_BYTES) {
            throw new ModelFormatException(src, "truncated: file is " + n + " bytes, the format needs at least " + FIXED_BYTES);
        }
        long found = Integer.toUnsignedLong(buf.getInt(8));
        if (found != version) {
            throw new ModelFormatException(src, "unknown format version: found " + found
                    + ", this build reads " + version);
        }
        long headerBytes = Integer.toUnsignedLong(buf.getInt(12));
        if (n < PREFIX_BYTES + headerBytes + 8) {
            throw new ModelFormatException(src, "truncated: file is " + n + " bytes, header says at least "
                    + (FIXED_BYTES + headerBytes) + " (header length " + headerBytes + ")");
        }
        int dataLengthAt = (int) (PREFIX_BYTES + headerBytes);
        long dataBytes = buf.getLong(dataLengthAt);
        if (dataBytes < 0 || dataBytes > n) {
            throw new ModelFormatException(src, "truncated: file is " + n + " bytes, header says at least "
                    + Long.toUnsignedString(dataBytes) + " bytes of data");
        }
        long expected = FIXED_BYTES + headerBytes + dataBytes;
        if (n < expected) {
            throw new ModelFormatException(src, "truncated: file is " + n + " bytes, header says at least " + expected
                    + " (header " + headerBytes + " + data " + dataBytes + " + " + FIXED_BYTES + ")");
        }
        if (n > expected) {
            throw new ModelFormatException(src, "trailing bytes: file is " + n + " bytes, header says exactly "
                    + expected + " (header " + headerBytes + " + data " + dataBytes + " + " + FIXED_BYTES + ")");
        }
        int crcAt = (int) (n - 4);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, crcAt);
        long stored = Integer.toUnsignedLong(buf.getInt(crcAt));
        if (stored != crc.getValue()) {
            throw new ModelFormatException(src, String.format(Locale.ROOT, "checksum mismatch: stored CRC-32 0x%08x,"
                    + " computed 0x%08x over bytes [0, %d); the file is damaged", stored, crc.getValue(), crcAt));
        }

        JsonNode header;
        try {
            header = JSON.readTree(bytes, PREFIX_BYTES, (int) headerBytes);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at header byte " + at.getByteOffset();
            throw new ModelFormatException(src, "header JSON invalid" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(src, "header JSON invalid: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(src, "header JSON invalid: found " + describeNode(header) + ", expected an object");
        }
        return new Frame((ObjectNode) header, buf, PREFIX_BYTES + headerBytes + 8, dataBytes);
    }

    /** Reads a whole file, refusing one larger than {@value #MAX_BYTES} bytes. */
    public static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new ModelFormatException(file.toString(), "file is " + size + " bytes, more than the "
                    + MAX_BYTES + " this reader handles");
        }
        return Files.readAllBytes(file);
    }

    // ------------------------------------------------------------------------------ atomic write

    /** A step of the write between writing the temporary file and renaming it (a test seam). */
    @FunctionalInterface
    interface Step {
        void run(Path temporary) throws IOException;
    }

    /**
     * Writes {@code bytes} to {@code target} atomically, replacing an existing file: the bytes go
     * to a temporary file in the target's directory ({@code .NAME.RANDOM.tmp}), which is flushed
     * to the device ({@code fsync}) and renamed over the target in one step; then the directory is
     * forced so that the rename is durable (where the platform allows). A reader sees the old file
     * or the complete new one, never a partial file under the final name; if anything fails the
     * temporary file is removed and an existing target is left as it was.
     *
     * @throws IOException when the directory is missing or not writable, the device is full, the
     *         rename fails, or the file system has no atomic rename; the target is then untouched
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        writeAtomically(target, bytes, t -> { });
    }

    /** {@link #writeAtomically(Path, byte[])}, running {@code beforeRename} just before the rename. */
    static void writeAtomically(Path target, byte[] bytes, Step beforeRename) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null) {
            throw new IOException("cannot write " + target + ": it has no parent directory");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write " + target + ": it is a directory");
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

    /** True for a temporary file {@link #writeAtomically} leaves when the process dies mid-write. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /** fsync of a directory: supported on Linux and macOS, not on Windows (ignored there). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data itself was forced before the rename.
        }
    }

    // ---------------------------------------------------------------------------------- messages

    private static byte[] magicBytes(String magic) {
        byte[] b = magic.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 8) throw new IllegalArgumentException("magic must be 8 ASCII characters, found \"" + magic + "\"");
        return b;
    }

    /** A JSON node for a message: its type and (shortened) text, or {@code missing}. */
    public static String describeNode(JsonNode v) {
        if (v == null || v.isMissingNode()) return "missing";
        String text = v.toString();
        if (text.length() > 40) text = text.substring(0, 37) + "...";
        return v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + text;
    }

    /** Hex and printable ASCII of the first {@code count} bytes. */
    static String describeBytes(byte[] bytes, int count) {
        if (count == 0) return "none (empty file)";
        StringBuilder hex = new StringBuilder();
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int b = bytes[i] & 0xff;
            if (i > 0) hex.append(' ');
            hex.append(String.format(Locale.ROOT, "%02X", b));
            ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex + " (\"" + ascii + "\")";
    }
}
