package io.sparkmlp.driver.cli;

import static io.sparkmlp.driver.cli.Cli.json;
import static io.sparkmlp.driver.cli.Cli.project;
import static io.sparkmlp.driver.cli.Cli.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkmlp.driver.output.RunOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkmlp train} on the generators other than classification, end to end in local mode. */
class SyntheticKindsTest {

    @TempDir
    static Path dir;

    @Test
    void moonsExampleDrawsItsDecisionBoundary() throws IOException {
        Path out = dir.resolve("moons");
        Cli.Result r = train(project("conf/experiments/moons.properties"), "output.dir=" + out);
        assertEquals(0, r.exit(), r.toString());
        JsonNode s = json(out.resolve(RunOutput.SUMMARY_FILE));
        assertEquals("2-16-16-1", s.get("architecture").asText());
        double accuracy = s.get("test_accuracy").asDouble();
        System.out.printf("moons: test accuracy %.4f%n", accuracy);
        assertTrue(accuracy > 0.95, "moons with noise 0.15 are nearly separable by a curve: " + accuracy);
        String report = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(report.contains("alt=\"decision boundary\" src=\"data:image/png;base64,"), "no boundary chart");
    }

    @Test
    void regressionIsTrainedWithMseAndReachesTheNoiseLevel() throws IOException {
        Path out = dir.resolve("regression");
        double noise = 5;
        Cli.Result r = train(null, "data.format=synthetic", "synthetic.kind=regression", "synthetic.rows=6000",
                "synthetic.features=5", "synthetic.informative=3", "synthetic.noise=" + noise, "synthetic.bias=10",
                "data.partitions=2", "data.validationFraction=0", "model.hidden=none", "train.batchSize=128",
                "train.epochs=8", "train.learningRate=0.02", "output.dir=" + out);
        assertEquals(0, r.exit(), r.toString());
        JsonNode s = json(out.resolve(RunOutput.SUMMARY_FILE));
        assertEquals("output identity_mse", "output " + s.get("output").asText());
        assertTrue(s.get("test_accuracy").isNull(), "regression has no accuracy: " + s.get("test_accuracy"));
        // the targets spread by about 100 (coefficients up to 100): a linear fit lands on the noise, not below
        double rmse = s.get("test_rmse").asDouble();
        System.out.printf("regression: test rmse %.3f, noise %.1f, steps %d%n", rmse, noise, s.get("steps").asLong());
        assertTrue(rmse > 0.9 * noise && rmse < 1.2 * noise, "test rmse " + rmse + "\n" + r);
    }
}
