package io.sparkmlp.kernel;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Locale;

/**
 * Which implementation does the matrix products.
 * <ul>
 *   <li>{@link #AUTO}: native BLAS when the system has an optimised one (e.g. Debian's
 *       {@code libopenblas0}; the reference BLAS of {@code libblas3} is not used, see
 *       {@link NativeBlasLibrary}), else {@link #VECTOR} when the JVM runs with
 *       {@code --add-modules jdk.incubator.vector}, else {@link #JAVA}.</li>
 *   <li>{@link #VECTOR}: our own pure-Java sgemm on the Vector API ({@link VectorBackend}: packed,
 *       register-blocked, allocation-free, deterministic), or an error when the
 *       {@code jdk.incubator.vector} module is not loaded.</li>
 *   <li>{@link #JAVA}: netlib's pure-Java implementation, even when native BLAS is present
 *       (slower than {@link #VECTOR}, and allocates per call; kept as a second opinion and for
 *       JVMs without the Vector API).</li>
 *   <li>{@link #NATIVE}: native BLAS, whichever the system has, or an error saying how to get it.</li>
 *   <li>{@link #EJML}: EJML's own products, the slow reference.</li>
 * </ul>
 */
public enum Backend {
    AUTO, VECTOR, JAVA, NATIVE, EJML;

    /** A new backend instance (backends keep scratch space: one per kernel). */
    public MatrixBackend create() {
        return switch (this) {
            case AUTO -> nativeOptimisedAvailable() ? blas(NativeBLAS.getInstance())
                    : vectorAvailable() ? VectorBackend.create() : blas(JavaBLAS.getInstance());
            case VECTOR -> {
                if (!vectorAvailable()) {
                    throw new IllegalStateException("vector backend requested but the jdk.incubator.vector module"
                            + " is not loaded; run the JVM with --add-modules jdk.incubator.vector,"
                            + " or use backend auto or java");
                }
                yield VectorBackend.create();
            }
            case JAVA -> blas(JavaBLAS.getInstance());
            case NATIVE -> {
                BLAS nat;
                try {
                    nat = NativeBLAS.getInstance();
                } catch (Throwable t) {
                    throw new IllegalStateException("native BLAS requested but not available ("
                            + t.getMessage() + "); install an optimised BLAS such as Debian's libopenblas0,"
                            + " or use backend auto, vector or java", t);
                }
                yield blas(nat);
            }
            case EJML -> new EjmlBackend();
        };
    }

    private static MatrixBackend blas(BLAS blas) {
        String impl = blas.getClass().getSimpleName();
        String kind = blas instanceof NativeBLAS ? "native, " + NativeBlasLibrary.describe() : "pure Java";
        return new BlasBackend(blas, "netlib " + impl + " (" + kind + ")");
    }

    /** True when the Vector API module is loaded, so {@link #VECTOR} can be created. */
    public static boolean vectorAvailable() {
        return ElementOps.VECTOR;
    }

    /**
     * True when netlib can load a native BLAS on this machine and it is an optimised one (not the
     * reference BLAS): what {@link #AUTO} uses.
     */
    public static boolean nativeOptimisedAvailable() {
        return nativeAvailable() && NativeBlasLibrary.loadedIsOptimised();
    }

    /** True when netlib can load a native BLAS on this machine. */
    public static boolean nativeAvailable() {
        try {
            NativeBLAS.getInstance();
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Backend parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT);
        for (Backend b : values()) if (b.name().equals(n)) return b;
        throw new IllegalArgumentException("unknown backend '" + s + "', expected one of auto, vector, java, native, ejml");
    }
}
