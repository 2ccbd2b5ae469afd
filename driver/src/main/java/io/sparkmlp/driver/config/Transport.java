package io.sparkmlp.driver.config;

/** How a step's broadcast, gradient job and merge travel ({@code train.transport}). */
public enum Transport {
    /** One Spark job per step: broadcast the weights, run the partitions, merge the partials. */
    JOB
}
