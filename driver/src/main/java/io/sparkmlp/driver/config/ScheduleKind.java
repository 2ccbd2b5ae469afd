package io.sparkmlp.driver.config;

/**
 * TEMPORARY local copy of {@code io.sparkmlp.kernel.optim.ScheduleKind} (written in parallel in
 * worker-lib); same constants, no behaviour. At merge, delete this file and import the kernel's.
 */
public enum ScheduleKind { CONSTANT, STEP, COSINE }
