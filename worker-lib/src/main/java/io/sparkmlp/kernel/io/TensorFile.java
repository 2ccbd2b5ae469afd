package io.sparkmlp.kernel.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link FramedFile} whose data section holds float32 tensors that a table in the header maps:
 * the part model files and training checkpoints share. Each format adds its own header keys and
 * says which tensors it holds; this class writes and reads the table and the data.
 *
 * <pre>
 * header key "tensors": [ {"name": "...", "dtype": "float32", "shape": [d0, d1, ...],
 *                          "byte_offset": o, "byte_length": 4·d0·d1·…}, ... ]
 * data section:         tensor i at bytes [o_i, o_i + byte_length_i), float32 little-endian
 * </pre>
 *
 * The writer stores the tensors back to back from offset 0, in list order. The reader accepts any
 * order and offset inside the data section (multiples of 4); the table is the only map. Every
 * problem is a one-line {@link ModelFormatException}: {@code <source>: <what, where>: <found>, <expected>}.
 */
public final class TensorFile {

    /** The header key of the tensor table. */
    public static final String TABLE_KEY = "tensors";
    /** The one element type of this container. */
    public static final String DTYPE = "float32";

    private static final Set<String> ENTRY_KEYS = keys("name", "dtype", "shape", "byte_offset", "byte_length");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TensorFile() {
    }

    /**
     * One tensor to write: {@code product(shape)} values of {@code values} from {@code from}.
     *
     * @param shape dimensions, row-major
     * @param values holds the tensor. Not modified.
     * @param from index of the first value in {@code values}
     */
    public record Tensor(String name, int[] shape, float[] values, int from) {

        /** A vector: all of {@code values}, shape {@code [values.length]}. */
        public Tensor(String name, float[] values) {
            this(name, new int[] {values.length}, values, 0);
        }

