package io.sparkmlp.driver.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.driver.ClusterException;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.optim.OptimizerKind;
import org.junit.jupiter.api.Test;

/** The network's memory against the heaps: the estimate's terms, and one line naming the numbers when it does not fit. */
class MemoryBudgetTest {

    /** 10⁶ input columns under the default 128-64 network, two classes: 128,008,449 parameters. */
    static final Architecture WIDE = Architecture.of(Activation.RELU, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY,
            1_000_000, 128, 64, 1);
    static final long P4 = 4L * 128_008_449;

    @Test
    void theEstimateCountsEveryBigArray() {
        assertEquals(128_008_449, WIDE.parameterCount());
        // adam (2 vectors), keep-best, no checkpoints (model file: 2 copies), 8 partitions: 2 + 2 + 1 + 8 + 2 copies
        MemoryBudget.Estimate e = MemoryBudget.estimate(WIDE, 2, true, false, 8, 33, 33);
        assertEquals(15 * P4, e.driver());
        // 3 copies; 33 kernel rows × (128 + 64 + 1 + 2·128) units; 33 gathered rows × (10⁶ + 2)
        assertEquals(3 * P4 + 4L * 33 * 449 + 4L * 33 * 1_000_002, e.perTask());
        // with checkpoints: 2·(1 + 2 + 1) encoded copies instead of 2; a full batch gathers nothing
        assertEquals(21 * P4, MemoryBudget.estimate(WIDE, 2, true, true, 8, 33, 33).driver());
        assertEquals(3 * P4 + 4L * 1024 * 449, MemoryBudget.estimate(WIDE, 2, true, false, 8, 5000, 0).perTask());
        assertEquals(0, MemoryBudget.stateVectors(OptimizerKind.SGD, 10));
        assertEquals(1, MemoryBudget.stateVectors(OptimizerKind.NESTEROV, 10));
        assertEquals(2, MemoryBudget.stateVectors(OptimizerKind.ADAMW, 10));
        assertEquals(28, MemoryBudget.stateVectors(OptimizerKind.LBFGS, 10), "10 pairs, point, gradient, 3 doubles");
    }

    @Test
    void aNetworkTooLargeForTheHeapsIsRefusedInOneLine() {
        MemoryBudget.Estimate e = MemoryBudget.estimate(WIDE, 2, true, false, 8, 33, 33);
        long gb = 1L << 30;
        ClusterException local = assertThrows(ClusterException.class,
                () -> MemoryBudget.check(WIDE, e, 2, true, 8, new MemoryBudget.Heaps(4 * gb, 0, 2, true)));
        assertEquals("the network 1000000-128-64-1 (128,008,449 parameters, 488.3 MB per copy) needs about 10506.5 MB"
                + " in this local-mode JVM (weights, gradient, 2 optimizer vectors, best weights, 8 partials, output"
                + " encoding, and 2 tasks of 1590.9 MB), more than its heap of 4096.0 MB; expected a smaller network"
                + " (model.hidden) or fewer features, or a larger heap (bin/sparkmlp: SPARKMLP_JAVA_OPTS=-Xmx...;"
                + " spark-submit: --driver-memory)", local.getMessage());
        ClusterException driver = assertThrows(ClusterException.class,
                () -> MemoryBudget.check(WIDE, e, 2, true, 8, new MemoryBudget.Heaps(4 * gb, 8 * gb, 2, false)));
        assertEquals("the network 1000000-128-64-1 (128,008,449 parameters, 488.3 MB per copy) needs about 7324.7 MB"
                + " on the driver (weights, gradient, 2 optimizer vectors, best weights, 8 partials, output encoding),"
                + " more than its heap of 4096.0 MB; expected a smaller network (model.hidden) or fewer features, or"
                + " more driver memory (spark-submit --driver-memory)", driver.getMessage());
        ClusterException executor = assertThrows(ClusterException.class,
                () -> MemoryBudget.check(WIDE, e, 2, true, 8, new MemoryBudget.Heaps(16 * gb, 2 * gb, 2, false)));
        assertEquals("the network 1000000-128-64-1 (128,008,449 parameters, 488.3 MB per copy) needs about 3181.8 MB"
                + " per executor (2 tasks of 1590.9 MB: weights, gradient, partial, kernel and batch buffers), more than"
                + " the 1748.0 MB an executor heap of 2048.0 MB leaves; expected a smaller network (model.hidden) or"
                + " fewer features, or more executor memory (spark.executor.memory)", executor.getMessage());
        assertDoesNotThrow(() -> MemoryBudget.check(WIDE, e, 2, true, 8, new MemoryBudget.Heaps(16 * gb, 4 * gb, 2, false)));
    }

    @Test
    void anOrdinaryNetworkFitsADefaultHeap() {
        Architecture mnist = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 784, 128, 64, 10);
        MemoryBudget.Estimate e = MemoryBudget.estimate(mnist, 2, true, true, 16, 17, 17);
        assertDoesNotThrow(() -> MemoryBudget.check(mnist, e, 2, true, 16,
                new MemoryBudget.Heaps(1L << 30, 1L << 30, 8, true)));
    }
}
