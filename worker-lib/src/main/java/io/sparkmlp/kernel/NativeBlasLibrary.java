package io.sparkmlp.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Which native BLAS netlib loaded into this JVM, and whether it is an optimised one.
 *
 * <p>netlib's JNI shim opens whatever {@code libblas.so.3} the system resolves. On Debian and Ubuntu
 * that is the reference BLAS ({@code libblas3}, pulled in by many packages) unless an optimised one
 * such as OpenBLAS is installed: the reference BLAS is a plain triple loop, about 10–20× slower
 * for our products than {@link VectorBackend}. So {@link Backend#AUTO} uses the native BLAS only
 * when the libraries mapped into this process name a known optimised implementation.
 *
 * <p>Read from {@code /proc/self/maps}; where that does not exist (not Linux), the native BLAS is
 * trusted as before.
 */
public final class NativeBlasLibrary {

    /** File-name fragments of optimised BLAS implementations. */
    private static final List<String> OPTIMISED = List.of("openblas", "mkl", "blis", "atlas", "armpl", "essl", "nvblas",
            "accelerate", "veclib");

    private NativeBlasLibrary() {
    }

    /**
     * What {@link #mapped()} found the first time it was asked after netlib loaded its BLAS; a
     * process cannot swap the library it loaded, so every kernel created later (one per executor
     * thread, one per evaluation) reuses this instead of reading the mappings again.
     */
    private static final class Loaded {
        static final List<String> LIBRARIES = mapped();
    }

    /**
     * The BLAS-looking libraries mapped into this process (file names, sorted), or null when the
     * process's mappings cannot be read.
     */
    public static List<String> mapped() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) return null;
        try {
            return blasLibraries(Files.readAllLines(maps));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The distinct file names of BLAS-looking libraries among {@code /proc/PID/maps} lines, sorted. */
    static List<String> blasLibraries(List<String> mapsLines) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : mapsLines) {
            int slash = line.indexOf('/');
            if (slash < 0) continue;
            String path = line.substring(slash).trim();
            String name = path.substring(path.lastIndexOf('/') + 1);
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.contains(".so") && !lower.endsWith(".dylib")) continue;
            if (lower.contains("netlibblasjni")) continue; // netlib's own JNI shim, not a BLAS
            if (lower.contains("blas") || OPTIMISED.stream().anyMatch(lower::contains)) names.add(name);
        }
        return List.copyOf(names);
    }

    /** Whether one of {@code libraries} is a known optimised BLAS. */
    static boolean optimised(List<String> libraries) {
        return libraries.stream().map(n -> n.toLowerCase(Locale.ROOT)).anyMatch(n -> OPTIMISED.stream().anyMatch(n::contains));
    }

    /**
     * Whether the native BLAS loaded in this JVM is worth using by default: a known optimised
     * implementation is mapped, or the mappings cannot be read. Call after netlib has loaded it.
     */
    public static boolean loadedIsOptimised() {
        List<String> libs = Loaded.LIBRARIES;
        return libs == null || optimised(libs);
    }

    /**
     * For logs: the mapped BLAS libraries, e.g. {@code "libblas.so.3, libopenblasp-r0.3.21.so"}.
     * Call after netlib has loaded its BLAS.
     */
    public static String describe() {
        List<String> libs = Loaded.LIBRARIES;
        return libs == null ? "library unknown" : libs.isEmpty() ? "no BLAS library mapped" : String.join(", ", libs);
    }
}
