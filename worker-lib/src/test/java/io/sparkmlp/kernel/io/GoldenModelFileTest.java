package io.sparkmlp.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Backend;
import io.sparkmlp.kernel.MlpKernel;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Golden files: model files written by the version-1 codec and committed under
 * {@code src/test/resources/io/sparkmlp/kernel/io/}. They must keep loading and predicting the
 * same, and re-encode to the very same bytes. If a change breaks this test, the format changed:
 * bump {@link ModelCodec#FORMAT_VERSION}, keep a reader for version 1, and add new golden files;
 * do not regenerate these ones.
 *
 * <p>They were produced by {@link #regenerate()}:
 * {@code mvn -o -q -pl worker-lib test -Dtest=GoldenModelFileTest#regenerate -Dsparkmlp.golden.dir=<dir>}.
 */
class GoldenModelFileTest {

    static final String CLASSIFIER = "golden-v1-classifier.spmlp";
    static final String REGRESSOR = "golden-v1-regressor.spmlp";

    /** Raw (unstandardised) input rows, 4 features. */
    static final float[] CLASSIFIER_INPUTS = {
        5.1f, 3.5f, 1.4f, 0.2f,
        6.4f, 3.2f, 4.5f, 1.5f,
        6.3f, 3.3f, 6.0f, 2.5f,
        0f, 0f, 0f, 0f,
        -3f, 10f, 2.5f, 7f,
    };

    /** Raw input rows, 3 features. */
    static final float[] REGRESSOR_INPUTS = {
        1f, 2f, 3f,
        -1f, 0.5f, 40f,
        0f, 0f, 0f,
    };

    /** Class probabilities of {@link #CLASSIFIER_INPUTS}, recorded when the golden file was made. */
    static final float[] CLASSIFIER_OUTPUTS = {
        0.3210897f, 0.5173516f, 0.1615586f,
        0.2505528f, 0.18612784f, 0.5633194f,
        0.06180734f, 0.053564575f, 0.88462806f,
        0.15969896f, 0.5808643f, 0.25943673f,
        0.013216145f, 0.009665295f, 0.97711855f,
    };

    /** Predictions of {@link #REGRESSOR_INPUTS} in target units, recorded when the golden file was made. */
    static final float[] REGRESSOR_OUTPUTS = {
        -18.838898f,
        43.010834f,
        44.767944f,
    };

    static Model goldenClassifier() {
        Architecture arch = Architecture.of(Activation.TANH, OutputLoss.SOFTMAX_CROSS_ENTROPY, 4, 6, 3);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", "0.1.0-SNAPSHOT");
        info.put("data", "data/iris.csv");
        info.put("seed", 20260101L);
        info.put("steps", 300);
        info.put("config", Map.of("learning_rate", 0.1, "batch_size", 32, "hidden", List.of(6)));
        info.put("metrics", Map.of("test_accuracy", 0.9333333333333333, "test_loss", 0.18));
        return Model.of(goldenParameters(arch, new float[] {-0f, Float.MIN_VALUE, Float.MIN_NORMAL}, 20260101L))
                .withClassLabels(List.of("Iris-setosa", "Iris-versicolor, \"v\"", "Iris-virginica 🌸"))
                .withFeatureStandardization(new float[] {5.843f, 3.057f, 3.758f, 1.199f},
                        new float[] {0.825f, 0.434f, 1.759f, 0.760f})
                .withFeatureNames(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"))
                .withInfo(info);
    }

    static Model goldenRegressor() {
        Architecture arch = Architecture.of(Activation.LEAKY_RELU, OutputLoss.IDENTITY_MSE, 3, 5, 1);
        return Model.of(goldenParameters(arch, new float[0], 7L))
                .withFeatureStandardization(new float[] {0.5f, -1f, 10f}, new float[] {2f, 0.25f, 30f})
                .withTargetScaling(new Model.TargetScaling(100f, 15f))
                .withInfo(Map.of("data", "synthetic", "metrics", Map.of("test_rmse", 3.25)));
    }

    /**
     * The given edge values, then values in [−1, 1) from an integer hash of (seed, index): no
     * library random generator, so the description stays the same bits on every JDK.
     */
    static Parameters goldenParameters(Architecture arch, float[] edges, long seed) {
        float[] flat = new float[arch.parameterCount()];
        for (int i = 0; i < flat.length; i++) {
            long h = (seed + i) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 32;
            flat[i] = i < edges.length ? edges[i] : ((h >>> 40) * 0x1p-24f) * 2f - 1f;
        }
        return Parameters.wrap(arch, flat);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenModelFileTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "golden file " + name + " is missing from the test resources");
            return in.readAllBytes();
        }
    }

    /** Outputs of the model on raw rows: standardise, network, then target scaling if any. */
    static float[] predict(Model m, float[] rawInputs) {
        Architecture arch = m.architecture();
        int rows = rawInputs.length / arch.inputSize();
        float[] x = rawInputs.clone();
        m.standardize(x, 0, rows);
        float[] out = new float[rows * arch.outputSize()];
        new MlpKernel(arch, Backend.JAVA).predict(x, 0, rows, m.parameters().flat(), out, 0);
        if (m.targetScaling() != null) {
            for (int i = 0; i < out.length; i++) out[i] = m.targetScaling().unscale(out[i]);
        }
        return out;
    }

    @Test
    void classifierStillLoadsAndPredictsTheSame() throws IOException {
        byte[] file = resource(CLASSIFIER);
        Model m = ModelCodec.decode(file, CLASSIFIER);
        assertEquals("4-6-3 tanh softmax_cross_entropy", m.architecture().toString());
        assertEquals(List.of("Iris-setosa", "Iris-versicolor, \"v\"", "Iris-virginica 🌸"), m.classLabels());
        assertEquals(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), m.featureNames());
        assertArrayEquals(new float[] {0.825f, 0.434f, 1.759f, 0.760f}, m.featureStd());
        assertEquals(20260101L, m.info().get("seed"));
        assertEquals(Map.of("learning_rate", 0.1, "batch_size", 32L, "hidden", List.of(6L)), m.info().get("config"));
        float[] flat = m.parameters().flat();
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(flat[0]));
        assertEquals(Float.floatToRawIntBits(Float.MIN_VALUE), Float.floatToRawIntBits(flat[1]));
        assertArrayEquals(CLASSIFIER_OUTPUTS, predict(m, CLASSIFIER_INPUTS), 1e-6f);
        assertArrayEquals(file, ModelCodec.encode(m), "re-encoding gives the golden bytes");
        assertEquals(goldenClassifier(), m, "the golden file holds the model the test describes");
    }

    @Test
    void regressorStillLoadsAndPredictsTheSame() throws IOException {
        byte[] file = resource(REGRESSOR);
        Model m = ModelCodec.decode(file, REGRESSOR);
        assertEquals("3-5-1 leaky_relu identity_mse", m.architecture().toString());
        assertEquals(List.of(), m.classLabels());
        assertEquals(new Model.TargetScaling(100f, 15f), m.targetScaling());
        assertArrayEquals(REGRESSOR_OUTPUTS, predict(m, REGRESSOR_INPUTS), 1e-4f);
        assertArrayEquals(file, ModelCodec.encode(m), "re-encoding gives the golden bytes");
        assertEquals(goldenRegressor(), m);
    }

    /** Writes the golden files into {@code -Dsparkmlp.golden.dir} and prints their outputs. */
    @Test
    @EnabledIfSystemProperty(named = "sparkmlp.golden.dir", matches = ".+")
    void regenerate() throws IOException {
        Path dir = Path.of(System.getProperty("sparkmlp.golden.dir"));
        Files.createDirectories(dir);
        ModelFile.write(dir.resolve(CLASSIFIER), goldenClassifier());
        ModelFile.write(dir.resolve(REGRESSOR), goldenRegressor());
        System.out.println("CLASSIFIER_OUTPUTS " + literals(predict(goldenClassifier(), CLASSIFIER_INPUTS), 3));
        System.out.println("REGRESSOR_OUTPUTS " + literals(predict(goldenRegressor(), REGRESSOR_INPUTS), 1));
    }

    private static String literals(float[] v, int perRow) {
        StringBuilder sb = new StringBuilder("\n");
        for (int i = 0; i < v.length; i++) {
            sb.append(i % perRow == 0 ? "        " : " ").append(v[i]).append("f,");
            if (i % perRow == perRow - 1) sb.append('\n');
        }
        return sb.toString();
    }
}
