package io.sparkmlp.driver.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep lines read, checked and expanded into runs; no Spark. */
class SweepSpecTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("sweep.properties");
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    private static final String[] BASE = {"data.format=synthetic", "synthetic.rows=1000", "model.hidden=8"};

    private Path base(String... sweep) throws IOException {
        String[] all = new String[BASE.length + sweep.length];
        System.arraycopy(BASE, 0, all, 0, BASE.length);
        System.arraycopy(sweep, 0, all, BASE.length, sweep.length);
        return file(all);
    }

    @Test
    void gridIsEveryCombinationLastLineFastestAndCommasStayInsideValues() throws IOException {
        SweepPlan plan = SweepPlan.of(base("sweep.model.hidden=128,64|32", "sweep.train.learningRate=0.1|0.01|0.001"),
                List.of());
        assertEquals(6, plan.runs().size());
        assertEquals(List.of("hidden=128x64_learningRate=0.1", "hidden=128x64_learningRate=0.01",
                "hidden=128x64_learningRate=0.001", "hidden=32_learningRate=0.1", "hidden=32_learningRate=0.01",
                "hidden=32_learningRate=0.001"), plan.runs().stream().map(SweepPlan.Run::name).toList());
        SweepPlan.Run first = plan.runs().get(0);
        assertEquals(Map.of("model.hidden", "128,64", "train.learningRate", "0.1"), first.values());
        assertEquals(List.of(128, 64), java.util.Arrays.stream(first.config().model().hidden()).boxed().toList());
        assertEquals(0.001, plan.runs().get(5).config().train().learningRate());
        assertTrue(first.config().output().dir().endsWith("/runs/hidden=128x64_learningRate=0.1"),
                first.config().output().dir());
        assertEquals(plan.base().output().dir() + "/runs/" + first.name(), first.config().output().dir());
    }

    @Test
    void zipPairsTheIthValues() throws IOException {
        SweepPlan plan = SweepPlan.of(base("sweep.mode=zip", "sweep.train.batchSize=1000|2000|4000",
                "sweep.train.learningRate=0.1|0.2|0.4"), List.of());
        assertEquals(List.of("batchSize=1000_learningRate=0.1", "batchSize=2000_learningRate=0.2",
                "batchSize=4000_learningRate=0.4"), plan.runs().stream().map(SweepPlan.Run::name).toList());
        ConfigException e = assertThrows(ConfigException.class, () -> SweepPlan.of(base("sweep.mode=zip",
                "sweep.train.batchSize=1000|2000", "sweep.train.learningRate=0.1|0.2|0.4"), List.of()));
        assertTrue(e.getMessage().contains("sweep.train.learningRate = \"0.1|0.2|0.4\": expected 2 values with sweep.mode = zip"),
                e.getMessage());
    }

    @Test
    void commandLineSweepLinesReplaceTheFilesAndPlainOverridesReachEveryRun() throws IOException {
        SweepPlan plan = SweepPlan.of(base("sweep.train.learningRate=0.1|0.01"),
                List.of("sweep.train.learningRate=0.5|0.25|0.125", "train.epochs=2"));
        assertEquals(3, plan.runs().size());
        for (SweepPlan.Run r : plan.runs()) assertEquals(2, r.config().train().epochs());
        assertEquals(0.125, plan.runs().get(2).config().train().learningRate());
    }

    @Test
    void refusesKeysOfTheSharedDataSparkAndOutput() throws IOException {
        for (String line : List.of("sweep.data.partitions=2|4", "sweep.synthetic.rows=10|20", "sweep.spark.master=local|local[2]",
                "sweep.output.dir=a|b", "sweep.train.resume=true|false")) {
            ConfigException e = assertThrows(ConfigException.class, () -> SweepPlan.of(base(line), List.of()), line);
            String key = line.substring(0, line.indexOf('='));
            assertTrue(e.getMessage().startsWith(dir.resolve("sweep.properties") + ": " + key + " = "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        // model.loss is no data.* key, but it decides whether the labels are classes or numbers
        ConfigException loss = assertThrows(ConfigException.class, () -> SweepPlan.of(file("data.format=synthetic",
                "synthetic.kind=regression", "model.loss=mse", "sweep.model.loss=mse|cross_entropy"), List.of()));
        assertTrue(loss.getMessage().contains("sweep.model.loss"), loss.getMessage());
    }

    @Test
    void refusesEmptyAndRepeatedValuesAndNoSweepLine() throws IOException {
        ConfigException empty = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningRate=0.1||0.01"), List.of()));
        assertTrue(empty.getMessage().endsWith("sweep.train.learningRate = \"0.1||0.01\": expected values separated"
                + " by | with none empty (value 2 of 3 is empty)"), empty.getMessage());
        ConfigException blank = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningRate="), List.of()));
        assertTrue(blank.getMessage().contains("value 1 of 1 is empty"), blank.getMessage());
        ConfigException twice = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningRate=0.1|0.1"), List.of()));
        assertTrue(twice.getMessage().contains("\"0.1\" is given twice"), twice.getMessage());
        ConfigException none = assertThrows(ConfigException.class, () -> SweepPlan.of(base(), List.of()));
        assertTrue(none.getMessage().contains("expected at least one sweep line"), none.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesAreToldAgainstTheSweepLine() throws IOException {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningrate=0.1|0.01"), List.of()));
        assertTrue(unknown.getMessage().startsWith(dir.resolve("sweep.properties") + ": sweep.train.learningrate = "),
                unknown.getMessage());
        assertTrue(unknown.getMessage().contains("did you mean \"train.learningRate\""), unknown.getMessage());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningRate=0.1|-1"), List.of()));
        assertTrue(bad.getMessage().startsWith(dir.resolve("sweep.properties") + ": sweep.train.learningRate = \"-1\": expected"),
                bad.getMessage());
        assertTrue(bad.getMessage().contains("(value \"-1\" of 0.1|-1)"), bad.getMessage());
        ConfigException both = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningRate=0.1|0.01"), List.of("train.learningRate=0.5")));
        assertTrue(both.getMessage().startsWith("command line: train.learningRate = \"0.5\": expected no plain setting"
                + " of a swept key"), both.getMessage());
        ConfigException resume = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.train.learningRate=0.1"), List.of("train.resume=true")));
        assertEquals("command line: train.resume = \"true\": expected false with sweep (started again, a sweep skips"
                + " its finished runs and resumes unfinished ones from their checkpoints)", resume.getMessage());
        ConfigException mode = assertThrows(ConfigException.class,
                () -> SweepPlan.of(base("sweep.mode=cartesian", "sweep.train.learningRate=0.1"), List.of()));
        assertTrue(mode.getMessage().contains("sweep.mode = \"cartesian\": expected grid"), mode.getMessage());
    }

    @Test
    void namesAreFileSafeAndUnique() {
        List<String> names = SweepPlan.names(List.of("model.hidden", "train.optimizer"), List.of(
                Map.of("model.hidden", "8 , 4", "train.optimizer", "adam"),
                Map.of("model.hidden", "8,/4", "train.optimizer", "adam"),
                Map.of("model.hidden", "16", "train.optimizer", "sgd")));
        assertEquals(3, new HashSet<>(names).size(), names.toString());
        for (String n : names) assertTrue(n.matches("[A-Za-z0-9.+=_-]+"), n);
        assertEquals("hidden=16_optimizer=sgd", names.get(2));
        // two swept keys with one last part: the whole keys name the runs
        assertEquals(List.of("train.lbfgs.history=5_model.history=1"), SweepPlan.names(
                List.of("train.lbfgs.history", "model.history"), List.of(Map.of("train.lbfgs.history", "5", "model.history", "1"))));
    }
}
