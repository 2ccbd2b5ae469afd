package io.sparkmlp.driver.config;

import io.sparkmlp.kernel.OutputLoss;

/** The training loss ({@code model.loss}). {@link #MSE} makes the job a regression. */
public enum LossKind {
    /** Classification: softmax output, cross-entropy on the class index. */
    CROSS_ENTROPY,
    /** Regression: identity output, {@code ½‖o − t‖²} on a real-valued target. */
    MSE;

    /** The kernel's fused output layer and loss for this kind. */
    public OutputLoss outputLoss() {
        return switch (this) {
            case CROSS_ENTROPY -> OutputLoss.SOFTMAX_CROSS_ENTROPY;
            case MSE -> OutputLoss.IDENTITY_MSE;
        };
    }
}
