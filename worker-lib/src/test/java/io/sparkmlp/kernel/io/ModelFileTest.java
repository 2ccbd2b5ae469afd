package io.sparkmlp.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writeThenReadGivesTheSameModel() throws IOException {
        Path file = dir.resolve("model.spmlp");
        Model m = TestModels.classifier();
        ModelFile.write(file, m);
        assertEquals(m, ModelFile.read(file));
        assertArrayEquals(ModelCodec.encode(m), Files.readAllBytes(file));
        assertEquals(List.of(file), listing(), "no temporary file left behind");
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("model.spmlp");
        ModelFile.write(file, TestModels.classifier());
        ModelFile.write(file, TestModels.regressor());
        assertEquals(TestModels.regressor(), ModelFile.read(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void failureBeforeTheRenameLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("model.spmlp");
        ModelFile.write(file, TestModels.classifier());
        byte[] before = Files.readAllBytes(file);
        Path[] seen = new Path[1];
        IOException e = assertThrows(IOException.class, () -> ModelFile.writeAtomically(file,
                ModelCodec.encode(TestModels.regressor()), tmp -> {
                    seen[0] = tmp;
                    // The complete new bytes are in the temporary file, beside the target.
                    assertEquals(dir, tmp.getParent());
                    assertArrayEquals(ModelCodec.encode(TestModels.regressor()), Files.readAllBytes(tmp));
                    throw new IOException("No space left on device (simulated)");
                }));
        assertEquals("No space left on device (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertFalse(Files.exists(seen[0]), "temporary file removed");
        assertEquals(List.of(file), listing());
    }

    @Test
    void failureWithoutAnOldFileLeavesNothing() throws IOException {
        Path file = dir.resolve("model.spmlp");
        assertThrows(IOException.class, () -> ModelFile.writeAtomically(file, new byte[] {1, 2, 3}, tmp -> {
            throw new IOException("simulated");
        }));
        assertEquals(List.of(), listing());
    }

    @Test
    void missingDirectoryIsAnIoError() {
        Path file = dir.resolve("no/such/dir/model.spmlp");
        assertThrows(NoSuchFileException.class, () -> ModelFile.write(file, TestModels.regressor()));
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void aDirectoryIsNotReplaced() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.spmlp"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        IOException e = assertThrows(IOException.class, () -> ModelFile.write(target, TestModels.regressor()));
        assertTrue(e.getMessage().endsWith("model.spmlp: it is a directory"), e.getMessage());
        assertEquals("keep", Files.readString(target.resolve("keep.txt")));
        assertEquals(List.of(target), listing());
    }

    @Test
    void readOnlyDirectoryLeavesTheOldFileIntact() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Path file = dir.resolve("model.spmlp");
        ModelFile.write(file, TestModels.classifier());
        byte[] before = Files.readAllBytes(file);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
        try {
            // root ignores directory permissions: then there is nothing to test here.
            assumeTrue(!Files.isWritable(dir), "directory permissions are not enforced for this user (root?)");
            assertThrows(IOException.class, () -> ModelFile.write(file, TestModels.regressor()));
        } finally {
            Files.setPosixFilePermissions(dir, perms);
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void fileGetsTheUsualPermissionsNotPrivateTempOnes() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs POSIX permissions");
        Path plain = Files.write(dir.resolve("plain"), new byte[0]);
        Path file = dir.resolve("model.spmlp");
        ModelFile.write(file, TestModels.regressor());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void readErrorsNameTheFile() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, world");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
        assertEquals(file + ": not a sparkmlp model file: first bytes are 68 65 6C 6C 6F 2C 20 77 (\"hello, w\"),"
                + " expected \"SPMLPMDL\"", e.getMessage());
        assertThrows(NoSuchFileException.class, () -> ModelFile.read(dir.resolve("absent.spmlp")));
    }
}
