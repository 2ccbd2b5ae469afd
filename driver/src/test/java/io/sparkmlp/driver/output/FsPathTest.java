package io.sparkmlp.driver.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.kernel.io.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Files on the local disk through Hadoop's raw local file system, named by a plain path and by a {@code file:} URI. */
class FsPathTest {

    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aWriteReplacesTheFileWholeAndLeavesNothingElse(LocalFs fs) throws IOException {
        FsPath file = fs.of(tmp).resolve("model.sparkmlp");
        file.write(new byte[] {1, 2, 3});
        file.write(new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(tmp.resolve("model.sparkmlp")));
        assertArrayEquals(new byte[] {4, 5}, file.readAll(100));
        assertEquals(2, file.size());
        assertEquals(List.of("model.sparkmlp"), names(), "no temporary file, no .crc checksum file");
    }

    /**
     * Symbolic links are not written through: an exclusive create (the lock, and every temporary file) refuses a name
     * that is a link, even a dangling one; a write to a name that is a link replaces the link, not its target.
     */
    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void linksAreReplacedOrRefusedNeverWrittenThrough(LocalFs fs) throws IOException {
        Path victim = tmp.resolve("victim");
        Files.createSymbolicLink(tmp.resolve("lock"), victim);
        assertFalse(fs.of(tmp).resolve("lock").createNew(new byte[] {1}), "a dangling link is an existing name");
        assertFalse(Files.exists(victim), "nothing written through the link");
        assertTrue(fs.of(tmp).resolve("fresh").createNew(new byte[] {7}));
        assertFalse(fs.of(tmp).resolve("fresh").createNew(new byte[] {8}));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(tmp.resolve("fresh")));

        Files.writeString(victim, "keep");
        Files.createSymbolicLink(tmp.resolve("predictions.csv"), victim);
        fs.of(tmp).resolve("predictions.csv").write(new byte[] {9});
        assertEquals("keep", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(tmp.resolve("predictions.csv")));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(tmp.resolve("predictions.csv")));
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aStreamClosedWithoutCommitLeavesTheEarlierFileAsItWas(LocalFs fs) throws IOException {
        Files.writeString(tmp.resolve("predictions.csv"), "earlier");
        FsPath file = fs.of(tmp).resolve("predictions.csv");
        try (FsPath.Output out = file.create()) {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            assertEquals(2, names().size(), "the new bytes go to a temporary file beside the target: " + names());
        }
        assertEquals("earlier", Files.readString(tmp.resolve("predictions.csv")));
        assertEquals(List.of("predictions.csv"), names());

        try (FsPath.Output out = file.create()) {
            out.write("new".getBytes(StandardCharsets.UTF_8));
            out.commit();
        }
        assertEquals("new", Files.readString(tmp.resolve("predictions.csv")));
        assertEquals(List.of("predictions.csv"), names());
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void directoriesListsAndRenames(LocalFs fs) throws IOException {
        FsPath dir = fs.of(tmp).resolve("checkpoints");
        assertFalse(dir.exists());
        assertEquals(List.of(), dir.list(), "a missing directory lists as empty");
        dir.mkdirs();
        assertTrue(dir.isDirectory() && !dir.isFile() && dir.writable());
        dir.resolve("b").write(new byte[] {2});
        dir.resolve("a").write(new byte[] {1});
        assertEquals(List.of(dir.resolve("a"), dir.resolve("b")), dir.list());
        assertTrue(dir.resolve("a").isFile());

        dir.resolve("a").renameTo(dir.resolve("b"));
        assertEquals(List.of(dir.resolve("b")), dir.list());
        assertArrayEquals(new byte[] {1}, dir.resolve("b").readAll(10), "a rename replaces the target");
        assertTrue(dir.resolve("b").delete());
        assertFalse(dir.resolve("b").delete());

        FsPath leftover = dir.resolve(".step-000000000010.ckpt.k3j4.tmp");
        assertTrue(leftover.temporary());
        assertFalse(dir.resolve("step-000000000010.ckpt").temporary());
    }

    @Test
    void aPlainPathIsShownAsTheUserWroteItAndAUriAsAUri() throws IOException {
        Configuration conf = new Configuration();
        assertEquals("runs/x/checkpoints", FsPath.of("runs/x", conf).resolve("checkpoints").toString());
        assertEquals("runs/./x/model.sparkmlp", FsPath.of("runs/./x/", conf).resolve("model.sparkmlp").toString());
        assertEquals(tmp + "/model.sparkmlp", FsPath.of(tmp.toString(), conf).resolve("model.sparkmlp").toString());
        assertEquals("file:" + tmp + "/model.sparkmlp", FsPath.of(tmp.toUri().toString(), conf).resolve("model.sparkmlp").toString());
        assertEquals(FsPath.of(tmp.toString(), conf), FsPath.of(tmp.toUri().toString(), conf), "two spellings, one file");
        assertTrue(FsPath.of("runs/x", conf).local() && FsPath.of("runs/x", conf).atomicRename());
        FsPath spaced = FsPath.of(tmp.resolve("a b%20c").toString(), conf);
        spaced.write(new byte[] {7});
        assertEquals(tmp.resolve("a b%20c").toString(), spaced.toString());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(tmp.resolve("a b%20c")), "a plain path is taken literally");
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aMissingOrOversizedFileIsNamedAsWritten(LocalFs fs) throws IOException {
        FsPath missing = fs.of(tmp).resolve("none.sparkmlp");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> missing.readAll(10));
        assertEquals(missing.toString(), e.getFile());
        FsPath big = fs.of(tmp).resolve("big");
        big.write(new byte[11]);
        ModelFormatException tooBig = assertThrows(ModelFormatException.class, () -> big.readAll(10));
        assertEquals(big + ": file is 11 bytes, more than the 10 this reader handles", tooBig.getMessage());
        IOException dir = assertThrows(IOException.class, () -> fs.of(tmp).write(new byte[1]));
        assertEquals("cannot write " + fs.of(tmp) + ": it is a directory", dir.getMessage());
    }

    @Test
    void anUnknownSchemeIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FsPath.of("nosuchfs://host/runs/x", new Configuration()));
        assertEquals("nosuchfs://host/runs/x: no file system for scheme \"nosuchfs\"; expected a local path or a URI"
                + " with a Hadoop file system's scheme (file, hdfs, s3a, ...)", e.getMessage());
    }
}
