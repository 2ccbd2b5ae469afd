package io.sparkmlp.driver.config;

/** How a step's broadcast, gradient job and merge travel ({@code train.transport}). */
public enum Transport {
    /** One Spark job per step: broadcast the weights, run the partitions, merge the partials. */
    JOB,
    /**
     * One long-lived Spark barrier stage, one task per partition; weights and partials travel as
     * binary frames over TCP between the driver and the tasks.
     */
    PERSISTENT
}
