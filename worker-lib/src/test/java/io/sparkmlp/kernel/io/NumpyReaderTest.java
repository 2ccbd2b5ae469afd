package io.sparkmlp.kernel.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the numpy reader and prediction code quoted in {@code docs/MODEL_FORMAT.md} (the
 * {@code python} blocks after the {@code <!-- tested by NumpyReaderTest: ... -->} markers) on
 * files this build writes, and checks it sees the same tensors, bit for bit, and the same
 * predictions. Skipped when {@code python3} with numpy is not installed.
 */
class NumpyReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DRIVER = String.join("\n",
            "import sys",
            "mode, path = sys.argv[1], sys.argv[2]",
            "header, t = read_model(path)",
            "if mode == 'tensors':",
            "    print(json.dumps({'header': header, 'tensors': {k: [list(v.shape), str(v.dtype),"
                    + " v.astype(np.float64).ravel().tolist()] for k, v in t.items()}}))",
            "else:",
            "    x = np.array(json.loads(sys.argv[3]), np.float32).reshape(-1, header['architecture']['sizes'][0])",
            "    print(json.dumps(predict(header, t, x).astype(np.float64).ravel().tolist()))",
            "");

    private static String script;

    @TempDir
    Path dir;

    @BeforeAll
    static void extractScriptFromTheDoc() throws IOException, InterruptedException {
        Path doc = Path.of("..", "docs", "MODEL_FORMAT.md");
        if (!Files.exists(doc)) doc = Path.of("docs", "MODEL_FORMAT.md");
        if (!Files.exists(doc)) fail("docs/MODEL_FORMAT.md not found from " + Path.of("").toAbsolutePath());
        String text = Files.readString(doc);
        script = pythonBlockAfter(text, "<!-- tested by NumpyReaderTest: reader -->", doc) + "\n"
                + pythonBlockAfter(text, "<!-- tested by NumpyReaderTest: predict -->", doc) + "\n" + DRIVER;
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed: " + e.getMessage());
            return;
        }
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 has no numpy");
    }

    private static String pythonBlockAfter(String text, String marker, Path doc) {
        int at = text.indexOf(marker);
        if (at < 0) fail(doc + " lacks the marker " + marker);
        int start = text.indexOf("```python\n", at);
        int end = start < 0 ? -1 : text.indexOf("\n```", start + 10);
        if (start < 0 || end < 0) fail(doc + ": no ```python block after " + marker);
        return text.substring(start + 10, end + 1);
    }

    private record Run(int exit, String out, String err) {
    }

    private Run python(String... args) throws IOException, InterruptedException {
        Path py = dir.resolve("sparkmlp_reader.py");
        Files.writeString(py, script);
        Path err = dir.resolve("stderr.txt");
        List<String> cmd = new ArrayList<>(List.of("python3", py.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python3 did not finish");
        }
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    /** Name → values of every tensor the model stores, as the codec lays them out. */
    private static Map<String, float[]> expectedTensors(Model m) {
        Architecture arch = m.architecture();
        float[] flat = m.parameters().flat();
        Map<String, float[]> t = new LinkedHashMap<>();
        for (int l = 0; l < arch.numLayers(); l++) {
            int w = arch.weightOffset(l), b = arch.biasOffset(l);
            t.put("layer" + l + ".weight", Arrays.copyOfRange(flat, w, b));
            t.put("layer" + l + ".bias", Arrays.copyOfRange(flat, b, b + arch.layerOutputs(l)));
        }
        if (m.hasFeatureStandardization()) {
            t.put("standardize.mean", m.featureMean());
            t.put("standardize.std", m.featureStd());
        }
        if (m.targetScaling() != null) {
            t.put("target.mean", new float[] {m.targetScaling().mean()});
            t.put("target.std", new float[] {m.targetScaling().std()});
        }
        return t;
    }

    @Test
    void numpySeesTheSameHeaderAndTensorsBitForBit() throws Exception {
        Model c = TestModels.classifier();
        Parameters edges = TestModels.parameters(c.architecture(), TestModels.finiteExtremes(), 11);
        Model full = new Model(edges, c.classLabels(), c.featureMean(), c.featureStd(), null, c.featureNames(), c.info());
        for (Model m : List.of(Model.of(edges), full,
                full.withTargetScaling(new Model.TargetScaling(Float.MIN_VALUE, Float.MAX_VALUE)), TestModels.regressor())) {
            Path file = dir.resolve("model.spmlp");
            ModelFile.write(file, m);
            Run run = python("tensors", file.toString());
            assertEquals(0, run.exit(), run.err());
            JsonNode out = JSON.readTree(run.out());

            JsonNode header = JSON.readTree(TestModels.header(Files.readAllBytes(file)));
            assertEquals(header, out.get("header"), "python's json sees the header Java wrote");

            Map<String, float[]> expected = expectedTensors(m);
            assertEquals(new ArrayList<>(expected.keySet()), iterableToList(out.get("tensors").fieldNames()));
            for (Map.Entry<String, float[]> e : expected.entrySet()) {
                JsonNode t = out.get("tensors").get(e.getKey());
                assertEquals("float32", t.get(1).asText(), e.getKey());
                JsonNode values = t.get(2);
                float[] got = new float[values.size()];
                for (int i = 0; i < got.length; i++) got[i] = (float) values.get(i).doubleValue();
                assertArrayEquals(TestModels.rawBits(e.getValue()), TestModels.rawBits(got), e.getKey());
            }
            assertEquals(JSON.readTree("[" + m.architecture().layerOutputs(0) + "," + m.architecture().inputSize() + "]"),
                    out.get("tensors").get("layer0.weight").get(0), "weights are (n_out, n_in)");
        }
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void numpyPredictsWhatTheKernelPredicts() throws Exception {
        for (Model m : List.of(GoldenModelFileTest.goldenClassifier(), GoldenModelFileTest.goldenRegressor())) {
            float[] inputs = m.architecture().inputSize() == 4 ? GoldenModelFileTest.CLASSIFIER_INPUTS
                    : GoldenModelFileTest.REGRESSOR_INPUTS;
            Path file = dir.resolve("model.spmlp");
            ModelFile.write(file, m);
            StringBuilder x = new StringBuilder("[");
            for (int i = 0; i < inputs.length; i++) x.append(i == 0 ? "" : ",").append(inputs[i]);
            Run run = python("predict", file.toString(), x.append(']').toString());
            assertEquals(0, run.exit(), run.err());
            JsonNode out = JSON.readTree(run.out());
            float[] got = new float[out.size()];
            for (int i = 0; i < got.length; i++) got[i] = (float) out.get(i).doubleValue();
            float[] expected = GoldenModelFileTest.predict(m, inputs);
            float tolerance = m.targetScaling() == null ? 1e-6f : 1e-4f;
            assertArrayEquals(expected, got, tolerance, m.architecture().toString());
        }
    }

    @Test
    void numpyReaderRefusesDamagedFiles() throws Exception {
        Path file = dir.resolve("model.spmlp");
        byte[] good = ModelCodec.encode(TestModels.regressor());
        byte[] flipped = good.clone();
        flipped[TestModels.Layout.of(good).dataStart() + 3] ^= 0x40;
        Files.write(file, flipped);
        Run run = python("tensors", file.toString());
        assertNotEquals(0, run.exit());
        assertTrue(run.err().contains("ValueError: " + file + ": truncated or damaged (length or CRC-32 mismatch)"), run.err());

        Files.write(file, Arrays.copyOf(good, good.length - 1));
        run = python("tensors", file.toString());
        assertNotEquals(0, run.exit());
        assertTrue(run.err().contains("truncated or damaged"), run.err());

        byte[] v2 = good.clone();
        v2[8] = 2;
        Files.write(file, v2);
        run = python("tensors", file.toString());
        assertTrue(run.err().contains("format version 2, this reader reads 1"), run.err());

        Files.writeString(file, "hello");
        run = python("tensors", file.toString());
        assertTrue(run.err().contains("not a sparkmlp model file"), run.err());
    }
}
