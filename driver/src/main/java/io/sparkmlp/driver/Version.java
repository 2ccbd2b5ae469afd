package io.sparkmlp.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version, read once from the jar's {@code sparkmlp-version.properties} (written by the build). */
public final class Version {

    private static final String CURRENT = read();

    private Version() {
    }

    /** The version of this build, or {@code unknown} when the resource is missing (a class-path run without the build). */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/sparkmlp-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
