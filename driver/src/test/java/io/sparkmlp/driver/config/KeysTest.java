package io.sparkmlp.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.Keys.Key;
import io.sparkmlp.kernel.Activation;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The public read API of the key table: what another face of the trainer (spark.ml Params) builds on. */
class KeysTest {

    @Test
    void allIsTheTableInOrderAndDescribesAsTheDocs() {
        assertEquals(TrainConfig.knownKeys(), Keys.all().stream().map(Key::name).toList());
        assertEquals(TrainConfig.keyDocs(), Keys.all().stream().map(Key::describe).toList());
        for (Key<?> k : Keys.all()) {
            assertSame(k, Keys.byName(k.name()));
        }
        assertNull(Keys.byName("spark.master"));
        assertNull(Keys.byName("train.stepSize"), "renamed");
    }

    @Test
    void everyDefaultHasTheKeysTypeAndFormatsToTextThatParsesBack() {
        for (Key<?> k : Keys.all()) {
            Object v = k.defaultValue();
            assertTrue(v == null || k.valueClass().isInstance(v), k.name() + ": " + v);
            assertTrue(Objects.deepEquals(v, roundTrip(k, v)), k.name());
        }
    }

    @Test
    void valuesFormatAsAConfigurationWouldWriteThem() {
        assertEquals("full", Keys.TRAIN_BATCH_SIZE.format(TrainOptions.FULL_BATCH));
        assertEquals("64", Keys.TRAIN_BATCH_SIZE.format(64));
        assertEquals("auto", Keys.TRAIN_EPOCHS.format(TrainOptions.AUTO));
        assertEquals("auto", Keys.DATA_HEADER.format(null));
        assertEquals("false", Keys.DATA_HEADER.format(false));
        assertEquals("128,64", Keys.MODEL_HIDDEN.format(new int[] {128, 64}));
        assertEquals("none", Keys.MODEL_HIDDEN.format(new int[0]));
        assertEquals("0.00001", Keys.TRAIN_LEARNING_RATE.format(1e-5));
        assertEquals("0.5", Keys.TRAIN_GAMMA.format(0.5));
        assertEquals("1", Keys.TRAIN_GAMMA.format(1.0));
        assertEquals("leaky_relu", Keys.MODEL_ACTIVATION.format(Activation.LEAKY_RELU));
        assertEquals("", Keys.DATA_TEST.format(null));
        assertEquals(-7L, roundTrip(Keys.TRAIN_SEED, -7L));
        assertEquals(0.1 + 0.2, roundTrip(Keys.TRAIN_LEARNING_RATE, 0.1 + 0.2));
    }

    @Test
    void derivedDefaultsAreTakenWithTheOtherKeysAtTheirDefaults() {
        assertEquals(0.001, Keys.TRAIN_LEARNING_RATE.defaultValue());
        assertEquals(42L, Keys.DATA_SEED.defaultValue());
        assertEquals(10, Keys.SYNTHETIC_INFORMATIVE.defaultValue());
        assertEquals("runs/sparkmlp", Keys.OUTPUT_DIR.defaultValue());
        assertNull(Keys.DATA_TEST.defaultValue());
        assertEquals("0.001 for adam/adamw/auto, 0.01 otherwise", Keys.TRAIN_LEARNING_RATE.defaultDoc());
        assertEquals(Double.class, Keys.TRAIN_LEARNING_RATE.valueClass());
        assertEquals(int[].class, Keys.MODEL_HIDDEN.valueClass());
    }

    @Test
    void parseRefusesWithTheSourceKeyValueAndExpectation() {
        assertEquals(1e-4, Keys.TRAIN_LEARNING_RATE.parse(" 1e-4 ", "spark.ml"));
        ConfigException e = assertThrows(ConfigException.class, () -> Keys.TRAIN_LEARNING_RATE.parse("-1", "spark.ml"));
        assertEquals("spark.ml: train.learningRate = \"-1\": expected a number > 0", e.getMessage());
        e = assertThrows(ConfigException.class, () -> Keys.MODEL_HIDDEN.parse("8,x", "spark.ml"));
        assertTrue(e.getMessage().endsWith("; layer 2 is \"x\""), e.getMessage());
    }

    @Test
    void optionDefaultsAreTheConfigurationsDefaults() {
        TrainConfig c = TrainConfig.load(null, List.of("data.train=a.csv"));
        assertEquals(c.data(), DataOptions.defaults().withTrain("a.csv"));
        assertEquals(c.train(), TrainOptions.defaults());
        TrainConfig s = TrainConfig.load(null, List.of("data.format=synthetic", "train.seed=3"));
        assertEquals(s.data().synthetic(), DataOptions.defaults().synthetic().withSeed(3));
    }

    private static <T> T roundTrip(Key<T> k, Object value) {
        @SuppressWarnings("unchecked")
        T v = (T) value;
        return k.parse(k.format(v), "test");
    }
}
