package io.sparkmlp.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.output.FsPath;
import io.sparkmlp.driver.output.LocalFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The checkpoint directory on the local disk, named by a plain path and by a {@code file:} URI. */
class CheckpointStoreTest {

    @TempDir
    Path out;

    private List<String> names(FsPath dir) throws IOException {
        try (Stream<Path> s = Files.list(LocalFs.local(dir))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void keepsTheNewestTwo(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        for (long step : new long[] {10, 20, 30}) store.write(CheckpointCodecTest.sample(step, false));
        assertEquals(List.of("step-000000000020.ckpt", "step-000000000030.ckpt"), names(store.dir()));
        assertEquals(List.of(store.pathFor(30), store.pathFor(20)), store.list());
        CheckpointStore.Loaded loaded = store.loadNewest(false);
        assertEquals(30, loaded.checkpoint().step());
        assertEquals(List.of(), loaded.skipped());
        CheckpointCodecTest.assertSameCheckpoint(CheckpointCodecTest.sample(30, false), loaded.checkpoint());
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aTruncatedNewestFallsBackToThePreviousAndIsSetAside(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        store.write(CheckpointCodecTest.sample(100, true));
        store.write(CheckpointCodecTest.sample(150, true));
        FsPath newest = store.pathFor(150);
        byte[] bytes = Files.readAllBytes(LocalFs.local(newest));
        Files.write(LocalFs.local(newest), Arrays.copyOf(bytes, bytes.length / 2));

        CheckpointStore.Loaded loaded = store.loadNewest(true);
        assertEquals(100, loaded.checkpoint().step());
        assertEquals(store.pathFor(100), loaded.path());
        assertEquals(1, loaded.skipped().size());
        assertTrue(loaded.skipped().get(0).startsWith(newest + ": truncated: file is " + bytes.length / 2 + " bytes"),
                loaded.skipped().get(0));
        assertEquals(List.of("step-000000000100.ckpt", "step-000000000150.ckpt.damaged"), names(store.dir()));
        assertEquals(List.of(store.pathFor(100)), store.list());
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aCorruptNewestFallsBackWithoutSettingAside(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        store.write(CheckpointCodecTest.sample(100, false));
        store.write(CheckpointCodecTest.sample(150, false));
        byte[] bytes = Files.readAllBytes(LocalFs.local(store.pathFor(150)));
        bytes[bytes.length / 2] ^= 1;
        Files.write(LocalFs.local(store.pathFor(150)), bytes);
        CheckpointStore.Loaded loaded = store.loadNewest(false);
        assertEquals(100, loaded.checkpoint().step());
        assertTrue(loaded.skipped().get(0).contains("checksum mismatch"), loaded.skipped()::toString);
        assertEquals(List.of("step-000000000100.ckpt", "step-000000000150.ckpt"), names(store.dir()));
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void aFileWhoseNameDisagreesWithItsStepIsDamaged(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        store.write(CheckpointCodecTest.sample(100, false));
        Files.copy(LocalFs.local(store.pathFor(100)), LocalFs.local(store.pathFor(200)));
        CheckpointStore.Loaded loaded = store.loadNewest(false);
        assertEquals(store.pathFor(100), loaded.path());
        assertTrue(loaded.skipped().get(0).endsWith("holds step 100, its name says 200"), loaded.skipped()::toString);
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void noReadableCheckpointNamesEveryProblem(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        store.write(CheckpointCodecTest.sample(100, false));
        store.write(CheckpointCodecTest.sample(150, false));
        Files.write(LocalFs.local(store.pathFor(150)), new byte[0]);
        Files.write(LocalFs.local(store.pathFor(100)), "hello".getBytes());
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.loadNewest(true));
        assertFalse(e.damaged());
        assertTrue(e.getMessage().startsWith(store.dir() + ": no readable checkpoint"), e::getMessage);
        assertTrue(e.getMessage().contains("step-000000000150.ckpt: not a sparkmlp checkpoint: first bytes are none (empty file)"),
                e::getMessage);
        assertTrue(e.getMessage().contains("step-000000000100.ckpt: not a sparkmlp checkpoint: first bytes are"),
                e::getMessage);
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of("step-000000000100.ckpt", "step-000000000150.ckpt"), names(store.dir()),
                "nothing set aside when nothing is usable");
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void noCheckpointAtAll(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        CheckpointException e = assertThrows(CheckpointException.class, () -> store.loadNewest(true));
        String shown = fs == LocalFs.PATH ? out.resolve("checkpoints").toString() : "file:" + out.resolve("checkpoints");
        assertEquals(shown + ": no checkpoint to resume from; expected step-*.ckpt files written"
                + " by a run with train.checkpointEvery > 0", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(LocalFs.class)
    void leftoversOfAKilledWriteAreIgnoredAndCleared(LocalFs fs) throws IOException {
        CheckpointStore store = CheckpointStore.of(fs.of(out));
        store.write(CheckpointCodecTest.sample(100, false));
        Path tmp = Files.write(LocalFs.local(store.dir()).resolve(".step-000000000150.ckpt.k3j4.tmp"), new byte[] {1, 2});
        assertEquals(List.of(store.pathFor(100)), store.list());
        store.clearLeftovers();
        assertFalse(Files.exists(tmp));
        Files.write(LocalFs.local(store.dir()).resolve("step-000000000050.ckpt.damaged"), new byte[] {1});
        store.clear();
        assertEquals(List.of(), names(store.dir()));
    }
}
