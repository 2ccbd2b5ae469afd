package io.sparkmlp.driver.config;

/**
 * The training loss ({@code model.loss}). {@link #MSE} makes the job a regression. The kernel's
 * output layer also depends on the class count, so the trainer picks it
 * ({@code io.sparkmlp.driver.train.Trainer.architectureFor}).
 */
public enum LossKind {
    /** Classification: cross-entropy on the class index (one sigmoid output for 2 classes, else softmax). */
    CROSS_ENTROPY,
    /** Regression: identity output, {@code ½‖o − t‖²} on a real-valued target. */
    MSE
}
