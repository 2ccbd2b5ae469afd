package io.sparkmlp.kernel;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Locale;

/**
 * Which implementation does the matrix products.
 * <ul>
 *   <li>{@link #AUTO}: native BLAS when the system has one (e.g. Debian's {@code libopenblas0}),
 *       else netlib's pure-Java implementation (Vector API with
 *       {@code --add-modules jdk.incubator.vector}).</li>
 *   <li>{@link #JAVA}: netlib's pure-Java implementation, even when native BLAS is present.</li>
 *   <li>{@link #NATIVE}: native BLAS, or an error saying how to get it.</li>
 *   <li>{@link #EJML}: EJML's own products, the slow reference.</li>
 * </ul>
 */
public enum Backend {
    AUTO, JAVA, NATIVE, EJML;

    /** A new backend instance (backends keep scratch space: one per kernel). */
    public MatrixBackend create() {
        return switch (this) {
            case AUTO -> blas(BLAS.getInstance());
            case JAVA -> blas(JavaBLAS.getInstance());
            case NATIVE -> {
                BLAS nat;
                try {
                    nat = NativeBLAS.getInstance();
                } catch (Throwable t) {
                    throw new IllegalStateException("native BLAS requested but not available ("
                            + t.getMessage() + "); install an optimised BLAS such as Debian's libopenblas0,"
                            + " or use backend auto or java", t);
                }
                yield blas(nat);
            }
            case EJML -> new EjmlBackend();
        };
    }

    private static MatrixBackend blas(BLAS blas) {
        String impl = blas.getClass().getSimpleName();
        String kind = blas instanceof NativeBLAS ? "native" : "pure Java";
        return new BlasBackend(blas, "netlib " + impl + " (" + kind + ")");
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
        throw new IllegalArgumentException("unknown backend '" + s + "', expected one of auto, java, native, ejml");
    }
}
