package io.sparkmlp.driver.config;

import io.sparkmlp.kernel.optim.ScheduleKind;
import io.sparkmlp.kernel.optim.OptimizerKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.driver.config.DataOptions.DataFormat;
import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainConfigTest {

    @TempDir
    Path dir;

    /** A configuration from overrides only, with data.train set unless given. */
    private static TrainConfig of(String... overrides) {
        List<String> o = new ArrayList<>(List.of("data.train=data/train.csv"));
        o.addAll(Arrays.asList(overrides));
        return TrainConfig.load(null, o);
    }

    private static ConfigException refused(String... overrides) {
        return assertThrows(ConfigException.class, () -> of(overrides));
    }

    private Path file(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    // ---- defaults ----

    @Test
    void defaultsFillEveryOption() {
        TrainConfig c = of();
        DataOptions d = c.data();
        assertEquals(DataFormat.AUTO, d.format());
        assertEquals("data/train.csv", d.train());
        assertNull(d.test());
        assertEquals(0.2, d.testFraction());
        assertEquals(0.1, d.validationFraction());
        assertNull(d.header(), "header auto → null");
        assertNull(d.labelColumn(), "label column default: last → null");
        assertEquals(0, d.numFeatures());
        assertTrue(d.standardize());
        assertEquals(0, d.partitions());
        assertFalse(d.regression());
        assertEquals(42L, d.seed());
        assertEquals(new DataOptions.SyntheticOptions(100_000, 20, 2, 10, 0.01, 42), d.synthetic());

        assertEquals(new ModelOptions(new int[] {128, 64}, Activation.LEAKY_RELU, LossKind.CROSS_ENTROPY, Backend.AUTO),
                c.model());

        TrainOptions t = c.train();
        assertEquals(256, t.batchSize());
        assertEquals(TrainOptions.AUTO, t.epochs());
        assertEquals(0, t.maxSteps());
        assertEquals(OptimizerKind.AUTO, t.optimizer());
        assertEquals(0.001, t.learningRate());
        assertEquals(0.9, t.momentum());
        assertEquals(0.9, t.beta1());
        assertEquals(0.999, t.beta2());
        assertEquals(0, t.weightDecay());
        assertEquals(0, t.clipNorm());
        assertEquals(ScheduleKind.CONSTANT, t.lrSchedule());
        assertEquals(0, t.warmupSteps());
        assertEquals(1000, t.decaySteps());
        assertEquals(0.5, t.gamma());
        assertEquals(0, t.minLearningRate());
        assertEquals(42, t.seed());
        assertEquals(TrainOptions.AUTO, t.evalEvery());
        assertEquals(TrainOptions.AUTO_PATIENCE, t.earlyStoppingPatience());
        assertTrue(t.keepBest());
        assertEquals(0, t.checkpointEvery());
        assertFalse(t.resume());
        assertEquals(Transport.PERSISTENT, t.transport());
        assertEquals(TrainOptions.AUTO, t.logEvery());

        assertEquals(new OutputOptions("runs/sparkmlp", false), c.output());
        assertTrue(c.sparkConf().isEmpty());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void effectiveListsEveryKnownKeySortedWithDerivedDefaults() {
        TrainConfig c = of("train.optimizer=sgd", "train.seed=7");
        Map<String, String> e = c.effective();
        assertEquals(TrainConfig.knownKeys().stream().sorted().toList(), new ArrayList<>(e.keySet()));
        assertEquals("0.01", e.get("train.learningRate"));
        assertEquals("7", e.get("data.seed"));
        assertEquals("7", e.get("synthetic.seed"));
        assertEquals("10", e.get("synthetic.informative"));
        assertEquals("auto", e.get("train.epochs"));
        assertEquals("", e.get("data.test"));
        assertEquals("runs/sparkmlp", e.get("output.dir"));
        assertEquals("sgd", e.get("train.optimizer"));
    }

    @ParameterizedTest
    @CsvSource({"adam,0.001,0", "adamw,0.001,0.01", "sgd,0.01,0", "momentum,0.01,0", "nesterov,0.01,0"})
    void learningRateAndWeightDecayDefaultsDependOnTheOptimizer(String optimizer, double lr, double wd) {
        TrainOptions t = of("train.optimizer=" + optimizer).train();
        assertEquals(lr, t.learningRate());
        assertEquals(wd, t.weightDecay());
    }

    @Test
    void anExplicitLearningRateBeatsTheOptimizersDefault() {
        TrainOptions t = of("train.optimizer=sgd", "train.learningRate=0.3", "train.weightDecay=0.001").train();
        assertEquals(0.3, t.learningRate());
        assertEquals(0.001, t.weightDecay());
    }

    @Test
    void outputDirDefaultsToTheConfigFilesBaseName() throws IOException {
        Path f = file("mnist.small.properties", "data.train=x.csv");
        assertEquals("runs/mnist.small", TrainConfig.load(f, List.of()).output().dir());
        assertEquals("runs/sparkmlp", TrainConfig.fromMap(Map.of("data.train", "x"), "test").output().dir());
        assertEquals("out/a", TrainConfig.load(f, List.of("output.dir=out/a")).output().dir());
    }

    // ---- files and overrides ----

    @Test
    void overridesWinOverTheFileAndLaterOverridesWin() throws IOException {
        Path f = file("job.properties", "data.train=a.csv", "train.epochs=3", "train.batchSize=64");
        TrainConfig c = TrainConfig.load(f, List.of("train.epochs=5", "train.batchSize=32", "train.batchSize=16"));
        assertEquals(5, c.train().epochs());
        assertEquals(16, c.train().batchSize());
        assertEquals("a.csv", c.data().train());
        assertEquals(TrainConfig.COMMAND_LINE, c.source("train.epochs"));
        assertEquals(f.toString(), c.source("data.train"));
        assertEquals(TrainConfig.DEFAULT, c.source("train.seed"));
    }

    @Test
    void isSetIsTrueForFileAndOverrideKeysOnly() throws IOException {
        Path f = file("job.properties", "data.train=a.csv", "train.seed=42", "spark.master=local[2]");
        TrainConfig c = TrainConfig.load(f, List.of("train.epochs=2"));
        assertTrue(c.isSet(Keys.DATA_TRAIN));
        assertTrue(c.isSet(Keys.TRAIN_SEED), "set to its default value is still set");
        assertTrue(c.isSet(Keys.TRAIN_EPOCHS));
        assertFalse(c.isSet(Keys.TRAIN_BATCH_SIZE));
        assertFalse(c.isSet(Keys.DATA_SEED), "derived from train.seed, not set");
        assertEquals(f.toString(), c.source("spark.master"));
        assertNull(c.source("no.such.key"));
    }

    @Test
    void valuesAreTrimmedInFilesAndOverrides() throws IOException {
        Path f = file("job.properties", "data.train =   a.csv   ", "model.hidden = 32 , 16 ", "train.optimizer =\tSGD ");
        TrainConfig c = TrainConfig.load(f, List.of(" train.learningRate =  0.5 "));
        assertEquals("a.csv", c.data().train());
        assertArrayEquals(new int[] {32, 16}, c.model().hidden());
        assertEquals(OptimizerKind.SGD, c.train().optimizer());
        assertEquals(0.5, c.train().learningRate());
        assertEquals("0.5", c.effective().get("train.learningRate"));
    }

    @Test
    void missingFileIsRefusedNamingIt() {
        Path f = dir.resolve("conf/nope.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of()));
        assertEquals(f + ": no such file, expected a job configuration (properties file)", e.getMessage());
        assertEquals(f.toString(), e.source());
    }

    @Test
    void directoryIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(dir, List.of()));
        assertTrue(e.getMessage().startsWith(dir + ": is a directory"), e.getMessage());
    }

    @Test
    void keySetTwiceInOneFileIsRefused() throws IOException {
        Path f = file("twice.properties", "data.train=a.csv", "train.epochs=3", "train.epochs = 5");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of()));
        assertEquals(f + ": train.epochs = \"5\": key set twice in this file (also \"3\"); expected each key once",
                e.getMessage());
    }

    @Test
    void overrideWithoutEqualsIsRefusedNamingIt() {
        ConfigException e = refused("train.epochs");
        assertEquals("command line: \"train.epochs\": expected KEY=VALUE (an override needs '=')", e.getMessage());
        ConfigException empty = refused("=5");
        assertEquals("command line: \"=5\": expected KEY=VALUE with a non-empty KEY", empty.getMessage());
    }

    @Test
    void anOverrideValueMayContainEquals() {
        TrainConfig c = of("spark.driver.extraJavaOptions=-Da=b -Dc=d");
        assertEquals("-Da=b -Dc=d", c.sparkConf().get("spark.driver.extraJavaOptions"));
    }

    // ---- spark.* ----

    @Test
    void sparkKeysPassThroughUncheckedAndStayOutOfEffective() throws IOException {
        Path f = file("job.properties", "data.train=a.csv", "spark.master=local[2]", "spark.executor.memory = 2g",
                "spark.whatever=not checked here");
        TrainConfig c = TrainConfig.load(f, List.of("spark.master=local[1]"));
        assertEquals(Map.of("spark.master", "local[1]", "spark.executor.memory", "2g",
                "spark.whatever", "not checked here"), c.sparkConf());
        assertEquals(List.of("spark.executor.memory", "spark.master", "spark.whatever"),
                new ArrayList<>(c.sparkConf().keySet()), "sorted");
        assertFalse(c.effective().containsKey("spark.master"));
        assertTrue(c.describe().contains("spark.master"));
    }

    // ---- typed values ----

    @ParameterizedTest
    @CsvSource({"full,-1", "FULL,-1", "1,1", "4096,4096"})
    void batchSizeTakesIntegersOrFull(String value, int expected) {
        TrainOptions t = of("train.batchSize=" + value).train();
        assertEquals(expected, t.batchSize());
        assertEquals(expected == TrainOptions.FULL_BATCH, t.fullBatch());
    }

    @ParameterizedTest
    @CsvSource({"auto,0", "AUTO,0", "1,1", "30,30"})
    void epochsTakeIntegersOrAuto(String value, int expected) {
        assertEquals(expected, of("train.epochs=" + value).train().epochs());
    }

    @Test
    void evalEveryAndLogEveryTakeAuto() {
        TrainOptions t = of("train.evalEvery=auto", "train.logEvery=50").train();
        assertEquals(TrainOptions.AUTO, t.evalEvery());
        assertEquals(50, t.logEvery());
    }

    @ParameterizedTest
    @CsvSource(value = {"128,64|128 64", "' 10 , 20 , 30 '|10 20 30", "7|7", "none|", "''|", "NONE|"}, delimiter = '|')
    void hiddenLayers(String value, String expected) {
        int[] want = expected == null ? new int[0] : Arrays.stream(expected.split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(want, of("model.hidden=" + value).model().hidden());
    }

    @Test
    void enumsAreCaseInsensitiveAndTakeDashes() {
        TrainConfig c = of("model.activation=Leaky-ReLU", "train.optimizer=AdamW", "model.backend=EJML",
                "train.lrSchedule=cosine", "data.format=LibSVM");
        assertEquals(Activation.LEAKY_RELU, c.model().activation());
        assertEquals(OptimizerKind.ADAMW, c.train().optimizer());
        assertEquals(Backend.EJML, c.model().backend());
        assertEquals(ScheduleKind.COSINE, c.train().lrSchedule());
        assertEquals(DataFormat.LIBSVM, c.data().format());
    }

    @Test
    void numbersInScientificNotation() {
        TrainOptions t = of("train.learningRate=3e-4", "train.clipNorm=.5", "train.seed=-3").train();
        assertEquals(3e-4, t.learningRate());
        assertEquals(0.5, t.clipNorm());
        assertEquals(-3, t.seed());
    }

    // ---- DataOptions ----

    @Test
    void mseMeansRegression() {
        TrainConfig c = of("model.loss=mse");
        assertEquals(LossKind.MSE, c.model().loss());
        assertTrue(c.data().regression());
        assertFalse(of("model.loss=cross_entropy").data().regression());
    }

    @ParameterizedTest
    @CsvSource({"auto,", "true,true", "false,false", "True,true"})
    void headerAutoIsNull(String value, Boolean expected) {
        assertEquals(expected, of("data.header=" + value).data().header());
    }

    @Test
    void seedsDefaultToTrainSeedUnlessSet() {
        TrainConfig c = of("train.seed=7");
        assertEquals(7, c.train().seed());
        assertEquals(7, c.data().seed());
        assertEquals(7, c.data().synthetic().seed());
        TrainConfig d = of("train.seed=7", "data.seed=8", "synthetic.seed=9");
        assertEquals(7, d.train().seed());
        assertEquals(8, d.data().seed());
        assertEquals(9, d.data().synthetic().seed());
    }

    @Test
    void syntheticNeedsNoTrainingPath() {
        TrainConfig c = TrainConfig.load(null, List.of("data.format=synthetic", "synthetic.rows=1000",
                "synthetic.features=5", "synthetic.classes=3", "synthetic.flipY=0"));
        DataOptions d = c.data();
        assertEquals(DataFormat.SYNTHETIC, d.format());
        assertNull(d.train());
        assertNull(d.test());
        assertEquals(new DataOptions.SyntheticOptions(1000, 5, 3, 5, 0.0, 42), d.synthetic(),
                "informative defaults to min(features, 10)");
    }

    @Test
    void csvSettings() {
        DataOptions d = of("data.format=csv", "data.test=t.csv", "data.labelColumn=species",
                "data.standardize=false", "data.partitions=8").data();
        assertEquals(DataFormat.CSV, d.format());
        assertEquals("t.csv", d.test());
        assertEquals("species", d.labelColumn());
        assertFalse(d.standardize());
        assertEquals(8, d.partitions());
    }

    // ---- validation messages: source, key, value found, what was expected ----

    @Test
    void theMessageNamesFileKeyValueAndExpectation() throws IOException {
        Path f = file("x.properties", "data.train=a.csv", "train.learningRate=-1");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of()));
        assertEquals(f + ": train.learningRate = \"-1\": expected a number > 0", e.getMessage());
        assertEquals(f.toString(), e.source());
        assertEquals("train.learningRate", e.key());
        assertEquals("-1", e.value());
        assertEquals("expected a number > 0", e.detail());
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @CsvSource(value = {
            "train.learningRate|-1|a number > 0",
            "train.learningRate|0|a number > 0",
            "train.learningRate|abc|a number > 0",
            "train.learningRate|NaN|a number > 0",
            "train.learningRate|Infinity|a number > 0",
            "train.learningRate|0x1p-3|a number > 0",
            "train.batchSize|0|an integer >= 1 or full",
            "train.batchSize|-1|an integer >= 1 or full",
            "train.batchSize|12.5|an integer >= 1 or full",
            "train.batchSize|99999999999|full or an integer from 1 to 2147483647",
            "train.epochs|0|an integer >= 1 or auto",
            "train.maxSteps|-5|an integer >= 0",
            "model.hidden|128,0|comma-separated layer sizes, each an integer >= 1 (empty or none: no hidden layer); layer 2 is \"0\"",
            "model.hidden|128,,64|comma-separated layer sizes, each an integer >= 1 (empty or none: no hidden layer); layer 2 is empty",
            "model.hidden|64.5|comma-separated layer sizes, each an integer >= 1 (empty or none: no hidden layer); layer 1 is \"64.5\"",
            "model.hidden|128;64|comma-separated layer sizes, each an integer >= 1 (empty or none: no hidden layer); layer 1 is \"128;64\"",
            "model.activation|gelu|one of identity, sigmoid, tanh, relu, leaky_relu",
            "model.loss|hinge|one of cross_entropy, mse",
            "model.backend|cuda|one of auto, vector, java, native, ejml",
            "data.format|avro|one of auto, csv, libsvm, synthetic, parquet, orc, json, table",
            "data.header|maybe|one of auto, true, false",
            "data.standardize|yes|one of true, false",
            "data.testFraction|1|a number in [0, 1)",
            "data.testFraction|-0.1|a number in [0, 1)",
            "data.validationFraction|1.0|a number in [0, 1)",
            "data.numFeatures|-1|an integer >= 0",
            "data.partitions|2.5|an integer >= 0",
            "data.seed|x|an integer",
            "synthetic.rows|0|an integer >= 1",
            "synthetic.classes|1|an integer >= 2",
            "synthetic.flipY|1.5|a number in [0, 1]",
            "synthetic.informative|0|an integer >= 1",
            "train.optimizer|adagrad|one of sgd, momentum, nesterov, adam, adamw, lbfgs, auto",
            "train.momentum|1|a number in [0, 1)",
            "train.beta1|1|a number in [0, 1)",
            "train.beta2|-0.1|a number in [0, 1)",
            "train.weightDecay|-0.01|a number >= 0",
            "train.clipNorm|-1|a number >= 0",
            "train.lrSchedule|linear|one of constant, step, cosine",
            "train.warmupSteps|-1|an integer >= 0",
            "train.decaySteps|0|an integer >= 1",
            "train.gamma|0|a number in (0, 1]",
            "train.gamma|1.5|a number in (0, 1]",
            "train.minLearningRate|-1|a number >= 0",
            "train.evalEvery|0|an integer >= 1 or auto",
            "train.earlyStoppingPatience|-1|an integer >= 0 or auto",
            "train.checkpointEvery|-1|an integer >= 0",
            "train.resume|1|one of true, false",
            "train.transport|mpi|one of job, persistent",
            "train.logEvery|never|an integer >= 1 or auto",
            "output.dir|''|a non-empty path",
            "output.overwrite|no|one of true, false",
    }, delimiter = '|')
    void eachBadValueIsRefusedWithTheFacts(String key, String value, String expected) {
        ConfigException e = refused(key + "=" + value);
        assertEquals("command line: " + key + " = \"" + value + "\": expected " + expected, e.getMessage());
        assertEquals(key, e.key());
        assertEquals(value, e.value());
    }

    @Test
    void trainingPathIsRequiredUnlessSynthetic() throws IOException {
        ConfigException cli = assertThrows(ConfigException.class, () -> TrainConfig.load(null, List.of()));
        assertEquals("command line: data.train is not set: expected a training data path"
                + " (required unless data.format = synthetic)", cli.getMessage());
        Path f = file("nodata.properties", "data.format=csv");
        ConfigException file = assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of()));
        assertTrue(file.getMessage().startsWith(f + ": data.train is not set: "), file.getMessage());
        ConfigException empty = assertThrows(ConfigException.class,
                () -> TrainConfig.load(null, List.of("data.train=  ")));
        assertTrue(empty.getMessage().startsWith("command line: data.train = \"\": expected a training data path"),
                empty.getMessage());
    }

    @Test
    void informativeFeaturesAtMostFeatures() {
        ConfigException e = refused("data.format=synthetic", "synthetic.features=20", "synthetic.informative=21");
        assertEquals("command line: synthetic.informative = \"21\": expected an integer from 1 to"
                + " synthetic.features = 20", e.getMessage());
        assertEquals(4, of("synthetic.features=4").data().synthetic().informative());
    }

    @Test
    void splitsMustLeaveRowsForTraining() {
        ConfigException e = refused("data.testFraction=0.8", "data.validationFraction=0.6");
        assertEquals("command line: data.validationFraction = \"0.6\": expected fractions leaving at least 10% of the"
                + " rows for training; data.testFraction = 0.8 and data.validationFraction = 0.6 leave 8.0%",
                e.getMessage());
        ConfigException t = refused("data.testFraction=0.95");
        assertEquals("data.testFraction", t.key());
        // with a test file the test fraction is unused
        assertEquals(0.5, of("data.test=t.csv", "data.validationFraction=0.5", "data.testFraction=0.95")
                .data().validationFraction());
    }

    @Test
    void minLearningRateAtMostLearningRate() {
        ConfigException e = refused("train.lrSchedule=cosine", "train.minLearningRate=0.01");
        assertEquals("command line: train.minLearningRate = \"0.01\": expected a number in"
                + " [0, train.learningRate = 0.001]", e.getMessage());
    }

    @Test
    void earlyStoppingNeedsAValidationSplit() {
        ConfigException e = refused("data.validationFraction=0", "train.earlyStoppingPatience=5");
        assertEquals("command line: train.earlyStoppingPatience = \"5\": expected 0 when data.validationFraction = 0"
                + " (early stopping watches the validation split)", e.getMessage());
        assertEquals(5, of("train.earlyStoppingPatience=5").train().earlyStoppingPatience());
    }

    @Test
    void lbfgsRefusesWhatWouldChangeNothingAndWarnsAboutTheLearningRateKeys() {
        String lbfgs = "train.optimizer=lbfgs";
        assertEquals("command line: train.lrSchedule = \"cosine\": expected constant with train.optimizer = lbfgs (it has"
                + " no learning rate)", refused(lbfgs, "train.lrSchedule=cosine").getMessage());
        assertEquals("command line: train.warmupSteps = \"10\": expected 0 with train.optimizer = lbfgs (it has no"
                + " learning rate)", refused(lbfgs, "train.warmupSteps=10").getMessage());
        assertEquals("command line: train.clipNorm = \"1\": expected 0 with train.optimizer = lbfgs (its line search"
                + " bounds each step)", refused(lbfgs, "train.clipNorm=1").getMessage());
        assertEquals("command line: train.batchSize = \"16\": expected full with train.optimizer = lbfgs (every"
                + " evaluation uses the whole training split)", refused(lbfgs, "train.batchSize=16").getMessage());

        TrainConfig c = of(lbfgs, "train.batchSize=full", "train.learningRate=0.1", "train.gamma=0.9",
                "train.lbfgs.history=5", "train.tol=1e-9", "train.weightDecay=0.001");
        assertEquals(List.of(
                "command line: train.learningRate = \"0.1\" has no effect: train.optimizer = lbfgs (no learning rate)",
                "command line: train.gamma = \"0.9\" has no effect: train.optimizer = lbfgs (no learning rate)"),
                c.warnings());
        assertEquals(5, c.train().lbfgsHistory());
        assertEquals(1e-9, c.train().tol());
        assertEquals(0.001, c.train().weightDecay());
        assertEquals(List.of("command line: train.tol = \"0\" has no effect: train.optimizer = adam"),
                of("train.optimizer=adam", "train.tol=0").warnings());
        assertEquals(List.of(), of("train.tol=0").warnings(), "auto may choose lbfgs");
        assertEquals(10, of(lbfgs).train().lbfgsHistory());
        assertEquals(1e-6, of(lbfgs).train().tol());
    }

    @Test
    void resumeAndOverwriteAreExclusive() {
        ConfigException e = refused("train.resume=true", "output.overwrite=true");
        assertEquals("output.overwrite", e.key());
        assertTrue(e.getMessage().contains("expected false with train.resume = true"), e.getMessage());
    }

    // ---- unknown keys ----

    @ParameterizedTest
    @CsvSource({
            "train.learningrate, train.learningRate",
            "TRAIN.LEARNINGRATE, train.learningRate",
            "train.learnignRate, train.learningRate",
            "train.batchsize, train.batchSize",
            "data.trian, data.train",
            "model.hiden, model.hidden",
            "model.learningRate, train.learningRate",
            "sprak.master, spark.master",
            "output.directory, output.dir",
    })
    void unknownKeysAreRefusedWithTheClosestKnownKey(String typo, String suggestion) {
        ConfigException e = refused(typo + "=1");
        assertEquals("command line: " + typo + " = \"1\": unknown key; did you mean \"" + suggestion + "\"?",
                e.getMessage());
    }

    @Test
    void unknownKeyInAFileNamesTheFile() throws IOException {
        Path f = file("typo.properties", "data.train=a.csv", "train.learningrate=0.1");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of()));
        assertEquals(f + ": train.learningrate = \"0.1\": unknown key; did you mean \"train.learningRate\"?",
                e.getMessage());
    }

    @Test
    void aRenamedKeyIsRefusedWithItsNewName() throws IOException {
        assertEquals("command line: train.stepSize = \"500\": this key was renamed; expected train.decaySteps instead",
                refused("train.lrSchedule=step", "train.stepSize=500").getMessage());
        Path f = file("old.properties", "data.train=a.csv", "train.stepSize = 500");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of()));
        assertEquals(f + ": train.stepSize = \"500\": this key was renamed; expected train.decaySteps instead",
                e.getMessage());
        assertEquals(500, of("train.lrSchedule=step", "train.decaySteps=500").train().decaySteps());
    }

    @Test
    void renameKeysGivesOldKeysTheirNewNames() {
        Map<String, String> old = Map.of("train.stepSize", "500", "train.gamma", "0.1", "data.train", "a.csv");
        Map<String, String> renamed = TrainConfig.renameKeys(old);
        assertEquals(Map.of("train.decaySteps", "500", "train.gamma", "0.1", "data.train", "a.csv"), renamed);
        assertEquals(500, TrainConfig.fromMap(renamed, "checkpoint").train().decaySteps());
        assertEquals(renamed, TrainConfig.renameKeys(renamed), "current names stay");
    }

    @Test
    void unknownKeyFarFromEveryKnownKey() {
        ConfigException e = refused("colour=blue");
        assertEquals("command line: colour = \"blue\": unknown key; the known keys are listed in docs/CONFIG.md",
                e.getMessage());
    }

    // ---- warnings ----

    @Test
    void settingsWithoutEffectAreWarnedAbout() {
        TrainConfig c = of("data.format=csv", "data.numFeatures=100", "train.optimizer=sgd", "train.beta1=0.8",
                "synthetic.rows=10");
        assertEquals(List.of(
                "command line: synthetic.rows = \"10\" has no effect: data.format is not synthetic",
                "command line: data.numFeatures = \"100\" has no effect: data.format = csv (the columns give the feature count)",
                "command line: train.beta1 = \"0.8\" has no effect: train.optimizer = sgd"), c.warnings());
        assertEquals(100, c.data().numFeatures(), "kept; the data reader ignores it for csv");
        assertTrue(of("data.format=libsvm", "data.numFeatures=100").warnings().isEmpty());
        assertTrue(of("data.numFeatures=100").warnings().isEmpty(), "auto may turn out libsvm");
    }

    // ---- fromMap, describe, keys ----

    @Test
    void fromMapNamesItsSource() {
        Map<String, String> m = new HashMap<>();
        m.put("data.train", "a.csv");
        m.put("train.epochs", "zero");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.fromMap(m, "checkpoint meta"));
        assertEquals("checkpoint meta: train.epochs = \"zero\": expected an integer >= 1 or auto", e.getMessage());
    }

    @Test
    void effectiveRoundTripsThroughFromMap() {
        TrainConfig c = of("train.optimizer=adamw", "model.hidden=none", "train.batchSize=full", "data.header=true");
        Map<String, String> all = new LinkedHashMap<>(c.effective());
        TrainConfig again = TrainConfig.fromMap(all, "provenance");
        assertEquals(c.data(), again.data());
        assertEquals(c.model(), again.model());
        assertEquals(c.train(), again.train());
        assertEquals(c.output(), again.output());
    }

    @Test
    void settingsAreWhatTheUserSetAndRebuildTheConfig() throws IOException {
        Path f = file("job.properties", "data.train=a.csv", "train.epochs=3", "spark.master=local[2]");
        TrainConfig c = TrainConfig.load(f, List.of("train.epochs=4", "train.optimizer=sgd"));
        assertEquals(Map.of("data.train", "a.csv", "train.epochs", "4", "train.optimizer", "sgd",
                "spark.master", "local[2]"), c.settings());
        TrainConfig again = TrainConfig.fromMap(c.settings(), "provenance");
        assertEquals(c.train(), again.train());
        assertEquals(c.sparkConf(), again.sparkConf());
    }

    @Test
    void describeShowsEveryKeyWithItsSource() {
        String d = of("train.epochs=4").describe();
        for (String k : TrainConfig.knownKeys()) {
            assertTrue(d.contains(k + " "), k);
        }
        assertTrue(d.lines().anyMatch(l -> l.matches("train\\.epochs +  = 4 +# command line")), d);
        assertTrue(d.lines().anyMatch(l -> l.matches("train\\.seed +  = 42 +# default")), d);
        assertEquals(TrainConfig.knownKeys().size(), d.lines().count());
    }

    @Test
    void keyDocsCoverKnownKeysInOrder() {
        List<KeyDoc> docs = TrainConfig.keyDocs();
        assertEquals(TrainConfig.knownKeys(), docs.stream().map(KeyDoc::key).toList());
        assertEquals(docs.size(), docs.stream().map(KeyDoc::key).distinct().count());
        for (KeyDoc k : docs) {
            assertFalse(k.doc().isBlank(), k.key());
            assertFalse(k.type().isBlank(), k.key());
            assertFalse(k.key().startsWith("spark."), k.key());
        }
        KeyDoc lr = docs.stream().filter(k -> k.key().equals("train.learningRate")).findFirst().orElseThrow();
        assertEquals("0.001 for adam/adamw/auto, 0.01 otherwise", lr.defaultValue());
        assertEquals("a number > 0", lr.type());
    }

    @Test
    void modelOptionsCopyTheirArray() {
        int[] h = {8, 4};
        ModelOptions m = new ModelOptions(h, Activation.TANH, LossKind.MSE, Backend.JAVA);
        h[0] = 99;
        m.hidden()[1] = 99;
        assertArrayEquals(new int[] {8, 4}, m.hidden());
    }
}
