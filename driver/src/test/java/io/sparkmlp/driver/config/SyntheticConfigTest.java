package io.sparkmlp.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.DataOptions.SyntheticKind;
import io.sparkmlp.driver.config.DataOptions.SyntheticOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code synthetic.*} keys: values, the rules between them and with the loss, and the warnings per kind. */
class SyntheticConfigTest {

    private static TrainConfig of(String... overrides) {
        List<String> o = new ArrayList<>(List.of("data.format=synthetic"));
        o.addAll(Arrays.asList(overrides));
        return TrainConfig.load(null, o);
    }

    private static String refused(String... overrides) {
        return assertThrows(ConfigException.class, () -> of(overrides)).getMessage();
    }

    @Test
    void parametersReachTheOptions() {
        SyntheticOptions s = of("synthetic.kind=Classification", "synthetic.features=12", "synthetic.classes=3",
                "synthetic.redundant=2", "synthetic.repeated=1", "synthetic.clustersPerClass=1",
                "synthetic.classSep=1.5", "synthetic.weights=0.7, 0.2", "synthetic.flipY=0",
                "synthetic.hypercube=false",
                "synthetic.shift=random", "synthetic.scale=2").data().synthetic();
        assertEquals(SyntheticKind.CLASSIFICATION, s.kind());
        assertEquals(9, s.informative(), "min(12 - 2 - 1, 10)");
        assertEquals(List.of(0.7, 0.2), s.weights());
        assertTrue(Double.isNaN(s.shift()), "random");
        assertEquals(2.0, s.scale());
        assertEquals(1.5, s.classSep());
        assertEquals(3, s.classCount());
        assertEquals(12, s.featureCount());
        SyntheticOptions moons = of("synthetic.kind=moons", "synthetic.noise=0.2").data().synthetic();
        assertEquals(2, moons.featureCount());
        assertEquals(2, moons.classCount());
        assertEquals(0.2, moons.noise());
        assertEquals(4, of("synthetic.kind=blobs", "synthetic.centers=4").data().synthetic().classCount());
        assertEquals("none", of().effective().get("synthetic.weights"));
        assertEquals("random", Keys.SYNTHETIC_SCALE.format(Double.NaN));
    }

    @Test
    void regressionIsARegressionJobByDefaultAndNeedsMse() {
        TrainConfig c = of("synthetic.kind=regression", "synthetic.noise=3", "synthetic.bias=-2");
        assertEquals(LossKind.MSE, c.model().loss());
        assertTrue(c.data().regression());
        assertEquals(0, c.data().synthetic().classCount());
        assertEquals(LossKind.CROSS_ENTROPY, of("synthetic.kind=moons").model().loss());
        assertEquals(LossKind.CROSS_ENTROPY, TrainConfig.load(null, List.of("data.train=x.csv",
                "synthetic.kind=regression")).model().loss(), "only for synthetic data");
        assertEquals("command line: model.loss = \"cross_entropy\": expected mse with synthetic.kind = regression"
                + " (real-valued labels)", refused("synthetic.kind=regression", "model.loss=cross_entropy"));
        assertEquals("command line: model.loss = \"mse\": expected cross_entropy with synthetic.kind = xor (class"
                + " labels; synthetic.kind = regression gives real-valued labels)",
                refused("synthetic.kind=xor", "model.loss=mse"));
    }

    @Test
    void noiseWithClassificationIsRefusedForItsOldMeaning() {
        assertEquals("command line: synthetic.noise = \"0.05\": expected no setting with synthetic.kind ="
                + " classification: its fraction of random labels is synthetic.flipY (synthetic.noise is the Gaussian"
                + " noise of regression, moons, circles, xor)", refused("synthetic.noise=0.05"));
    }

    @Test
    void classificationRulesNameTheKeyAndTheBound() {
        assertEquals("command line: synthetic.informative = \"8\": expected an integer from 1 to synthetic.features"
                + " = 10 - synthetic.redundant - synthetic.repeated = 7",
                refused("synthetic.features=10", "synthetic.redundant=2", "synthetic.repeated=1",
                        "synthetic.informative=8"));
        assertEquals("command line: synthetic.redundant = \"6\": expected synthetic.redundant + synthetic.repeated"
                + " < synthetic.features = 10 (at least one informative feature)",
                refused("synthetic.features=10", "synthetic.redundant=6", "synthetic.repeated=4"));
        assertEquals("command line: synthetic.clustersPerClass = \"3\": expected synthetic.classes x"
                + " synthetic.clustersPerClass = 9 at most 2^synthetic.informative = 8 (one hypercube vertex per"
                + " cluster)",
                refused("synthetic.informative=3", "synthetic.classes=3", "synthetic.clustersPerClass=3"));
        assertEquals("command line: synthetic.weights = \"0.5\": expected 3 or 2 proportions (synthetic.classes = 3),"
                + " found 1", refused("synthetic.classes=3", "synthetic.weights=0.5"));
        assertEquals("command line: synthetic.weights = \"0.7,0.6\": expected proportions summing to at most 1 (the"
                + " last class gets the rest)", refused("synthetic.classes=3", "synthetic.weights=0.7,0.6"));
        assertEquals("command line: synthetic.weights = \"0,0\": expected proportions with a positive sum",
                refused("synthetic.weights=0,0"));
        assertEquals("command line: synthetic.weights = \"0.5,x\": expected comma-separated numbers, each >= 0"
                + " (empty or none: not set); value 2 is \"x\"", refused("synthetic.weights=0.5,x"));
        assertEquals("command line: synthetic.scale = \"0\": expected a number > 0 or random",
                refused("synthetic.scale=0"));
        // a regression has no clusters, so no hypercube bound; its informative features are at most its features
        assertEquals(1, of("synthetic.kind=regression", "synthetic.features=1", "synthetic.classes=40")
                .data().synthetic().informative());
        assertTrue(refused("synthetic.kind=regression", "synthetic.features=3", "synthetic.informative=4")
                .endsWith("expected an integer from 1 to synthetic.features = 3"));
    }

    @Test
    void keysTheKindDoesNotReadAreWarnedAbout() {
        assertEquals(List.of(
                "command line: synthetic.features = \"5\" has no effect: synthetic.kind = moons",
                "command line: synthetic.flipY = \"0.1\" has no effect: synthetic.kind = moons"),
                of("synthetic.kind=moons", "synthetic.features=5", "synthetic.flipY=0.1", "synthetic.noise=0.1")
                        .warnings());
        assertEquals(List.of("command line: synthetic.noise = \"0.1\" has no effect: synthetic.kind = blobs"),
                of("synthetic.kind=blobs", "synthetic.noise=0.1", "synthetic.clusterStd=2").warnings());
        assertEquals(List.of("command line: synthetic.classSep = \"2\" has no effect: synthetic.kind = regression"),
                of("synthetic.kind=regression", "synthetic.classSep=2", "synthetic.informative=3").warnings());
        assertTrue(of("synthetic.redundant=2", "synthetic.weights=0.9").warnings().isEmpty());
        assertEquals(List.of("command line: synthetic.factor = \"0.5\" has no effect: data.format is not synthetic"),
                TrainConfig.load(null, List.of("data.train=x.csv", "synthetic.factor=0.5")).warnings());
    }
}
