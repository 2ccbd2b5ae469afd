package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.driver.config.TrainConfig;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training loop's choices that need no SparkContext: the network for the data and the global batch. */
class TrainerTest {

    private static TrainConfig config(String... overrides) {
        return TrainConfig.load(null, List.of(overrides));
    }

    @Test
    void batchLargerThanTheTrainingSplitIsRefused() {
        TrainConfig cfg = config("data.format=synthetic", "train.batchSize=1000");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.effectiveBatch(cfg, 999));
        assertEquals("train.batchSize = 1000: expected at most the 999 rows of the training split (or full)", e.getMessage());
        assertEquals(1000, Trainer.effectiveBatch(cfg, 1000));
    }

    @Test
    void batchDefaultsAndFull() {
        assertEquals(-1, Trainer.effectiveBatch(config("data.format=synthetic", "train.batchSize=full"), 75));
        // left at its default (256): no more than a tenth of a small set, at least 16, at most the set
        assertEquals(16, Trainer.effectiveBatch(config("data.format=synthetic"), 75));
        assertEquals(10, Trainer.effectiveBatch(config("data.format=synthetic"), 10));
        assertEquals(200, Trainer.effectiveBatch(config("data.format=synthetic"), 2000));
        assertEquals(256, Trainer.effectiveBatch(config("data.format=synthetic"), 1_000_000));
        // set explicitly, it is kept as it is
        assertEquals(64, Trainer.effectiveBatch(config("data.format=synthetic", "train.batchSize=64"), 100));
    }

    @Test
    void architectureForTheTask() {
        int[] hidden = {5, 4};
        Architecture multi = Trainer.architectureFor(4, 3, false, hidden, Activation.SIGMOID);
        assertArrayEquals(new int[] {4, 5, 4, 3}, multi.sizes());
        assertEquals(OutputLoss.SOFTMAX_CROSS_ENTROPY, multi.output());
        Architecture binary = Trainer.architectureFor(2, 2, false, new int[] {8}, Activation.TANH);
        assertArrayEquals(new int[] {2, 8, 1}, binary.sizes());
        assertEquals(OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY, binary.output());
        Architecture regression = Trainer.architectureFor(3, 0, true, new int[0], Activation.RELU);
        assertArrayEquals(new int[] {3, 1}, regression.sizes());
        assertEquals(OutputLoss.IDENTITY_MSE, regression.output());
    }
}
