package io.sparkmlp.driver.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/** Tests' bridge between local {@link Path}s and {@link FsPath}s, in the two spellings a user may write. */
public enum LocalFs {
    /** A plain path, as most users write it. */
    PATH,
    /** A {@code file:} URI. */
    URI;

    private static final Configuration CONF = new Configuration();

    /** {@code p} spelt this way. */
    public FsPath of(Path p) {
        try {
            return FsPath.of(this == PATH ? p.toString() : p.toUri().toString(), CONF);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local file an {@link FsPath} stands for. */
    public static Path local(FsPath p) {
        return Path.of(p.hadoopPath().toUri());
    }
}
