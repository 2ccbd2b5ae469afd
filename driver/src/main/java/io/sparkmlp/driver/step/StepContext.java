package io.sparkmlp.driver.step;

import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import java.io.Serializable;

/**
 * What every partition needs to compute its part of a step, besides the weights: the network,
 * the matrix backend, the sampling seed and the batch plan. Shipped once per task in the closure.
 */
public record StepContext(Architecture architecture, Backend backend, long seed, BatchPlan plan) implements Serializable {
}
