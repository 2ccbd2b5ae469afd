package io.sparkmlp.driver.output;

import io.sparkmlp.driver.SparkContexts;
import io.sparkmlp.kernel.io.ModelFormatException;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.security.SecureRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * A file or directory of sparkmlp's outputs on any Hadoop file system, with the whole-file
 * operations the output directory, checkpoints and model commands need: the one place the driver
 * touches {@link FileSystem}. A location is a plain path (the driver's local disk, even where
 * {@code fs.defaultFS} is HDFS: as before) or a URI ({@code file:}, {@code hdfs://}, {@code s3a://}, ...).
 *
 * <p>Writes are whole or not at all, per store:
 * <ul>
 *   <li>local disk ({@code file:} or a plain path; Hadoop's raw local file system, so no {@code .crc}
 *       files): a temporary {@code .NAME.RANDOM.tmp} beside the target (a random name from {@link SecureRandom},
 *       created exclusively without following symbolic links), synced, renamed over it
 *       ({@code rename(2)}: atomic, replaces a link rather than writing through it), then the directory synced;</li>
 *   <li>HDFS: the same, the rename replacing the target in one NameNode operation
 *       ({@code rename} with {@code OVERWRITE}); other stores with a rename: the same, the target
 *       deleted just before the rename where their rename does not replace it;</li>
 *   <li>object stores ({@code s3a}, {@code s3}, {@code s3n}, {@code gs}): a rename is a copy there, not atomic, so the
 *       final name is written directly in one stream; the object appears whole when the stream
 *       closes, and a failed write is aborted, so nothing appears.</li>
 * </ul>
 * Messages name a location as the user wrote it (a plain path as {@link java.nio.file.Path} prints it).
 */
public final class FsPath {

    /** Schemes of object stores: rename is a copy, an object appears whole on close. */
    static final Set<String> DIRECT_SCHEMES = Set.of("s3a", "s3", "s3n", "gs");

    private final FileSystem fs;
    private final Path path;
    /** The location as the user wrote it (for messages). */
    private final String shown;
    /** Written as a plain local path: children are shown as {@link java.nio.file.Path#resolve} shows them. */
    private final boolean plain;

    private FsPath(FileSystem fs, Path path, String shown, boolean plain) {
        this.fs = fs;
        this.path = path;
        this.shown = shown;
        this.plain = plain;
    }

    /**
     * The Hadoop configuration a SparkContext with these {@code spark.*} keys would have
     * ({@code SparkContext.hadoopConfiguration()}: {@code core-site.xml} and the like from the
     * classpath, {@code spark.hadoop.*} keys, S3 credentials from the environment), built without
     * starting Spark, so that a location can be checked before any work starts.
     */
    public static Configuration configuration(Map<String, String> sparkKeys) {
        return SparkHadoopUtil.get().newConfiguration(SparkContexts.conf("sparkmlp", sparkKeys));
    }

    /**
     * The location {@code text}: a URI with a scheme, or a plain local path.
     *
     * @throws IllegalArgumentException when no file system serves the scheme
     * @throws IOException when the file system cannot be reached
     */
    public static FsPath of(String text, Configuration conf) throws IOException {
        try {
            return resolveLocation(text, conf);
        } catch (UnsupportedFileSystemException e) {
            throw new IllegalArgumentException(text + ": no file system for scheme \"" + new Path(text).toUri().getScheme()
                    + "\"; expected a local path or a URI with a Hadoop file system's scheme (file, hdfs, s3a, ...)");
        }
    }

    private static FsPath resolveLocation(String text, Configuration conf) throws IOException {
        Path p = new Path(text);
        if (p.toUri().getScheme() == null) {
            java.nio.file.Path local = java.nio.file.Path.of(text);
            Path absolute = new Path("file", null, local.toAbsolutePath().toString());
            return new FsPath(raw(absolute.getFileSystem(conf)), absolute, local.toString(), true);
        }
        return new FsPath(raw(p.getFileSystem(conf)), p, p.toString(), false);
    }

    /** The raw local file system instead of the checksummed one, which writes a {@code .crc} beside each file. */
    private static FileSystem raw(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** The child {@code name} of this directory. */
    public FsPath resolve(String name) {
        Path child = new Path(path, name);
        return new FsPath(fs, child, plain ? java.nio.file.Path.of(shown).resolve(name).toString() : child.toString(), plain);
    }

    /** The directory that holds this file or directory (shown as the user wrote it, or {@code .}). */
    public FsPath parent() {
        Path p = path.getParent();
        if (!plain) return new FsPath(fs, p, p.toString(), false);
        java.nio.file.Path up = java.nio.file.Path.of(shown).getParent();
        return new FsPath(fs, p, up == null ? "." : up.toString(), true);
    }

    /** The last element of the path. */
    public String name() {
        return path.getName();
    }

    /** The Hadoop path (qualified for local paths). */
    public Path hadoopPath() {
        return path;
    }

    /** True on the driver's local disk. */
    public boolean local() {
        return fs instanceof RawLocalFileSystem;
    }

    /** True where a rename replaces a file atomically (not on object stores). */
    public boolean atomicRename() {
        String scheme = fs.getUri().getScheme();
        return scheme == null || !DIRECT_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    public boolean exists() throws IOException {
        return fs.exists(path);
    }

    public boolean isDirectory() throws IOException {
        FileStatus s = status();
        return s != null && s.isDirectory();
    }

    public boolean isFile() throws IOException {
        FileStatus s = status();
        return s != null && s.isFile();
    }

    private FileStatus status() throws IOException {
        try {
            return fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** True when this directory accepts new files (on local disk: {@code access(2)}, as {@link java.nio.file.Files#isWritable}). */
    public boolean writable() throws IOException {
        if (fs instanceof RawLocalFileSystem local) return local.pathToFile(path).canWrite();
        try {
            fs.access(path, FsAction.WRITE);
            return true;
        } catch (AccessControlException e) {
            return false;
        }
    }

    /** Size in bytes. @throws NoSuchFileException when it does not exist */
    public long size() throws IOException {
        FileStatus s = status();
        if (s == null) throw new NoSuchFileException(shown);
        return s.getLen();
    }

    /** The entries of this directory in name order; empty when it does not exist. */
    public List<FsPath> list() throws IOException {
        FileStatus[] all;
        try {
            all = fs.listStatus(path);
        } catch (FileNotFoundException e) {
            return List.of();
        }
        List<FsPath> out = new ArrayList<>();
        for (FileStatus s : all) out.add(resolve(s.getPath().getName()));
        out.sort(Comparator.comparing(FsPath::name));
        return out;
    }

    /** Creates this directory and its parents. */
    public void mkdirs() throws IOException {
        if (!fs.mkdirs(path)) throw new IOException("cannot create directory " + shown);
    }

    /** Deletes this file if it exists (not a directory's contents); true when it existed. */
    public boolean delete() throws IOException {
        return fs.delete(path, false);
    }

    /**
     * Renames this file to {@code target}, replacing it: atomic on HDFS (one NameNode operation)
     * and on the local disk ({@code rename(2)}); elsewhere the target is deleted first.
     */
    public void renameTo(FsPath target) throws IOException {
        if (fs instanceof DistributedFileSystem dfs) {
            dfs.rename(path, target.path, Options.Rename.OVERWRITE);
            return;
        }
        if (fs.rename(path, target.path)) return;
        if (!target.exists() || !target.delete() || !fs.rename(path, target.path)) {
            throw new IOException("cannot rename " + shown + " to " + target);
        }
    }

    /**
     * The whole file.
     *
     * @throws NoSuchFileException when it does not exist
     * @throws AccessDeniedException when it may not be read
     * @throws ModelFormatException when it is larger than {@code maxBytes} (as {@link io.sparkmlp.kernel.io.FramedFile#read})
     * @throws IOException when it cannot be read
     */
    public byte[] readAll(long maxBytes) throws IOException {
        try {
            long n = size();
            if (n > maxBytes) {
                throw new ModelFormatException(shown, "file is " + n + " bytes, more than the " + maxBytes + " this reader handles");
            }
            byte[] bytes = new byte[(int) n];
            try (FSDataInputStream in = fs.open(path)) {
                in.readFully(0, bytes);
            }
            return bytes;
        } catch (AccessControlException e) {
            throw new AccessDeniedException(shown);
        } catch (FileNotFoundException e) {
            // The local file system reports an unreadable file as not found.
            if (local() && exists()) throw new AccessDeniedException(shown);
            throw new NoSuchFileException(shown);
        }
    }

    /** Writes {@code bytes} as this file, whole or not at all (see the class comment), replacing it. */
    public void write(byte[] bytes) throws IOException {
        try (Output out = create()) {
            out.write(bytes);
            out.commit();
        }
    }

    /**
     * A stream that becomes this file on {@link Output#commit()}, whole, replacing it; closed
     * without a commit it leaves the file as it was (see the class comment).
     */
    public Output create() throws IOException {
        if (isDirectory()) throw new IOException("cannot write " + shown + ": it is a directory");
        if (!atomicRename()) return new Output(fs.create(path, true), null, null);
        Path parent = path.getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = new Path(parent, "." + path.getName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                if (fs instanceof RawLocalFileSystem local) {
                    FileChannel ch = FileChannel.open(local.pathToFile(tmp).toPath(), NEW_FILE);
                    return new Output(null, ch, tmp);
                }
                return new Output(fs.create(tmp, false), null, tmp);
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException | FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /** Temporary names: unpredictable, so that nobody can place a file or link there in advance. */
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Create a new file, failing if the name exists, also as a symbolic link (O_CREAT | O_EXCL | O_NOFOLLOW). */
    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /**
     * Creates this file with {@code bytes}, failing when it already exists: one atomic step (on the local disk
     * {@code open(2)} with {@code O_EXCL}, which does not follow a symbolic link; elsewhere the store's create
     * without overwrite, atomic on HDFS), so of two callers exactly one succeeds.
     *
     * @return false when the file exists (nothing written)
     */
    public boolean createNew(byte[] bytes) throws IOException {
        if (fs instanceof RawLocalFileSystem local) {
            try (FileChannel ch = FileChannel.open(local.pathToFile(path).toPath(), NEW_FILE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(bytes);
            out.hsync();
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    /** True for a temporary file a write leaves when the process dies mid-write ({@code .NAME.RANDOM.tmp}). */
    public boolean temporary() {
        String name = name();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsPath p && p.path.equals(path) && p.fs.getUri().equals(fs.getUri());
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /** The location as the user wrote it. */
    @Override
    public String toString() {
        return shown;
    }

    /** A file being written: {@link #commit} puts it in place; {@link #close} without commit discards it. */
    public final class Output extends OutputStream {
        /** The store's stream, or null for a local temporary file. */
        private final FSDataOutputStream hadoop;
        /** The local temporary file, opened without following links, or null. */
        private final FileChannel channel;
        private final OutputStream out;
        private final Path tmp;
        private boolean closed;
        private boolean committed;

        private Output(FSDataOutputStream hadoop, FileChannel channel, Path tmp) {
            this.hadoop = hadoop;
            this.channel = channel;
            this.out = hadoop != null ? hadoop : Channels.newOutputStream(channel);
            this.tmp = tmp;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        /** Syncs the bytes to the store and makes them the file. */
        public void commit() throws IOException {
            if (tmp == null) {
                closed = true;
                out.close();
                committed = true;
                return;
            }
            if (channel != null) channel.force(true);
            else hadoop.hsync();
            closed = true;
            out.close();
            new FsPath(fs, tmp, tmp.toString(), false).renameTo(FsPath.this);
            committed = true;
            if (fs instanceof RawLocalFileSystem local) syncDirectory(local.pathToFile(path.getParent()));
        }

        @Override
        public void close() throws IOException {
            if (committed) return;
            try {
                if (!closed) {
                    closed = true;
                    if (tmp == null) {
                        try {
                            hadoop.abort();
                            return;
                        } catch (UnsupportedOperationException e) {
                            out.close();
                            delete();
                            return;
                        }
                    }
                    out.close();
                }
            } finally {
                if (tmp != null) fs.delete(tmp, false);
            }
        }
    }

    /** fsync of a local directory, so the rename is durable: Linux and macOS; ignored where unsupported. */
    private static void syncDirectory(File dir) {
        try (FileChannel ch = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data itself was synced before the rename.
        }
    }
}
