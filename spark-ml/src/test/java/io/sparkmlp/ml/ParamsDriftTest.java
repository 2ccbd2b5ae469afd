package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.KeyDoc;
import io.sparkmlp.driver.config.TrainConfig;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/**
 * The Params and the CLI's training keys cannot drift apart: every CLI key is a Param (or listed as
 * a file-reading key with its reason), with the key's doc and the same default; and a value means the
 * same to both (a Param's value goes through the CLI's validation).
 */
class ParamsDriftTest {

    private static final List<MlpParams<?>> ESTIMATORS = List.of(new MlpClassifier(), new MlpRegressor());

    @Test
    void everyCliTrainingKeyHasItsParamWithTheSameDocAndDefault() throws Exception {
        List<String> missing = new ArrayList<>();
        for (KeyDoc key : TrainConfig.keyDocs()) {
            if (TrainingParams.FILE_KEYS.contains(key.key()) || key.key().startsWith(TrainingParams.SYNTHETIC_PREFIX)) {
                continue;
            }
            TrainingParams.Entry entry = TrainingParams.ENTRIES.stream().filter(e -> e.key().equals(key.key()))
                    .findFirst().orElse(null);
            if (entry == null) {
                missing.add(key.key());
                continue;
            }
            for (MlpParams<?> est : ESTIMATORS) {
                Param<?> p = est.getParam(entry.param());
                assertTrue(p.doc().startsWith(key.doc()), p + ": doc \"" + p.doc() + "\" vs the CLI's \"" + key.doc() + "\"");
                assertTrue(p.doc().contains(key.key()), p + " names its CLI key");
                Method accessor = est.getClass().getMethod(entry.param());
                assertSame(p, accessor.invoke(est), "Param accessor " + entry.param() + "() for ParamGridBuilder");
                assertNotNull(setter(est, entry.param()), "set" + entry.param());
                String cliDefault = TrainConfig.fromMap(Map.of("data.train", "x"), "test").effective().get(key.key());
                if (key.defaultValue().equals(cliDefault)) {
                    assertTrue(est.hasDefault(p), p + " has the CLI's default " + cliDefault);
                    assertEquals(TrainingParams.text(entry, TrainingParams.value(entry, cliDefault)),
                            TrainingParams.text(entry, est.getDefault(p).get()), p + " default");
                } else {
                    assertFalse(est.hasDefault(p), p + ": the CLI derives the default (" + key.defaultValue() + ")");
                    assertTrue(p.doc().contains(key.defaultValue()), p + " says how the CLI derives its default");
                }
            }
        }
        assertEquals(List.of(), missing, "CLI training keys without a Param");
        for (TrainingParams.Entry e : TrainingParams.ENTRIES) {
            assertTrue(TrainConfig.knownKeys().contains(e.key()), "Param " + e.param() + " stands for an unknown key " + e.key());
        }
        for (String k : TrainingParams.FILE_KEYS) {
            assertTrue(TrainConfig.knownKeys().contains(k), "file-reading key " + k + " is not a CLI key");
        }
    }

    private static Method setter(Object est, String param) {
        String name = "set" + Character.toUpperCase(param.charAt(0)) + param.substring(1);
        for (Method m : est.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1) return m;
        }
        return null;
    }

    @Test
    void aParamValueMeansWhatTheCliKeyMeans() {
        MlpClassifier mlp = new MlpClassifier().setStepSize(0.05).setSolver("gd").setBatchSize(-1).setEpochs(0)
                .setHiddenLayers(new int[0]).setMaxIter(123);
        TrainConfig cfg = FitConfig.of(mlp);
        assertEquals(0.05, cfg.train().learningRate());
        assertEquals(io.sparkmlp.kernel.optim.OptimizerKind.SGD, cfg.train().optimizer(), "MLlib's gd is sgd");
        assertTrue(cfg.train().fullBatch(), "batchSize -1 is the CLI's full");
        assertEquals(0, cfg.model().hidden().length);
        assertEquals(123, cfg.train().maxSteps());
        assertEquals("0.01", FitConfig.of(new MlpClassifier().setSolver("sgd")).effective().get("train.learningRate"),
                "the learning rate's default follows the optimizer, as in the CLI");
        assertEquals(0.01, new MlpClassifier().setSolver("sgd").getStepSize(), "and its getter says so");
        assertFalse(cfg.settings().containsKey("train.logEvery"), "a Param left at its default leaves the key unset");
        assertFalse(cfg.isSet(io.sparkmlp.driver.config.Keys.DATA_VALIDATION_FRACTION));
        assertTrue(FitConfig.of(new MlpClassifier().setValidationIndicatorCol("isVal"))
                .isSet(io.sparkmlp.driver.config.Keys.DATA_VALIDATION_FRACTION),
                "a validation column is a validation setting: L-BFGS does not train on the rows it flags");
    }

    @Test
    void badValuesAreRefusedInOneLineNamingTheParam() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitConfig.of(new MlpClassifier().setStepSize(-1)));
        assertTrue(e.getMessage().contains("param stepSize (CLI key train.learningRate) = \"-1.0\": expected"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        TrainConfig lbfgs = FitConfig.of(new MlpClassifier().setSolver("l-bfgs").setTol(1e-4).setMaxIter(50));
        assertEquals(io.sparkmlp.kernel.optim.OptimizerKind.LBFGS, lbfgs.train().optimizer(), "MLlib's l-bfgs is lbfgs");
        assertEquals(1e-4, lbfgs.train().tol(), "MLlib's tol is train.tol");
        assertEquals(1e-6, new MlpClassifier().getTol(), "tol's default is MLlib's and the CLI's");
        MlpClassifier both = new MlpClassifier().setLayers(new int[] {2, 5, 3}).setHiddenLayers(new int[] {4});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FitConfig.of(both)).getMessage()
                .endsWith("layers and hiddenLayers are both set ([2, 5, 3] and [4]), expected one of them"));
        assertEquals("5", FitConfig.of(new MlpClassifier().setLayers(new int[] {2, 5, 3})).effective().get("model.hidden"),
                "MLlib's layers: the hidden sizes between input and output");
    }
}
