package io.sparkmlp.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static final Architecture ARCH = Architecture.of(Activation.RELU, OutputLoss.SOFTMAX_CROSS_ENTROPY, 2, 3, 3);
    private static final Model BASE = Model.of(Parameters.zeros(ARCH));

    private static void assertRejected(String message, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void classLabelsMustMatchTheOutputs() {
        assertEquals(List.of("a", "b", "c"), BASE.withClassLabels(List.of("a", "b", "c")).classLabels());
        assertEquals(List.of(), BASE.withClassLabels(null).classLabels());
        assertRejected("2 class labels for 3 output units of 2-3-3, expected 3 or none for regression",
                () -> BASE.withClassLabels(List.of("a", "b")));
        assertRejected("class label 'a' appears twice (class 0 and class 2)",
                () -> BASE.withClassLabels(List.of("a", "b", "a")));
        assertRejected("class label 1 is null", () -> BASE.withClassLabels(Arrays.asList("a", null, "c")));
        Model binary = Model.of(Parameters.zeros(Architecture.of(Activation.RELU, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY, 2, 1)));
        assertEquals(List.of("neg", "pos"), binary.withClassLabels(List.of("neg", "pos")).classLabels());
        assertRejected("1 class labels for 1 output unit of 2-1, expected 2 (class 0 and class 1) or none for regression",
                () -> binary.withClassLabels(List.of("pos")));
    }

    @Test
    void standardisationIsCheckedAndApplied() {
        Model m = BASE.withFeatureStandardization(new float[] {1f, -2f}, new float[] {2f, 0.5f});
        float[] x = {3f, -2f, 1f, 0f, 99f};
        m.standardize(x, 0, 2);
        assertArrayEquals(new float[] {1f, 0f, 0f, 4f, 99f}, x);
        float[] y = {5f, 5f};
        BASE.standardize(y, 0, 1);
        assertArrayEquals(new float[] {5f, 5f}, y, "no standardisation: unchanged");
        assertRejected("3 rows × 2 features at offset 0 do not fit an array of 5", () -> m.standardize(x, 0, 3));

        assertRejected("feature standardisation needs both mean and std, found mean only",
                () -> BASE.withFeatureStandardization(new float[2], null));
        assertRejected("feature mean/std have 3/2 entries, expected 2 (the input size of 2-3-3)",
                () -> BASE.withFeatureStandardization(new float[3], new float[] {1, 1}));
        assertRejected("feature std[1] must be finite and > 0, found 0.0",
                () -> BASE.withFeatureStandardization(new float[2], new float[] {1, 0}));
        assertRejected("feature std[0] must be finite and > 0, found -1.0",
                () -> BASE.withFeatureStandardization(new float[2], new float[] {-1, 1}));
        assertRejected("feature mean[1] must be finite, found Infinity",
                () -> BASE.withFeatureStandardization(new float[] {0, Float.POSITIVE_INFINITY}, new float[] {1, 1}));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        float[] mean = {1f, 2f};
        Model m = BASE.withFeatureStandardization(mean, new float[] {1f, 1f});
        mean[0] = 42f;
        assertEquals(1f, m.featureMean()[0]);
        m.featureMean()[0] = 42f;
        assertEquals(1f, m.featureMean()[0]);
    }

    @Test
    void targetScaling() {
        Model.TargetScaling t = new Model.TargetScaling(10f, 4f);
        assertEquals(1.5f, t.scale(16f));
        assertEquals(16f, t.unscale(1.5f));
        assertRejected("target std must be finite and > 0, found 0.0", () -> new Model.TargetScaling(0f, 0f));
        assertRejected("target mean must be finite, found NaN", () -> new Model.TargetScaling(Float.NaN, 1f));
        assertNotEquals(new Model.TargetScaling(0f, 1f), new Model.TargetScaling(-0f, 1f));
    }

    @Test
    void featureNamesAndInfoAreChecked() {
        assertEquals(List.of("x", "y"), BASE.withFeatureNames(List.of("x", "y")).featureNames());
        assertRejected("1 feature names, expected 2 (the input size of 2-3-3) or none",
                () -> BASE.withFeatureNames(List.of("x")));
        assertRejected("info.config.out: a sun.nio.fs.UnixPath is not a JSON value; expected a string, number, boolean,"
                        + " null, list, array or map with string keys",
                () -> BASE.withInfo(Map.of("config", Map.of("out", Path.of("/tmp")))));
        assertRejected("info.m: map keys must be strings, found java.lang.Integer 1",
                () -> BASE.withInfo(Map.of("m", Map.of(1, "one"))));
        assertThrows(UnsupportedOperationException.class, () -> BASE.withInfo(Map.of("a", 1)).info().put("b", 2));
    }

    @Test
    void equalityIsBitwise() {
        Model a = Model.of(Parameters.fromFlat(Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 1, 1), new float[] {0f, 1f}));
        Model b = Model.of(Parameters.fromFlat(Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 1, 1), new float[] {-0f, 1f}));
        Model c = Model.of(Parameters.fromFlat(Architecture.of(Activation.RELU, OutputLoss.IDENTITY_MSE, 1, 1), new float[] {0f, 1f}));
        assertNotEquals(a, b);
        assertEquals(a, c);
        assertEquals(a.hashCode(), c.hashCode());
        assertNotEquals(a, a.withInfo(Map.of("k", 1)));
        assertEquals(a.withInfo(Map.of("k", 1)), c.withInfo(Map.of("k", 1L)), "integers are canonical longs");
    }
}
