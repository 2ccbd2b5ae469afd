package io.sparkmlp.kernel.optim;

import java.util.Arrays;
import java.util.Objects;

/**
 * Plain-data snapshot of an optimizer for checkpoints: its kind ({@link OptimizerKind#name()},
 * e.g. {@code "ADAM"}), the number of steps taken and its state arrays, each as long as the
 * parameter vector. Array order per kind: SGD none; MOMENTUM and NESTEROV {@code {v}} (velocity);
 * ADAM and ADAMW {@code {m, v}} (first and second moment). The constructor copies the arrays, so
 * a snapshot never aliases live optimizer state; {@link #arrays()} returns the snapshot's own
 * arrays (read them, do not modify them). {@code equals} compares array contents bit for bit.
 *
 * @param kind optimizer kind name, non-blank
 * @param steps steps taken, ≥ 0
 * @param arrays state arrays, none null
 */
public record OptimizerState(String kind, long steps, float[][] arrays) {

    public OptimizerState {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("optimizer state kind must be a non-blank name, found '" + kind + "'");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("optimizer state steps must be >= 0, found " + steps);
        }
        if (arrays == null) {
            throw new IllegalArgumentException("optimizer state arrays are required, found null");
        }
        float[][] copy = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == null) {
                throw new IllegalArgumentException("optimizer state array " + i + " of " + arrays.length + " is null");
            }
            copy[i] = arrays[i].clone();
        }
        arrays = copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerState s && kind.equals(s.kind) && steps == s.steps
                && Arrays.deepEquals(arrays, s.arrays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, steps) * 31 + Arrays.deepHashCode(arrays);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("OptimizerState[kind=").append(kind).append(", steps=").append(steps)
                .append(", arrays=").append(arrays.length).append(" x [");
        for (int i = 0; i < arrays.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(arrays[i].length);
        }
        return sb.append("]]").toString();
    }
}