        /** {@code product(shape)}. */
        public int count() {
            int n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    /**
     * The file bytes of a container holding {@code tensors}. Same arguments ⇒ same bytes.
     *
     * @param header the format's header. Modified: its key {@value #TABLE_KEY} is set to the table,
     *        at the position that key already has (reserve it with {@code putNull}), else last.
     * @param tensors in file order
     * @param what what is encoded, for messages (e.g. {@code model 4-6-3})
     * @throws IllegalArgumentException when the file would exceed {@value FramedFile#MAX_BYTES} bytes
     */
    public static byte[] encode(String magic, int version, ObjectNode header, List<Tensor> tensors, String what) {
        ArrayNode table = NODES.arrayNode();
        long dataBytes = 0;
        for (Tensor t : tensors) {
            long length = 4L * t.count();
            ObjectNode e = table.addObject();
            e.put("name", t.name());
            e.put("dtype", DTYPE);
            ArrayNode shape = e.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            e.put("byte_offset", dataBytes);
            e.put("byte_length", length);
            dataBytes += length;
        }
        header.set(TABLE_KEY, table);
        return FramedFile.encode(magic, version, header, dataBytes, buf -> {
            for (Tensor t : tensors) {
                buf.asFloatBuffer().put(t.values(), t.from(), t.count());
                buf.position(buf.position() + 4 * t.count());
            }
        }, what);
    }

    /**
     * Checks the container ({@link FramedFile#decode}) and gives a reader of its header and tensors.
     *
     * @param bytes a whole file. Not modified (the reader wraps it).
     * @param kind what the file should be, for messages: {@code not a KIND: first bytes are ...}
     * @param sourceName where the bytes came from (a path), for messages; null: {@code <bytes>}
     * @throws ModelFormatException when the bytes are not a complete, undamaged container of this
     *         magic and version
     */
    public static Reader decode(byte[] bytes, String magic, int version, String kind, String sourceName) {
        String src = sourceName == null ? "<bytes>" : sourceName;
        return new Reader(src, FramedFile.decode(bytes, magic, version, kind, src));
    }

    /**
     * Typed reads of a decoded header's keys and of its tensors. Every failure is a one-line
     * {@link ModelFormatException} naming the source, where in the header, what was found and
     * what was expected.
     */
    public static final class Reader {
        private final String src;
        private final FramedFile.Frame frame;

        private Reader(String src, FramedFile.Frame frame) {
            this.src = src;
            this.frame = frame;
        }

        /** The header object. */
        public ObjectNode header() {
            return frame.header();
        }

        /** The problem {@code problem} of this source, to throw. */
        public ModelFormatException bad(String problem) {
            return new ModelFormatException(src, problem);
        }

        /** The problem {@code problem} of this source, found as {@code cause}, to throw. */
        public ModelFormatException bad(String problem, Throwable cause) {
            return new ModelFormatException(src, problem, cause);
        }

        /**
         * The tensors of the table under {@value #TABLE_KEY}, checked entry by entry in table order:
         * exactly the five entry keys, a name this format has ({@code shapes}), listed once, dtype
         * {@value #DTYPE}, the shape {@code shapes} gives, {@code byte_length = 4·product(shape)},
         * and the bytes inside the data section at a multiple of 4. Which tensors must be present is
         * the caller's to check.
         *
         * @param shapes the shape a tensor of this name must have; null for a name the format does not have
         * @param names what the format has, for the message on an unexpected name
         * @param shapesFollowFrom why the shapes are what they are, for the message on a wrong shape
         *        (e.g. {@code for architecture 4-6-3 tanh softmax_cross_entropy})
         * @return name → values, in table order
         */
        public Map<String, float[]> tensors(Function<String, int[]> shapes, String names, String shapesFollowFrom) {
            ArrayNode list = array(header(), TABLE_KEY, "header");
            long dataBytes = frame.dataBytes();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                String where = "header " + TABLE_KEY + "[" + i + "]";
                JsonNode tn = list.get(i);
                if (!tn.isObject()) throw bad(where + " is " + FramedFile.describeNode(tn) + ", expected an object");
                checkKeys((ObjectNode) tn, ENTRY_KEYS, where);
                String name = text(tn, "name", where);
                int[] shape = shapes.apply(name);
                if (shape == null) throw bad("unexpected tensor '" + name + "' (" + where + "); " + names);
                where = "tensor '" + name + "'";
                if (values.containsKey(name)) throw bad(where + " is listed twice");
                String dtype = text(tn, "dtype", where);
                if (!dtype.equals(DTYPE)) throw bad(where + " has dtype '" + dtype + "', expected '" + DTYPE + "'");
                ArrayNode shapeNode = array(tn, "shape", where);
                int[] found = new int[shapeNode.size()];
                for (int d = 0; d < found.length; d++) {
                    JsonNode s = shapeNode.get(d);
                    found[d] = s.isIntegralNumber() && s.canConvertToInt() ? s.intValue() : -1;
                }
                if (!Arrays.equals(found, shape)) {
                    ArrayNode expected = NODES.arrayNode();
                    for (int d : shape) expected.add(d);
                    throw bad(where + " has shape " + shapeNode + ", expected " + expected + " " + shapesFollowFrom);
                }
                long count = valueCount(shape);
                if (count < 0 || count > FramedFile.MAX_BYTES / 4) {
                    throw bad(where + " has shape " + shapeNode + ", expected dimensions >= 0 holding at most "
                            + FramedFile.MAX_BYTES / 4 + " values (what a file holds)");
                }
                long offset = integer(tn, "byte_offset", where);
                long length = integer(tn, "byte_length", where);
                if (length != 4L * count) {
                    throw bad(where + " has byte_length " + length + ", expected " + 4L * count + " (" + count
                            + " float32 values)");
                }
                if (offset < 0 || offset % 4 != 0 || offset > dataBytes - length) {
                    throw bad(where + " has byte_offset " + offset + ", expected a multiple of 4 in [0, "
                            + (dataBytes - length) + "] (data section of " + dataBytes + " bytes)");
                }
                float[] v = new float[(int) count];
                ByteBuffer buf = frame.buffer();
                buf.position((int) (frame.dataStart() + offset));
                buf.asFloatBuffer().get(v);
                values.put(name, v);
            }
            return values;
        }

        /** {@code product(shape)} in long arithmetic; -1 when a dimension is negative or the product overflows. */
        private static long valueCount(int[] shape) {
            long count = 1;
            for (int d : shape) {
                if (d < 0) return -1;
                try {
                    count = Math.multiplyExact(count, d);
                } catch (ArithmeticException e) {
                    return -1;
                }
            }
            return count;
        }

        /** Refuses a key of {@code node} outside {@code allowed}, then a missing one. */
        public void checkKeys(ObjectNode node, Set<String> allowed, String where) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) throw bad(where + " has unknown key '" + k + "', expected only " + allowed);
            }
            for (String k : allowed) {
                if (!node.has(k)) throw bad(where + " lacks key '" + k + "'");
            }
        }

        /** The object under {@code key} of {@code node}, which lies at {@code where} in the header. */
        public ObjectNode object(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isObject()) throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected an object");
            return (ObjectNode) v;
        }

        /** The array under {@code key} of {@code node}, which lies at {@code where} in the header. */
        public ArrayNode array(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isArray()) throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected an array");
            return (ArrayNode) v;
        }

        /** The string under {@code key} of {@code node}, which lies at {@code where} in the header. */
        public String text(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isTextual()) throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected a string");
            return v.textValue();
        }

        /** The 64-bit integer under {@code key} of {@code node}, which lies at {@code where} in the header. */
        public long integer(JsonNode node, String key, String where) {
            JsonNode v = node.get(key);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(where + " key '" + key + "' is " + FramedFile.describeNode(v) + ", expected an integer");
            }
            return v.longValue();
        }
    }

    /** An unmodifiable set of {@code names} in this order (the order messages list them in). */
    static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }
}
