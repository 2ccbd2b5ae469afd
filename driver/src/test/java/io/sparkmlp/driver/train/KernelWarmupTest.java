package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.eval.Evaluator;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.OutputLoss;
import org.junit.jupiter.api.Test;

/** The warm-up computes gradients of the run's batch (for each kind of output) and stops when told or when done. */
class KernelWarmupTest {

    private static void warms(Architecture arch, int classes, int batch) throws InterruptedException {
        KernelWarmup w = KernelWarmup.start(new Evaluator.Task(arch, Backend.AUTO, classes, 1f), batch);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (w.rounds() < KernelWarmup.ROUNDS && System.nanoTime() < deadline) Thread.sleep(5);
        w.close();
        assertTrue(w.rounds() == KernelWarmup.ROUNDS, arch.shape() + ": " + w.rounds() + " rounds of " + KernelWarmup.ROUNDS);
    }

    @Test
    void warmsEveryOutputKind() throws InterruptedException {
        warms(Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 7, 5, 4), 4, 16);
        warms(Architecture.of(Activation.TANH, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY, 3, 4, 1), 2, 1);
        warms(Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 3, 4, 1), 0, 100);
    }

    @Test
    void closingStopsIt() throws InterruptedException {
        KernelWarmup w = KernelWarmup.start(new Evaluator.Task(Architecture.of(Activation.RELU,
                OutputLoss.SOFTMAX_CROSS_ENTROPY, 784, 256, 128, 10), Backend.AUTO, 10, 1f), 1024);
        w.close();
        Thread.sleep(2000);
        assertTrue(w.rounds() <= 1, w.rounds() + " rounds after close");
    }
}
