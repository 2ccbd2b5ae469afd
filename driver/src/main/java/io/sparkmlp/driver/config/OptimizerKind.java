package io.sparkmlp.driver.config;

/**
 * TEMPORARY local copy of {@code io.sparkmlp.kernel.optim.OptimizerKind} (written in parallel in
 * worker-lib); same constants, no behaviour. At merge, delete this file and import the kernel's.
 */
public enum OptimizerKind { SGD, MOMENTUM, NESTEROV, ADAM, ADAMW }
