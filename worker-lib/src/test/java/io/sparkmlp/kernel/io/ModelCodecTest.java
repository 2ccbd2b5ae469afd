package io.sparkmlp.kernel.io;

import static io.sparkmlp.kernel.io.TestModels.rawBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkmlp.kernel.Activation;
import io.sparkmlp.kernel.Architecture;
import io.sparkmlp.kernel.OutputLoss;
import io.sparkmlp.kernel.Parameters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ModelCodecTest {

    private static final String SRC = "models/m.spmlp";

    private static ModelFormatException refused(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> ModelCodec.decode(bytes, SRC));
    }

    private static void assertProblem(byte[] bytes, String expectedMessage) {
        ModelFormatException e = refused(bytes);
        assertEquals(SRC + ": " + expectedMessage, e.getMessage());
        assertEquals(SRC, e.source());
    }

    private static void assertBitExact(Model expected, Model actual) {
        assertEquals(expected.architecture(), actual.architecture());
        assertArrayEquals(rawBits(expected.parameters().flat()), rawBits(actual.parameters().flat()));
        if (expected.hasFeatureStandardization()) {
            assertArrayEquals(rawBits(expected.featureMean()), rawBits(actual.featureMean()));
            assertArrayEquals(rawBits(expected.featureStd()), rawBits(actual.featureStd()));
        } else {
            assertNull(actual.featureMean());
            assertNull(actual.featureStd());
        }
        assertEquals(expected.classLabels(), actual.classLabels());
        assertEquals(expected.targetScaling(), actual.targetScaling());
        assertEquals(expected.featureNames(), actual.featureNames());
        assertEquals(expected.info(), actual.info());
        assertEquals(expected, actual);
    }

    @Test
    void roundTripIsBitExactWithEveryOptionalPart() {
        Model m = TestModels.classifier();
        Model back = ModelCodec.decode(ModelCodec.encode(m), SRC);
        assertBitExact(m, back);
        // The finite edge values really are in there, bit for bit (−0.0, subnormals, ±MAX).
        float[] flat = back.parameters().flat();
        float[] edges = TestModels.finiteExtremes();
        for (int i = 0; i < edges.length; i++) {
            assertEquals(Float.floatToRawIntBits(edges[i]), Float.floatToRawIntBits(flat[i]), "value " + i);
        }
        assertEquals(List.of("Iris-setosa", "versi,color", "virgínica 🌸"), back.classLabels());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.featureMean()[1]));
    }

    @Test
    void roundTripOfMinimalAndRegressionModels() {
        Architecture arch = Architecture.of(Activation.SIGMOID, OutputLoss.SIGMOID_BINARY_CROSS_ENTROPY, 1, 1);
        Model minimal = Model.of(Parameters.fromFlat(arch, new float[] {-0f, Float.MIN_VALUE}));
        assertBitExact(minimal, ModelCodec.decode(ModelCodec.encode(minimal), SRC));

        Model binary = minimal.withClassLabels(List.of("no", "yes"));
        assertBitExact(binary, ModelCodec.decode(ModelCodec.encode(binary), SRC));

        Model reg = TestModels.regressor();
        Model back = ModelCodec.decode(ModelCodec.encode(reg), SRC);
        assertBitExact(reg, back);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.targetScaling().mean()));
        assertEquals(2.5f, back.targetScaling().std());
        assertTrue(back.classLabels().isEmpty());
    }

    @Test
    void nonFiniteWeightsAndStatisticsAreRefusedNamingTensorAndIndex() {
        // 4-5-3: layer0.weight is 5x4 (20 values), then layer0.bias (5), layer1.weight 3x5 (15), layer1.bias (3)
        Model m = TestModels.classifier();
        byte[] file = ModelCodec.encode(m);
        assertProblem(TestModels.withDataFloat(file, 4 * 6, Float.intBitsToFloat(0x7fc12345)),
                "tensor 'layer0.weight' holds NaN at index [1, 2], expected finite float32 values");
        assertProblem(TestModels.withDataFloat(file, 4 * (25 + 14), Float.NEGATIVE_INFINITY),
                "tensor 'layer1.weight' holds -Infinity at index [2, 4], expected finite float32 values");
        assertProblem(TestModels.withDataFloat(file, 4 * (40 + 2), Float.POSITIVE_INFINITY),
                "tensor 'layer1.bias' holds Infinity at index [2], expected finite float32 values");
        int meanAt = 4 * m.parameters().size();
        assertProblem(TestModels.withDataFloat(file, meanAt + 4, Float.NaN),
                "tensor 'standardize.mean' holds NaN at index [1], expected finite float32 values");
        byte[] reg = ModelCodec.encode(TestModels.regressor());
        int targetMeanAt = 4 * TestModels.regressor().parameters().size();
        assertProblem(TestModels.withDataFloat(reg, targetMeanAt, Float.POSITIVE_INFINITY),
                "tensor 'target.mean' holds Infinity at index [0], expected finite float32 values");
    }

    @Test
    void textFromTheFileIsEscapedInTheMessage() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        // a key with ESC (terminal control), a line separator and an unpaired surrogate
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"info\"", "\"\\u001b[2J\\u2028\\ud800\"")),
                "header has unknown key '\\u001b[2J\\u2028\\ud800', expected only [architecture, class_labels,"
                        + " feature_names, tensors, info]");
    }

    @Test
    void layerSizesNear2To31AreRefusedWithoutOverflow() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        // Σ n_out·(n_in+1) of five layers of 2^31-1 wraps a long around to a negative count without the check
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"sizes\":[2,3,1]",
                        "\"sizes\":[2147483647,2147483647,2147483647,2147483647,2147483647,1]")),
                "header architecture invalid: network has more than 2^63 parameters, more than one float[] holds");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"sizes\":[2,3,1]", "\"sizes\":[2147483647,1]")),
                "header architecture invalid: network has 2147483648 parameters, more than one float[] holds");
    }

    @Test
    void infoRoundTripsAsEqualJson() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("int", 7);
        info.put("long", Long.MIN_VALUE);
        info.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        info.put("double", 0.1);
        info.put("float", 0.1f);
        info.put("neg_zero", -0.0);
        info.put("tiny", Double.MIN_VALUE);
        info.put("nan", Double.NaN);
        info.put("inf", Float.NEGATIVE_INFINITY);
        info.put("bool", false);
        info.put("null", null);
        info.put("array", new double[] {1.5, -2});
        info.put("enum", OutputLoss.IDENTITY_MSE);
        info.put("nested", Map.of("list", List.of(Map.of("a", 1), List.of(), "x"), "empty", Map.of()));
        info.put("ключ with, comma", "значение");
        Model m = TestModels.regressor().withInfo(info);
        Map<String, Object> canonical = m.info();
        assertEquals(7L, canonical.get("int"));
        assertEquals(0.1, canonical.get("float"), "a float is widened through its shortest decimal");
        assertEquals("NaN", canonical.get("nan"));
        assertEquals("-Infinity", canonical.get("inf"));
        assertEquals(List.of(1.5, -2.0), canonical.get("array"));
        assertEquals("IDENTITY_MSE", canonical.get("enum"));
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(info.keySet())), new ArrayList<>(canonical.keySet()));

        Model back = ModelCodec.decode(ModelCodec.encode(m), SRC);
        assertEquals(canonical, back.info());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back.info().get("neg_zero")));
        assertEquals(Double.MIN_VALUE, back.info().get("tiny"));
        assertEquals(new java.math.BigInteger("123456789012345678901234567890"), back.info().get("big"));
        assertTrue(back.info().containsKey("null"));
        assertNull(back.info().get("null"));
        assertEquals(Long.MIN_VALUE, back.info().get("long"));
    }

    @Test
    void encodingIsDeterministicWhateverTheMapOrder() {
        Model a = TestModels.classifier();
        Model b = TestModels.classifier();
        assertArrayEquals(ModelCodec.encode(a), ModelCodec.encode(a));
        assertArrayEquals(ModelCodec.encode(a), ModelCodec.encode(b));

        // Same info entries inserted in opposite orders, as HashMap and LinkedHashMap: same bytes.
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) keys.add("key" + i * 7919 % 101);
        Map<String, Object> forward = new LinkedHashMap<>();
        keys.forEach(k -> forward.put(k, Map.of("x", k, "y", k.length())));
        Collections.reverse(keys);
        Map<String, Object> backward = new HashMap<>();
        keys.forEach(k -> backward.put(k, Map.of("y", k.length(), "x", k)));
        assertArrayEquals(ModelCodec.encode(a.withInfo(forward)), ModelCodec.encode(b.withInfo(backward)));

        // A decoded model re-encodes to the same bytes.
        byte[] file = ModelCodec.encode(a);
        assertArrayEquals(file, ModelCodec.encode(ModelCodec.decode(file, SRC)));
    }

    @Test
    void layoutIsAsDocumented() {
        Model m = TestModels.classifier();
        byte[] file = ModelCodec.encode(m);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("SPMLPMDL", new String(file, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(8));
        TestModels.Layout at = TestModels.Layout.of(file);
        assertEquals(0, at.dataStart() % 8, "data section is 8-byte aligned");
        String header = TestModels.header(file);
        assertTrue(header.startsWith("{\"architecture\":{\"sizes\":[4,5,3],\"hidden_activation\":\"tanh\","
                + "\"output_loss\":\"softmax_cross_entropy\"},\"class_labels\":[\"Iris-setosa\",\"versi,color\","
                + "\"virgínica 🌸\"],\"feature_names\":["), header);
        assertTrue(header.contains("\"tensors\":[{\"name\":\"layer0.weight\",\"dtype\":\"float32\",\"shape\":[5,4],"
                + "\"byte_offset\":0,\"byte_length\":80},{\"name\":\"layer0.bias\",\"dtype\":\"float32\",\"shape\":[5],"
                + "\"byte_offset\":80,\"byte_length\":20},"), header);
        assertTrue(header.contains("{\"name\":\"standardize.std\",\"dtype\":\"float32\",\"shape\":[4],"
                + "\"byte_offset\":188,\"byte_length\":16}],\"info\":{\"config\":{"), header);
        assertTrue(header.matches("(?s)\\{.*\\} *"), "JSON then space padding");
        // The data section is the flat parameter vector then mean and std, float32 little-endian.
        float[] flat = m.parameters().flat();
        assertEquals(4L * (flat.length + 8), at.dataLength());
        for (int i = 0; i < flat.length; i++) {
            assertEquals(Float.floatToRawIntBits(flat[i]), b.getInt(at.dataStart() + 4 * i), "parameter " + i);
        }
        assertEquals(Float.floatToRawIntBits(Float.MAX_VALUE), b.getInt(at.dataStart() + 4 * (flat.length + 6)));
        assertEquals(file.length, at.crcAt() + 4);
        CRC32 crc = new CRC32();
        crc.update(file, 0, at.crcAt());
        assertEquals((int) crc.getValue(), b.getInt(at.crcAt()));
    }

    @Test
    void everyTruncationIsRefused() {
        for (Model m : List.of(TestModels.classifier(), TestModels.regressor())) {
            byte[] file = ModelCodec.encode(m);
            for (int cut = 0; cut < file.length; cut++) {
                ModelFormatException e = refused(Arrays.copyOf(file, cut));
                String expected = cut == 0 ? "not a sparkmlp model file" : "truncated: file is " + cut + " bytes, "
                        + (cut < 16 ? "the format needs at least 28" : "header says at least ");
                assertTrue(e.getMessage().startsWith(SRC + ": " + expected), "cut at " + cut + ": " + e.getMessage());
            }
        }
    }

    @Test
    void truncationMessageGivesBothLengths() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        assertProblem(Arrays.copyOf(file, file.length - 1), "truncated: file is " + (file.length - 1)
                + " bytes, header says at least " + file.length + " (header " + TestModels.Layout.of(file).headerLength()
                + " + data " + TestModels.Layout.of(file).dataLength() + " + 28)");
        assertProblem(Arrays.copyOf(file, 10), "truncated: file is 10 bytes, the format needs at least 28");
    }

    @Test
    void everyFlippedByteIsRefused() {
        byte[] file = ModelCodec.encode(TestModels.classifier());
        int[] masks = {0x01, 0x80, 0xff};
        for (int i = 0; i < file.length; i++) {
            for (int mask : masks) {
                byte[] damaged = file.clone();
                damaged[i] ^= (byte) mask;
                try {
                    ModelCodec.decode(damaged, SRC);
                    fail("byte " + i + " ^ " + mask + " was accepted");
                } catch (ModelFormatException e) {
                    assertTrue(e.getMessage().startsWith(SRC + ": "), e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                }
            }
        }
    }

    @Test
    void flippedDataByteIsAChecksumMismatch() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        int at = TestModels.Layout.of(file).dataStart() + 5;
        file[at] ^= 0x10;
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        long stored = Integer.toUnsignedLong(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(file.length - 4));
        assertProblem(file, String.format("checksum mismatch: stored CRC-32 0x%08x, computed 0x%08x over bytes [0, %d);"
                + " the file is damaged", stored, crc.getValue(), file.length - 4));
    }

    @Test
    void wrongMagicIsNotAModelFile() {
        assertProblem("PK\u0003\u0004 a zip file, not a model".getBytes(StandardCharsets.ISO_8859_1),
                "not a sparkmlp model file: first bytes are 50 4B 03 04 20 61 20 7A (\"PK.. a z\"), expected \"SPMLPMDL\"");
        assertProblem(new byte[0], "not a sparkmlp model file: first bytes are none (empty file), expected \"SPMLPMDL\"");
        assertProblem("SPM".getBytes(StandardCharsets.US_ASCII), "truncated: file is 3 bytes, the format needs at least 28");
        assertProblem("x".getBytes(StandardCharsets.US_ASCII),
                "not a sparkmlp model file: first bytes are 78 (\"x\"), expected \"SPMLPMDL\"");
    }

    @Test
    void unknownVersionIsRefused() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        TestModels.withChecksum(file);
        assertProblem(file, "unknown format version: found 2, this build reads 1");
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
        assertProblem(file, "unknown format version: found 4294967295, this build reads 1");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        byte[] longer = Arrays.copyOf(file, file.length + 3);
        assertProblem(longer, "trailing bytes: file is " + longer.length + " bytes, header says exactly " + file.length
                + " (header " + TestModels.Layout.of(file).headerLength() + " + data "
                + TestModels.Layout.of(file).dataLength() + " + 28)");
    }

    @Test
    void invalidHeaderJsonIsRefused() {
        byte[] file = ModelCodec.encode(TestModels.regressor());
        ModelFormatException e = refused(TestModels.withHeader(file, h -> h.replace("\"sizes\":[2,3,1]", "\"sizes\":[2,3,1")));
        assertTrue(e.getMessage().startsWith(SRC + ": header JSON invalid at header byte "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        e = refused(TestModels.withHeader(file, h -> h.strip() + "{}"));
        assertTrue(e.getMessage().startsWith(SRC + ": header JSON invalid"), e.getMessage());

        e = refused(TestModels.withHeader(file, h -> h.replace("{\"architecture\"", "{\"info\":{},\"architecture\"")));
        assertTrue(e.getMessage().startsWith(SRC + ": header JSON invalid") && e.getMessage().contains("info"), e.getMessage());

        assertProblem(TestModels.withHeader(file, h -> "[1,2]"), "header JSON invalid: found array [1,2], expected an object");
        assertProblem(TestModels.withHeader(file, h -> "   "), "header JSON invalid: found missing, expected an object");

        // Bytes that are not UTF-8 inside a string.
        byte[] bad = TestModels.withHeader(file, h -> h.replace("relu", "r\u0000lu"));
        int at = new String(bad, StandardCharsets.ISO_8859_1).indexOf("r\u0000lu") + 1;
        bad[at] = (byte) 0xC3;
        TestModels.withChecksum(bad);
        e = refused(bad);
        assertTrue(e.getMessage().startsWith(SRC + ": header JSON invalid"), e.getMessage());
    }

    @Test
    void headerContradictingTheArchitectureIsRefused() {
        byte[] file = ModelCodec.encode(TestModels.classifier());
        String arch = "for architecture 4-5-3 tanh softmax_cross_entropy";
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"shape\":[5,4]", "\"shape\":[4,5]")),
                "tensor 'layer0.weight' has shape [4,5], expected [5,4] " + arch);
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"sizes\":[4,5,3]", "\"sizes\":[4,6,3]")),
                "tensor 'layer0.weight' has shape [5,4], expected [6,4] for architecture 4-6-3 tanh softmax_cross_entropy");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"shape\":[3]", "\"shape\":[3,1]")),
                "tensor 'layer1.bias' has shape [3,1], expected [3] " + arch);
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"name\":\"layer1.bias\",\"dtype\":\"float32\"",
                "\"name\":\"layer1.bias\",\"dtype\":\"float64\"")), "tensor 'layer1.bias' has dtype 'float64', expected 'float32'");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"byte_length\":80", "\"byte_length\":84")),
                "tensor 'layer0.weight' has byte_length 84, expected 80 (20 float32 values)");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"byte_offset\":80", "\"byte_offset\":200")),
                "tensor 'layer0.bias' has byte_offset 200, expected a multiple of 4 in [0, 184] (data section of 204 bytes)");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"byte_offset\":80", "\"byte_offset\":81")),
                "tensor 'layer0.bias' has byte_offset 81, expected a multiple of 4 in [0, 184] (data section of 204 bytes)");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"layer1.weight\"", "\"layer2.weight\"")),
                "unexpected tensor 'layer2.weight' (header tensors[2]); version 1 has layer{l}.weight and layer{l}.bias"
                        + " for l < 2, standardize.mean/std, target.mean/std");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"layer1.weight\"", "\"layer0.weight\"")),
                "tensor 'layer0.weight' is listed twice");
        assertProblem(TestModels.withHeader(file, h -> h.replace(
                "{\"name\":\"layer1.bias\",\"dtype\":\"float32\",\"shape\":[3],\"byte_offset\":160,\"byte_length\":12},", "")),
                "tensor 'layer1.bias' missing; architecture 4-5-3 tanh softmax_cross_entropy needs it");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"standardize.std\"", "\"target.std\"")),
                "tensor 'target.std' has shape [4], expected [1] " + arch);
        assertProblem(TestModels.withHeader(file, h -> h.replaceAll(
                ",\\{\"name\":\"standardize.std\"[^}]*\\}", "")),
                "tensor 'standardize.mean' present without 'standardize.std'; expected both or neither");
    }

    @Test
    void malformedHeaderKeysAreRefused() {
        byte[] file = ModelCodec.encode(TestModels.classifier());
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"hidden_activation\":\"tanh\"", "\"hidden_activation\":\"swish\"")),
                "header architecture invalid: unknown activation 'swish', expected one of identity, sigmoid, tanh, relu, leaky_relu");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"sizes\":[4,5,3]", "\"sizes\":[4,5,1]")),
                "header architecture invalid: softmax cross-entropy needs at least 2 outputs, found 1");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"sizes\":[4,5,3]", "\"sizes\":[4,5.5,3]")),
                "header architecture.sizes[1] is number 5.5, expected an integer");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"feature_names\":", "\"featureNames\":")),
                "header has unknown key 'featureNames', expected only [architecture, class_labels, feature_names, tensors, info]");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"class_labels\":[\"Iris-setosa\",", "\"class_labels\":[1,")),
                "header class_labels[0] is number 1, expected a string");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"class_labels\":[\"Iris-setosa\",", "\"class_labels\":[")),
                "model contents invalid: 2 class labels for 3 output units of 4-5-3, expected 3 or none for regression");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"class_labels\":[\"Iris-setosa\",\"versi,color\"",
                "\"class_labels\":[\"versi,color\",\"versi,color\"")),
                "model contents invalid: class label 'versi,color' appears twice (class 0 and class 1)");
        assertProblem(TestModels.withHeader(file, h -> h.replaceAll("\"info\":\\{.*\\}\\}", "\"info\":[]}")),
                "header key 'info' is array [], expected an object");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"tensors\":", "\"tensors\":{},\"x\":")),
                "header has unknown key 'x', expected only [architecture, class_labels, feature_names, tensors, info]");
    }

    @Test
    void invalidValuesInTheDataSectionAreRefused() {
        Model m = TestModels.classifier();
        byte[] file = ModelCodec.encode(m);
        int stdAt = 4 * (m.parameters().size() + 4);
        assertProblem(TestModels.withDataFloat(file, stdAt + 4, 0f),
                "model contents invalid: feature std[1] must be finite and > 0, found 0.0");
        assertProblem(TestModels.withDataFloat(file, stdAt - 4, Float.NaN),
                "tensor 'standardize.mean' holds NaN at index [3], expected finite float32 values");
        byte[] reg = ModelCodec.encode(TestModels.regressor());
        int targetStdAt = 4 * (TestModels.regressor().parameters().size() + 1);
        assertProblem(TestModels.withDataFloat(reg, targetStdAt, -1f),
                "model contents invalid: target std must be finite and > 0, found -1.0");
    }

    @Test
    void randomBytesAreRefusedCleanly() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        byte[] good = ModelCodec.encode(TestModels.classifier());
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = good.clone();
            // Keep the prefix sometimes, so the checks past the magic get exercised too.
            int from = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(16);
            for (int i = from; i < b.length; i++) {
                if (rnd.nextInt(8) == 0) b[i] = (byte) rnd.nextInt(256);
            }
            byte[] cut = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            if (Arrays.equals(cut, good)) continue;
            refused(cut);
        }
    }
}
