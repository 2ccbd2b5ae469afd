package io.sparkmlp.driver.config;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Backend;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The network and how its products are computed ({@code model.*} keys). Built and validated by
 * {@link TrainConfig}. Input and output sizes come from the data.
 *
 * @param hidden hidden layer sizes, input side first, each ≥ 1; empty: no hidden layer (a linear
 *               or logistic model). Copied in and out.
 * @param activation activation of every hidden layer
 * @param loss training loss; {@link LossKind#MSE} means regression
 * @param backend matrix product implementation
 */
public record ModelOptions(int[] hidden, Activation activation, LossKind loss, Backend backend)
        implements Serializable {

    public ModelOptions {
        hidden = Objects.requireNonNull(hidden, "hidden").clone();
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(backend, "backend");
    }

    /** A copy of the hidden layer sizes. */
    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelOptions m && Arrays.equals(hidden, m.hidden) && activation == m.activation
                && loss == m.loss && backend == m.backend;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(hidden), activation, loss, backend);
    }

    @Override
    public String toString() {
        return "ModelOptions[hidden=" + Arrays.toString(hidden) + ", activation=" + activation
                + ", loss=" + loss + ", backend=" + backend + "]";
    }
}
