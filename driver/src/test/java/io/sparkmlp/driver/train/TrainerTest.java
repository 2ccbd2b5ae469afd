package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import org.junit.jupiter.api.Test;

/** The network the training loop builds for the data. */
class TrainerTest {

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
