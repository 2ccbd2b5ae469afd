package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Telling an optimised native BLAS from the reference one by what is mapped into the process. */
class NativeBlasLibraryTest {

    private static final String JNI = "7f10a0000000-7f10a0010000 r-xp 00000000 08:01 123 /tmp/jniloader123/libnetlibblasjni.so";
    private static final String LIBC = "7f10b0000000-7f10b0100000 r-xp 00000000 08:01 124 /usr/lib/x86_64-linux-gnu/libc.so.6";

    @Test
    void debianReferenceBlasIsNotOptimised() {
        List<String> libs = NativeBlasLibrary.blasLibraries(List.of(JNI, LIBC,
                "7f10c0000000-7f10c0050000 r-xp 00000000 08:01 125 /usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0",
                "7f10c0050000-7f10c0060000 r--p 00050000 08:01 125 /usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"));
        assertEquals(List.of("libblas.so.3.11.0"), libs);
        assertFalse(NativeBlasLibrary.optimised(libs));
    }

    @Test
    void openBlasBehindTheLibblasAlternativeIsOptimised() {
        List<String> libs = NativeBlasLibrary.blasLibraries(List.of(JNI, LIBC,
                "7f10c0000000-7f10c0050000 r-xp 00000000 08:01 125 /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
                "7f10d0000000-7f10d2000000 r-xp 00000000 08:01 126 /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"));
        assertEquals(List.of("libblas.so.3", "libopenblasp-r0.3.21.so"), libs);
        assertTrue(NativeBlasLibrary.optimised(libs));
    }

    @Test
    void mklAndBlisAreOptimisedAndOtherLibrariesAreIgnored() {
        assertTrue(NativeBlasLibrary.optimised(NativeBlasLibrary.blasLibraries(List.of(JNI,
                "7f1-7f2 r-xp 0 0:0 1 /opt/intel/oneapi/mkl/latest/lib/libmkl_rt.so.2"))));
        assertTrue(NativeBlasLibrary.optimised(NativeBlasLibrary.blasLibraries(List.of(
                "7f1-7f2 r-xp 0 0:0 1 /usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4"))));
        assertEquals(List.of(), NativeBlasLibrary.blasLibraries(List.of(JNI, LIBC, "7f1-7f2 rw-p 0 0:0 0 [heap]")));
        assertFalse(NativeBlasLibrary.optimised(List.of()));
    }
}
