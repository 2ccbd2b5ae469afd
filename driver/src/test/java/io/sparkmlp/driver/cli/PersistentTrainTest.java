package io.sparkmlp.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkmlp.driver.output.RunOutput;
import io.sparkmlp.driver.transport.persistent.LocalSharing;
import io.sparkmlp.kernel.io.Model;
import io.sparkmlp.kernel.io.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.transport=persistent} end to end in local[2]: the same model bytes and logged
 * losses as the job transport, with validation passes between steps (the stage releases its slots
 * for them); more partitions than task slots is a one-line refusal before training.
 */
class PersistentTrainTest {

    @TempDir
    static Path dir;

    static final String[] RUN = {"data.format=synthetic", "synthetic.rows=6000", "synthetic.features=10", "synthetic.classes=3",
            "data.partitions=2", "data.validationFraction=0.1", "model.hidden=16", "train.batchSize=96", "train.maxSteps=60",
            "train.logEvery=10", "train.evalEvery=20"};

    private static Path train(String name, String... extra) {
        Path out = dir.resolve(name);
        String[] args = Stream.concat(Arrays.stream(RUN), Stream.concat(Arrays.stream(extra), Stream.of("output.dir=" + out)))
                .toArray(String[]::new);
        Cli.Result r = Cli.train(null, args);
        assertEquals(0, r.exit(), r.toString());
        return out;
    }

    @Test
    void sameModelBytesAsTheJobTransportWithValidationPasses() throws IOException {
        Path job = train("job", "train.transport=job");
        Path persistent = train("persistent", "train.transport=persistent");
        // the weights to the bit (the files differ only in the recorded config: train.transport)
        Model a0 = ModelFile.read(job.resolve(RunOutput.MODEL_FILE));
        Model b0 = ModelFile.read(persistent.resolve(RunOutput.MODEL_FILE));
        assertArrayEquals(bits(a0.parameters().flat()), bits(b0.parameters().flat()),
                "the persistent transport's weights differ from the job transport's");
        List<String> a = Files.readAllLines(job.resolve(RunOutput.METRICS_FILE), StandardCharsets.UTF_8);
        List<String> b = Files.readAllLines(persistent.resolve(RunOutput.METRICS_FILE), StandardCharsets.UTF_8);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertEquals(Cli.withoutTimings(a.get(i)), Cli.withoutTimings(b.get(i)), "metrics.csv line " + (i + 1));
    }

    /**
     * The driver's thread answering the first task (one processor assumed) while the other task, waiting for its next
     * step, computes parts of the driver's merge and update: the job transport's weights, to the bit, with an
     * optimizer that has state and weight decay. 69,891 parameters: nine parts of a pass.
     */
    @Test
    void theDriversPassesSharedWithTheWaitingTaskKeepTheBits() throws IOException {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one processor: a waiting task parks and shares nothing");
        String[] net = {"model.hidden=256,256", "train.optimizer=adamw", "train.weightDecay=0.01", "train.learningRate=0.001"};
        Path job = train("shared-job", Stream.concat(Arrays.stream(net), Stream.of("train.transport=job")).toArray(String[]::new));
        long before = LocalSharing.partsByTasks();
        LocalSharing.assumeProcessors(1);
        Path persistent;
        try {
            persistent = train("shared-persistent", Stream.concat(Arrays.stream(net), Stream.of("train.transport=persistent"))
                    .toArray(String[]::new));
        } finally {
            LocalSharing.assumeProcessors(0);
        }
        assertTrue(LocalSharing.partsByTasks() > before, "the waiting task computed no part of the driver's passes");
        assertArrayEquals(bits(ModelFile.read(job.resolve(RunOutput.MODEL_FILE)).parameters().flat()),
                bits(ModelFile.read(persistent.resolve(RunOutput.MODEL_FILE)).parameters().flat()),
                "sharing the driver's passes changed the weights");
    }

    @Test
    void morePartitionsThanTaskSlotsIsRefusedInOneLine() {
        Cli.Result r = Cli.train(null, Stream.concat(Arrays.stream(RUN),
                Stream.of("train.transport=persistent", "data.partitions=3", "output.dir=" + dir.resolve("three"))).toArray(String[]::new));
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errors().size(), r.toString());
        String line = r.errors().get(0);
        assertTrue(line.contains("all 3 partitions") && line.contains("has 2 task slots") && line.contains("data.partitions to at most 2"),
                line);
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

}
