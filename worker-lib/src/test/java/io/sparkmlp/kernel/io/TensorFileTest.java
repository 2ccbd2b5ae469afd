package io.sparkmlp.kernel.io;

import static io.sparkmlp.kernel.io.TestModels.rawBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The tensor table both file formats share: what it writes, what it reads back, what it refuses. */
class TensorFileTest {

    private static final String MAGIC = "TESTTENS";
    private static final String SRC = "t.bin";
    private static final Map<String, int[]> SHAPES = Map.of("a", new int[] {2, 3}, "b", new int[] {2});
    private static final Function<String, int[]> KNOWN = SHAPES::get;

    /** A header with a key before and one after the table, and tensors a (a 2×3 slice) and b. */
    private static byte[] sample() {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        h.put("before", 1);
        h.putNull(TensorFile.TABLE_KEY);
        h.put("after", 2);
        float[] big = {9f, -0f, Float.MIN_VALUE, Float.NaN, 1f, 2f, 3f, 9f};
        return TensorFile.encode(MAGIC, 3, h, List.of(new TensorFile.Tensor("a", new int[] {2, 3}, big, 1),
                new TensorFile.Tensor("b", new float[] {Float.NEGATIVE_INFINITY, 0.5f})), "sample");
    }

    private static Map<String, float[]> read(byte[] bytes) {
        return TensorFile.decode(bytes, MAGIC, 3, "test file", SRC).tensors(KNOWN, "expected a and b", "(the test's)");
    }

    private static void assertProblem(byte[] bytes, String expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> read(bytes));
        assertEquals(SRC + ": " + expected, e.getMessage());
    }

    @Test
    void tableKeepsItsPlaceAndTensorsGoBackToBack() {
        String header = TestModels.header(sample()).strip();
        assertEquals("{\"before\":1,\"tensors\":["
                + "{\"name\":\"a\",\"dtype\":\"float32\",\"shape\":[2,3],\"byte_offset\":0,\"byte_length\":24},"
                + "{\"name\":\"b\",\"dtype\":\"float32\",\"shape\":[2],\"byte_offset\":24,\"byte_length\":8}],"
                + "\"after\":2}", header);
        assertEquals(32, TestModels.Layout.of(sample()).dataLength());
    }

    @Test
    void valuesComeBackBitForBitInTableOrder() {
        Map<String, float[]> t = read(sample());
        assertEquals(List.of("a", "b"), List.copyOf(t.keySet()));
        assertArrayEquals(rawBits(new float[] {-0f, Float.MIN_VALUE, Float.NaN, 1f, 2f, 3f}), rawBits(t.get("a")));
        assertArrayEquals(rawBits(new float[] {Float.NEGATIVE_INFINITY, 0.5f}), rawBits(t.get("b")));
    }

    /** The table is the only map: tensors listed in another order, at other offsets, read the same. */
    @Test
    void anyOrderAndOffsetInsideTheDataSectionIsRead() {
        byte[] moved = TestModels.withHeader(sample(), h -> h
                .replace("{\"name\":\"a\",\"dtype\":\"float32\",\"shape\":[2,3],\"byte_offset\":0,\"byte_length\":24},"
                        + "{\"name\":\"b\",\"dtype\":\"float32\",\"shape\":[2],\"byte_offset\":24,\"byte_length\":8}",
                        "{\"name\":\"b\",\"dtype\":\"float32\",\"shape\":[2],\"byte_offset\":16,\"byte_length\":8},"
                        + "{\"name\":\"a\",\"dtype\":\"float32\",\"shape\":[2,3],\"byte_offset\":0,\"byte_length\":24}"));
        Map<String, float[]> t = read(moved);
        assertEquals(List.of("b", "a"), List.copyOf(t.keySet()));
        assertArrayEquals(rawBits(new float[] {2f, 3f}), rawBits(t.get("b")));
    }

    @Test
    void everyEntryIsChecked() {
        byte[] file = sample();
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"name\":\"b\"", "\"name\":\"c\"")),
                "unexpected tensor 'c' (header tensors[1]); expected a and b");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"name\":\"b\"", "\"name\":\"a\"")),
                "tensor 'a' is listed twice");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"byte_length\":8}", "\"byte_length\":8,\"x\":0}")),
                "header tensors[1] has unknown key 'x', expected only [name, dtype, shape, byte_offset, byte_length]");
        assertProblem(TestModels.withHeader(file, h -> h.replace(",\"byte_length\":8}", "}")),
                "header tensors[1] lacks key 'byte_length'");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"shape\":[2]", "\"shape\":[\"2\"]")),
                "tensor 'b' has shape [\"2\"], expected [2] (the test's)");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"byte_offset\":24", "\"byte_offset\":-4")),
                "tensor 'b' has byte_offset -4, expected a multiple of 4 in [0, 24] (data section of 32 bytes)");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"byte_offset\":24", "\"byte_offset\":1.5")),
                "tensor 'b' key 'byte_offset' is number 1.5, expected an integer");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"tensors\":[", "\"tensors\":[7,")),
                "header tensors[0] is number 7, expected an object");
        assertProblem(TestModels.withHeader(file, h -> h.replace("\"before\":1,\"tensors\":", "\"before\":1,\"tensorz\":")),
                "header key 'tensors' is missing, expected an array");
    }

    @Test
    void theContainerIsCheckedFirst() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> TensorFile.decode(sample(), "OTHERMAG", 3, "test file", null));
        assertTrue(e.getMessage().startsWith("<bytes>: not a test file: first bytes are 54 45 53 54"), e.getMessage());
    }
}
